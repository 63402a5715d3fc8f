"""Every public page runs at most 10 SQL queries for a visitor, and the count does not
grow with the data: measured at two sizes (the real content plus 5, then plus 200 actors,
each with a programme, two actions, a partner, sectors and territories)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Sector, Territory
from tests.factories import ActionFactory, OrganisationFactory, PartnershipFactory, ProgrammeFactory

BUDGET = 10

PAGES = {
    "home": "/",
    "actor list": "/acteurs/",
    "actor list, filtered": "/acteurs/?departement=14&secteur=petite-enfance&famille=mutuelle&public=jeunes-enfants-et-familles&q=calvados&tri=nom",
    "actor list, last page": "/acteurs/?page=999",
    "actor profile": "/acteurs/mutualite-francaise-du-calvados/",
    "action list": "/actions/",
    "action list, filtered": "/actions/?departement=14&secteur=petite-enfance&public=jeunes-enfants-et-familles&acteur=mutualite-francaise-du-calvados&annee=2008&q=garderie",
    "action detail": "/actions/halte-garderie-itinerante/",
    "programme detail": "/actions/programmes/coorace-programme-d-actions/",
    "event detail": "/actions/evenements/journee-d-echanges-paris-29-novembre/",
    "territory list": "/territoires/",
    "département": "/territoires/14/",
    "historic commune": "/territoires/14371-deleguee/",
    "sector": "/secteurs/petite-enfance/",
    "partner": "/partenaires/caisse-d-allocations-familiales/",
    "search": "/recherche/?q=calvados",
    "not found": "/acteurs/inconnu/",
}


def grow(count):
    """Adds ``count`` published actors with everything a page may show about them."""
    sectors = list(Sector.objects.all()[:3])
    places = list(Territory.objects.filter(key__in=["14", "14478", "14371-deleguee", "region-25"]))
    for i in range(count):
        actor = OrganisationFactory(sectors=sectors, territories=places[i % 4 : i % 4 + 1])
        programme = ProgrammeFactory(actor=actor, sectors=sectors[:1], territories=places[:1])
        for _ in range(2):
            ActionFactory(programme=programme, sectors=sectors[1:2], territories=places[1:3])
        PartnershipFactory(programme=programme)


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.django_db
def test_query_count_is_bounded_and_does_not_grow(directory, client):
    grow(5)
    small = {name: queries(client, url) for name, url in PAGES.items()}
    grow(195)
    large = {name: queries(client, url) for name, url in PAGES.items()}
    for name in PAGES:
        assert small[name] <= BUDGET, f"{name}: {small[name]} requêtes"
        assert large[name] == small[name], f"{name}: {small[name]} puis {large[name]} requêtes"
    print("\nRequêtes par page :", small)


@pytest.mark.django_db
def test_staff_pages_cost_only_the_session_and_user(directory, editor_client, client):
    grow(5)
    for url in (PAGES["actor profile"], PAGES["actor list"]):
        assert queries(editor_client, url) <= queries(client, url) + 2
