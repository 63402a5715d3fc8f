"""A partner's web page, on another origin, reads the open data in a real browser (CORS,
common/cors.py): the API with a header that needs a preflight, the map's GeoJSON, a CSV
export, the Link header of a list. Cookies are never shared, and the admin and the pages
stay unreadable from there.

The partner's page is served by the browser itself (Playwright's routing) on the live
server's port under the loopback's other name (``localhost`` / ``127.0.0.1``): another
origin, and no private-network rule of the browser in the way."""

import re

import pytest
from django.conf import settings

READ = """async ([url, init]) => {
    try {
        const response = await fetch(url, init || {});
        return {status: response.status, link: response.headers.get("Link"), text: (await response.text()).slice(0, 200)};
    } catch (error) {
        return {error: String(error)};
    }
}"""


@pytest.fixture
def partner_page(site, browser):
    # Chromium asks before a page reaches the loopback (Local Network Access): granted, as
    # a partner's page on the Internet would not need it.
    context = browser.new_context(permissions=["local-network-access"])
    page = context.new_page()
    other_host = "localhost" if "127.0.0.1" in site else "127.0.0.1"
    partner = re.sub(r"//[^:/]+", "//" + other_host, site, count=1) + "/partenaire-externe.html"
    page.route(partner, lambda route: route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Partenaire</title>"))
    page.goto(partner)
    assert page.evaluate("location.origin") != site
    yield page
    context.close()


def test_a_partner_page_reads_the_open_data(site, partner_page):
    api = partner_page.evaluate(READ, [site + "/api/v1/territoires/?page=2", {"headers": {"If-None-Match": '"x"'}}])
    assert api.get("status") == 200 and api["text"].startswith('{"count":'), api
    assert 'rel="first"' in api["link"] and 'rel="prev"' in api["link"], "Link is exposed to the script"
    geojson = partner_page.evaluate(READ, [site + "/api/v1/acteurs/?format=geojson"])
    assert geojson["status"] == 200 and '"FeatureCollection"' in geojson["text"]
    csv = partner_page.evaluate(READ, [site + "/acteurs/?format=csv&departement=14"])
    assert csv["status"] == 200 and csv["text"].startswith("Nom;Sigle;")  # fetch's text() drops the BOM


def test_never_with_cookies_nor_outside_the_open_data(site, partner_page):
    with_cookies = partner_page.evaluate(READ, [site + "/api/v1/secteurs/", {"credentials": "include"}])
    assert "error" in with_cookies, "no Access-Control-Allow-Credentials: the browser refuses"
    for address in ("/", "/acteurs/", "/referencer/", f"/{settings.ADMIN_PATH}login/"):
        assert "error" in partner_page.evaluate(READ, [site + address]), address
