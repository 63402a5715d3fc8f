"""« Comparer et fusionner » in a real browser: the comparison of the directory's URAF and
a file's spelling of it, at 1280 and 375 px (screenshots for issue 20), accessible (axe),
and a merge chosen, previewed and confirmed with JavaScript off."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from actors.models import Organisation
from common.staff import ADMINISTRATORS
from imports.models import DuplicatePair
from territories.models import Territory
from tests.factories import OrganisationFactory

from .conftest import run_axe
from .test_journeys import NO_OVERFLOW_JS, log_in_as

WIDEST_JS = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.merge-scroll'))
    .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots" / "issue-20"


def twins():
    """The directory's URAF (region-wide, no commune) and the same union, region-wide, as
    an import would create it: a likely duplicate « même région »."""
    uraf = Organisation.objects.get(slug="uraf")
    new = OrganisationFactory(
        name="Union régionale des associations familiales de Normandie", slug="uraf-normandie",
        phone="02 31 54 64 10", website="https://uraf-normandie.example", family="association",
        territories=[Territory.objects.get(key="region-28")],
    )  # fmt: skip
    first, second = sorted((uraf.pk, new.pk))
    return uraf, new, DuplicatePair.objects.get(first_id=first, second_id=second)


def log_in_as_administrator(page, site):
    log_in_as(page, site, "administratrice", ADMINISTRATORS)


def test_the_comparison_at_1280_and_375_px_is_accessible(site, audit_page, axe_source):
    uraf, new, pair = twins()
    assert pair.reason == "name_region"
    page = audit_page
    log_in_as_administrator(page, site)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(site + reverse("admin:imports_duplicatepair_merge", args=[pair.pk]))
        table = page.get_by_role("table", name="Comparaison champ par champ")
        expect(table).to_be_visible()
        expect(page.get_by_role("radio", name="Téléphone, valeur de B : 02 31 54 64 10")).to_be_checked()
        page.screenshot(path=str(SHOTS / f"comparison-{width}.png"), full_page=True)
        wide = page.evaluate(WIDEST_JS)
        assert page.evaluate(NO_OVERFLOW_JS), f"la page déborde à {width} px : {wide}"
        violations = run_axe(page, axe_source)["violations"]
        assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]


def test_a_merge_is_chosen_previewed_and_confirmed_without_javascript(site, browser):
    uraf, new, pair = twins()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    log_in_as_administrator(page, site)
    page.goto(site + reverse("admin:imports_duplicatepair_merge", args=[pair.pk]))
    page.get_by_role("radio", name=f"A : {uraf.name} ({uraf.slug})", exact=True).check()
    page.get_by_role("radio", name=f"Nom, valeur de {'B' if pair.second_id == new.pk else 'A'}", exact=False).check()
    page.get_by_role("button", name="Prévisualiser la fusion").click()
    expect(page.get_by_role("heading", name="Aperçu de la fusion : rien n'est encore fait")).to_be_visible()
    page.get_by_role("button", name="Fusionner", exact=False).click()
    expect(page.locator(".messagelist")).to_contain_text("a été fusionnée")
    context.close()
    uraf.refresh_from_db()
    new.refresh_from_db()
    assert new.merged_into == uraf and uraf.name == new.name and uraf.phone == "02 31 54 64 10"
