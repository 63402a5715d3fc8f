"""An organisation keeps its own record: its signed link opens a form filled with its
public fields; what it changes arrives in moderation as a proposal, old → new, that staff
apply whole or field by field in one save; the link expires and works once per change."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from actors.models import Organisation
from suggestions import verification
from suggestions.models import Kind, State, Suggestion
from territories.models import Territory
from tests.clock import signing_clock
from tests.factories import OrganisationFactory


@pytest.fixture
def epicerie(directory):
    orbec = Territory.objects.get(key="14478")
    return OrganisationFactory(
        name="Épicerie solidaire d'Orbec", street_address="3 rue Grande", postcode="14290", commune=orbec,
        phone="02 31 00 00 00", phone_public=True, email="contact@epicerie.example", email_public=False,
        website="https://epicerie.example", opening_hours="le mardi, 14 h – 18 h",
    )  # fmt: skip


def form_values(page):
    """What the form holds, as a browser would send it back (the spam-free form of a link)."""
    form = page.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def update_url(organisation):
    return reverse("suggestions:update", args=[verification.make_token(organisation)])


@pytest.mark.django_db
def test_the_link_opens_the_record_filled_in(epicerie, client):
    token = verification.make_token(epicerie)
    assert reverse("suggestions:update", args=[token]) in client.get(f"/verifier/{token}/").content.decode()
    page = client.get(reverse("suggestions:update", args=[token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="02 31 00 00 00"' in html and 'value="Orbec"' in html and "le mardi, 14 h – 18 h" in html
    assert 'value="https://epicerie.example"' in html
    values = form_values(page)
    assert (values["phone_public"], values["email_public"]) == ("oui", "non"), "consent as it stands"
    assert "qui les relit avant de les publier" in html.replace("&#x27;", "'")
    assert '<label for="id_phone">' in html


@pytest.mark.django_db
def test_the_proposal_round_trip(epicerie, client, editor_client, editor, settings,
                                 django_capture_on_commit_callbacks):  # fmt: skip
    settings.MANAGERS = [("Modération", "moderation@cress.example")]
    url = update_url(epicerie)
    data = {**form_values(client.get(url)), "phone": "02 31 99 88 77", "phone_public": "non",
            "website": "https://epicerie-orbec.example", "sender_email": "presidente@epicerie.example"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("suggestions:update-sent")
    assert [m.to for m in mail.outbox] == [["moderation@cress.example"]], "the moderators are told"

    suggestion = Suggestion.objects.get(kind=Kind.UPDATE)
    assert suggestion.organisation == epicerie and suggestion.sender_email == "presidente@epicerie.example"
    assert set(suggestion.proposal) == {"phone", "phone_public", "website"}, "the changed fields only"
    assert suggestion.proposal["phone"] == {"old": "02 31 00 00 00", "new": "02 31 99 88 77",
                                            "old_text": "02 31 00 00 00", "new_text": "02 31 99 88 77"}  # fmt: skip
    assert (suggestion.proposal["phone_public"]["old"], suggestion.proposal["phone_public"]["new"]) == (True, False)
    epicerie.refresh_from_db()
    assert epicerie.phone == "02 31 00 00 00", "nothing changes before moderation"

    # The moderation screen: old → new, a box per field, ticked.
    screen = editor_client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])).content.decode()
    assert "Mise à jour par l&#x27;organisation" in screen
    assert screen.count('name="fields"') == 3 and "02 31 99 88 77" in screen and "https://epicerie.example" in screen

    # The phone (with its consent) is accepted, the website is not.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as after_commit:
        editor_client.post(reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk]), {"fields": ["phone"]})
        assert mail.outbox == []
    for callback in after_commit:
        callback()
    epicerie.refresh_from_db()
    assert (epicerie.phone, epicerie.phone_public, epicerie.website) == (
        "02 31 99 88 77", False, "https://epicerie.example"
    ), "the consent follows its phone; the website was not chosen"
    record = epicerie.history.first()
    assert record.history_change_reason == f"Contribution n° {suggestion.pk} (mise à jour par l'organisation)"
    assert record.history_user == editor
    assert epicerie.history.count() == 2, "one save"
    suggestion.refresh_from_db()
    assert suggestion.state == State.ACCEPTED and suggestion.applied_fields == ["phone", "phone_public"]
    [sent] = mail.outbox
    assert sent.to == ["presidente@epicerie.example"]
    assert "- téléphone : « 02 31 99 88 77 »" in sent.body and "Non retenues : site web." in sent.body
    assert epicerie.get_absolute_url() in sent.body


@pytest.mark.django_db
def test_one_click_applies_the_whole_proposal_and_warns_of_a_field_changed_meanwhile(
    epicerie, client, editor_client
):
    url = update_url(epicerie)
    data = {**form_values(client.get(url)), "street_address": "8 place Foch", "commune": "Lisieux",
            "postcode": "14100", "opening_hours": "du mardi au samedi"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    suggestion = Suggestion.objects.get(kind=Kind.UPDATE)
    Organisation.objects.filter(pk=epicerie.pk).update(opening_hours="le mercredi")  # staff, meanwhile
    screen = editor_client.get(reverse("admin:suggestions_suggestion_change", args=[suggestion.pk]))
    assert "la fiche a changé depuis" in screen.content.decode()
    response = editor_client.post(reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk]),
                                  {"fields": list(suggestion.proposal)}, follow=True)  # fmt: skip
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "horaires d'accueil" in warnings[0] and "le mercredi" in warnings[0]
    epicerie.refresh_from_db()
    assert (epicerie.street_address, epicerie.postcode, epicerie.commune.name, epicerie.opening_hours) == (
        "8 place Foch", "14100", "Lisieux", "du mardi au samedi"
    )


@pytest.mark.django_db
def test_a_contact_detail_needs_its_consent_and_errors_are_summed_up(epicerie, client):
    url = update_url(epicerie)
    data = {**form_values(client.get(url)), "email": "nouveau@epicerie.example", "email_public": "",
            "commune": "Commune qui n'existe pas"}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 400
    html = response.content.decode().replace("&#x27;", "'")
    assert "Le formulaire contient 2 erreurs" in html
    assert 'href="#id_email_public' in html and "Dites si ce contact peut être publié" in html
    assert "Commune introuvable" in html and 'value="nouveau@epicerie.example"' in html, "nothing typed is lost"
    assert not Suggestion.objects.filter(kind=Kind.UPDATE).exists()


@pytest.mark.django_db
def test_nothing_changed_sends_nothing(epicerie, client):
    url = update_url(epicerie)
    response = client.post(url, form_values(client.get(url)))
    assert response.status_code == 400 and "Vous n'avez rien modifié" in response.content.decode().replace(
        "&#x27;", "'"
    )
    assert not Suggestion.objects.exists()


@pytest.mark.django_db
def test_the_link_works_once_per_change(epicerie, client):
    url = update_url(epicerie)
    assert client.post(url, {**form_values(client.get(url)), "acronym": "ESO"}).status_code == 302
    for used in (url, url.replace("modifier/", "")):
        page = client.get(used)
        assert page.status_code == 400
        html = page.content.decode().replace("&#x27;", "'")
        assert "Ce lien a déjà servi" in html and "Pour en recevoir un nouveau, écrivez à la CRESS" in html
    # A link sent before a staff change is used up by it too.
    url = update_url(epicerie)
    epicerie.refresh_from_db()
    epicerie.summary = "Une autre phrase."
    epicerie.save()
    assert "Ce lien a déjà servi" in client.get(url).content.decode()


@pytest.mark.django_db
def test_the_link_expires(epicerie, client, settings):
    url = update_url(epicerie)
    with signing_clock(settings.DIRECTORY_VERIFICATION_DAYS * 24 * 3600 + 1):
        page = client.get(url)
        sent = client.post(url, {"name": "Autre nom"})
    assert page.status_code == 400 and "Ce lien a expiré" in page.content.decode()
    assert sent.status_code == 400 and not Suggestion.objects.exists()


@pytest.mark.django_db
def test_staff_send_a_new_link_from_the_record(epicerie, client, editor_client, django_capture_on_commit_callbacks):
    """« Écrivez à la CRESS » for a new link: staff send it from the record's form."""
    used = update_url(epicerie)
    assert client.post(used, {**form_values(client.get(used)), "acronym": "ESO"}).status_code == 302
    record_url = reverse("admin:actors_organisation_change", args=[epicerie.pk])
    send = reverse("admin:suggestions_send_link", args=[epicerie.pk])
    assert f'action="{send}"' in editor_client.get(record_url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_client.post(send)["Location"] == record_url
    [sent] = mail.outbox
    assert sent.to == ["contact@epicerie.example"]
    fresh = next(word for word in sent.body.split() if "/verifier/" in word)
    assert client.get(urlsplit(fresh).path).status_code == 200, "the new link works"
    partner = Organisation.objects.partners().first()
    no_link = reverse("admin:suggestions_send_link", args=[partner.pk])
    assert no_link not in editor_client.get(
        reverse("admin:actors_organisation_change", args=[partner.pk])
    ).content.decode()
    assert editor_client.post(no_link).status_code == 302
    assert len(mail.outbox) == 1, "a partner gets no link"
