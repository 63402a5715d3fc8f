"""HTTP for re-users (issue 21): cross-origin reading of the open data and nothing else,
caching headers on every public answer (computed or from the page cache), conditional
requests, brotli and gzip on data but never on a page with a CSRF token, 406 for an
Accept the API cannot serve, and the pages of a list in Link headers."""

import gzip
import re

import brotli
import pytest
from django.conf import settings

from actors.models import Organisation

ORIGIN = "https://partenaire.example"
PREFLIGHT = {"HTTP_ORIGIN": ORIGIN, "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "GET"}
FORM = "/acteurs/uraf/signaler/"  # a form with a CSRF token

# --- CORS ---------------------------------------------------------------------------------

OPEN_DATA = [
    "/api/v1/",
    "/api/v1/acteurs/",
    "/api/v1/acteurs/?format=geojson",  # the map's data
    "/api/v1/acteurs/uraf/",
    "/api/v1/schema/",
    "/api/v1/data-inclusion/structures/",
    "/api/v1/data-inclusion/services/",
    "/acteurs/?format=csv",
    "/actions/?departement=14&format=csv",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", OPEN_DATA)
def test_a_preflight_from_another_origin_is_allowed_to_read(client, url):
    response = client.options(url, HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match", **PREFLIGHT)
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert not response.has_header("Access-Control-Allow-Credentials")


@pytest.mark.django_db
@pytest.mark.parametrize("url", OPEN_DATA)
def test_open_data_answers_are_readable_from_any_origin_without_credentials(directory, client, url):
    response = client.get(url, HTTP_ORIGIN=ORIGIN)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Link" in response["Access-Control-Expose-Headers"]
    assert not response.has_header("Access-Control-Allow-Credentials")
    assert "Origin" not in response.get("Vary", ""), "the same answer for every origin"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/" + settings.ADMIN_PATH, f"/{settings.ADMIN_PATH}login/", FORM, "/referencer/", "/acteurs/", "/"])
def test_the_admin_forms_and_pages_stay_same_origin(directory, client, url):
    preflight = client.options(url, **PREFLIGHT)
    answer = client.get(url, HTTP_ORIGIN=ORIGIN)
    for response in (preflight, answer):
        assert not any(name.lower().startswith("access-control-") for name in response.headers), url


@pytest.mark.django_db
def test_a_failed_api_answer_is_readable_too(directory, client):
    """A partner's page must be able to read why (400, 404, 406), not just fail."""
    for url in ("/api/v1/acteurs/?inconnu=1", "/api/v1/acteurs/inconnu/"):
        assert client.get(url, HTTP_ORIGIN=ORIGIN)["Access-Control-Allow-Origin"] == "*"


# --- Cache-Control and validators, computed or cached -------------------------------------

PUBLIC = [
    ("/", "public, no-cache"),
    ("/acteurs/uraf/", "public, no-cache"),
    ("/api/v1/acteurs/", "public, max-age=300"),
    ("/api/v1/acteurs/?format=geojson", "public, max-age=300"),
    ("/sitemap.xml", "public, max-age=300"),
    ("/sitemap-organisations.xml", "public, max-age=300"),
    ("/flux/", "public, max-age=300"),
    ("/robots.txt", "public, max-age=300"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "cache_control"), PUBLIC)
def test_caching_headers_on_the_first_and_the_cached_answer(directory, client, redis_cache, url, cache_control):
    first = client.get(url)
    second = client.get(url)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    for response in (first, second):
        assert response["Cache-Control"] == cache_control
        assert response.has_header("ETag")
    assert first["ETag"] == second["ETag"]
    if first.has_header("Last-Modified"):  # the feed's: kept by the page cache
        assert second["Last-Modified"] == first["Last-Modified"]
    assert second.get("X-Robots-Tag") == first.get("X-Robots-Tag"), "every header the view set is replayed"


@pytest.mark.django_db
def test_the_feed_keeps_last_modified_when_cached(directory, client, redis_cache):
    first = client.get("/flux/")
    second = client.get("/flux/")
    assert second["X-Cache"] == "hit" and second["Last-Modified"] == first["Last-Modified"]
    again = client.get("/flux/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304 and again["Cache-Control"] == "public, max-age=300"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/acteurs/uraf/", "/api/v1/acteurs/", "/sitemap.xml"])
def test_if_none_match_gives_a_304_with_the_caching_headers(directory, client, redis_cache, url):
    first = client.get(url)
    for _ in range(2):  # computed, then from the page cache
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
        assert response.status_code == 304
        assert response.content == b""
        assert response["Cache-Control"] == first["Cache-Control"]
        assert response["ETag"] == first["ETag"]


@pytest.mark.django_db
def test_the_streamed_csv_has_a_validator_and_a_304(directory, client, django_capture_on_commit_callbacks):
    first = client.get("/acteurs/", {"format": "csv", "departement": "14"})
    assert first.streaming
    b"".join(first.streaming_content)
    assert first["Cache-Control"] == "public, max-age=300"
    etag = first["ETag"]
    assert etag.startswith('W/"')
    assert client.get("/acteurs/", {"format": "csv", "departement": "14"})["ETag"] == etag
    assert client.get("/acteurs/", {"format": "csv", "departement": "50"})["ETag"] != etag
    not_modified = client.get(
        "/acteurs/", {"format": "csv", "departement": "14"}, HTTP_IF_NONE_MATCH=etag, HTTP_ORIGIN=ORIGIN
    )
    assert not_modified.status_code == 304
    assert not_modified["Access-Control-Allow-Origin"] == "*", "a partner's revalidation is readable too"
    from common import changes

    with django_capture_on_commit_callbacks(execute=True):  # an edit, committed
        changes.saved(Organisation, Organisation.objects.filter(slug="uraf").values_list("pk", flat=True))
    assert client.get("/acteurs/", {"format": "csv", "departement": "14"})["ETag"] != etag, "an edit changes it"


@pytest.mark.django_db
def test_what_is_made_for_someone_is_private(directory, client, editor_client):
    assert client.get(FORM)["Cache-Control"] == "private, no-cache"
    assert editor_client.get("/acteurs/uraf/")["Cache-Control"] == "private, no-cache"
    assert "no-store" in editor_client.get("/" + settings.ADMIN_PATH)["Cache-Control"]
    assert client.get("/sante/")["Cache-Control"] == "no-store", "a view's own choice is kept"
    assert client.get("/acteurs/inconnu/")["Cache-Control"] == "no-cache"


# --- Compression ----------------------------------------------------------------------------

COMPRESSED = [
    "/api/v1/acteurs/",
    "/api/v1/acteurs/?format=geojson",
    "/api/v1/schema/",
    "/api/v1/data-inclusion/services/",
    "/acteurs/?format=csv",
    "/actions/?format=csv",
    "/sitemap.xml",
    "/sitemap-organisations.xml",
    "/flux/",
]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db
@pytest.mark.parametrize("url", COMPRESSED)
@pytest.mark.parametrize(("accept", "coding", "decompress"), [
    ("gzip, deflate, br, zstd", "br", brotli.decompress),
    ("gzip, deflate", "gzip", gzip.decompress),
    ("br;q=0, gzip", "gzip", gzip.decompress),
])
def test_data_are_compressed_as_the_client_prefers(directory, client, url, accept, coding, decompress):
    for slug, latitude in (("uraf", "49.18"), ("urscop", "49.10")):  # on the map
        Organisation.objects.filter(slug=slug).update(latitude=latitude, longitude="-0.37")
    plain = client.get(url)
    response = client.get(url, HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response["Content-Encoding"] == coding
    assert "Accept-Encoding" in response["Vary"]
    compressed, expected = body(response), body(plain)
    assert decompress(compressed) == expected
    assert len(compressed) < len(expected)
    if not response.streaming:
        assert response["ETag"] == "W/" + plain["ETag"], "weak: not the same bytes"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [FORM, "/acteurs/", "/acteurs/uraf/", "/" + settings.ADMIN_PATH + "login/"])
def test_html_is_never_compressed_by_the_application(directory, client, url):
    """BREACH: a page with a CSRF token (the form, the admin's login) is never compressed;
    HTML is left to the TLS proxy."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    if url == FORM:
        assert b"csrfmiddlewaretoken" in response.content


@pytest.mark.django_db
def test_no_compression_when_not_accepted(directory, client):
    response = client.get("/api/v1/acteurs/", HTTP_ACCEPT_ENCODING="identity")
    assert not response.has_header("Content-Encoding")
    assert response.json()["results"]


# --- Content negotiation ---------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["text/html", "application/xml", "text/csv"])
@pytest.mark.parametrize("url", ["/api/v1/acteurs/", "/api/v1/acteurs/uraf/", "/api/v1/", "/api/v1/schema/", "/api/v1/data-inclusion/structures/"])
def test_an_accept_the_api_cannot_serve_is_a_406_in_french_json(directory, client, redis_cache, url, accept):
    client.get(url)  # a cached JSON answer must not be served instead
    response = client.get(url, HTTP_ACCEPT=accept)
    assert response.status_code == 406
    assert response["Content-Type"] == "application/json"
    assert "Formats servis : application/" in response.json()["detail"]
    assert "Accept" in response["Vary"]


@pytest.mark.django_db
def test_json_and_geojson_are_cached_apart(directory, client, redis_cache):
    assert client.get("/api/v1/acteurs/", HTTP_ACCEPT="application/geo+json")["Content-Type"] == "application/geo+json"
    response = client.get("/api/v1/acteurs/", HTTP_ACCEPT="application/json")
    assert response["Content-Type"] == "application/json" and "results" in response.json()
    assert client.get("/api/v1/acteurs/", HTTP_ACCEPT="application/geo+json")["X-Cache"] == "hit"


# --- Link headers -------------------------------------------------------------------------------


def links(response):
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response["Link"])}


@pytest.mark.django_db
def test_the_pages_of_a_list_are_in_link_headers(directory, client):
    response = client.get("/api/v1/territoires/", {"page": 2, "page_size": 100})
    data = response.json()
    last = -(-data["count"] // 100)
    assert last >= 3
    assert links(response) == {
        "first": "http://testserver/api/v1/territoires/?page_size=100",
        "prev": data["previous"],
        "next": data["next"],
        "last": f"http://testserver/api/v1/territoires/?page={last}&page_size=100",
    }
    first_page = client.get("/api/v1/territoires/", {"page_size": 100})
    assert set(links(first_page)) == {"first", "next", "last"}
    last_page = client.get(links(response)["last"])
    assert set(links(last_page)) == {"first", "prev", "last"}
    assert links(last_page)["last"] == links(response)["last"]


@pytest.mark.django_db
def test_link_headers_keep_the_filters_and_survive_the_page_cache(directory, client, redis_cache):
    url = "/api/v1/actions/?departement=14&page=2&page_size=2"
    first, second = client.get(url), client.get(url)
    assert second["X-Cache"] == "hit" and second["Link"] == first["Link"]
    assert set(links(first)) >= {"first", "prev", "last"}
    assert all("departement=14" in address for address in links(first).values())
