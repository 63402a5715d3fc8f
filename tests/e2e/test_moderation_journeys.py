"""Moderation that tells the truth, and an organisation that keeps its own record, in a
real browser: a moderator applies a visitor's correction — the visitor's e-mail leaves
only once the record is saved —, and an organisation updates its phone from its link,
which a moderator accepts. Screenshots of both screens at 1280 and 375 px."""

import re
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from actors.models import Organisation
from suggestions import verification
from suggestions.models import Kind, State, Suggestion
from territories.models import Territory
from tests.factories import OrganisationFactory

from .conftest import run_axe, vnu_errors
from .test_journeys import NO_OVERFLOW_JS, csp_violations, log_in_as_editor, no_tiles

SHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots" / "issue-20"
WIDTHS = (1280, 375)


def screenshots(page, name):
    """``name``-1280.png and ``name``-375.png of the page as it is, whole; no horizontal
    scrolling at either width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        path = SHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000
    page.set_viewport_size({"width": 1280, "height": 900})


def epicerie():
    orbec = Territory.objects.get(key="14478")
    return OrganisationFactory(
        name="Épicerie solidaire d'Orbec", slug="epicerie-solidaire-orbec", street_address="3 rue Grande",
        postcode="14290", commune=orbec, territories=[orbec], phone="02 31 00 00 00", phone_public=False,
        email="contact@epicerie.example", website="https://epicerie.example",
    )  # fmt: skip


def to_the_visitor():
    return [m for m in mail.outbox if m.to == ["voisine@example.org"]]


def test_a_moderator_accepts_a_correction_and_the_email_leaves_after_the_save(site, page):
    violations = csp_violations(page)
    no_tiles(page)
    record = epicerie()
    suggestion = Suggestion.objects.create(
        kind=Kind.CORRECTION, organisation=record, what_is_wrong="L'épicerie a déménagé.",
        proposed_text="8 place Foch, 14290 Orbec", sender_email="voisine@example.org",
    )  # fmt: skip
    log_in_as_editor(page, site)
    page.goto(site + reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    # The screen: what was sent, read-only; Accept and Refuse; no « Enregistrer ».
    expect(page.locator("fieldset")).to_have_count(2)
    expect(page.locator("input[name=_save]")).to_have_count(0)
    expect(page.get_by_label(re.compile("Motif du refus"))).to_have_count(1)
    screenshots(page, "moderation-correction")

    page.get_by_role("button", name="Accepter : ouvrir la fiche avec la proposition").click()
    expect(page.locator(".contribution-beside")).to_contain_text("8 place Foch, 14290 Orbec")
    assert to_the_visitor() == [], "opening the record tells nobody anything"
    page.locator("#id_street_address").fill("8 place Foch")
    assert to_the_visitor() == []
    page.locator("input[name=_continue]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("a été modifié")
    # After the save: the box is gone, the contribution is listed and linked.
    expect(page.locator(".contribution-beside")).to_have_count(0)
    expect(page.locator(".record-contributions")).to_contain_text(f"Contribution n° {suggestion.pk}")
    [sent] = to_the_visitor()
    assert sent.subject == "Votre contribution à l'annuaire : la fiche a été mise à jour"
    assert "/acteurs/epicerie-solidaire-orbec/" in sent.body
    suggestion.refresh_from_db()
    assert suggestion.state == State.ACCEPTED

    page.get_by_role("link", name="Historique").click()
    expect(page.locator("#content")).to_contain_text(f"Contribution n° {suggestion.pk} (erreur signalée)")
    page.goto(site + "/acteurs/epicerie-solidaire-orbec/")
    expect(page.locator(".summary-box")).to_contain_text("8 place Foch, 14290 Orbec")
    assert violations == []


def test_an_organisation_updates_its_phone_and_a_moderator_accepts_it(
    site, page, audit_page, axe_source, vnu_jar, tmp_path
):
    violations = csp_violations(page)
    no_tiles(page)
    record = epicerie()
    link = site + reverse("suggestions:verify", args=[verification.make_token(record)])

    # The organisation, from the link it received: no account.
    page.goto(link)
    page.get_by_role("link", name="Mettre à jour la fiche").click()
    expect(page.locator("h1")).to_have_text("Mettre à jour la fiche « Épicerie solidaire d'Orbec »")
    expect(page.get_by_label("Téléphone", exact=True)).to_have_value("02 31 00 00 00")
    page.get_by_label("Téléphone", exact=True).fill("02 31 44 55 66")
    # Consent is asked beside the detail (radio buttons: no JavaScript needed).
    page.get_by_role("group", name=re.compile("un téléphone")).get_by_label("Oui, il peut être publié").check()
    screenshots(page, "organisation-update")
    for width in WIDTHS:
        audit_page.set_viewport_size({"width": width, "height": 900})
        audit_page.goto(page.url)
        assert run_axe(audit_page, axe_source)["violations"] == []
        assert audit_page.evaluate(NO_OVERFLOW_JS)
    source = tmp_path / "organisation-update.html"
    source.write_text(page.content(), encoding="utf-8")
    errors = vnu_errors(vnu_jar, [source])
    assert errors == [], [(error["lastLine"], error["message"]) for error in errors]
    page.get_by_role("button", name="Envoyer les modifications à la CRESS").click()
    expect(page.locator("h1")).to_have_text("Merci, vos modifications sont arrivées")
    record.refresh_from_db()
    assert record.phone == "02 31 00 00 00", "nothing changes before moderation"
    page.goto(link)
    expect(page.locator("main")).to_contain_text("Ce lien a déjà servi")

    # The moderator: old → new, one click.
    suggestion = Suggestion.objects.get(kind=Kind.UPDATE)
    log_in_as_editor(page, site)
    page.goto(site + reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    table = page.locator("table.proposal")
    expect(table).to_contain_text("02 31 00 00 00")
    expect(table).to_contain_text("02 31 44 55 66")
    screenshots(page, "moderation-organisation-update")
    mail.outbox.clear()
    page.get_by_role("button", name="Accepter les modifications cochées").click()
    expect(page.locator(".messagelist")).to_contain_text("2 modification(s) appliquée(s)")
    expect(page.locator("#moderer")).to_contain_text("Contribution acceptée")
    record = Organisation.objects.get(pk=record.pk)
    assert (record.phone, record.phone_public) == ("02 31 44 55 66", True)
    assert [m.to for m in mail.outbox] == [["contact@epicerie.example"]]
    assert "téléphone : « 02 31 44 55 66 »" in mail.outbox[0].body
    page.goto(site + "/acteurs/epicerie-solidaire-orbec/")
    expect(page.locator("main")).to_contain_text("02 31 44 55 66")
    assert violations == []
