"""The actors' GeoJSON whole: valid RFC 7946 (geojson-pydantic), each feature with its id
and the full public record, every feature of an area reachable by following ``next``
(paged as the list is), ``Accept: application/geo+json`` honoured, and a place for every
actor that has one."""

from decimal import Decimal

import pytest
from geojson_pydantic import FeatureCollection

from actors import public_record
from actors.models import Organisation
from territories.models import Territory
from tests.factories import OrganisationFactory

GEOJSON = "application/geo+json"


@pytest.fixture
def placed(directory):
    """Seven placed actors: in Orbec (its address), covering the Calvados, covering two
    communes, covering nothing; and the real ones (none of them placed)."""
    orbec, calvados = Territory.objects.get(key="14478"), Territory.objects.get(key="14")
    frenouville = Territory.objects.get(key="14287")
    made = [
        OrganisationFactory(slug="g-orbec", commune=orbec, postcode="14290", territories=[orbec],
                            latitude=Decimal("49.02"), longitude=Decimal("0.40")),
        OrganisationFactory(slug="g-calvados", territories=[calvados], latitude=Decimal("49.1"), longitude=Decimal("-0.3")),
        OrganisationFactory(slug="g-deux-communes", territories=[orbec, frenouville],
                            latitude=Decimal("49.15"), longitude=Decimal("-0.25")),
        OrganisationFactory(slug="g-nulle-part", latitude=Decimal("49.2"), longitude=Decimal("-0.2")),
    ]  # fmt: skip
    made += [OrganisationFactory(slug=f"g-autre-{n}", territories=[calvados], latitude=Decimal("48.9") + n / Decimal(10),
                                 longitude=Decimal("-0.5")) for n in range(3)]  # fmt: skip
    return {o.slug for o in made}


def all_placed():
    return set(Organisation.objects.actors().published().filter(latitude__isnull=False).values_list("slug", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"departement": "14"}, {"commune": "Orbec"}, {"bbox": "0.3,48.9,0.5,49.1"},
                                    {"page_size": "3", "page": "2"}, {"zoom": "8"}])  # fmt: skip
def test_the_geojson_is_valid_rfc_7946(placed, client, params):
    response = client.get("/api/v1/acteurs/", {**params, "format": "geojson"})
    assert response.status_code == 200 and response["Content-Type"].startswith(GEOJSON)
    collection = FeatureCollection.model_validate(response.json())
    assert all(feature.id for feature in collection.features), "every actor has its id"


@pytest.mark.django_db
def test_every_feature_is_reachable_by_following_next(placed, client):
    url, params, seen, pages = "/api/v1/acteurs/", {"format": "geojson", "page_size": "2"}, [], 0
    while url:
        data = client.get(url, params).json()
        FeatureCollection.model_validate(data)
        assert data["count"] == len(all_placed())
        assert (data["previous"] is None) == (pages == 0)
        seen += [feature["id"] for feature in data["features"]]
        url, params, pages = data["next"], {}, pages + 1
    assert len(seen) == len(set(seen)), "no feature twice"
    assert set(seen) == all_placed() and pages == -(-len(seen) // 2)


@pytest.mark.django_db
def test_the_pages_answer_as_the_list_s(placed, client):
    past = client.get("/api/v1/acteurs/", {"format": "geojson", "page_size": "2", "page": "99"})
    assert past.status_code == 404 and past["Content-Type"].startswith("application/json")
    assert client.get("/api/v1/acteurs/", {"format": "geojson", "page_size": "2001"}).status_code == 400
    assert client.get("/api/v1/acteurs/", {"format": "geojson", "page_size": "2000"}).status_code == 200
    assert client.get("/api/v1/acteurs/", {"page_size": "101"}).status_code == 400, "the JSON list keeps its limit"


@pytest.mark.django_db
def test_accept_geo_json_is_honoured(placed, client):
    response = client.get("/api/v1/acteurs/", HTTP_ACCEPT=GEOJSON)
    assert response.status_code == 200 and response["Content-Type"].startswith(GEOJSON)
    assert response.json()["type"] == "FeatureCollection"
    assert client.get("/api/v1/acteurs/", HTTP_ACCEPT="application/json").json()["results"]


@pytest.mark.django_db
def test_features_carry_the_record_and_say_where(placed, client):
    data = client.get("/api/v1/acteurs/", {"format": "geojson"}).json()
    features = {f["id"]: f["properties"] for f in data["features"]}
    for properties in features.values():
        assert set(public_record.KEYS) <= set(properties)
        assert properties["commune"] != "" and properties["lieu"] != "", "null when not known, never empty"
    assert (features["g-orbec"]["commune"], features["g-orbec"]["code_insee"]) == ("Orbec", "14478")
    assert features["g-orbec"]["lieu"] == "Orbec"
    assert features["g-calvados"]["lieu"] == "Intervient dans tout le Calvados"
    assert features["g-deux-communes"]["lieu"].startswith("Intervient à ")
    assert features["g-nulle-part"]["lieu"] is None


@pytest.mark.django_db
def test_with_zoom_the_map_gets_its_whole_area_in_one_answer(placed, client, monkeypatch):
    from actors import api

    data = client.get("/api/v1/acteurs/", {"format": "geojson", "zoom": "8", "page_size": "1"}).json()
    assert data["next"] is None and {f["id"] for f in data["features"]} == all_placed()
    monkeypatch.setattr(api, "MAP_FEATURES", 2)
    grouped = client.get("/api/v1/acteurs/", {"format": "geojson", "zoom": "3"}).json()
    assert grouped["groupes"] and grouped["next"] is None and grouped["count"] == len(all_placed())
    FeatureCollection.model_validate(grouped)


@pytest.mark.django_db
def test_a_geojson_page_reads_in_a_fixed_number_of_queries(placed, client, django_assert_num_queries):
    """A full page: the filter set's vocabularies, the count, the features (places and
    record in the same query), the directory's départements (cached) — never a query per
    feature."""
    client.get("/api/v1/acteurs/", {"format": "geojson", "page_size": "2", "page": "2"})  # warm the caches
    for size in ("2", "5"):
        with django_assert_num_queries(3):
            data = client.get("/api/v1/acteurs/", {"format": "geojson", "page_size": size, "page": "1"}).json()
        assert len(data["features"]) == int(size)
