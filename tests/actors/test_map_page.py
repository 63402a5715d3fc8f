"""/acteurs/carte/ follows the visitor (issue 19): the map opens on the area the list is
limited to, else on the chosen commune, else on the chosen département; « Rechercher
dans cette zone » (``?bbox=``) narrows the list below, which stays the map's accessible
twin; popups get their place and presentation from the GeoJSON; the page may ask for
the visitor's position, the other pages may not. The browser side is
tests/e2e/test_map_journey.py."""

from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.core.cache import cache

from actors import api
from actors.models import Organisation
from territories.models import Territory
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ORBEC = {"latitude": Decimal("49.023000"), "longitude": Decimal("0.404000")}
CALVADOS = {"latitude": Decimal("49.090000"), "longitude": Decimal("-0.360000")}
EAST_OF_ORBEC = "0.45,48.9,0.7,49.1"  # ouest,sud,est,nord


class Elements(HTMLParser):
    """The page's elements in order: (tag, attributes), and each id's position."""

    def __init__(self, html):
        super().__init__()
        self.elements = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def by_id(self, ident):
        return next(attrs for _, attrs in self.elements if attrs.get("id") == ident)

    def index(self, **wanted):
        return next(
            i for i, (_, attrs) in enumerate(self.elements) if all(attrs.get(k) == v for k, v in wanted.items())
        )


def page(client, **params):
    response = client.get("/acteurs/carte/", params)
    return response, response.content.decode(), Elements(response.content.decode())


@pytest.fixture
def places(directory):
    """Orbec and the Calvados with their centres, the Manche without one."""
    Territory.objects.filter(key="14478").update(**ORBEC)
    Territory.objects.filter(key="14").update(**CALVADOS)
    Territory.objects.filter(key="50").update(latitude=None, longitude=None)
    return {key: Territory.objects.get(key=key) for key in ("14478", "14", "50", "61")}


@pytest.fixture
def around_orbec(places):
    """Three actors working in Orbec: in the town, 11 km east, 11 km west; one more
    without a position."""
    orbec = places["14478"]
    return {
        "town": OrganisationFactory(name="Épicerie d'Orbec", slug="epicerie-orbec", territories=[orbec],
                                    commune=orbec, latitude=Decimal("49.0250"), longitude=Decimal("0.4040")),
        "east": OrganisationFactory(name="Recyclerie de l'Est", slug="recyclerie-est", territories=[orbec],
                                    latitude=Decimal("49.0250"), longitude=Decimal("0.5500")),
        "west": OrganisationFactory(name="Jardin de l'Ouest", slug="jardin-ouest", territories=[orbec],
                                    latitude=Decimal("49.0250"), longitude=Decimal("0.2500")),
        "nowhere": OrganisationFactory(name="Sans adresse", slug="sans-adresse", territories=[orbec]),
    }  # fmt: skip


def listed(response):
    return {actor.slug for actor in response.context["page_obj"].object_list}


# --- where the map opens
def test_the_map_opens_on_the_chosen_commune(places, client):
    response, _, html = page(client, commune="Orbec")
    assert response.status_code == 200
    assert response.context["map_view"] == {"lat": "49.023000", "lon": "0.404000", "zoom": 12}
    box = html.by_id("carte")
    assert (box["data-lat"], box["data-lon"], box["data-zoom"]) == ("49.023000", "0.404000", "12")
    assert "data-bbox" not in box


def test_the_map_opens_on_the_chosen_departement(places, client):
    _, _, html = page(client, departement="14")
    box = html.by_id("carte")
    assert (box["data-lat"], box["data-lon"], box["data-zoom"]) == ("49.090000", "-0.360000", "9")


def test_a_commune_without_a_centre_gives_way_to_the_departement(places, client):
    Territory.objects.filter(key="14478").update(latitude=None, longitude=None)
    _, _, html = page(client, commune="Orbec", departement="14")
    assert html.by_id("carte")["data-zoom"] == "9"


@pytest.mark.parametrize("params", [{}, {"famille": "mutuelle"}, {"departement": "50"}, {"secteur": "inconnu"}])
def test_without_a_placed_place_the_map_fits_its_markers(places, client, params):
    """No centre (none chosen, the Manche's unknown, or a filter in error): the script
    fits the markers, as before."""
    response, _, html = page(client, **params)
    box = html.by_id("carte")
    assert not {"data-lat", "data-lon", "data-zoom", "data-bbox"} & set(box), params
    assert response.context["map_view"] == {}


# --- « Rechercher dans cette zone »: the list is limited to the map's area
def test_the_area_narrows_the_list_below_the_map(around_orbec, client):
    whole, _, _ = page(client, commune="Orbec")
    assert {"epicerie-orbec", "recyclerie-est", "jardin-ouest", "sans-adresse"} <= listed(whole)
    assert "Liste limitée à la zone de la carte" not in whole.content.decode()

    response, text, html = page(client, commune="Orbec", bbox=EAST_OF_ORBEC, page="1")
    assert response.status_code == 200
    assert listed(response) == {"recyclerie-est"}
    assert response.context["page_obj"].paginator.count == 1
    assert "1 acteur<" in text
    assert html.by_id("carte")["data-bbox"] == "0.45000,48.90000,0.70000,49.10000"
    assert "data-lat" not in html.by_id("carte"), "the area wins over the commune: map and list agree"
    notice = text.split('class="notice map-area-notice"')[1].split("</div>")[0]
    assert "Liste limitée à la zone de la carte" in notice
    assert 'href="?commune=Orbec"' in notice, "the link removes the area and keeps the other filters"
    assert "(zone de la carte)" in text.split("<title>")[1].split("</title>")[0]
    assert 'href="/acteurs/?commune=Orbec">Voir en liste</a>' in text, "the list page would not say so"


def test_the_list_is_the_map_s_twin_in_the_area(around_orbec, client):
    """Same filters, same area: the list holds what the map's GeoJSON places."""
    response, _, _ = page(client, commune="Orbec", bbox="0.3,48.9,0.7,49.1")
    geojson = client.get("/api/v1/acteurs/", {"commune": "Orbec", "bbox": "0.3,48.9,0.7,49.1", "format": "geojson"})
    assert listed(response) == {f["properties"]["slug"] for f in geojson.json()["features"]}
    assert listed(response) == {"epicerie-orbec", "recyclerie-est"}


def test_an_empty_area_says_so_and_offers_the_whole_list(around_orbec, client):
    _, text, _ = page(client, departement="14", bbox="-1.9,49.6,-1.5,49.7")
    assert "Aucun acteur ne correspond à ces critères dans cette zone." in text
    assert '<a href="?departement=14">Retirer la limite de la zone</a>' in text


def test_without_other_filters_removing_the_area_leads_to_the_whole_map(around_orbec, client):
    _, text, _ = page(client, bbox=EAST_OF_ORBEC)
    assert '<a href="/acteurs/carte/">Retirer la limite de la zone</a>' in text


def test_a_malformed_area_is_a_clear_error(places, client):
    response, text, _ = page(client, bbox="est,nord")
    assert response.status_code == 400
    assert "La zone doit être « ouest,sud,est,nord » en degrés." in text.replace("&#x27;", "'")
    assert "Liste limitée à la zone de la carte" not in text


# --- accessibility: the skip link, the map's name, the buttons
def test_a_skip_link_before_the_map_leads_to_the_list(places, client):
    _, text, html = page(client, departement="14")
    box = html.by_id("carte")
    assert box["role"] == "region" and box["aria-label"] == "Carte des acteurs"
    skip = html.index(href="#liste-resultats")
    assert skip < html.index(id="carte") < html.index(id="liste-resultats")
    assert ">Passer la carte et aller à la liste</a>" in text
    the_list = text.split('id="liste-resultats"')[1]
    assert 'id="nombre-resultats"' in the_list and "data-result" in the_list, "the count and the cards"


def test_the_map_s_buttons_are_buttons_hidden_until_the_script_shows_them(places, client):
    _, text, html = page(client)
    for ident, label in (("carte-zone", "Rechercher dans cette zone"), ("carte-autour", "Autour de moi")):
        attributes = html.by_id(ident)
        assert html.elements[html.index(id=ident)][0] == "button" and attributes["type"] == "button"
        assert f'id="{ident}"' in text and f">{label}</button>" in text
    assert "hidden" in html.by_id("carte-zone"), "shown once the visitor moves the map"
    assert "hidden" in html.by_id("carte-autour-bloc"), "shown where the browser can locate"
    privacy = html.by_id("carte-autour")["aria-describedby"]
    note = text.split(f'id="{privacy}">')[1].split("</p>")[0]
    assert "ni enregistrée ni envoyée" in note


def test_only_the_map_page_may_ask_for_the_visitor_s_position(places, client):
    policy = client.get("/acteurs/carte/")["Permissions-Policy"]
    assert "geolocation=(self)" in policy and "camera=()" in policy and "microphone=()" in policy
    assert "geolocation=()" in client.get("/acteurs/")["Permissions-Policy"]


# --- what popups show, from the GeoJSON
def test_popups_get_the_place_and_a_one_line_presentation(places, client):
    OrganisationFactory(name="Dans Orbec", slug="dans-orbec", commune=places["14478"], territories=[places["14"]],
                        latitude=Decimal("49.02"), longitude=Decimal("0.40"), summary="Court.")
    OrganisationFactory(name="Deux départements", slug="deux-departements", territories=[places["50"], places["14"]],
                        latitude=Decimal("49.1"), longitude=Decimal("-0.3"),
                        summary="Une présentation\nsur deux lignes, " + "très " * 40 + "longue.")
    OrganisationFactory(name="Partout", slug="partout", latitude=Decimal("49.2"), longitude=Decimal("-0.2"),
                        territories=[places["14"], places["50"], places["61"], places["14478"]], summary="")
    OrganisationFactory(name="Nulle part", slug="nulle-part", latitude=Decimal("49.3"), longitude=Decimal("-0.1"))
    data = client.get("/api/v1/acteurs/", {"format": "geojson"}).json()
    popups = {f["properties"]["slug"]: f["properties"] for f in data["features"]}

    assert (popups["dans-orbec"]["lieu"], popups["dans-orbec"]["commune"]) == ("Orbec", "Orbec")
    assert popups["dans-orbec"]["presentation"] == "Court."
    assert popups["deux-departements"]["lieu"] == "Intervient dans tout le Calvados et toute la Manche"
    presentation = popups["deux-departements"]["presentation"]
    assert len(presentation) == api.MAP_SUMMARY_CHARS and presentation.endswith("…")
    assert presentation.startswith("Une présentation sur deux lignes, très") and "\n" not in presentation
    assert popups["partout"]["lieu"] == "Intervient dans tout le Calvados, toute la Manche et toute l'Orne", (
        "as its card says (actors.nearby.coverage_phrase)"
    )
    assert (popups["partout"]["presentation"], popups["nulle-part"]["lieu"]) == (None, None)
    assert popups["partout"]["url"] == "http://testserver/acteurs/partout/"


def test_a_lone_actor_among_groups_has_its_popup_too(places, client, monkeypatch):
    """Past the limit, actors are grouped; a cell of one is that actor, with what its
    popup shows."""
    monkeypatch.setattr(api, "MAP_FEATURES", 1)
    OrganisationFactory(name="Ici", slug="ici", territories=[places["14"]], summary="Ici.",
                        latitude=Decimal("49.02"), longitude=Decimal("0.40"))
    OrganisationFactory(name="Là", slug="la", territories=[places["14"]],
                        latitude=Decimal("49.02"), longitude=Decimal("0.41"))
    OrganisationFactory(name="Loin", slug="loin", commune=places["14478"], summary="Loin.",
                        latitude=Decimal("48.60"), longitude=Decimal("-1.50"))
    data = client.get("/api/v1/acteurs/", {"format": "geojson", "zoom": "8"}).json()
    assert data["groupes"] is True and data["count"] == 3
    (group,) = [f["properties"] for f in data["features"] if "nombre" in f["properties"]]
    (alone,) = [f for f in data["features"] if "slug" in f["properties"]]
    assert group == {"nombre": 2}
    assert alone["geometry"]["coordinates"] == [-1.5, 48.6]
    assert {k: alone["properties"][k] for k in ("slug", "nom", "lieu", "presentation")} == {
        "slug": "loin", "nom": "Loin", "lieu": "Orbec", "presentation": "Loin."
    }  # fmt: skip


def test_the_map_data_reads_the_popups_in_one_query_at_any_size(places, client, django_assert_num_queries):
    """The place of an actor without a commune is read in the features' query, not one
    query per actor: three queries (the filter set's vocabularies, the features, the
    directory's départements that name where it works) with one actor and with forty."""
    for size in (1, 40):
        while Organisation.objects.filter(slug__startswith="place-").count() < size:
            n = Organisation.objects.filter(slug__startswith="place-").count()
            OrganisationFactory(slug=f"place-{n}", territories=[places["14"], places["50"]],
                                latitude=Decimal("49.0") + Decimal(n) / 100, longitude=Decimal("-0.5"))
        cache.clear()  # cold: the départements are read too
        with django_assert_num_queries(3):
            data = client.get("/api/v1/acteurs/", {"format": "geojson", "bbox": "-1,48,1,50"}).json()
        assert len(data["features"]) == size
        assert {f["properties"]["lieu"] for f in data["features"]} == {
            "Intervient dans tout le Calvados et toute la Manche"
        }  # fmt: skip


def test_the_facets_of_a_map_area_count_that_area(places, client):
    OrganisationFactory(name="Ici", slug="ici-zone", territories=[places["14"]], latitude=Decimal("49.02"),
                        longitude=Decimal("0.40"))
    OrganisationFactory(name="Loin", slug="loin-zone", territories=[places["14"]], latitude=Decimal("48.60"),
                        longitude=Decimal("-1.50"))
    response = client.get("/acteurs/carte/", {"bbox": "0.3,48.9,0.5,49.1"})
    departement = next(f for f in response.context["facets"] if f.name == "departement")
    assert {c.value: c.count for c in departement.choices}["14"] == response.context["page_obj"].paginator.count == 1
    assert response.context["chips"] == [], "the page says the area otherwise"


def test_the_filter_form_keeps_the_map_area(places, client):
    page = client.get("/acteurs/carte/", {"bbox": "0.3,48.9,0.5,49.1"}).content.decode()
    assert '<input type="hidden" name="bbox" value="0.3,48.9,0.5,49.1">' in page
    assert 'name="bbox"' not in client.get("/acteurs/carte/").content.decode()
