"""Synthetic demonstration data, to measure the directory at the size it will live.

``generate(actors=N, seed=S)`` writes N fictitious actors, each with 2 programmes of 3
actions, a partnership per programme, sectors and publics from the real vocabularies,
over the real territories: most actors in a commune, some département-wide, some
region-wide; some programmes and actions have their own territories, sectors, publics
and dates, the others inherit them. The same seed gives the same data.

Everything is marked: ``Organisation.is_demo`` (programmes and actions follow their
actor), names start with « Démo · », pages say it, open-data exports (data·inclusion,
sitemap, feed) leave it out. ``delete()`` removes it all, and only it.

Rows are written in bulk, chunk by chunk; each chunk is one unit of work
(``common/changes.py``): coverage and search documents follow it as they follow every save.
"""

import random

from django.db import connection, transaction
from django.db.models import Q

from actors.models import EssFamily, Organisation, OrganisationKind, Public, Sector, Status
from common import changes
from common.bulk import insert_objects, insert_rows
from territories.models import COMMUNE_KINDS, Territory, TerritoryKind
from territories.region import REGION_CODES

from .models import Action, Event, KeyFigure, Partnership, Programme, ProgrammeKind, Quote, Role

PREFIX = "Démo · "
CHUNK = 1000
PROGRAMMES_PER_ACTOR = 2
ACTIONS_PER_PROGRAMME = 3
PARTNERS_PER_THOUSAND = 10

KINDS = ["Association", "Coopérative", "Atelier", "Collectif", "Mutuelle", "Fondation", "Régie de quartier",
         "Recyclerie", "Jardins", "Épicerie solidaire", "Entreprise d'insertion", "Maison"]  # fmt: skip
TOPICS = ["insertion", "petite enfance", "aide à domicile", "jardinage", "réemploi", "mobilité", "culture",
          "alimentation", "logement", "numérique", "emploi des jeunes", "personnes âgées", "handicap",
          "énergie", "tourisme social", "commerce équitable", "santé", "sport pour tous"]  # fmt: skip
VERBS = ["Accompagnement", "Création", "Animation", "Développement", "Soutien", "Formation", "Accueil"]
FAMILIES = [EssFamily.ASSOCIATION] * 6 + [EssFamily.COOPERATIVE] * 2 + [EssFamily.MUTUELLE, EssFamily.FONDATION,
                                                                          EssFamily.ENTREPRISE]  # fmt: skip
ROLES = [Role.PARTNER, Role.COFUNDER, Role.SIGNATORY, Role.PREMISES]
PROGRAMME_KINDS = [
    ProgrammeKind.PROGRAMME,
    ProgrammeKind.ACTION_PLAN,
    ProgrammeKind.CALL,
    ProgrammeKind.AGREEMENT,
]


class Places:
    """The real territories the synthetic actors are spread over."""

    def __init__(self):
        self.communes = list(Territory.objects.filter(kind__in=COMMUNE_KINDS).values_list("pk", "name"))
        self.departements = list(
            Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT, children__kind__in=COMMUNE_KINDS)
            .distinct().values_list("pk", flat=True)
        )  # fmt: skip
        self.regions = list(
            Territory.objects.filter(kind=TerritoryKind.REGION, code__in=REGION_CODES).values_list("pk", flat=True)
        )
        if not self.communes:
            raise RuntimeError(
                "Aucune commune : lancez d'abord « load_directory » (ou « import_territories »)."
            )

    def actor_area(self, rng):
        """70 % a commune, 20 % a département, 10 % a region."""
        roll = rng.random()
        if roll < 0.7:
            return [rng.choice(self.communes)[0]]
        if roll < 0.9:
            return [rng.choice(self.departements)]
        return [rng.choice(self.regions)]


def _link(model, field_name, pairs):
    field = model._meta.get_field(field_name)
    insert_rows(field.remote_field.through, [field.m2m_field_name(), field.m2m_reverse_field_name()], pairs)


def _bulk(model, rows):
    return insert_objects(model, rows)


class Generation:
    """What every chunk needs: the places, vocabularies and partners, and the seed."""

    def __init__(self, actors, seed, first):
        self.places = Places()
        self.sectors = list(Sector.objects.values_list("pk", flat=True))
        self.publics = list(Public.objects.values_list("pk", flat=True))
        self.partners = _partners(seed, max(1, actors * PARTNERS_PER_THOUSAND // 1000), self.places)
        self.seed = seed
        self.end = first + actors

    def run(self, task):
        number, chunk_start = task
        with connection.cursor() as cursor:
            # Demonstration data: a crash may lose the last chunks, never corrupt anything.
            cursor.execute("SET synchronous_commit TO OFF")
        size = min(CHUNK, self.end - chunk_start)
        with transaction.atomic():
            _chunk(chunk_start, size, self.seed, self.places, self.sectors, self.publics, self.partners)
        if number in (4, 16, 64):  # the tables grow fast: keep the planner's statistics close
            analyze()
        return size


_generation = None  # the Generation a worker process runs (set before the fork)


def _run_in_worker(task):
    return _generation.run(task)


def generate(actors, seed=1, start=None, stdout=None, workers=3):
    """Writes ``actors`` synthetic actors (numbered after those that exist, or from
    ``start``); returns how many were written. Chunks are independent (each has its own
    seeded random generator), so ``workers`` processes share them on PostgreSQL and the
    data are the same whatever their number. Three processes keep this 2-core machine
    busiest: while one waits for PostgreSQL, another computes."""
    global _generation
    first = (
        start
        if start is not None
        else Organisation.objects.filter(is_demo=True, kind=OrganisationKind.ACTOR).count()
    )
    generation = Generation(actors, seed, first)
    tasks = list(enumerate(range(first, first + actors, CHUNK), start=1))
    written = generation.run(tasks[0])
    analyze()
    rest = tasks[1:]
    if workers > 1 and rest:
        import multiprocessing

        from django.db import connections

        _generation = generation
        connections.close_all()  # each process opens its own connection
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for size in pool.imap_unordered(_run_in_worker, rest):
                written += size
                if stdout is not None:
                    stdout.write(f"  {written} / {actors} acteurs")
        _generation = None
    else:
        for task in rest:
            written += generation.run(task)
            if stdout is not None:
                stdout.write(f"  {written} / {actors} acteurs")
    analyze()
    return written


def analyze():
    """Refreshes PostgreSQL's statistics: after a bulk load the planner would otherwise
    plan for the empty tables it last measured (nested loops over 100,000 rows)."""
    models = [Organisation, Programme, Action, Partnership]
    tables = [model._meta.db_table for model in models] + [
        field.remote_field.through._meta.db_table for model in models for field in model._meta.many_to_many
    ]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))


def _partners(seed, count, places):
    rng = random.Random(f"{seed}-partenaires")
    existing = list(
        Organisation.objects.filter(is_demo=True)
        .exclude(kind=OrganisationKind.ACTOR)
        .values_list("pk", flat=True)
    )
    if len(existing) >= count:
        return existing
    new = []
    for i in range(len(existing), count):
        commune = rng.choice(places.communes)
        new.append(Organisation(
            name=f"{PREFIX}Commune partenaire {commune[1]} {i}", slug=f"demo-partenaire-{i}",
            kind=OrganisationKind.LOCAL_AUTHORITY, status=Status.PUBLISHED, is_demo=True,
            summary="Partenaire fictif de démonstration.", source="Données de démonstration (generate_demo_data)",
        ))  # fmt: skip
    created = _bulk(Organisation, new)
    changes.saved(Organisation, [o.pk for o in created])
    return existing + [o.pk for o in created]


def _chunk(start, size, seed, places, sectors, publics, partners):
    rng = random.Random(f"{seed}-{start}")
    actors, areas, actor_sectors, actor_publics = [], [], [], []
    for number in range(start, start + size):
        kind, topic = rng.choice(KINDS), rng.choice(TOPICS)
        area = places.actor_area(rng)
        # A fictitious point in Basse-Normandie for most of them (the map's data).
        position = (
            (round(rng.uniform(48.45, 49.72), 6), round(rng.uniform(-1.85, 0.85), 6))
            if rng.random() < 0.8
            else (None, None)
        )
        actors.append(Organisation(
            latitude=position[0], longitude=position[1],
            name=f"{PREFIX}{kind} {topic} n° {number}", slug=f"demo-acteur-{number}", kind=OrganisationKind.ACTOR,
            family=rng.choice(FAMILIES), status=Status.PUBLISHED, is_demo=True,
            summary=f"Acteur fictif de démonstration : {topic}.",
            description=f"Cet acteur n'existe pas. Il agit pour {topic} et {rng.choice(TOPICS)}.",
            source="Données de démonstration (generate_demo_data)",
        ))  # fmt: skip
        areas.append(area)
        actor_sectors.append(rng.sample(sectors, rng.randint(1, 3)))
        actor_publics.append(rng.sample(publics, rng.randint(0, 2)))
    actors = _bulk(Organisation, actors)
    rows = {}
    for actor, area, own_sectors, own_publics in zip(
        actors, areas, actor_sectors, actor_publics, strict=True
    ):
        rows.setdefault((Organisation, "territories"), []).extend((actor.pk, t) for t in area)
        rows.setdefault((Organisation, "sectors"), []).extend((actor.pk, s) for s in own_sectors)
        rows.setdefault((Organisation, "publics"), []).extend((actor.pk, p) for p in own_publics)

    programmes = []
    for actor in actors:
        for n in range(PROGRAMMES_PER_ACTOR):
            year = rng.randint(2000, 2026)
            programmes.append(Programme(
                actor=actor, title=f"{rng.choice(VERBS)} {rng.choice(TOPICS)} ({actor.name[len(PREFIX):]}, {n + 1})",
                slug=f"{actor.slug}-programme-{n + 1}", kind=rng.choice(PROGRAMME_KINDS), status=Status.PUBLISHED,
                summary=f"Programme fictif de démonstration, depuis {year}.", start_year=year,
                since=rng.random() < 0.4,
            ))  # fmt: skip
    programmes = _bulk(Programme, programmes)
    actions = []
    for programme in programmes:
        if rng.random() < 0.3:
            rows.setdefault((Programme, "territories"), []).append(
                (programme.pk, rng.choice(places.communes)[0])
            )
        if rng.random() < 0.5:
            rows.setdefault((Programme, "sectors"), []).append((programme.pk, rng.choice(sectors)))
        for n in range(ACTIONS_PER_PROGRAMME):
            dated = rng.random() < 0.3
            actions.append(Action(
                programme=programme, actor_id=programme.actor_id, order=n + 1, status=Status.PUBLISHED,
                title=f"{rng.choice(VERBS)} : {rng.choice(TOPICS)} (action {n + 1})",
                slug=f"{programme.slug}-action-{n + 1}",
                description=f"Action fictive de démonstration autour de {rng.choice(TOPICS)}.",
                start_year=rng.randint(programme.start_year, 2026) if dated else None,
            ))  # fmt: skip
    actions = _bulk(Action, actions)
    for action in actions:
        if rng.random() < 0.3:
            rows.setdefault((Action, "territories"), []).append((action.pk, rng.choice(places.communes)[0]))
        if rng.random() < 0.3:
            rows.setdefault((Action, "publics"), []).append((action.pk, rng.choice(publics)))
    for (model, name), pairs in rows.items():
        _link(model, name, pairs)
    _bulk(Partnership, [
        Partnership(organisation_id=rng.choice(partners), programme=programme, role=rng.choice(ROLES))
        for programme in programmes
    ])  # fmt: skip
    changes.saved(Organisation, [actor.pk for actor in actors])


def _delete(model, **lookups):
    """``DELETE FROM <model> WHERE <lookups>`` in one statement (no per-row signals:
    this is a bulk removal of data nobody entered)."""
    queryset = model._base_manager.filter(**lookups)
    sql, params = queryset.values("pk").query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({sql})", params)
        return cursor.rowcount


@transaction.atomic
def delete():
    """Removes every synthetic row (and nothing else); returns {label: rows removed}."""
    demo = Q(is_demo=True)
    removed = {}
    for model, prefix in ((Action, "programme__actor__"), (Programme, "actor__")):
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            removed.setdefault("liens", 0)
            removed["liens"] += _delete(through, **{f"{field.m2m_field_name()}__{prefix}is_demo": True})
    removed["partenariats"] = (
        _delete(Partnership, organisation__is_demo=True)
        + _delete(Partnership, programme__actor__is_demo=True)
        + _delete(Partnership, action__programme__actor__is_demo=True)
    )
    organisers = Event.organisers.field
    _delete(organisers.remote_field.through, **{f"{organisers.m2m_field_name()}__actor__is_demo": True})
    _delete(organisers.remote_field.through, **{f"{organisers.m2m_reverse_field_name()}__is_demo": True})
    for model in (Event, Quote, KeyFigure):
        _delete(model, actor__is_demo=True)
    removed["sous-actions"] = _delete(Action, programme__actor__is_demo=True, parent__isnull=False)
    removed["actions"] = _delete(Action, programme__actor__is_demo=True)
    removed["programmes"] = _delete(Programme, actor__is_demo=True)
    for field in Organisation._meta.many_to_many:
        removed["liens"] += _delete(
            field.remote_field.through, **{f"{field.m2m_field_name()}__is_demo": True}
        )
    members = list(Organisation.objects.filter(parent__is_demo=True, is_demo=False).values_list("pk", flat=True))
    Organisation.objects.filter(pk__in=members).update(parent=None)
    changes.saved(Organisation, members, ["parent"])  # real organisations lose a demo network: followed
    removed["organisations"] = _delete(Organisation, is_demo=True)
    assert not Organisation.objects.filter(demo).exists()
    changes.bulk_removed()
    return removed
