"""The admin at 100,000 actors (issue 18): the lists staff work from all day answer in the
same number of queries whatever their length, never count a long list row by row (PostgreSQL's
estimate says « environ 600 000 actions »), search and filter through indexes, and the home's
« À faire » counts stop at a cap. Timings are measured on the 100,000-actor database; here,
what makes them hold."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import common.admin
from actions.models import Action, Programme
from actors.models import Organisation, Status
from common.collation import french_key
from territories.models import Territory, TerritoryKind
from tests.factories import OrganisationFactory, ProgrammeFactory, SectorFactory, bulk_actors

ORGANISATIONS = "admin:actors_organisation_changelist"
PROGRAMMES = "admin:actions_programme_changelist"
ACTIONS = "admin:actions_action_changelist"
CONTRIBUTIONS = "admin:suggestions_suggestion_changelist"


def plain(page):
    """The page's text with its no-break spaces as spaces (« 600 000 »)."""
    return re.sub(r"[\s\u00a0\u202f]+", " ", page)


def counts(queries):
    return [q["sql"] for q in queries if re.search(r"\bCOUNT\(", q["sql"], re.I)]


def analyse():
    """What autovacuum does on a server: the planner's statistics, for its estimates."""
    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE actors_organisation, actions_programme, actions_action, actors_organisation_territories, "
            "actions_programme_effective_territories, actions_action_effective_territories"
        )


@pytest.fixture
def calvados(directory):
    return Territory.objects.get(kind=TerritoryKind.DEPARTEMENT, code="14")


@pytest.mark.django_db
def test_the_lists_ask_as_many_queries_for_many_rows_as_for_few(directory, editor_client, calvados):
    """Every list, filtered, searched or sorted, in a fixed number of queries: nothing is read
    per row, nor per actor of the « acteur » filter."""
    sector = SectorFactory(name="Secteur du test d'échelle")
    requests = [
        (ORGANISATIONS, {}),
        (ORGANISATIONS, {"departement": "14", "status__exact": Status.PUBLISHED}),
        (ORGANISATIONS, {"q": "acteur masse"}),
        (ORGANISATIONS, {"sectors__id__exact": sector.pk}),
        (ORGANISATIONS, {"o": "-1"}),
        (PROGRAMMES, {}),
        (PROGRAMMES, {"departement": "14", "q": "programme"}),
        (PROGRAMMES, {"sectors__id__exact": sector.pk}),
        (ACTIONS, {}),
        (ACTIONS, {"departement": "14"}),
        (ACTIONS, {"q": "action"}),
        (ACTIONS, {"acteur": "acteur masse"}),
        (CONTRIBUTIONS, {}),
    ]

    def measure():
        result = []
        for name, params in requests:
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(reverse(name), params).status_code == 200
            result.append(len(queries))
        return result

    editor_client.get(reverse(ORGANISATIONS))  # the session and permissions, read once
    bulk_actors(3, prefix="petit", places=[calvados], sectors=[sector], actions_per_actor=2)
    few = measure()
    bulk_actors(70, prefix="grand", places=[calvados], sectors=[sector], actions_per_actor=3)
    assert measure() == few


@pytest.mark.django_db
def test_a_long_list_is_estimated_never_counted(directory, editor_client, calvados, monkeypatch):
    """Above ESTIMATE_ABOVE rows (lowered here), no list issues a COUNT: neither of its rows
    nor of the whole table (« … au total »); it says « environ … »."""
    bulk_actors(70, prefix="long", places=[calvados], actions_per_actor=3)
    analyse()
    monkeypatch.setattr(common.admin, "ESTIMATE_ABOVE", 20)
    for name, params, noun in [
        (ACTIONS, {}, "actions"),
        (ACTIONS, {"status__exact": Status.PUBLISHED}, "actions"),
        (ACTIONS, {"departement": "14"}, "actions"),
        (ORGANISATIONS, {}, "organisations"),
        (ORGANISATIONS, {"departement": "14"}, "organisations"),
        (PROGRAMMES, {}, "programmes"),
    ]:
        with CaptureQueriesContext(connection) as queries:
            response = editor_client.get(reverse(name), params)
        assert counts(queries) == [], (name, params)
        cl = response.context["cl"]
        assert cl.paginator.estimated, (name, params)
        assert len(cl.result_list) == cl.list_per_page
        assert re.search(rf"environ \d[\d ]* {noun}", plain(response.content.decode())), (name, params)
    monkeypatch.setattr(common.admin, "ESTIMATE_ABOVE", 10_000)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse(ACTIONS))
    assert len(counts(queries)) == 1, "a short list is counted exactly"
    assert not response.context["cl"].paginator.estimated
    assert f"{Action.objects.count()} actions" in response.content.decode()


@pytest.mark.django_db
def test_the_estimate_is_said_in_french(directory, editor_client, monkeypatch):
    bulk_actors(60, prefix="francais", actions_per_actor=2)
    monkeypatch.setattr(common.admin, "planned_rows", lambda queryset: 600_388)
    response = editor_client.get(reverse(ACTIONS))
    page = plain(response.content.decode())
    assert "environ 600 000 actions" in page
    assert "Sélectionner toute la liste (environ 600 000 actions)" in page
    assert "Toute la liste est sélectionnée (environ 600 000 actions)" in page
    assert "600388" not in page, "an estimate is never given as a count"


@pytest.mark.django_db
def test_a_long_search_is_counted_up_to_the_cap(directory, editor_client, monkeypatch):
    """The planner misjudges how many documents hold a word's beginning: a search is
    counted, up to ESTIMATE_ABOVE rows and one (« plus de … »)."""
    bulk_actors(60, prefix="cherche", actions_per_actor=2)
    monkeypatch.setattr(common.admin, "ESTIMATE_ABOVE", 20)
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.get(reverse(ACTIONS), {"q": "action cherche"})
    assert [sql for sql in counts(queries) if "LIMIT 21" not in sql] == []
    page = plain(response.content.decode())
    assert "plus de 20 résultats" in page and "plus de 20 actions" in page
    monkeypatch.setattr(common.admin, "ESTIMATE_ABOVE", 10_000)
    cl = editor_client.get(reverse(ACTIONS), {"q": "action cherche"}).context["cl"]
    assert not cl.paginator.estimated and cl.result_count == 120


@pytest.mark.django_db
def test_the_last_page_settles_the_count_and_a_page_past_it_is_refused(directory, editor_client, monkeypatch):
    bulk_actors(60, prefix="fin", actions_per_actor=2)
    if Action.objects.count() % 50 == 0:
        bulk_actors(1, prefix="fin-plus")  # a last page that is not full
    total = Action.objects.count()
    last = -(-total // 50)
    monkeypatch.setattr(common.admin, "planned_rows", lambda queryset: 600_388)
    response = editor_client.get(reverse(ACTIONS), {"p": last})
    cl = response.context["cl"]
    assert not cl.paginator.estimated and cl.result_count == total
    assert f"{total} actions" in response.content.decode()
    past = editor_client.get(reverse(ACTIONS), {"p": last + 1})
    assert past.status_code == 302 and past["Location"].endswith("?e=1")


@pytest.mark.django_db
def test_the_departement_filter_keeps_the_public_rule(directory, editor_client, calvados):
    bulk_actors(5, prefix="dep", places=[calvados], actions_per_actor=2)
    for name, model in [(ORGANISATIONS, Organisation), (PROGRAMMES, Programme), (ACTIONS, Action)]:
        for code in ("14", "50"):
            cl = editor_client.get(reverse(name), {"departement": code}).context["cl"]
            assert set(cl.queryset.values_list("pk", flat=True)) == set(
                model.objects.in_departement(code).values_list("pk", flat=True)
            ), (name, code)


@pytest.mark.django_db
def test_the_sector_filter_needs_no_distinct(directory, editor_client):
    sector, other = SectorFactory(name="Secteur filtré"), SectorFactory(name="Autre secteur")
    bulk_actors(4, prefix="sect", sectors=[sector, other], actions_per_actor=2)
    for name, model in [(ORGANISATIONS, Organisation), (PROGRAMMES, Programme), (ACTIONS, Action)]:
        with CaptureQueriesContext(connection) as queries:
            cl = editor_client.get(reverse(name), {"sectors__id__exact": sector.pk}).context["cl"]
        assert not any("DISTINCT" in q["sql"] for q in queries), name
        assert set(cl.queryset) == set(model.objects.filter(sectors=sector)), name
        none = editor_client.get(reverse(name), {"sectors__isnull": "True"}).context["cl"]
        assert set(none.queryset) == set(model.objects.filter(sectors__isnull=True)), name


@pytest.mark.django_db
def test_the_organisation_search_reads_the_names_by_their_index(directory, editor_client):
    wanted = OrganisationFactory(name="Coopérative d'insertion du Bocage", acronym="CIB", siren="732829320")
    OrganisationFactory(name="Association des amis du marais", description="Une coopérative d'insertion.")

    def found(term):
        with CaptureQueriesContext(connection) as queries:
            cl = editor_client.get(reverse(ORGANISATIONS), {"q": term}).context["cl"]
        assert not any("LIKE" in q["sql"] for q in queries), "no LIKE '%…%' over the table"
        return set(cl.queryset)

    for term in ["coopérative", "COOPERATIVE", "coopérat", "insert", "bocage insertion", "cib", "732829320",
                 "732 829 320"]:  # fmt: skip
        assert found(term) == {wanted}, term
    assert found("insertion bayeux") == set()
    assert found("le") == set(), "a search with no significant word finds nothing"


@pytest.mark.django_db
def test_the_actor_filter_of_actions_lists_what_is_typed_not_every_actor(directory, editor_client):
    actors = bulk_actors(30, prefix="filtre", actions_per_actor=2)
    chosen = actors[12]
    response = editor_client.get(reverse(ACTIONS))
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "acteur")
    assert spec.lookup_choices == [], "no actor is listed before one is looked for"
    assert 'name="acteur"' in response.content.decode()

    response = editor_client.get(reverse(ACTIONS), {"acteur": "masse 00012", "status__exact": Status.PUBLISHED})
    spec = next(s for s in response.context["cl"].filter_specs if s.title == "acteur")
    assert [pk for pk, _ in spec.lookup_choices] == [chosen.pk]
    page = response.content.decode()
    assert '<input type="hidden" name="status__exact" value="publie">' in page, "the box keeps the other filters"

    cl = editor_client.get(reverse(ACTIONS), {"programme__actor__id__exact": chosen.pk}).context["cl"]
    assert set(cl.queryset) == set(Action.objects.filter(programme__actor=chosen)) and cl.result_count == 2
    spec = next(s for s in cl.filter_specs if s.title == "acteur")
    assert [pk for pk, _ in spec.lookup_choices] == [chosen.pk], "the chosen actor stays shown"


@pytest.mark.django_db
def test_only_the_columns_an_index_sorts_are_sorted(directory, editor_client):
    bulk_actors(5, prefix="tri")
    cl = editor_client.get(reverse(ORGANISATIONS), {"o": "-1"}).context["cl"]
    keys = [french_key(o.name)[0] for o in cl.result_list]
    assert keys == sorted(keys, reverse=True), "Z → A, in French order"
    sql = str(cl.queryset.query)
    assert sql.count("french_key") == 1 and re.search(r'"name"( COLLATE "C")? DESC', sql), (
        "the French key and the name itself, as the index holds them"
    )
    assert cl.sortable_by == ["name_and_acronym", "updated"]
    by_status = editor_client.get(reverse(ORGANISATIONS), {"o": "3"}).context["cl"]
    assert "o" not in by_status.params, "a column outside sortable_by is not sorted (no index)"
    assert [o.pk for o in by_status.result_list] == [
        o.pk for o in editor_client.get(reverse(ORGANISATIONS)).context["cl"].result_list
    ]
    actions = editor_client.get(reverse(ACTIONS)).context["cl"]
    keys = [french_key(a.title)[0] for a in actions.result_list]
    assert keys == sorted(keys), "actions by title, as the public list"


@pytest.mark.django_db
def test_the_todo_counts_stop_at_the_cap(directory, editor_client, monkeypatch):
    monkeypatch.setattr(common.admin, "DASHBOARD_CAP", 2)
    ProgrammeFactory.create_batch(3, status=Status.DRAFT)
    with CaptureQueriesContext(connection) as queries:
        page = editor_client.get(reverse("admin:index")).content.decode()
    todo = plain(re.sub(r"<[^>]+>", " ", re.search(r'id="a-faire">(.*?)</table>', page, re.S).group(1)))
    assert "plus de 2 programmes en brouillon" in todo
    assert all("LIMIT 3" in sql for sql in counts(queries)), "each count reads at most the cap and one"
