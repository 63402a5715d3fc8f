"""The search page narrowed to a département (``?departement=``) and to a kind
(``?type=``), and its « Voir les N … » links, which keep the query and lead to a list
that applies it."""

import re
from html import unescape

import pytest

from cress.search_results import LIMIT
from territories.models import Territory
from tests.factories import OrganisationFactory, ProgrammeFactory


@pytest.fixture
def zinzolin(directory):
    """« zinzolin » in the Calvados (an actor and more programmes than the page shows)
    and in the Manche (one programme)."""
    calvados, manche = Territory.objects.get(key="14"), Territory.objects.get(key="50")
    actor = OrganisationFactory(name="Atelier zinzolin", territories=[calvados])
    for i in range(LIMIT + 2):
        ProgrammeFactory(actor=actor, title=f"Teinture zinzolin {i}", territories=[calvados])
    ProgrammeFactory(actor=actor, title="Teinture zinzolin de la Manche", territories=[manche])


def groups(response):
    return {group.label: group.count for group in response.context["groups"]}


@pytest.mark.django_db
def test_departement_narrows_every_group(zinzolin, client):
    assert groups(client.get("/recherche/", {"q": "zinzolin"})) == {"Acteurs": 1, "Programmes": LIMIT + 3}
    response = client.get("/recherche/", {"q": "zinzolin", "departement": "50"})
    assert groups(response) == {"Programmes": 1}
    page = response.content.decode()
    assert "1 résultat pour « zinzolin » dans le département de la Manche" in page
    assert re.search(r'<a href="[^"]*departement=50[^"]*" aria-current="page">Manche</a>', page)
    assert groups(client.get("/recherche/", {"q": "zinzolin", "departement": "61"})) == {}


@pytest.mark.django_db
def test_type_narrows_to_one_group(zinzolin, client):
    response = client.get("/recherche/", {"q": "zinzolin", "type": "acteurs"})
    assert groups(response) == {"Acteurs": 1}
    page = response.content.decode()
    assert "Programmes (" not in page
    assert re.search(r'<a href="[^"]*type=acteurs[^"]*" aria-current="page">Acteurs</a>', page)
    both = client.get("/recherche/", {"q": "zinzolin", "type": "programmes", "departement": "50"})
    assert groups(both) == {"Programmes": 1}


@pytest.mark.django_db
@pytest.mark.parametrize("narrowing", [{"departement": "75"}, {"type": "evenements"}, {"departement": ""}])
def test_values_the_page_does_not_offer_are_ignored(zinzolin, client, narrowing):
    response = client.get("/recherche/", {"q": "zinzolin", **narrowing})
    assert response.status_code == 200
    assert groups(response) == {"Acteurs": 1, "Programmes": LIMIT + 3}


@pytest.mark.django_db
@pytest.mark.parametrize(("narrowing", "expected"), [({}, LIMIT + 3), ({"departement": "14"}, LIMIT + 2)])
def test_see_all_programmes_keeps_the_query_and_the_list_counts_the_same(zinzolin, client, narrowing, expected):
    page = client.get("/recherche/", {"q": "zinzolin", **narrowing}).content.decode()
    link = re.search(r'<a href="([^"]*)">Voir les (\d+) programmes</a>', page)
    assert link, "the programmes' group links to their list"
    url, count = unescape(link.group(1)), int(link.group(2))
    assert count == expected
    assert url.startswith("/actions/programmes/?") and "q=zinzolin" in url
    assert ("departement=14" in url) == bool(narrowing)
    listed = client.get(url)
    assert listed.status_code == 200
    assert listed.context["page_obj"].paginator.count == count
    assert all("zinzolin" in p.title for p in listed.context["page_obj"].object_list)


@pytest.mark.django_db
def test_see_all_actors_and_actions_keep_the_departement(zinzolin, client):
    response = client.get("/recherche/", {"q": "zinzolin", "departement": "14"})
    actors = next(g for g in response.context["groups"] if g.label == "Acteurs")
    assert actors.more_url == "/acteurs/?q=zinzolin&departement=14"


@pytest.mark.django_db
def test_narrowing_costs_one_query_at_most(zinzolin, client):
    """The département is read once for every group (not once per group); one kind is
    searched alone."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(**narrowing):
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            assert client.get("/recherche/", {"q": "zinzolin", **narrowing}).status_code == 200
        return len(context.captured_queries)

    plain = queries()
    assert queries(departement="14") == plain + 1
    assert queries(type="acteurs") < plain
