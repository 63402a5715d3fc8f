"""One visitor cannot poison or flood the shared page cache (issue 23): absolute addresses
come from the configured site (``common.site``), never from the Host header or the scheme
of the request; the key tells hosts and schemes apart; a bad Host is a 400 on every
address, cached or not; unknown query parameters lead to the page's own address, so the
number of cached answers stays bounded."""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest
import redis
from django.conf import settings
from django.test import Client

from cress import places
from tests.conftest import REDIS_URL

# An allowed name (ALLOWED_HOSTS) on a port of the visitor's choosing: Django accepts it.
FORGED = "localhost:6666"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def forged(path, **extra):
    return Client().get(path, HTTP_HOST=FORGED, **extra)


def assert_on_the_site(addresses):
    assert addresses
    for address in addresses:
        assert address.startswith(settings.DIRECTORY_SITE_URL + "/"), address


@pytest.mark.django_db
def test_the_api_next_link_comes_from_the_site_address_and_is_not_poisoned(directory, redis_cache):
    poisoned = forged("/api/v1/secteurs/", data={"page_size": 1})
    assert poisoned.status_code == 200
    assert_on_the_site([poisoned.json()["next"]])
    assert "6666" not in poisoned["Link"]
    served = Client().get("/api/v1/secteurs/", {"page_size": 1})
    assert "6666" not in served.content.decode() and "6666" not in served["Link"]
    assert_on_the_site([served.json()["next"]])
    root = forged("/api/v1/")
    assert_on_the_site(list(root.json().values()))


@pytest.mark.django_db
def test_feed_ids_json_ld_and_canonical_links_come_from_the_site_address(directory, redis_cache):
    feed = forged("/flux/").content.decode()
    assert "6666" not in feed
    assert_on_the_site(re.findall(r"<id>([^<]+)</id>", feed))
    page = forged("/acteurs/uraf/").content.decode()
    assert "6666" not in page
    blocks = re.findall(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert_on_the_site([json.loads(block)["url"] for block in blocks if "url" in json.loads(block)])
    assert f'<link rel="canonical" href="{settings.DIRECTORY_SITE_URL}/acteurs/uraf/">' in page
    assert "6666" not in Client().get("/acteurs/uraf/").content.decode(), "what everyone is served"


@pytest.mark.django_db
def test_sitemaps_name_the_site_whatever_the_host_and_scheme(directory, redis_cache):
    index = forged("/sitemap.xml", secure=True)
    sections = [loc.text for loc in ET.fromstring(index.content).findall("s:sitemap/s:loc", SITEMAP_NS)]
    assert_on_the_site(sections)
    section = forged(sections[0].removeprefix(settings.DIRECTORY_SITE_URL), secure=True)
    assert_on_the_site([loc.text for loc in ET.fromstring(section.content).findall("s:url/s:loc", SITEMAP_NS)])
    plain = Client().get("/sitemap.xml")
    assert plain.content == index.content and "6666" not in plain.content.decode()


@pytest.mark.django_db
def test_the_key_tells_hosts_and_schemes_apart(directory, redis_cache):
    assert Client().get("/acteurs/uraf/")["X-Cache"] == "miss"
    assert Client().get("/acteurs/uraf/")["X-Cache"] == "hit"
    assert forged("/acteurs/uraf/")["X-Cache"] == "miss", "another host: another answer"
    assert Client().get("/acteurs/uraf/", secure=True)["X-Cache"] == "miss", "another scheme"
    # A port of the visitor's choosing is not a new entry (bounded; and two processes on two
    # ports behind one proxy share their pages).
    assert Client().get("/acteurs/uraf/", HTTP_HOST="localhost:7777")["X-Cache"] == "hit"


# --- a bad Host -----------------------------------------------------------------------------

PATHS = ["/", "/acteurs/", "/acteurs/uraf/", "/api/v1/secteurs/", "/sitemap.xml", "/flux/", "/sante/",
         "/nulle-part/", "/referencer/"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("cache_on", [False, True], ids=["sans-cache", "avec-cache"])
def test_a_bad_host_is_a_french_400_on_every_path(directory, redis_cache, settings, cache_on):
    settings.DIRECTORY_PAGE_CACHE = cache_on
    for path in PATHS:
        Client().get(path)  # cached for the right host, when it can be
    visitor = Client(raise_request_exception=False)
    for host in ("evil.example", "evil.example:80", "localhost@evil.example"):
        for path in PATHS:
            response = visitor.get(path, HTTP_HOST=host)
            assert response.status_code == 400, (host, path, response.status_code)
            assert "Demande incorrecte" in response.content.decode(), (host, path)


# --- unknown parameters -----------------------------------------------------------------------


def cached_pages(prefix):
    return sorted(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:*page:*"))


@pytest.mark.django_db
def test_unknown_parameters_lead_to_the_page_s_own_address(directory, redis_cache):
    response = Client().get("/acteurs/", {"q": "bio", "utm_source": "x", "zz": "1"})
    assert response.status_code == 301
    assert response["Location"] == "/acteurs/?q=bio"
    assert Client().get("/acteurs/uraf/", {"x": "1"})["Location"] == "/acteurs/uraf/"
    assert Client().get("/recherche/", {"q": "bio", "x": "1"})["Location"] == "/recherche/?q=bio"
    known = Client().get("/acteurs/", {"departement": "14", "page": "2"})
    assert known.status_code == 200, "the list's own filters and page are kept"


@pytest.mark.django_db
def test_no_address_the_site_writes_is_redirected(directory, redis_cache):
    """Every parameter of the site's own links (filters, facets, each section's pages,
    search narrowing) is one its page reads: none is dropped by a redirect."""
    from html import unescape

    pages = ["/", "/acteurs/", "/actions/", "/actions/programmes/", "/actions/evenements/", "/partenaires/",
             "/territoires/", "/territoires/14/", "/secteurs/", "/recherche/?q=insertion", "/acteurs/carte/"]  # fmt: skip
    pages += [
        link for link in re.findall(r'href="(/[^"]*)"', Client().get("/secteurs/").content.decode())
        if link.startswith("/secteurs/") and link != "/secteurs/"
    ][:2]
    links = set()
    for page in pages:
        response = Client().get(page)
        assert response.status_code == 200, page
        hrefs = re.findall(r'href="([/?][^"]*)"', response.content.decode())
        links |= {urljoin(page, unescape(href)) for href in hrefs if "?" in href}
    links = {link for link in links if not link.startswith(("/static/", "/api/"))}
    # A territory's sections each have their page (few enough here to need none).
    links |= {f"/territoires/14/?{name}=2" for name in places.page_parameters("acteurs", "actions")}
    assert len(links) > 30
    redirected = [link for link in sorted(links) if Client().get(link).status_code == 301]
    assert redirected == []


@pytest.mark.django_db
def test_fuzzed_parameters_add_no_cache_entry(directory, redis_cache):
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    pages = ["/", "/acteurs/", "/actions/", "/acteurs/uraf/", "/territoires/", "/recherche/", "/flux/",
             "/sitemap.xml", "/donnees/"]  # fmt: skip
    for page in pages:
        assert Client().get(page).status_code == 200, page
    before = cached_pages(prefix)
    for n in range(40):
        for page in pages:
            assert Client().get(page, {f"fuzz{n}": n, "cb": f"{n}-{page}"}).status_code == 301
    assert cached_pages(prefix) == before


# --- a bounded memory -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_cached_page_expires(directory, redis_cache):
    from common.cache import PAGE_TIMEOUT

    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    for page in ["/", "/acteurs/", "/api/v1/secteurs/"]:
        Client().get(page)
    client = redis.Redis.from_url(REDIS_URL)
    keys = cached_pages(prefix)
    assert keys
    assert all(0 < client.ttl(key) <= PAGE_TIMEOUT for key in keys)


def test_the_readme_bounds_redis_memory():
    """Production's Redis has a memory limit and evicts (README, « Production », step 2: the
    lines appended to redis.conf, which tools/readme_check.py gives to a real Redis)."""
    readme = (settings.BASE_DIR / "README.md").read_text()
    production = readme[readme.index("## Production") :]
    appended = re.search(r"^printf '([^']*)' >> /etc/redis/redis\.conf", production, re.M)
    lines = appended.group(1).split("\\n")
    assert any(re.fullmatch(r"maxmemory \d+mb", line) for line in lines), lines
    assert "maxmemory-policy allkeys-lru" in lines
