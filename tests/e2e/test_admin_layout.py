"""The admin at 1280 px, the width CRESS staff work at: no form and no list wider than
the window, list columns whole (nothing cut off in the list's own scroll box), the date of
a programme typed in French — under the Content-Security-Policy, with nothing refused."""

import pytest
from django.contrib import admin
from django.urls import reverse

from actions.models import Action, Programme
from actors.models import Organisation

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
