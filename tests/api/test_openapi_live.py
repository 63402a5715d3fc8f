"""The API keeps the promise of its OpenAPI document: live answers of /api/v1/ — lists,
details, filters, pages, errors, GeoJSON, data·inclusion — validated, status, content type,
headers and body, by an independent validator (openapi-core) against the document the site
publishes (/api/v1/schema/)."""

import copy
import json
import re
from decimal import Decimal

import pytest
import yaml
from django.test import Client
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.deserializing.media_types.util import json_loads

from actors.models import Organisation
from territories.models import Territory

# (address, headers, expected status): every list and detail endpoint, filtered lists,
# pages, errors, both formats of the actor list, both data·inclusion exports.
SAMPLES = [
    ("/api/v1/", {}, 200),
    ("/api/v1/acteurs/", {}, 200),
    ("/api/v1/acteurs/?departement=14&secteur=petite-enfance", {}, 200),
    ("/api/v1/acteurs/?famille=association&tri=nom&page_size=2&page=2", {}, 200),
    ("/api/v1/acteurs/?q=calvados&public=aidants", {}, 200),
    ("/api/v1/acteurs/?commune=14371", {}, 200),
    ("/api/v1/acteurs/uraf/", {}, 200),
    ("/api/v1/acteurs/urscop/", {}, 200),
    ("/api/v1/acteurs/?format=geojson", {}, 200),
    ("/api/v1/acteurs/?format=geojson&bbox=-2,48,1,50&departement=14", {}, 200),
    ("/api/v1/acteurs/", {"HTTP_ACCEPT": "application/geo+json"}, 200),
    ("/api/v1/actions/", {}, 200),
    ("/api/v1/actions/?page_size=100", {}, 200),
    ("/api/v1/actions/?departement=14&secteur=petite-enfance&annee=2008", {}, 200),
    ("/api/v1/actions/?acteur=uriopss&tri=recent", {}, 200),
    ("/api/v1/actions/halte-garderie-itinerante/", {}, 200),
    ("/api/v1/actions/experimentation-passerelles-ai-asp/", {}, 200),
    ("/api/v1/actions/referencement-des-associations-intermediaires/", {}, 200),
    ("/api/v1/programmes/", {}, 200),
    ("/api/v1/programmes/coorace-programme-d-actions/", {}, 200),
    ("/api/v1/organisations/", {}, 200),
    ("/api/v1/organisations/federation-coorace/", {}, 200),
    ("/api/v1/territoires/", {}, 200),
    ("/api/v1/territoires/?page=3&page_size=100", {}, 200),
    ("/api/v1/territoires/region-25/", {}, 200),
    ("/api/v1/territoires/region-28/", {}, 200),
    ("/api/v1/territoires/14/", {}, 200),
    ("/api/v1/territoires/14371-deleguee/", {}, 200),
    ("/api/v1/secteurs/", {}, 200),
    ("/api/v1/secteurs/petite-enfance/", {}, 200),
    ("/api/v1/data-inclusion/structures/", {}, 200),
    ("/api/v1/data-inclusion/services/", {}, 200),
    ("/api/v1/data-inclusion/services/?page=2&page_size=5", {}, 200),
    # errors
    ("/api/v1/acteurs/?secteur=inconnu", {}, 400),
    ("/api/v1/acteurs/?departement=75", {}, 400),
    ("/api/v1/acteurs/?inconnu=1", {}, 400),
    ("/api/v1/acteurs/?page=abc", {}, 400),
    ("/api/v1/acteurs/?page_size=1000", {}, 400),
    ("/api/v1/acteurs/?format=geojson&bbox=nord,sud", {}, 400),
    ("/api/v1/actions/?annee=deux-mille", {}, 400),
    ("/api/v1/secteurs/famille/?x=1", {}, 400),
    ("/api/v1/acteurs/?page=99", {}, 404),
    ("/api/v1/territoires/?page=999", {}, 404),
    ("/api/v1/acteurs/inconnu/", {}, 404),
    ("/api/v1/actions/inconnue/", {}, 404),
    ("/api/v1/acteurs/uraf/?format=geojson", {}, 404),
    ("/api/v1/acteurs/?format=xml", {}, 404),
    ("/api/v1/data-inclusion/services/?format=csv", {}, 404),
    ("/api/v1/data-inclusion/structures/?page=99", {}, 404),
    ("/api/v1/data-inclusion/structures/?page_size=101", {}, 400),
    ("/api/v1/data-inclusion/services/?departement=14", {}, 400),
    ("/api/v1/acteurs/", {"HTTP_ACCEPT": "text/csv"}, 406),
    ("/api/v1/data-inclusion/structures/", {"HTTP_ACCEPT": "text/html"}, 406),
    ("/api/v1/acteurs/uraf/", {"HTTP_ACCEPT": "application/xml"}, 406),
]


# Stricter than the defaults: an answer may carry no property the document does not
# declare, and must carry every one it declares. GeoJSON is JSON (RFC 7946): openapi-core
# reads only application/json by default, and is told to read application/geo+json alike.
CONFIG = Config(
    additional_properties_default_policy="forbid",
    response_properties_default_policy="required",
    extra_media_type_deserializers={"application/geo+json": json_loads},
)


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    """The document as the site publishes it, fetched from the site itself."""
    with django_db_blocker.unblock():
        response = Client().get("/api/v1/schema/")
    assert response.status_code == 200
    return OpenAPI.from_dict(yaml.safe_load(response.content), config=CONFIG)


@pytest.fixture
def content(directory):
    """The real content, and what it lacks to exercise every branch of the document: a
    website, a position on the map, a phone and e-mail published with consent."""
    Organisation.objects.filter(slug="uraf").update(
        website="https://www.uraf-normandie.fr/",
        latitude=Decimal("49.182863"),
        longitude=Decimal("-0.370679"),
        commune=Territory.objects.get(key="14118"),
        postcode="14000",
        phone="02 31 00 00 00",
        phone_public=True,
    )
    Organisation.objects.filter(slug="urscop").update(latitude=Decimal("49.1"), longitude=Decimal("-0.4"))


class DirectoryOpenAPIRequest(DjangoOpenAPIRequest):
    """openapi-core's Django request, matched by its path: the router's addresses are
    regular expressions (``^acteurs/(?P<slug>[^/.]+)/$``), which its ``path_pattern``
    (made for ``<slug>`` routes) does not translate; the document's own templates match."""

    @property
    def path_pattern(self):
        return None


def validate(openapi, response):
    """Raises openapi-core's error when the answer does not match the document."""
    openapi.validate_response(DirectoryOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "headers", "status"), SAMPLES)
def test_live_answers_match_the_published_document(openapi, content, client, url, headers, status):
    response = client.get(url, **headers)
    assert response.status_code == status, response.content[:300]
    validate(openapi, response)


@pytest.mark.django_db
def test_the_samples_reach_every_operation_and_both_formats(openapi, content, client):
    """The sample covers every path of the document, and each answer's branches: a
    network and none, a parent action and none, a historic territory, a placed actor."""
    document = yaml.safe_load(client.get("/api/v1/schema/").content)
    answered = {url.split("?")[0] for url, _, status in SAMPLES if status == 200}
    for path in document["paths"]:
        template = re.compile(re.sub(r"\{\w+\}", "[^/]+", path))
        assert any(template.fullmatch(url) for url in answered), f"no sample of {path}"
    assert {status for _, _, status in SAMPLES} == {200, 400, 404, 406}
    assert client.get("/api/v1/acteurs/?format=geojson").json()["features"], "a placed actor"
    assert client.get("/api/v1/acteurs/urscop/").json()["reseau"] == "cgscop"
    assert client.get("/api/v1/acteurs/uraf/").json()["reseau"] is None
    assert client.get("/api/v1/territoires/14371-deleguee/").json()["territoire_actuel"] == "14371"
    assert client.get("/api/v1/territoires/region-28/").json()["rattachement"] is None


@pytest.mark.django_db
def test_a_throttled_answer_matches_the_document(openapi, content, client, monkeypatch):
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "rate", "1/minute", raising=False)
    assert client.get("/api/v1/secteurs/", REMOTE_ADDR="10.9.9.9").status_code == 200
    for url in ("/api/v1/secteurs/", "/api/v1/data-inclusion/services/", "/api/v1/"):
        response = client.get(url, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 429 and int(response["Retry-After"]) > 0
        validate(openapi, response)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "breakage"),
    [
        ("/api/v1/acteurs/uraf/", lambda data: data.update(reseau=12)),
        ("/api/v1/acteurs/uraf/", lambda data: data.pop("slug")),
        ("/api/v1/acteurs/uraf/", lambda data: data.pop("acronym")),  # every declared property
        ("/api/v1/acteurs/uraf/", lambda data: data.update(fax="02 31 00 00 00")),  # no other
        ("/api/v1/acteurs/uraf/", lambda data: data.update(website="pas une adresse")),
        ("/api/v1/actions/", lambda data: data["results"][0].update(periode="2008")),
        (
            "/api/v1/acteurs/?format=geojson",
            lambda data: data["features"][0]["geometry"].update(type="Polygon"),
        ),
        ("/api/v1/data-inclusion/services/", lambda data: data["results"][0].update(champ_inconnu=None)),
        ("/api/v1/data-inclusion/structures/", lambda data: data["results"][0].pop("reseaux_porteurs")),
        ("/api/v1/data-inclusion/structures/", lambda data: data["results"][0].update(telephone="02 31 00 00 00")),
        ("/api/v1/data-inclusion/services/", lambda data: data.pop("count")),
        ("/api/v1/acteurs/?page=99", lambda data: data.update(detail=None)),
    ],
)
def test_the_check_catches_an_answer_that_breaks_the_promise(openapi, content, client, url, breakage):
    """The validation is not vacuous: the same answer, altered, is refused."""
    response = client.get(url)
    validate(openapi, response)
    data = copy.deepcopy(response.json())
    breakage(data)
    response.content = json.dumps(data).encode()
    with pytest.raises(Exception) as error:
        validate(openapi, response)
    assert "openapi_core" in type(error.value).__module__, error.value


@pytest.mark.django_db
def test_the_check_catches_an_undocumented_status_or_content_type(openapi, content, client):
    response = client.get("/api/v1/secteurs/")
    response.status_code = 418
    with pytest.raises(Exception, match="418|status|Unknown|response"):
        validate(openapi, response)
    response = client.get("/api/v1/secteurs/")
    response["Content-Type"] = "text/html"
    with pytest.raises(Exception, match="text/html|[Mm]edia|content"):
        validate(openapi, response)
