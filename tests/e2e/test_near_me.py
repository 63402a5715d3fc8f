"""« Who can help me, near me »: a visitor types a postcode or a commune as they write it,
in the one box, and reaches an organisation working there (cress/one_box.py,
territories/resolver.py ``read``). axe and the Nu checker cover these pages at 375 and
1280 px through ``cress.accessibility.AUDITED_PAGES``."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from territories.models import Territory
from territories.resolver import Catalogue
from tests.factories import OrganisationFactory

from .test_journeys import NO_OVERFLOW_JS, csp_violations


@pytest.fixture
def in_lisieux(site):
    Catalogue.forget()
    lisieux = Territory.objects.get(key="14366")
    return OrganisationFactory(
        slug="epicerie-lisieux", name="Épicerie solidaire du Pays d'Auge", territories=[lisieux], commune=lisieux,
        latitude=Decimal("49.146"), longitude=Decimal("0.226"), summary="Une épicerie solidaire à Lisieux.",
    )  # fmt: skip


@pytest.mark.parametrize("width", [375, 1280])
def test_a_postcode_in_the_home_box_reaches_an_organisation_working_there(site, page, in_lisieux, width):
    page.set_viewport_size({"width": width, "height": 900})
    violations = csp_violations(page)
    page.goto(site + "/")
    box = page.get_by_label("Qui peut m'aider, près de chez moi ?")
    box.fill("14100")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/acteurs/\?commune=14100$"))
    reading = page.locator("[data-near-reading]")
    expect(reading).to_contain_text("« 14100 » est lu comme le code postal de 14100 — Lisieux et")
    expect(reading).to_contain_text("Vous cherchiez plutôt Bretteville-sur-Laize (dont le code INSEE est 14100) ?")
    first = page.locator("[data-result]").first
    expect(first).to_contain_text("Épicerie solidaire du Pays d'Auge")
    expect(first.locator("[data-where]")).to_contain_text("Lisieux")
    expect(first.locator(".card-distance")).to_have_text("À moins d'1 km de Lisieux")
    if width == 375:
        assert page.evaluate(NO_OVERFLOW_JS)
        assert first.bounding_box()["y"] < 2 * 900, "the first result within two screens of a phone"
    first.get_by_role("link", name="Épicerie solidaire du Pays d'Auge").click()
    expect(page.locator("h1")).to_have_text("Épicerie solidaire du Pays d'Auge")
    assert violations == []


def test_st_lo_and_a_typo_from_the_header_box_on_a_phone(site, page):
    Catalogue.forget()
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site + "/territoires/")
    box = page.get_by_role("searchbox", name=re.compile("Rechercher dans l'annuaire"))
    box.fill("St-Lô")
    box.press("Enter")
    expect(page.locator("[data-near-reading]")).to_contain_text("« St-Lô » est lu comme la commune Saint-Lô")
    expect(page.locator("#nombre-resultats")).to_be_visible()
    # A typo: the words' results, and « Vouliez-vous dire … ? » one click from Saint-Lô.
    page.goto(site + "/territoires/")
    box = page.get_by_role("searchbox", name=re.compile("Rechercher dans l'annuaire"))
    box.fill("Sant-Lo")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche/\?q=Sant-Lo"))
    page.get_by_role("link", name="Saint-Lô", exact=True).click()
    expect(page.locator("[data-near-reading]")).to_contain_text("la commune Saint-Lô")
    # A name several communes start with: each one a click away, the other filters kept.
    page.goto(site + "/acteurs/?commune=Saint-Pierre")
    expect(page.locator(".notice-error")).to_contain_text("Choisissez votre commune")
    page.get_by_role("link", name="Saint-Pierre-en-Auge", exact=True).click()
    expect(page.locator("[data-near-reading]")).to_contain_text("Saint-Pierre-en-Auge")
    assert page.evaluate(NO_OVERFLOW_JS)
