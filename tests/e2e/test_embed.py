"""Issue 24, part 1, in a real browser: the code copied from /integrer/ shows the embedded
list in a page of another origin — a static page served by a plain HTTP server on another
loopback address (127.0.0.2) — while a frame of /acteurs/ on the same page is refused; a
click on an actor opens its page outside the frame; the display is counted for that site.
The embedded pages pass axe-core at 1280, 375 and 280 px without horizontal scrolling."""

import threading
from decimal import Decimal
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from actors.models import Organisation
from cress.accessibility import AXE_TAGS, EMBEDDED_PAGES, EMBEDDED_WIDTHS
from embeds.models import EmbedUse

from .conftest import SCREENSHOTS, run_axe

FOREIGN_HOST = "127.0.0.2"  # another origin than the live server's « localhost »
HEADINGS_JS = "() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => +h.tagName[1])"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def foreign_site(tmp_path):
    """A partner's web server: serves the files written in its folder, on 127.0.0.2."""
    server = ThreadingHTTPServer((FOREIGN_HOST, 0), partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://{FOREIGN_HOST}:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def partner_context(browser):
    # Chromium asks before a page reaches the loopback (Local Network Access): granted, as
    # a partner's page on the Internet would not need it; the clipboard for « Copier ».
    context = browser.new_context(permissions=["local-network-access", "clipboard-read", "clipboard-write"])
    yield context
    context.close()


def copied_code(page, site, query):
    """The code of /integrer/?<query>, copied with « Copier le code »."""
    page.goto(f"{site}/integrer/?{query}")
    page.get_by_role("button", name="Copier le code").click()
    page.get_by_text("Code copié").wait_for()
    code = page.evaluate("() => navigator.clipboard.readText()")
    assert code == page.locator("#code-integration").input_value()
    return code


def partner_page(folder, name, body):
    (folder / name).write_text(
        f'<!doctype html><html lang="fr"><meta charset="utf-8"><title>Mairie</title>'
        f'<body style="margin:0 auto;max-width:900px;font-family:sans-serif"><h1>Mairie de Lisieux</h1>{body}</body></html>',
        encoding="utf-8",
    )


def test_the_copied_code_shows_the_list_on_another_site_but_acteurs_stays_unframed(
    site, settings, foreign_site, partner_context
):
    settings.DIRECTORY_SITE_URL = site  # the code names the directory's public address
    folder, foreign = foreign_site
    page = partner_context.new_page()
    code = copied_code(page, site, "commune=Lisieux&vue=liste&nombre=4")
    assert f'src="{site}/integrer/liste/?' in code and 'loading="lazy"' in code and 'title="' in code

    refused = []
    page.on("console", lambda message: refused.append(message.text) if "frame-ancestors" in message.text else None)
    partner_page(folder, "ess.html", code + f'<iframe id="refus" src="{site}/acteurs/" title="Liste des acteurs"></iframe>')
    page.goto(f"{foreign}/ess.html")
    assert page.evaluate("location.origin") == foreign

    frame = page.frame_locator("iframe[title^='Acteurs de l']")
    frame.locator("article.card").first.wait_for()
    assert frame.locator("h1").inner_text() == "Acteurs de l'ESS : Lisieux"
    assert 1 <= frame.locator("article.card").count() <= 4
    assert "acteur" in frame.locator("[role=status]").inner_text()
    # The frame of /acteurs/ is refused: its page never shows there.
    page.wait_for_load_state("load")  # every frame has loaded, or been refused
    assert page.frame_locator("#refus").locator("main, .site-header").count() == 0
    assert any("frame-ancestors 'none'" in text for text in refused), refused
    # The link under the frame (for when frames are blocked) leads to the same list.
    assert page.locator("body > p a").get_attribute("href").startswith(f"{site}/acteurs/?commune=Lisieux")
    # Counted for the partner's site: its host alone.
    assert EmbedUse.objects.filter(host=FOREIGN_HOST, kind="liste").get().count >= 1

    # An actor opens outside the frame, on the directory.
    first = frame.locator("article.card a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(href)
    assert page.url.startswith(site + "/acteurs/")


def test_the_preview_follows_the_form_and_an_embedded_map_shows_on_another_site(
    site, settings, foreign_site, partner_context
):
    settings.DIRECTORY_SITE_URL = site
    folder, foreign = foreign_site
    page = partner_context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{site}/integrer/")
    preview = page.locator("iframe.embed-preview")
    assert "/integrer/liste/?nombre=10" in preview.get_attribute("src")
    page.get_by_label("Département", exact=True).select_option("50")
    page.wait_for_function("() => document.querySelector('iframe.embed-preview').src.includes('departement=50')")
    page.get_by_label("Une carte, avec la liste en dessous").check()
    page.wait_for_function("() => document.querySelector('iframe.embed-preview').src.includes('/integrer/carte/')")
    assert "departement=50" in page.url, "the address follows: the page can be shared as it is"
    assert "/integrer/carte/?departement=50" in page.locator("#code-integration").input_value()
    assert not page.get_by_role("button", name="Copier le code").is_hidden()

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{site}/integrer/?commune=Lisieux&vue=liste&nombre=5")
        page.frame_locator("iframe.embed-preview").locator("article.card").first.wait_for()
        page.screenshot(path=str(SCREENSHOTS / f"embed-integrer-{width}.png"), full_page=True)

    for n, pk in enumerate(Organisation.objects.actors().order_by("pk").values_list("pk", flat=True)):
        Organisation.objects.filter(pk=pk).update(latitude=Decimal("49.18") + n * Decimal("0.05"),
                                                  longitude=Decimal("-0.37") + n * Decimal("0.08"))  # fmt: skip
    code = copied_code(page, site, "departement=14&vue=carte&nombre=5")
    partner_page(folder, "carte.html", code)
    page.set_viewport_size({"width": 1000, "height": 1000})
    page.goto(f"{foreign}/carte.html")
    frame = page.frame_locator("iframe[title^='Acteurs de l']")
    frame.locator(".leaflet-container").wait_for()
    frame.locator(".leaflet-marker-icon").first.wait_for()
    page.screenshot(path=str(SCREENSHOTS / "embed-map-foreign.png"), full_page=True)
    # A click on a marker opens its popup (dispatched: the first may lie outside the view).
    frame.locator(".leaflet-marker-icon:not(.marker-cluster)").first.dispatch_event("click")
    popup_link = frame.locator(".map-popup-title a")
    assert popup_link.get_attribute("target") == "_top", "a profile opens outside the frame"
    assert popup_link.get_attribute("href").startswith(site + "/acteurs/")
    assert EmbedUse.objects.filter(host=FOREIGN_HOST, kind="carte").exists()
    assert errors == []


@pytest.mark.parametrize("width", EMBEDDED_WIDTHS)
def test_the_embedded_pages_are_accessible_at_any_width(site, audit_page, axe_source, width):
    page = audit_page
    page.set_viewport_size({"width": width, "height": 700})
    for name, url in EMBEDDED_PAGES.items():
        page.goto(site + url)
        result = run_axe(page, axe_source)
        violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        assert violations == [], f"{name} : {violations}"
        assert page.get_attribute("html", "lang") == "fr"
        assert page.title().endswith(" — Annuaire de l'ESS en Basse-Normandie"), page.title()
        assert page.locator("h1").count() == 1
        levels = page.evaluate(HEADINGS_JS)
        assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} : {overflow} px de trop à {width} px"
    assert AXE_TAGS
