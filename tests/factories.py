import factory
from factory.django import DjangoModelFactory

from actions.models import Action, Partnership, Programme, Role
from actors.models import Organisation, OrganisationKind, Public, Sector, Status, Territory, TerritoryKind


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


class PartnershipFactory(DjangoModelFactory):
    class Meta:
        model = Partnership

    organisation = factory.SubFactory(PartnerFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    role = Role.PARTNER
