"""The map follows the visitor (issue 19), in a real browser: opened on a commune, it is
centred there; the visitor pans it with the keyboard, « Rechercher dans cette zone »
appears, and the list below then holds the visible area's actors only — with the page
still passing axe and the Nu Html Checker. « Autour de moi » centres the map on the
browser's position, which no request carries. Tiles are out of reach: answered empty,
the page is what is checked."""

import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from territories.models import Territory
from tests.factories import OrganisationFactory

from .conftest import run_axe, vnu_errors

ORBEC = (49.023, 0.404)  # the centre given to Orbec for the test (the reference data has none)
ACTORS = {  # name: longitude, all at Orbec's latitude, all working in Orbec
    "Épicerie d'Orbec": 0.404,
    "Recyclerie de l'Est": 0.569,  # where two Shift+→ (2 × 240 px at zoom 12) bring the centre
    "Jardin de l'Ouest": 0.300,
}
GEOJSON = re.compile(r"/api/v1/acteurs/\?.*format=geojson")


def no_tiles(page):
    page.route(re.compile(r"^https?://[^/]*tile\.openstreetmap\.org/"), lambda route: route.fulfill(status=204))


def csp_violations(page):
    violations = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    return violations


def area_of(url):
    """(west, south, east, north) of a request's ``bbox``."""
    return tuple(float(v) for v in parse_qs(urlparse(url).query)["bbox"][0].split(","))


def orbec_and_its_actors():
    orbec = Territory.objects.get(key="14478")
    Territory.objects.filter(pk=orbec.pk).update(latitude=Decimal(str(ORBEC[0])), longitude=Decimal(str(ORBEC[1])))
    for name, longitude in ACTORS.items():
        OrganisationFactory(name=name, territories=[orbec], latitude=Decimal(str(ORBEC[0])),
                            longitude=Decimal(str(longitude)), summary=f"{name}, une structure de test.")  # fmt: skip


def geojson_after(page, action, of_area=False):
    """Runs ``action`` and returns the map data request it leads to (Playwright waits);
    ``of_area``: the first one for the visible area."""
    with page.expect_response(
        lambda response: GEOJSON.search(response.url) and (not of_area or "bbox=" in response.url)
    ) as answer:
        action()
    return answer.value


def test_the_map_follows_the_visitor_and_the_list_follows_the_map(site, page, audit_page, axe_source, vnu_jar,
                                                                  tmp_path):
    violations = csp_violations(page)
    no_tiles(page)
    orbec_and_its_actors()
    page.set_viewport_size({"width": 1024, "height": 900})

    # The map of a commune opens centred on it, close up.
    first = geojson_after(page, lambda: page.goto(site + "/acteurs/carte/?commune=Orbec"))
    west, south, east, north = area_of(first.url)
    assert parse_qs(urlparse(first.url).query)["zoom"] == ["12"]
    assert abs((west + east) / 2 - ORBEC[1]) < 0.002 and abs((south + north) / 2 - ORBEC[0]) < 0.002
    expect(page.locator("#carte-etat")).to_contain_text("placés à leur adresse dans cette zone")
    search_here = page.get_by_role("button", name="Rechercher dans cette zone")
    expect(search_here).to_be_hidden()  # the page placed the map, not the visitor
    town = page.locator('.leaflet-marker-icon[title="Épicerie d\'Orbec"]')
    expect(town).to_be_visible()
    # A popup: name (the profile's link), commune, presentation.
    town.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name="Épicerie d'Orbec")).to_have_attribute(
        "href", re.compile(r"/acteurs/association-d-essai-\d+/$")
    )
    expect(popup.locator(".map-popup-place")).to_have_text("Intervient à Orbec")  # as its card says
    expect(popup.locator(".map-popup-summary")).to_have_text("Épicerie d'Orbec, une structure de test.")
    page.locator(".leaflet-popup-close-button").click()
    expect(popup).to_have_count(0)
    # The whole list is below, the three actors in it.
    for name in ACTORS:
        expect(page.locator("#liste-resultats .card-title", has_text=name)).to_have_count(1)

    # The skip link, first met with the keyboard, leads past the map to the list.
    skip = page.get_by_role("link", name="Passer la carte et aller à la liste")
    skip.focus()
    expect(skip).to_be_visible()
    skip.press("Enter")
    expect(page.locator("#liste-resultats")).to_be_focused()

    # The visitor pans east with the keyboard: the button appears.
    page.locator("#carte").focus()
    geojson_after(page, lambda: page.keyboard.press("Shift+ArrowRight"))
    expect(search_here).to_be_visible()
    moved = geojson_after(page, lambda: page.keyboard.press("Shift+ArrowRight"))
    west, south, east, north = area_of(moved.url)
    inside = {name for name, longitude in ACTORS.items() if west <= longitude <= east}
    assert inside == {"Recyclerie de l'Est"}, (west, east)

    # « Rechercher dans cette zone »: the same page, same filters, the visible area.
    search_here.click()
    expect(page).to_have_url(re.compile(r"/acteurs/carte/\?commune=Orbec&bbox="))
    assert area_of(page.url) == (west, south, east, north)
    expect(page.locator(".map-area-notice")).to_contain_text("Liste limitée à la zone de la carte")
    expect(page.locator("#liste-resultats .card")).to_have_count(1)
    expect(page.locator("#liste-resultats .card-title")).to_have_text("Recyclerie de l'Est")
    expect(page.locator("#nombre-resultats")).to_have_text("1 acteur")
    # The map shows that area again, and its one marker.
    expect(page.locator("#carte-etat")).to_have_text(
        "1 acteur placé à son adresse dans cette zone ; la liste compte aussi ceux qui y interviennent depuis ailleurs."
    )
    expect(page.locator('.leaflet-marker-icon[title="Recyclerie de l\'Est"]')).to_be_visible()
    expect(search_here).to_be_hidden()
    area_url = page.url

    # The limit is removed by one link: the commune's whole list again.
    page.get_by_role("link", name="Retirer la limite de la zone").click()
    expect(page).to_have_url(re.compile(r"/acteurs/carte/\?commune=Orbec$"))
    expect(page.locator("#liste-resultats .card-title", has_text="Jardin de l'Ouest")).to_have_count(1)
    assert violations == []

    # axe on the page limited to the area, the button shown; the Nu checker on its HTML.
    audit_page.set_viewport_size({"width": 1024, "height": 900})
    no_tiles(audit_page)
    geojson_after(audit_page, lambda: audit_page.goto(area_url))
    audit_page.locator("#carte").focus()
    geojson_after(audit_page, lambda: audit_page.keyboard.press("ArrowUp"))
    expect(audit_page.get_by_role("button", name="Rechercher dans cette zone")).to_be_visible()
    result = run_axe(audit_page, axe_source)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == []
    html = tmp_path / "carte.html"
    html.write_bytes(audit_page.request.get(area_url).body())
    assert [(e.get("lastLine"), e.get("message")) for e in vnu_errors(vnu_jar, [html])] == []


def test_without_a_place_the_map_fits_its_markers(site, page):
    """No commune, département or area chosen: the map fits the placed actors (then
    loads that area), and the visitor has not moved it yet: no « Rechercher »."""
    no_tiles(page)
    orbec_and_its_actors()
    page.set_viewport_size({"width": 1024, "height": 900})
    fitted = geojson_after(page, lambda: page.goto(site + "/acteurs/carte/"), of_area=True)
    west, south, east, north = area_of(fitted.url)
    assert all(west < longitude < east for longitude in ACTORS.values()) and south < ORBEC[0] < north
    assert int(parse_qs(urlparse(fitted.url).query)["zoom"][0]) > 8, "closer than the whole region"
    for name in ACTORS:
        expect(page.locator(f'.leaflet-marker-icon[title="{name}"]')).to_be_visible()
    expect(page.locator("#carte-etat")).to_have_text(
        "3 acteurs placés à leur adresse dans cette zone ; la liste compte aussi ceux qui y interviennent depuis ailleurs."
    )
    expect(page.get_by_role("button", name="Rechercher dans cette zone")).to_be_hidden()


def test_around_me_centres_the_map_on_a_position_no_request_carries(site, browser):
    """The position is asked for only on a click, and no request carries it (the map
    data ask for the visible area, as for any move)."""
    orbec_and_its_actors()
    position = {"latitude": 49.1829, "longitude": -0.3707}  # Caen, far from Orbec
    context = browser.new_context(geolocation=position, permissions=["geolocation"], viewport={"width": 1024,
                                                                                                  "height": 900})
    page = context.new_page()
    no_tiles(page)
    asked = []
    page.on("request", lambda request: asked.append(request.url + " " + (request.post_data or "")))
    page.add_init_script(
        "(() => { const get = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);"
        " window.__positions = 0;"
        " navigator.geolocation.getCurrentPosition = (...a) => { window.__positions += 1; return get(...a); }; })()"
    )
    geojson_after(page, lambda: page.goto(site + "/acteurs/carte/?commune=Orbec"))
    near_me = page.get_by_role("button", name="Autour de moi")
    expect(near_me).to_be_visible()
    expect(page.locator("#carte-autour-aide")).to_contain_text("ni enregistrée ni envoyée")
    assert page.evaluate("window.__positions") == 0, "never asked before the click"

    centred = geojson_after(page, near_me.click)
    west, south, east, north = area_of(centred.url)
    assert abs((west + east) / 2 - position["longitude"]) < 0.002
    assert abs((south + north) / 2 - position["latitude"]) < 0.002
    assert parse_qs(urlparse(centred.url).query)["zoom"] == ["12"]
    assert page.evaluate("window.__positions") == 1
    expect(page.get_by_role("button", name="Rechercher dans cette zone")).to_be_visible()
    carried = [url for url in asked if "49.1829" in url or "-0.3707" in url or "0.3707" in url]
    assert carried == []
    context.close()


def test_around_me_is_hidden_where_the_browser_cannot_locate(site, browser):
    context = browser.new_context()
    page = context.new_page()
    no_tiles(page)
    page.add_init_script("delete Navigator.prototype.geolocation")
    page.goto(site + "/acteurs/carte/")
    expect(page.locator("#carte")).to_be_visible()
    expect(page.get_by_role("button", name="Autour de moi")).to_be_hidden()
    expect(page.locator("#carte-autour-aide")).to_be_hidden()
    context.close()
