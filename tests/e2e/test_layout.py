"""Phone first: on every page type no horizontal scrolling at 320 and 375 px; on every
list, the result count and the first result on a phone's first screen (375 × 812); the
main navigation and the filter controls at least 44 × 44 px (axe's WCAG 2.2 run checks the
24 × 24 px minimum of the others)."""

import pytest

from cress.accessibility import AUDITED_PAGES, LISTS

NO_OVERFLOW_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"
BOX_JS = """(selector) => { const el = document.querySelector(selector); if (!el) return null;
  const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; }"""
SMALL_TARGETS_JS = """(selector) => Array.from(document.querySelectorAll(selector))
  .filter(el => el.offsetParent !== null)
  .map(el => { const r = el.getBoundingClientRect();
               return {what: el.outerHTML.slice(0, 80), width: Math.round(r.width), height: Math.round(r.height)}; })
  .filter(box => box.width < 44 || box.height < 44)"""
CONTROLS = ".main-nav a, .filters input:not([type=hidden]), .filters select, .filters button, .filters-panel > summary"


@pytest.mark.parametrize("width", [320, 375])
def test_no_horizontal_scrolling_on_any_page_type(site, page, width):
    page.set_viewport_size({"width": width, "height": 812})
    overflowing = []
    for name, url in AUDITED_PAGES.items():
        page.goto(site + url)
        if not page.evaluate(NO_OVERFLOW_JS):
            overflowing.append((name, url, page.evaluate("() => document.documentElement.scrollWidth")))
    assert overflowing == []


def test_the_count_and_the_first_result_are_on_a_phone_s_first_screen(site, page):
    page.set_viewport_size({"width": 375, "height": 812})
    late = []
    for name, url in LISTS.items():
        page.goto(site + url)
        count = page.evaluate(BOX_JS, "[data-result-count]")
        first = page.evaluate(BOX_JS, "[data-result] a, .empty")
        assert count is not None and first is not None, name
        if count["bottom"] > 812 or first["bottom"] > 812:
            late.append((name, round(count["bottom"]), round(first["bottom"])))
    assert late == []


@pytest.mark.parametrize("width", [375, 1280])
def test_navigation_and_filter_controls_are_44_pixels(site, page, width):
    page.set_viewport_size({"width": width, "height": 900})
    for url in ("/acteurs/", "/actions/?departement=14", "/acteurs/carte/"):
        page.goto(site + url)
        if width < 768:
            page.locator(".filters-panel > summary").click()
        assert page.evaluate(SMALL_TARGETS_JS, CONTROLS) == [], url


def test_filters_fold_on_a_phone_and_stay_open_on_a_wide_screen(site, page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site + "/acteurs/?departement=14")
    summary = page.locator(".filters-panel > summary")
    assert summary.inner_text().strip() == "Filtres (1)"
    assert not page.locator("#id_secteur").is_visible()
    summary.click()
    assert page.locator("#id_secteur").is_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/acteurs/")
    assert page.locator("#id_secteur").is_visible() and not summary.is_visible()
