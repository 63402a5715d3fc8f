"""Moderation that tells the truth: each e-mail leaves once what it announces has happened
(the record saved, the draft published) and says exactly that; the contribution, the
record and its history link to each other; the moderation screen shows the fields of its
kind, read-only, one refusal reason, and Accept / Refuse as its actions."""

import pytest
from django.core import mail
from django.urls import reverse

from actors.models import Organisation, Sector, Status
from suggestions.models import Kind, State, Suggestion
from tests.cress.test_history import form_data

from .test_contributions import correction, stamp


def listing_request(**overrides):
    return {"name": "Recyclerie du Bessin", "identifier": "73282932000074", "street_address": "3 rue du Port",
            "postcode": "14400", "commune_name": "bayeux", "contact_email": "contact@recyclerie.example",
            "email_public": "", "contact_phone": "02 31 22 33 44", "phone_public": "on",
            "sectors": [], "territories_text": "Bessin", "description": "Réemploi et emploi.",
            "sender_email": "fondatrice@example.org", "stamp": stamp(), "website_confirmation": "",
            **overrides}  # fmt: skip


def change_url(suggestion):
    return reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])


@pytest.fixture
def reported(directory, client):
    """A pending correction of URAF's page, from a visitor who left an e-mail."""
    assert client.post("/acteurs/uraf/signaler/", correction(), REMOTE_ADDR="10.9.1.1").status_code == 302
    return Suggestion.objects.get(kind=Kind.CORRECTION)


# --- a correction: accepted by the save of its record ----------------------------------


@pytest.mark.django_db
def test_no_email_before_the_record_is_saved(reported, editor_client, django_capture_on_commit_callbacks):
    """Opening the record from « Accepter » changes nothing and tells nobody: the old
    button e-mailed « La fiche a été mise à jour » before anything changed."""
    mail.outbox.clear()
    url = reverse("admin:actors_organisation_change", args=[reported.organisation_id])
    with django_capture_on_commit_callbacks(execute=True):
        screen = editor_client.get(change_url(reported)).content.decode()
        assert f'<form method="get" action="{url}">' in screen
        opened = editor_client.get(url, {"contribution": reported.pk})
        # The former entry point (a POST) only opens the record too.
        editor_client.post(reverse("admin:suggestions_suggestion_accept", args=[reported.pk]))
    assert "Contribution à reporter" in opened.content.decode()
    reported.refresh_from_db()
    assert reported.state == State.PENDING and mail.outbox == []


@pytest.mark.django_db
def test_saving_the_record_accepts_the_correction_and_then_tells_the_sender(
    reported, editor_client, editor, client, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    url = reverse("admin:actors_organisation_change", args=[reported.organisation_id])
    data = form_data(editor_client.get(url, {"contribution": reported.pk}))
    data["name"] = "URAF Normandie"
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        response = editor_client.post(f"{url}?contribution={reported.pk}", {**data, "_continue": "1"})
        assert response.status_code == 302
        assert mail.outbox == [], "nothing leaves before the save has committed"
    for callback in after_commit:
        callback()
    [sent] = [m for m in mail.outbox if m.to == ["lectrice@example.org"]]
    assert sent.subject == "Votre contribution à l'annuaire : la fiche a été mise à jour"
    assert "a été acceptée" in sent.body and "la fiche a été mise à jour" in sent.body
    assert "http://testserver/acteurs/uraf/" in sent.body or "/acteurs/uraf/" in sent.body

    reported.refresh_from_db()
    assert (reported.state, reported.moderated_by) == (State.ACCEPTED, editor)
    record = Organisation.objects.get(pk=reported.organisation_id)
    assert record.name == "URAF Normandie"
    assert record.history.first().history_change_reason == f"Contribution n° {reported.pk} (erreur signalée)"

    # After the save, the box is gone; the record lists its contribution, with a link.
    page = editor_client.get(response["Location"]).content.decode()
    assert "Contribution à reporter" not in page
    assert f'href="{change_url(reported)}">Contribution n° {reported.pk}</a>' in page
    # …and the contribution links to the record and its history.
    screen = editor_client.get(change_url(reported)).content.decode()
    assert reverse("admin:actors_organisation_history", args=[record.pk]) in screen
    assert f"Contribution n° {reported.pk}" in screen


@pytest.mark.django_db
def test_a_save_without_the_contribution_accepts_nothing(reported, editor_client, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    url = reverse("admin:actors_organisation_change", args=[reported.organisation_id])
    data = form_data(editor_client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(url, data).status_code == 302
    reported.refresh_from_db()
    assert reported.state == State.PENDING and mail.outbox == []


# --- a listing request: a draft with everything, then « en ligne » -----------------------


@pytest.fixture
def requested(directory, client):
    sectors = list(Sector.objects.order_by("pk")[:2])
    data = listing_request(sectors=[s.pk for s in sectors])
    assert client.post("/referencer/", data, REMOTE_ADDR="10.9.1.2").status_code == 302
    return Suggestion.objects.get(kind=Kind.LISTING), sectors


@pytest.mark.django_db
def test_an_accepted_listing_carries_every_field_and_says_it_will_be_published_after_checking(
    requested, editor_client, django_capture_on_commit_callbacks
):
    suggestion, sectors = requested
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        response = editor_client.post(reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk]))
        assert mail.outbox == []
    for callback in after_commit:
        callback()
    draft = Organisation.objects.get(name="Recyclerie du Bessin")
    assert response["Location"] == reverse("admin:actors_organisation_change", args=[draft.pk])
    assert draft.status == Status.DRAFT
    assert (draft.commune.name, draft.postcode, draft.street_address) == ("Bayeux", "14400", "3 rue du Port")
    assert (draft.siret, draft.siren) == ("73282932000074", "732829320")
    assert set(draft.sectors.all()) == set(sectors)
    assert (draft.phone, draft.phone_public) == ("02 31 22 33 44", True)
    assert (draft.email, draft.email_public) == ("contact@recyclerie.example", False), "no consent given"
    assert draft.description == "Réemploi et emploi."
    suggestion.refresh_from_db()
    assert (suggestion.state, suggestion.created_organisation) == (State.ACCEPTED, draft)
    assert draft.history.first().history_change_reason == f"Contribution n° {suggestion.pk} (demande de référencement)"

    [sent] = [m for m in mail.outbox if m.to == ["fondatrice@example.org"]]
    assert "est acceptée" in sent.body and "sera publiée après vérification" in sent.body
    assert "mise à jour" not in sent.body and "en ligne dans" not in sent.body, "nothing is online yet"
    # Both ways: the record lists the request; the request names the record.
    record_page = editor_client.get(response["Location"]).content.decode()
    assert f"Contribution n° {suggestion.pk}</a> — demande de référencement dont la fiche a été créée" in record_page
    assert reverse("admin:actors_organisation_change", args=[draft.pk]) in editor_client.get(
        change_url(suggestion)
    ).content.decode()


@pytest.mark.django_db
def test_publishing_the_draft_tells_the_requester_it_is_online_once(
    requested, editor_client, django_capture_on_commit_callbacks
):
    suggestion, _ = requested
    editor_client.post(reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk]))
    draft = Organisation.objects.get(name="Recyclerie du Bessin")
    url = reverse("admin:actors_organisation_change", args=[draft.pk])
    mail.outbox.clear()
    data = form_data(editor_client.get(url))
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        assert editor_client.post(url, {**data, "status": Status.PUBLISHED}).status_code == 302
        assert mail.outbox == []
    for callback in after_commit:
        callback()
    [sent] = [m for m in mail.outbox if m.to == ["fondatrice@example.org"]]
    assert sent.subject == "La fiche de « Recyclerie du Bessin » est en ligne"
    assert draft.get_absolute_url() in sent.body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(url, form_data(editor_client.get(url)))
    assert mail.outbox == [], "told once"


@pytest.mark.django_db
def test_publishing_the_draft_in_bulk_tells_the_requester_too(
    requested, editor_client, django_capture_on_commit_callbacks
):
    suggestion, _ = requested
    editor_client.post(reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk]))
    draft = Organisation.objects.get(name="Recyclerie du Bessin")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:actors_organisation_changelist"),
                           {"action": "publish", "_selected_action": [draft.pk]})  # fmt: skip
    assert [m.subject for m in mail.outbox] == ["La fiche de « Recyclerie du Bessin » est en ligne"]


# --- the screen ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_moderation_screen_shows_the_fields_of_its_kind_only(reported, requested, editor_client):
    listing, _ = requested
    correction_page = editor_client.get(change_url(reported))
    listing_page = editor_client.get(change_url(listing))
    assert correction_page.context["adminform"].form.fields == {}, "what the public sent is read-only"
    sets = [name for name, _ in correction_page.context["adminform"].fieldsets if name]
    assert sets == ["Correction proposée"]
    sets = [name for name, _ in listing_page.context["adminform"].fieldsets if name]
    assert sets == ["L'organisation", "Adresse et contact"]
    correction_html, listing_html = correction_page.content.decode(), listing_page.content.decode()
    assert "SIREN, SIRET ou RNA" not in correction_html and "Ce qui est inexact" in correction_html
    assert "Ce qui est inexact" not in listing_html and "Bayeux (14047)" in listing_html, "the commune it will get"
    for html in (correction_html, listing_html):
        assert 'name="_save"' not in html and 'name="_continue"' not in html, "no « Enregistrer »"
        assert "moderation-primary" in html


@pytest.mark.django_db
def test_one_refusal_reason(reported, editor_client, django_capture_on_commit_callbacks):
    html = editor_client.get(change_url(reported)).content.decode()
    assert html.count("<textarea") == 1 and html.count("Motif du refus") == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("admin:suggestions_suggestion_reject", args=[reported.pk]),
                           {"reason": "La source dit l'inverse."})  # fmt: skip
    assert "La source dit l'inverse." in mail.outbox[-1].body
    html = editor_client.get(change_url(reported)).content.decode()
    assert "<textarea" not in html and html.count("La source dit l&#x27;inverse.") == 1


@pytest.mark.django_db
def test_a_correction_of_a_programme_is_accepted_by_the_programme_s_save(
    directory, client, editor_client, django_capture_on_commit_callbacks
):
    """The same hook serves every content form (common.admin.change_form_saving): here the
    programme's, with its inlines."""
    from actions.models import Programme

    programme = Programme.objects.get(slug="uraf-enquete-perte-d-autonomie")
    page = f"/actions/programmes/{programme.slug}/signaler/"
    assert client.post(page, correction(), REMOTE_ADDR="10.9.1.3").status_code == 302
    suggestion = Suggestion.objects.get(programme=programme)
    url = reverse("admin:actions_programme_change", args=[programme.pk])
    data = form_data(editor_client.get(url, {"contribution": suggestion.pk}))
    mail.outbox.clear()
    # Saved as it was: nothing was updated, nobody is told it was.
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(f"{url}?contribution={suggestion.pk}", data, follow=True)
    suggestion.refresh_from_db()
    assert suggestion.state == State.PENDING and mail.outbox == []
    assert "reste à modérer" in response.content.decode()

    data = form_data(editor_client.get(url, {"contribution": suggestion.pk}))  # the version just saved
    data["title"] = data["title"] + " (corrigé)"
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(f"{url}?contribution={suggestion.pk}", data).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.state == State.ACCEPTED
    assert programme.history.first().history_change_reason == f"Contribution n° {suggestion.pk} (erreur signalée)"
    assert [m.to for m in mail.outbox] == [["lectrice@example.org"]]
    assert programme.get_absolute_url() in mail.outbox[0].body
