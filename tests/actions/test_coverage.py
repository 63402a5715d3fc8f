"""The coverage rule — own, else the programme's, else the actor's — and the territory
roll-up, checked on the HTML list, the API and the CSV together, so that the three can
never disagree again. Each case builds its own actor, programme and action (factories)
and filters the action list to that actor."""

import csv
import io
from dataclasses import dataclass, field

import pytest

from actions.models import Action
from actors.models import Organisation, Public, Sector, Status
from territories.models import Territory
from tests.factories import ActionFactory, OrganisationFactory, ProgrammeFactory


@dataclass
class Level:
    territories: list = field(default_factory=list)  # Territory keys
    sectors: list = field(default_factory=list)  # slugs
    publics: list = field(default_factory=list)
    start_year: int | None = None
    since: bool = False


def build(actor, programme, action):
    def objects(level):
        return {
            "territories": list(Territory.objects.filter(key__in=level.territories)),
            "sectors": list(Sector.objects.filter(slug__in=level.sectors)),
            "publics": list(Public.objects.filter(slug__in=level.publics)),
        }

    owner = OrganisationFactory(**objects(actor))
    prog = ProgrammeFactory(
        actor=owner, start_year=programme.start_year, since=programme.since, **objects(programme)
    )
    item = ActionFactory(programme=prog, start_year=action.start_year, since=action.since, **objects(action))
    return owner, item


N = Level  # an empty level: nothing of its own

CASES = [
    # (id, actor, programme, action, filter, found?, expected API values)
    ("own commune counts in its département", N(), N(), Level(["14478"]), {"departement": "14"}, True, {}),
    ("own commune, not in another département", N(), N(), Level(["14478"]), {"departement": "50"}, False, {}),
    ("own historic commune counts in its département", N(), N(), Level(["14371-deleguee"]), {"departement": "14"}, True, {}),
    ("historic Livarot counts in Livarot-Pays-d'Auge", N(), N(), Level(["14371-deleguee"]), {"commune": "14371"}, True, {}),
    ("historic Hubert-Folie counts in Castine-en-Plaine", N(), N(), Level(["14339-deleguee"]), {"commune": "14538"}, True, {}),
    ("a historic code gives the current commune", N(), N(), Level(["14339-deleguee"]), {"commune": "14339"}, True, {}),
    ("a département counts in its communes", N(), N(), Level(["14"]), {"commune": "14118"}, True, {}),
    ("a département does not count in another's communes", N(), N(), Level(["14"]), {"commune": "50129"}, False, {}),
    ("own département", N(), N(), Level(["50"]), {"departement": "50"}, True, {"territoires_origine": "propre"}),
    ("no territory: the programme's", Level(["50"]), Level(["14478"]), N(), {"departement": "14"}, True,
     {"territoires_origine": "programme", "territoires": ["14478"]}),
    ("the programme's wins over the actor's", Level(["50"]), Level(["14478"]), N(), {"departement": "50"}, False, {}),
    ("neither: the actor's (former region)", Level(["region-25"]), N(), N(), {"departement": "61"}, True,
     {"territoires_origine": "acteur", "territoires": ["region-25"]}),
    ("the actor's current region counts in each département", Level(["region-28"]), N(), N(), {"departement": "50"}, True, {}),
    ("a former region counts in a commune", Level(["region-25"]), N(), N(), {"commune": "14118"}, True, {}),
    ("own territory wins over the actor's", Level(["region-25"]), N(), Level(["region-53"]), {"departement": "14"}, False, {}),
    ("mixed: own commune, programme elsewhere", N(), Level(["50"]), Level(["14478"]), {"departement": "50"}, False, {}),
    ("own sector", N(), N(), Level(sectors=["handicap"]), {"secteur": "handicap"}, True, {"secteurs": ["handicap"]}),
    ("no sector: the programme's", N(), Level(sectors=["handicap"]), N(), {"secteur": "handicap"}, True,
     {"secteurs": ["handicap"], "secteurs_origine": "programme"}),
    ("no sector anywhere below: the actor's", Level(sectors=["famille"]), N(), N(), {"secteur": "famille"}, True,
     {"secteurs": ["famille"], "secteurs_origine": "acteur"}),
    ("own sector wins over the programme's", N(), Level(sectors=["handicap"]), Level(sectors=["petite-enfance"]),
     {"secteur": "handicap"}, False, {"secteurs": ["petite-enfance"]}),
    ("no public: the programme's", N(), Level(publics=["aidants"]), N(), {"public": "aidants"}, True,
     {"publics": ["aidants"]}),
    ("no public below: the actor's", Level(publics=["familles"]), N(), N(), {"public": "familles"}, True, {}),
    ("no date: the programme's open start", N(), Level(start_year=2001, since=True), N(), {"annee": "2008"}, True, {}),
    ("own date wins over the programme's", N(), Level(start_year=2001, since=True), Level(start_year=2006),
     {"annee": "2008"}, False, {}),
    ("own date, its year", N(), Level(start_year=2001, since=True), Level(start_year=2006), {"annee": "2006"}, True, {}),
]  # fmt: skip


def html_slugs(client, params):
    response = client.get("/actions/", params)
    assert response.status_code == 200, response.content[:500]
    return [a.slug for a in response.context["page_obj"].paginator.object_list]


def api_items(client, params):
    data = client.get("/api/v1/actions/", {**params, "page_size": 100}).json()
    return {item["slug"]: item for item in data["results"]}


def csv_rows(client, params):
    response = client.get("/actions/", {**params, "format": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8")[1:]
    return {
        row["Fiche"].rstrip("/").rsplit("/", 1)[-1]: row
        for row in csv.DictReader(io.StringIO(content), delimiter=";")
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("actor", "programme", "action", "params", "found", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])  # fmt: skip
def test_coverage_rule_on_the_list_the_api_and_the_csv(
    directory, client, actor, programme, action, params, found, expected
):
    owner, item = build(actor, programme, action)
    params = {**params, "acteur": owner.slug}
    expected_slugs = [item.slug] if found else []
    api = api_items(client, params)
    rows = csv_rows(client, params)
    assert html_slugs(client, params) == expected_slugs
    assert list(api) == expected_slugs
    assert list(rows) == expected_slugs

    # What the item shows is the same stored coverage, whichever filter finds it.
    shown = api_items(client, {"acteur": owner.slug})[item.slug]
    row = csv_rows(client, {"acteur": owner.slug})[item.slug]
    if "secteurs" in expected:
        assert shown["secteurs"] == expected["secteurs"]
        assert row["Secteurs"] == " | ".join(Sector.objects.get(slug=s).name for s in expected["secteurs"])
    if "publics" in expected:
        assert shown["publics"] == expected["publics"]
    if "territoires" in expected:
        assert [t["identifiant"] for t in shown["territoires"]] == expected["territoires"]
    if "territoires_origine" in expected:
        assert shown["couverture_origine"]["territoires"] == expected["territoires_origine"]
    if "secteurs_origine" in expected:
        assert shown["couverture_origine"]["secteurs"] == expected["secteurs_origine"]


@pytest.mark.django_db
def test_coverage_follows_edits_at_every_level(directory):
    """Saving the actor, the programme or the action, or changing their territories,
    recomputes the stored coverage at once."""
    owner, item = build(Level(["50"]), N(), N())
    assert Action.objects.filter(pk=item.pk).in_departement("50").exists()
    owner.territories.set([Territory.objects.get(key="61")])
    assert Action.objects.filter(pk=item.pk).in_departement("61").exists()
    item.programme.territories.set([Territory.objects.get(key="14478")])
    assert Action.objects.filter(pk=item.pk).in_departement("14").exists()
    item.territories.set([Territory.objects.get(key="50")])
    item.refresh_from_db()
    assert item.territories_from == "propre"
    assert list(Action.objects.filter(pk=item.pk).in_departement("14")) == []
    item.territories.clear()
    item.programme.territories.clear()
    assert Action.objects.filter(pk=item.pk).in_departement("61").exists()


@pytest.mark.django_db
def test_rebuild_recomputes_a_damaged_coverage(directory):
    from django.core.management import call_command
    from django.db import connection

    halte = Action.objects.get(slug="halte-garderie-itinerante")
    halte.effective_territories.clear()
    with connection.cursor() as cursor:  # behind the unit of work's back, as a damaged row would be
        cursor.execute(
            "UPDATE actions_action SET territories_from = NULL, listed = false, territory_ids = '{}', "
            "departement_ids = NULL WHERE id = %s",
            [halte.pk],
        )
    call_command("rebuild_coverage", stdout=io.StringIO())
    halte.refresh_from_db()
    assert halte.effective_territories.count() == 5 and halte.territories_from == "propre"
    assert halte.listed and len(halte.territory_ids) == 5 and halte.departement_ids
    assert_listing_equals_the_rule()


def expected_listing():
    """The listing columns as the rule says, read from the coverage tables, the roll-up and
    the statuses by plain joins — nothing of ``actions/coverage.py``."""
    from actions.models import Programme
    from territories.models import TerritoryKind

    departements = {}
    for territory, departement in Territory.reach.through.objects.filter(
        to_territory__kind=TerritoryKind.DEPARTEMENT
    ).values_list("from_territory_id", "to_territory_id"):
        departements.setdefault(territory, set()).add(departement)

    def columns(model, prefix):
        result = {pk: {"territory_ids": set(), "sector_ids": set(), "public_ids": set()} for pk in model.objects.values_list("pk", flat=True)}
        for dimension, column in (("territories", "territory_ids"), ("sectors", "sector_ids"), ("publics", "public_ids")):
            for pk, value in model.objects.filter(**{f"{prefix}{dimension}__isnull": False}).values_list("pk", f"{prefix}{dimension}"):
                result[pk][column].add(value)
        for values in result.values():
            values["departement_ids"] = {d for t in values["territory_ids"] for d in departements.get(t, ())}
        return result

    published = Status.PUBLISHED
    expected = {
        Organisation: columns(Organisation, ""),
        Programme: columns(Programme, "effective_"),
        Action: columns(Action, "effective_"),
    }
    for pk, status, actor in Programme.objects.values_list("pk", "status", "actor__status"):
        expected[Programme][pk]["listed"] = status == actor == published
    for pk, status, programme, actor, parent in Action.objects.values_list(
        "pk", "status", "programme__status", "programme__actor__status", "parent__status"
    ):
        expected[Action][pk]["listed"] = status == programme == actor == published and parent in (None, published)
    return expected


def assert_listing_equals_the_rule():
    for model, rows in expected_listing().items():
        names = ["territory_ids", "departement_ids", "sector_ids", "public_ids"]
        if model is not Organisation:
            names.append("listed")
        stored = {pk: dict(zip(names, values, strict=True)) for pk, *values in model.objects.values_list("pk", *names)}
        for pk, values in rows.items():
            got = {name: set(value) if isinstance(value, list) else value for name, value in stored[pk].items()}
            assert got == values, (model.__name__, pk)


@pytest.mark.django_db
def test_stored_listing_columns_equal_the_rule(directory):
    """Every organisation, programme and action of the directory: its stored territories,
    départements, sectors, publics and visibility are what the rule gives — also after
    edits at every level that go through the unit of work (a status, a parent, a term)."""
    assert Action.objects.filter(listed=True).exists()
    assert_listing_equals_the_rule()
    halte = Action.objects.get(slug="halte-garderie-itinerante")
    actor = halte.programme.actor
    actor.status = Status.DRAFT
    actor.save()
    assert not Action.objects.get(pk=halte.pk).listed
    assert_listing_equals_the_rule()
    Organisation.objects.filter(pk=actor.pk).update(status=Status.PUBLISHED)  # a bulk update tells the unit too
    assert Action.objects.get(pk=halte.pk).listed
    child = ActionFactory(programme=halte.programme, parent=halte)
    assert Action.objects.get(pk=child.pk).listed
    Action.objects.filter(pk=halte.pk).update(status=Status.ARCHIVED)
    assert not Action.objects.get(pk=child.pk).listed
    halte.programme.actor.territories.add(Territory.objects.get(key="50"))
    Sector.objects.filter(slug="handicap").first().actions.add(child)
    assert_listing_equals_the_rule()


@pytest.mark.django_db
def test_coverage_is_not_an_edit(directory):
    """Recomputing coverage never touches « modifié le »."""
    halte = Action.objects.get(slug="halte-garderie-itinerante")
    stamp = halte.updated_at
    halte.programme.actor.territories.add(Territory.objects.get(key="50"))
    halte.refresh_from_db()
    assert halte.updated_at == stamp
