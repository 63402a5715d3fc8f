"""The admin at 1280 px, the width CRESS staff work at: no form and no list wider than
the window, list columns whole (nothing cut off in the list's own scroll box), the date of
a programme typed in French — under the Content-Security-Policy, with nothing refused.
The admin home and a history at 375 px, on a phone: as wide as the screen."""

import pytest
from django.contrib import admin
from django.urls import reverse

from actions.models import Action, Programme
from actors.models import Organisation

from .conftest import SCREENSHOTS
from .test_journeys import NO_OVERFLOW_JS, csp_violations, log_in_as_editor, no_tiles

WIDTH = 1280
LIST_COLUMNS_WHOLE_JS = """() => [...document.querySelectorAll('#changelist .results')]
    .every(box => box.scrollWidth <= box.clientWidth)"""
PAGE_WIDTH_JS = "() => document.documentElement.scrollWidth"


@pytest.fixture
def editor_page(site, page):
    page.set_viewport_size({"width": WIDTH, "height": 900})
    no_tiles(page)
    violations = csp_violations(page)
    log_in_as_editor(page, site)
    yield page
    assert violations == [], "nothing refused by the Content-Security-Policy"


def change(model, slug):
    obj = model.objects.get(slug=slug)
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


def test_forms_and_the_organisation_list_fit_in_1280_px(site, editor_page):
    page = editor_page
    for url in (
        reverse("admin:actors_organisation_changelist"),
        change(Organisation, "fondation-caisse-d-epargne"),  # programmes, quotes, key figures inline
        change(Programme, "mutualite-secteur-d-actions-sociales"),  # eight actions inline
        change(Action, "halte-garderie-itinerante"),  # four partners inline
        reverse("admin:actors_organisation_add"),
        reverse("admin:actions_programme_add"),
        reverse("admin:actions_action_add"),
    ):
        page.goto(site + url)
        width = page.evaluate(PAGE_WIDTH_JS)
        assert page.evaluate(NO_OVERFLOW_JS), f"{url} : {width} px de large dans une fenêtre de {WIDTH} px"
        assert page.evaluate(LIST_COLUMNS_WHOLE_JS), f"{url} : des colonnes de la liste sont coupées"


def test_every_content_list_fits_in_1280_px(site, editor_page):
    page = editor_page
    for model in admin.site._registry:
        if model._meta.app_label not in {"actors", "actions", "suggestions"}:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        page.goto(site + url)
        assert page.evaluate(NO_OVERFLOW_JS), f"{url} : {page.evaluate(PAGE_WIDTH_JS)} px"
        assert page.evaluate(LIST_COLUMNS_WHOLE_JS), f"{url} : des colonnes de la liste sont coupées"
    # The organisation names read on at most two lines.
    page.goto(site + reverse("admin:actors_organisation_changelist"))
    heights = page.evaluate(
        """() => [...document.querySelectorAll('#result_list td.field-name_and_acronym, #result_list th.field-name_and_acronym')]
            .map(cell => cell.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight || 16))"""
    )
    assert heights and max(heights) < 4.5, heights


def test_a_date_typed_in_french_in_the_browser(site, editor_page):
    page = editor_page
    url = change(Programme, "uriopss-plan-d-action-2008")
    page.goto(site + url)
    page.locator("#id_period_start").fill("31 février 2008")
    page.locator("input[name=_save]").first.click()  # Save, at the top of the form
    error = page.locator(".errorlist#id_period_start_error")
    assert "Il n'y a pas de 31 février." in error.inner_text()
    assert page.locator("#id_period_start").input_value() == "31 février 2008"
    page.locator("#id_period_start").fill("depuis 2001")
    page.locator("input[name=_continue]").first.click()
    assert page.locator("#id_period_start").input_value() == "depuis 2001"
    programme = Programme.objects.get(slug="uriopss-plan-d-action-2008")
    assert (programme.start_year, programme.since) == (2001, True)


PHONE = 375
PAGE_HEIGHT_JS = "() => document.documentElement.scrollHeight"
# The admin home at 375 px was 718 px wide and 18,574 px tall (issue 20: the list of
# models squeezed into a column of one letter per line). Now: as wide as the screen, and
# about as tall as its content read in one column.
PHONE_HOME_MAX_HEIGHT = 4000


def test_the_admin_home_and_a_history_are_usable_on_a_phone(site, page):
    """At 375 px: no page wider than the screen, the home a few screens tall; the
    screenshots at 375 and 1280 px go to artifacts/screenshots/."""
    no_tiles(page)
    violations = csp_violations(page)
    page.set_viewport_size({"width": PHONE, "height": 800})
    log_in_as_editor(page, site)
    history = reverse("admin:actors_organisation_history",
                      args=[Organisation.objects.get(slug="coorace-basse-normandie").pk])  # fmt: skip
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, url in (("admin-home", reverse("admin:index")), ("admin-history", history)):
        for width in (PHONE, WIDTH):
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(site + url)
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
            scroll_width, height = page.evaluate(PAGE_WIDTH_JS), page.evaluate(PAGE_HEIGHT_JS)
            print(f"{url} à {width} px : {scroll_width} × {height} px")
            assert scroll_width <= width, f"{url} : {scroll_width} px de large dans une fenêtre de {width} px"
            if name == "admin-home" and width == PHONE:
                assert height <= PHONE_HOME_MAX_HEIGHT, f"{url} : {height} px de haut à {PHONE} px"
    assert violations == []


BUTTON_JS = """(selector) => {
    const style = getComputedStyle(document.querySelector(selector));
    const root = getComputedStyle(document.documentElement);
    return {background: style.backgroundColor, radius: style.borderTopLeftRadius, border: style.borderTopStyle,
            expected: [root.getPropertyValue('--button-bg').trim(), root.getPropertyValue('--default-button-bg').trim()]};
}"""
TO_RGB_JS = """(color) => { const e = document.createElement('i'); e.style.color = color; document.body.append(e);
    const rgb = getComputedStyle(e).color; e.remove(); return rgb; }"""


def test_the_import_and_merge_pages_have_the_admins_buttons_and_radios(site, page):
    """« Simuler l'import » and « Fusionner » are <button>s: they look like Django's
    buttons (its colours, rounded, no border), not the browser's grey ones; the merge's
    choice of the record to keep (an administrator's) reads one choice per line, each radio
    before its label."""
    from django.contrib.auth.models import User

    from imports.models import DuplicatePair
    from tests.factories import OrganisationFactory

    page.set_viewport_size({"width": WIDTH, "height": 900})
    User.objects.create_superuser("administratrice", password="un-mot-de-passe-de-test-1")
    page.goto(site + reverse("admin:login"))
    page.get_by_label("Nom d’utilisateur").fill("administratrice")
    page.get_by_label("Mot de passe").fill("un-mot-de-passe-de-test-1")
    page.get_by_role("button", name="Connexion").click()
    page.goto(site + reverse("admin:imports_importrecord_add"))
    button = page.evaluate(BUTTON_JS, ".import-page .submit-row button[type=submit]")
    expected = [page.evaluate(TO_RGB_JS, color) for color in button["expected"]]
    assert button["background"] in expected and button["radius"] == "4px" and button["border"] == "none", button
    page.screenshot(path=str(SCREENSHOTS / f"admin-import-{WIDTH}.png"), full_page=True)

    first, second = sorted(OrganisationFactory.create_batch(2, name="Épicerie solidaire"), key=lambda o: o.pk)
    pair = DuplicatePair.objects.create(first=first, second=second, reason="name_commune", score=0.97)
    page.goto(site + reverse("admin:imports_duplicatepair_merge", args=[pair.pk]))
    # « Organisation à garder »: one choice per line, each radio before its label.
    radios = page.locator("form input[type=radio][name=keep]")
    assert radios.count() == 2
    boxes = [radios.nth(i).bounding_box() for i in range(2)]
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"] - 1, "one choice per line"
    for i in range(2):
        label = page.locator(f"label[for='{radios.nth(i).get_attribute('id')}']")
        assert boxes[i]["x"] <= label.bounding_box()["x"], "the radio before its label"
        assert label.evaluate("l => getComputedStyle(l).cssFloat") == "none"
    page.screenshot(path=str(SCREENSHOTS / f"admin-merge-{WIDTH}.png"), full_page=True)
