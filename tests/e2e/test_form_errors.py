"""A public form sent back with errors, in a real browser on a phone (375 px): the focus is
on the error summary, the title begins with « Erreur : », a link of the summary leads to its
field, and the page passes axe-core and the Nu Html Checker. The listing form's sectors:
big boxes, one per line on a phone, in columns on a wide screen."""

from playwright.sync_api import expect

from suggestions.forms import MINIMUM_SECONDS
from tests.clock import signing_clock

from .conftest import SCREENSHOTS, run_axe, vnu_errors
from .test_journeys import NO_OVERFLOW_JS, csp_violations

REPORT = "/acteurs/uraf/signaler/"
FOCUSED_JS = "() => document.activeElement.matches('[data-error-summary]')"


def send_with_a_bad_email(page, site):
    """Sends the report form with its required field empty and a wrong e-mail; returns the
    HTML the server answered."""
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site + REPORT)
    page.get_by_label("Votre e-mail, pour recevoir la réponse (facultatif)").fill("pas-un-email")
    with (
        signing_clock(MINIMUM_SECONDS + 1),  # a person's pace: only the fields are wrong
        page.expect_response(lambda response: response.request.method == "POST") as answer,
    ):
        page.get_by_role("button", name="Envoyer").click()
        page.wait_for_load_state()
    assert answer.value.status == 400
    return answer.value.text()


def test_the_error_summary_takes_the_focus_under_the_policy(site, page):
    violations = csp_violations(page)
    send_with_a_bad_email(page, site)
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate(FOCUSED_JS)
    assert page.title().startswith("Erreur : Signaler une erreur : "), page.title()
    expect(summary.get_by_role("heading", level=2)).to_have_text("Le formulaire contient 2 erreurs")
    assert page.evaluate(NO_OVERFLOW_JS), "débordement horizontal à 375 px"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "formulaire-erreurs-375.png"), full_page=True)

    # A link of the summary leads to its field, label in view.
    summary.get_by_role("link", name="Votre e-mail, pour recevoir la réponse (facultatif) :").click()
    expect(page.locator("#id_sender_email")).to_be_focused()
    expect(page.locator("#id_sender_email")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("label[for=id_sender_email]")).to_be_in_viewport()
    expect(page.locator("#id_sender_email_error")).to_contain_text("Erreur : ")
    summary.get_by_role("link", name="Qu'est-ce qui est inexact ou manque ? :").click()
    expect(page.locator("#id_what_is_wrong")).to_be_focused()
    assert violations == []


def test_the_page_with_errors_passes_axe_and_the_nu_checker(site, audit_page, axe_source, vnu_jar, tmp_path):
    page = audit_page
    html = send_with_a_bad_email(page, site)
    assert page.evaluate(FOCUSED_JS), "the summary has the focus before the audits"
    assert page.title().startswith("Erreur : ")

    result = run_axe(page, axe_source)
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]
    assert violations == []
    assert {"target-size", "aria-valid-attr-value", "label"} <= {r["id"] for r in result["passes"]}

    path = tmp_path / "signaler-erreurs.html"
    path.write_text(html)
    errors = [f"l.{e.get('lastLine')}: {e.get('message')}" for e in vnu_errors(vnu_jar, [path])]
    assert errors == []


BOXES_JS = """() => Array.from(document.querySelectorAll('input[name=sectors]')).map(box => {
  const label = box.labels[0].getBoundingClientRect(), own = box.getBoundingClientRect();
  return {left: Math.round(label.left), top: Math.round(label.top), width: label.width, height: label.height,
          boxWidth: own.width, boxHeight: own.height};
})"""


def test_the_sectors_have_big_targets_one_per_line_on_a_phone_in_columns_on_a_wide_screen(site, page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(site + "/referencer/")
    group = page.get_by_role("group", name="Secteurs (facultatif)")
    expect(group).to_be_visible()
    boxes = page.evaluate(BOXES_JS)
    assert len(boxes) > 3
    for box in boxes:
        assert box["boxWidth"] >= 24 and box["boxHeight"] >= 24, box
        assert box["height"] >= 24 and box["width"] >= 200, box
    assert len({box["left"] for box in boxes}) == 1, "one per line on a phone"
    assert page.evaluate(NO_OVERFLOW_JS)

    # The whole label is the target: a click on its words ticks the box.
    first = page.locator("input[name=sectors]").first
    page.locator("label[for=id_sectors_0]").click(position={"x": boxes[0]["width"] - 10, "y": 10})
    expect(first).to_be_checked()

    page.set_viewport_size({"width": 1280, "height": 900})
    boxes = page.evaluate(BOXES_JS)
    assert len({box["left"] for box in boxes}) >= 2, "in columns on a wide screen"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "referencer-1280.png"), full_page=True)
