import factory
from factory.django import DjangoModelFactory

from actions.models import Action, Partnership, Programme, Role
from actors.models import Organisation, OrganisationKind, Public, Sector, Status
from territories.models import Territory, TerritoryKind


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory
        django_get_or_create = ["key"]

    kind = TerritoryKind.COMMUNE
    code = factory.Sequence(lambda n: f"9{n:04d}")
    key = factory.LazyAttribute(lambda o: Territory.make_key(o.kind, o.code))
    name = factory.Sequence(lambda n: f"Commune {n}")


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Secteur {n}")
    slug = factory.Sequence(lambda n: f"secteur-{n}")


class PublicFactory(DjangoModelFactory):
    class Meta:
        model = Public
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Public {n}")
    slug = factory.Sequence(lambda n: f"public-{n}")


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Association d'essai {n}")
    slug = factory.Sequence(lambda n: f"association-d-essai-{n}")
    kind = OrganisationKind.ACTOR
    family = "association"
    status = Status.PUBLISHED
    summary = "Une organisation créée pour les tests."

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)

    @factory.post_generation
    def publics(self, create, extracted, **kwargs):
        if create and extracted:
            self.publics.set(extracted)


class PartnerFactory(OrganisationFactory):
    kind = OrganisationKind.PUBLIC_BODY
    family = ""


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        skip_postgeneration_save = True

    actor = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Programme d'essai {n}")
    slug = factory.Sequence(lambda n: f"programme-d-essai-{n}")
    status = Status.PUBLISHED
    start_year = 2008

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)

    @factory.post_generation
    def publics(self, create, extracted, **kwargs):
        if create and extracted:
            self.publics.set(extracted)


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Action d'essai {n}")
    slug = factory.Sequence(lambda n: f"action-d-essai-{n}")
    status = Status.PUBLISHED

    @factory.post_generation
    def territories(self, create, extracted, **kwargs):
        if create and extracted:
            self.territories.set(extracted)

    @factory.post_generation
    def sectors(self, create, extracted, **kwargs):
        if create and extracted:
            self.sectors.set(extracted)

    @factory.post_generation
    def publics(self, create, extracted, **kwargs):
        if create and extracted:
            self.publics.set(extracted)


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    organisation = factory.SubFactory(PartnerFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.PARTNER


def bulk_actors(count, prefix="acteur-en-masse", places=(), sectors=(), actions_per_actor=1, partner=None,
                network=None):  # fmt: skip
    """``count`` published actors, each with a programme and its actions (the second and
    later ones sub-items of the first), written in bulk (as an import would) with their
    coverage computed by the unit of work, as for every save. ``places``/``sectors``: spread
    over actors, programmes and actions; ``partner``: a partnership on each programme;
    ``network``: every actor's network."""
    from common import changes

    places, sectors = list(places), list(sectors)

    def pick(items, i):
        return [items[i % len(items)]] if items else []

    actors = Organisation.objects.bulk_create(
        Organisation(name=f"Acteur en masse {i:05d}", slug=f"{prefix}-{i}", kind=OrganisationKind.ACTOR,
                     family="association", status=Status.PUBLISHED, summary="Un acteur créé en nombre.",
                     parent=network)
        for i in range(count)
    )  # fmt: skip
    programmes = Programme.objects.bulk_create(
        Programme(actor=actor, title=f"Programme {actor.slug}", slug=f"programme-{actor.slug}",
                  status=Status.PUBLISHED, start_year=2008)
        for actor in actors
    )  # fmt: skip
    firsts = Action.objects.bulk_create(
        Action(programme=programme, actor_id=programme.actor_id, title=f"Action {programme.slug}",
               slug=f"action-0-{programme.slug}",
               status=Status.PUBLISHED, order=0)
        for programme in programmes
    )  # fmt: skip
    actions = firsts + Action.objects.bulk_create(
        Action(programme=first.programme, actor_id=first.actor_id, parent=first,
               title=f"Action {first.programme.slug} — {n}",
               slug=f"action-{n}-{first.programme.slug}", status=Status.PUBLISHED, order=n)
        for first in firsts for n in range(1, actions_per_actor)
    )  # fmt: skip
    for model, items in ((Organisation, actors), (Programme, programmes), (Action, actions)):
        for name, values in (("territories", places), ("sectors", sectors)):
            through = model._meta.get_field(name).remote_field.through
            field = model._meta.get_field(name)
            through.objects.bulk_create(
                through(**{f"{field.m2m_field_name()}_id": item.pk, f"{field.m2m_reverse_field_name()}_id": value.pk})
                for i, item in enumerate(items) for value in pick(values, i)
            )  # fmt: skip
    if partner is not None:
        Partnership.objects.bulk_create(
            Partnership(organisation=partner, programme=programme, role=Role.PARTNER)
            for programme in programmes
        )
    changes.saved(Organisation, [actor.pk for actor in actors])  # bulk writes send no signal
    return actors
