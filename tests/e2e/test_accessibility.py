"""axe-core (WCAG 2.0, 2.1 and 2.2, A and AA) on every public page type at 1280 and 375 px,
and the essentials RGAA auditors check that axe cannot: lang, a unique meaningful title,
one h1, heading order, visible focus, the skip link first, labelled fields, announced
result counts. The accessibility statement (/accessibilite/) reports exactly this."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from cress.accessibility import AXE_TAGS, AXE_VERSION, WIDTHS

from .conftest import run_axe
from .pages import PAGE_TYPES

HEADINGS_JS = "() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6')).map(h => +h.tagName[1])"
UNLABELLED_JS = """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML)"""
FOCUS_STYLE_JS = """() => { const s = getComputedStyle(document.activeElement);
  return {tag: document.activeElement.tagName, text: document.activeElement.textContent.trim(),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0, shadow: s.boxShadow !== 'none'}; }"""


def test_the_statement_names_the_axe_that_runs():
    package = json.loads((Path(settings.BASE_DIR) / "package.json").read_text())
    assert package["devDependencies"]["axe-core"] == AXE_VERSION
    assert "wcag22aa" in AXE_TAGS


@pytest.mark.parametrize("width", WIDTHS)
def test_axe_and_essentials_on_every_page_type(site, audit_page, axe_source, width):
    page = audit_page
    page.set_viewport_size({"width": width, "height": 900})
    titles = {}
    rules_run = set()
    for name, url in PAGE_TYPES.items():
        page.goto(site + url)
        result = run_axe(page, axe_source)
        violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
        assert violations == [], f"{name} ({url}) : {violations}"
        rules_run |= {
            r["id"] for key in ("passes", "violations", "incomplete", "inapplicable") for r in result[key]
        }

        assert page.get_attribute("html", "lang") == "fr", name
        title = page.title()
        assert title.endswith(" — Annuaire de l'ESS en Basse-Normandie") and len(title) > 45, (name, title)
        titles.setdefault(title, []).append(url)
        assert page.locator("h1").count() == 1, name
        levels = page.evaluate(HEADINGS_JS)
        assert levels[0] == 1, name
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), f"{name} : titres {levels}"
        assert page.evaluate(UNLABELLED_JS) == [], name

        if page.locator("[data-error-summary]").count():
            # A form sent back with errors: the focus is on its error summary (DSFR).
            assert page.evaluate("() => document.activeElement.hasAttribute('data-error-summary')"), name
            focused = page.evaluate(FOCUS_STYLE_JS)
        else:
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUS_STYLE_JS)
            assert focused["text"] == "Aller au contenu principal", f"{name} : premier élément {focused}"
        assert focused["outline"] or focused["shadow"], f"{name} : focus invisible"
        if url.startswith(("/acteurs/?", "/actions/?")) or url in ("/acteurs/", "/actions/"):
            assert page.locator("[aria-live=polite][role=status]").count() == 1, name
    duplicates = {
        t: urls
        for t, urls in titles.items()
        if len(urls) > 1 and not all(u.startswith(urls[0].split("?")[0]) for u in urls)
    }
    assert duplicates == {}
    print(f"\naxe-core ({width} px) : {len(PAGE_TYPES)} pages, {len(rules_run)} règles exécutées, 0 violation.")


def test_focus_is_visible_on_every_interactive_element_of_the_list(site, page):
    page.goto(site + "/acteurs/")
    seen = 0
    for _ in range(40):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE_JS)
        if state["tag"] == "BODY":
            break
        assert state["outline"] or state["shadow"], state
        seen += 1
    assert seen >= 15


@pytest.mark.parametrize("url", ["/acteurs/?departement=50", "/recherche/?q=scop"])
def test_result_count_is_announced(site, page, url):
    page.goto(site + url)
    status = page.locator("[role=status][aria-live=polite]")
    assert status.count() == 1
    assert "5 acteurs" in status.inner_text() or "résultat" in status.inner_text()
