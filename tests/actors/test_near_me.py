"""Every result says where it is; near a place, the most local and the nearest first
(actors/nearby.py, actors/filters.py)."""

from decimal import Decimal

import pytest

from territories.models import Territory
from territories.resolver import Catalogue
from tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def fresh_catalogue():
    Catalogue.forget()
    yield
    Catalogue.forget()


@pytest.fixture
def around_lisieux(directory):
    t = {key: Territory.objects.get(key=key) for key in ("14366", "14", "50", "region-25", "14118")}
    Territory.objects.filter(pk=t["14366"].pk).update(latitude=Decimal("49.1466"), longitude=Decimal("0.2266"))
    return {
        "far-commune": OrganisationFactory(slug="far", name="A loin", territories=[t["14366"]],
                                           latitude=Decimal("49.30"), longitude=Decimal("0.60")),
        "near-commune": OrganisationFactory(slug="near", name="B près", territories=[t["14366"]], commune=t["14366"],
                                            latitude=Decimal("49.15"), longitude=Decimal("0.23")),
        "departement": OrganisationFactory(slug="dep", name="C Calvados", territories=[t["14"]], commune=t["14118"],
                                           latitude=Decimal("49.18"), longitude=Decimal("-0.37")),
        "two": OrganisationFactory(slug="two", name="D deux", territories=[t["14"], t["50"]]),
        "region": OrganisationFactory(slug="region", name="E région", territories=[t["region-25"]]),
    }  # fmt: skip


def cards(client, params):
    response = client.get("/acteurs/", params)
    assert response.status_code == 200, response.content[:400]
    return response, [a for a in response.context["page_obj"].object_list if a.slug in
                      ("far", "near", "dep", "two", "region")]  # fmt: skip


@pytest.mark.django_db
def test_in_the_commune_first_nearest_first_then_departement_then_region(around_lisieux, client):
    response, found = cards(client, {"commune": "Lisieux"})
    slugs = [a.slug for a in found]
    assert slugs[:2] == ["near", "far"], "in the commune, the nearest first"
    assert slugs.index("dep") < slugs.index("region") and slugs.index("two") < slugs.index("region")
    assert slugs.index("dep") < slugs.index("two"), "département-wide: the one with a position (nearer) first"
    assert "les plus proches d'abord" in response.content.decode()


@pytest.mark.django_db
def test_every_card_says_where(around_lisieux, client):
    response, found = cards(client, {"commune": "14100"})
    where = {a.slug: (a.where, a.distance_km) for a in found}
    assert where["near"] == ("Lisieux", 0)
    assert where["far"][0] == "Intervient à Lisieux" and where["far"][1] > 20
    assert where["dep"][0] == "Caen"
    assert where["two"] == ("Intervient dans tout le Calvados et toute la Manche", None)
    assert where["region"] == ("Intervient dans toute la région", None)
    # Without a place: still where, no distance.
    response = client.get("/acteurs/")
    shown = {a.slug: (a.where, a.distance_km) for a in response.context["page_obj"].paginator.object_list[:50]
             if hasattr(a, "where")}  # fmt: skip
    page = response.content.decode()
    assert "Intervient dans toute la région" in page and "à 1 km" not in page and shown is not None


@pytest.mark.django_db
def test_a_name_several_communes_start_with_offers_each_and_keeps_the_other_filters(directory, client):
    response = client.get("/acteurs/", {"commune": "Saint-Pierre", "secteur": "handicap"})
    assert response.status_code == 400
    choices = response.context["commune_choices"]
    assert len(choices) > 3
    names = [c.name for c, _ in choices]
    assert "Saint-Pierre-en-Auge" in names
    link = dict((c.name, url) for c, url in choices)["Saint-Pierre-en-Auge"]
    assert "secteur=handicap" in link
    assert client.get("/acteurs/" + link).status_code == 200
    # The other filters stay on the page beside the message.
    assert [facet.name for facet in response.context["facets"]] == ["departement", "secteur", "famille", "public"]


@pytest.mark.django_db
def test_st_lo_is_saint_lo_and_a_typo_is_asked(directory, client):
    response = client.get("/acteurs/", {"commune": "St-Lô"})
    assert response.status_code == 200 and response.context["near_commune"].name == "Saint-Lô"
    response = client.get("/acteurs/", {"commune": "St Lo"})
    assert response.context["near_commune"].name == "Saint-Lô"
    response = client.get("/acteurs/", {"commune": "Sant-Lo"})
    assert response.status_code == 400
    assert "Vouliez-vous dire « Saint-Lô »" in response.context["form"].errors["commune"][0]
    assert "Saint-Lô" in [c.name for c, _ in response.context["commune_choices"]]


@pytest.mark.django_db
def test_the_map_of_a_postcode_asks_the_api_for_the_same_communes(around_lisieux, client):
    response = client.get("/acteurs/carte/", {"commune": "14100"})
    url = response.context["geojson_url"]
    assert "code_postal=14100" in url and "commune=" not in url
    data = client.get(url).json()
    assert {"near", "far"} <= {f["properties"]["slug"] for f in data["features"]} or data["groupes"]
    listed = {a.pk for a in response.context["page_obj"].paginator.object_list.filter(latitude__isnull=False)}
    assert data["count"] == len(listed), "the map's points are the list's placed actors"
    # A commune typed as a name: its INSEE code; a département: ?departement=.
    assert "commune=14366" in client.get("/acteurs/carte/", {"commune": "Lisieux"}).context["geojson_url"]
    calvados = client.get("/acteurs/carte/", {"commune": "Calvados"})
    assert "departement=14" in calvados.context["geojson_url"]
    assert calvados.context["map_view"]["zoom"] == 9


@pytest.mark.django_db
def test_the_map_of_a_postcode_shows_all_its_communes(directory, client):
    response = client.get("/acteurs/carte/", {"commune": "14100"})
    west, south, east, north = map(float, response.context["map_view"]["bbox"].split(","))
    for commune in response.context["near"].communes:
        if commune.latitude is not None:
            assert west < float(commune.longitude) < east and south < float(commune.latitude) < north, commune.name
    assert client.get("/acteurs/carte/", {"commune": "Lisieux"}).context["map_view"]["zoom"] == 12
