"""Every public page, API list, export, feed and sitemap runs a fixed number of SQL
queries for a visitor, the same with few or many organisations: measured at two sizes
(the real content plus 5, then plus 300 actors, each with a programme, two actions, a
partner, sectors and territories). The counts are the README's table.

Each count guards against an N+1: a query per card, per facet choice, per territory, per
partner or per row of an export would make the second size differ from the first."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.models import Organisation, Sector
from territories.models import Territory
from tests.factories import PartnerFactory, bulk_actors

# A list's cards say where each item is (actors/nearby.py): the directory's départements
# (read once per content version; counted here, cold) and, for items working in communes
# only, their names (one query).
PAGES = {
    "home": ("/", 8),
    "actor list": ("/acteurs/", 8),
    "actor list, filtered": ("/acteurs/?departement=14&secteur=petite-enfance&famille=mutuelle"
                             "&public=jeunes-enfants-et-familles&q=calvados&tri=nom", 12),
    "actor list, by commune": ("/acteurs/?commune=14371", 15),
    "actor list, last page": ("/acteurs/?page=999", 8),
    "actor map": ("/acteurs/carte/?departement=14", 9),  # + the département's centre, where the map opens
    "actor map data": ("/api/v1/acteurs/?format=geojson&bbox=-2,48,1,50&zoom=8", 3),
    # a full page is counted (one more query); a first page that is not full is not
    "GeoJSON, full page": ("/api/v1/acteurs/?format=geojson&page_size=2&page=2", 4),
    "open data": ("/donnees/", 0),
    "commune suggestions": ("/acteurs/communes/?q=orb", 1),
    "actor list, postcode": ("/acteurs/?commune=50100", 15),
    "actor profile": ("/acteurs/mutualite-francaise-du-calvados/", 12),  # + the successions of its partners
    "action list": ("/actions/", 11),
    "action list, by commune": ("/actions/?commune=14371", 18),
    "action list, filtered": ("/actions/?departement=14&secteur=petite-enfance&public=jeunes-enfants-et-familles"
                              "&acteur=mutualite-francaise-du-calvados&annee=2008&q=garderie", 17),
    "action detail": ("/actions/halte-garderie-itinerante/", 6),
    "programme detail": ("/actions/programmes/coorace-programme-d-actions/", 8),
    "event detail": ("/actions/evenements/journee-d-echanges-paris-29-novembre/", 3),
    "partner list": ("/partenaires/", 3),  # + the successions (actors/successors.py), read once
    "partner": ("/partenaires/caisse-d-allocations-familiales/", 4),
    "territory list": ("/territoires/", 7),
    "département": ("/territoires/14/", 16),
    "commune": ("/territoires/14118/", 15),
    "historic commune": ("/territoires/14371-deleguee/", 18),
    "sector": ("/secteurs/petite-enfance/", 9),
    "search": ("/recherche/?q=calvados&lecture=mots", 13),
    # a 404 first looks for a slug the actor once had, then for a merge: 2 more
    "not found": ("/acteurs/inconnu/", 3),
    "report a mistake": ("/acteurs/uraf/signaler/", 1),
    "list your organisation": ("/referencer/", 1),
    "API actors": ("/api/v1/acteurs/", 6),
    "API actors, filtered": ("/api/v1/acteurs/?departement=14&secteur=petite-enfance", 7),
    "API actions": ("/api/v1/actions/", 9),
    "API programmes": ("/api/v1/programmes/", 6),
    "data·inclusion structures": ("/api/v1/data-inclusion/structures/", 2),  # the count, the page
    "data·inclusion services": ("/api/v1/data-inclusion/services/", 7),
    "datapackage.json": ("/donnees/datapackage.json", 0),
    "DCAT catalogue": ("/donnees/catalogue.jsonld", 0),
    "feed": ("/flux/", 4),
    "sitemap index": ("/sitemap.xml", 10),
    "sitemap page": ("/sitemap-actions.xml", 2),
    # Issue 24: the embeds are the actor list's views without facets, plus the count of
    # the display (one upsert); never from the page cache, so always this cold cost.
    "embed builder": ("/integrer/?commune=Lisieux&secteur=petite-enfance&vue=carte&nombre=5", 3),
    "embedded list": ("/integrer/liste/?departement=14&nombre=10", 9),
    "embedded list, by commune": ("/integrer/liste/?commune=14371&nombre=10", 10),
    "embedded map": ("/integrer/carte/?departement=14&secteur=petite-enfance", 8),
}  # fmt: skip


def grow(count, prefix):
    sectors = list(Sector.objects.order_by("slug")[:3])
    places = list(Territory.objects.filter(key__in=["14", "14478", "14371-deleguee", "region-25"]))
    bulk_actors(count, prefix=prefix, places=places, sectors=sectors, actions_per_actor=2, partner=PartnerFactory(),
                network=PartnerFactory())  # fmt: skip
    # Placed: the GeoJSON's features, with their records.
    Organisation.objects.filter(slug__startswith=prefix).update(latitude=49.1, longitude=-0.3)


def queries(client, url):
    """Queries of one cold request (nothing cached: counts and facets are computed)."""
    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code in (200, 404), (url, response.status_code)
    return len(context.captured_queries)


@pytest.mark.django_db
def test_query_count_is_fixed_and_does_not_grow(directory, client):
    grow(5, "petit")
    small = {name: queries(client, url) for name, (url, _) in PAGES.items()}
    grow(300, "grand")
    large = {name: queries(client, url) for name, (url, _) in PAGES.items()}
    print("\nRequêtes par page :", small)
    assert small == {name: expected for name, (_, expected) in PAGES.items()}
    assert large == small


@pytest.mark.django_db
def test_staff_pages_cost_only_the_session_and_user(directory, editor_client, client):
    for name in ("actor profile", "actor list"):
        url = PAGES[name][0]
        assert queries(editor_client, url) <= queries(client, url) + 2
