"""Nothing lost: the history of staff edits (who, when, which fields), restored by an
administrator only; the second of two editors saving the same object is refused with a
French message that shows what changed meanwhile; a backup restores everything."""

import json

import pytest
from django.contrib.auth.models import User
from django.core import serializers
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from actions.models import Programme
from actors.models import ListingCount, Organisation, Status

PROFILE_FORM = "admin:actors_organisation_change"


def form_data(response):
    """The fields of the admin change form as it was rendered (like a browser would post)."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = (
            [str(v.pk if hasattr(v, "pk") else v) for v in value]
            if isinstance(value, (list, tuple))
            else value
        )
    for formset in response.context.get("inline_admin_formsets", []):
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{formset.formset.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is not None:
                    data[inline_form.add_prefix(name)] = value
    return {k: v for k, v in data.items() if v is not False}


@pytest.fixture
def administrator(staff_groups):
    user = User.objects.create_user("administratrice", password="un-mot-de-passe-solide-1", is_staff=True)
    user.groups.add(staff_groups[1])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_history_records_who_changed_which_field(directory, editor_client):
    uraf = Organisation.objects.get(slug="uraf")
    url = reverse(PROFILE_FORM, args=[uraf.pk])
    data = form_data(editor_client.get(url))
    data["summary"] = "Résumé revu par l'éditrice."
    assert editor_client.post(url, data).status_code == 302
    record = uraf.history.first()
    assert record.history_user.username == "editrice"
    delta = record.diff_against(record.prev_record)
    assert [(c.field, c.new) for c in delta.changes if c.field == "summary"] == [
        ("summary", "Résumé revu par l'éditrice.")
    ]
    history_page = editor_client.get(
        reverse("admin:actors_organisation_history", args=[uraf.pk])
    ).content.decode()
    assert "editrice" in history_page and "Résumé revu par l&#x27;éditrice." in history_page


@pytest.mark.django_db
def test_the_loader_writes_history_with_its_label(directory):
    assert Organisation.objects.get(slug="uraf").history.last().history_change_reason == (
        "Chargement du contenu source (load_directory)"
    )


@pytest.mark.django_db
def test_an_administrator_restores_an_earlier_version_an_editor_cannot(
    directory, editor_client, administrator
):
    uraf = Organisation.objects.get(slug="uraf")
    original = uraf.summary
    url = reverse(PROFILE_FORM, args=[uraf.pk])
    data = form_data(editor_client.get(url))
    data["summary"] = "Une erreur de saisie."
    editor_client.post(url, data)
    first = uraf.history.earliest("history_date")
    restore = reverse("admin:actors_organisation_simple_history", args=[uraf.pk, first.history_id])
    editor_form = editor_client.get(restore)
    assert editor_client.post(restore, form_data(editor_form)).status_code == 403
    admin_form = administrator.get(restore)
    assert administrator.post(restore, form_data(admin_form)).status_code == 302
    assert Organisation.objects.get(pk=uraf.pk).summary == original


@pytest.mark.django_db
def test_the_second_of_two_editors_is_told_what_changed_and_loses_nothing(directory, editor, staff_groups):
    first, second = Client(), Client()
    other = User.objects.create_user("collegue", password="un-mot-de-passe-solide-2", is_staff=True)
    other.groups.add(staff_groups[0])
    first.force_login(editor)
    second.force_login(other)
    uraf = Organisation.objects.get(slug="uraf")
    url = reverse(PROFILE_FORM, args=[uraf.pk])
    mine, theirs = form_data(first.get(url)), form_data(second.get(url))

    theirs["name"] = "URAF (nom corrigé par la collègue)"
    assert second.post(url, theirs).status_code == 302
    mine["summary"] = "Mon résumé, tapé pendant ce temps."
    refused = first.post(url, mine)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Cette fiche a été modifiée pendant que vous la modifiiez" in page
    assert "collegue" in page and "URAF (nom corrigé par la collègue)" in page
    assert "Mon résumé, tapé pendant ce temps." in page, "nothing typed is lost"
    stored = Organisation.objects.get(pk=uraf.pk)
    assert stored.name == "URAF (nom corrigé par la collègue)" and stored.summary != mine["summary"]


@pytest.mark.django_db
def test_one_editor_saving_twice_is_not_refused(directory, editor_client):
    programme = Programme.objects.get(slug="uriopss-plan-d-action-2008")
    url = reverse("admin:actions_programme_change", args=[programme.pk])
    for summary in ("Premier résumé.", "Second résumé."):
        data = form_data(editor_client.get(url))
        data["summary"] = summary
        assert editor_client.post(url, data).status_code == 302
    assert Programme.objects.get(pk=programme.pk).summary == "Second résumé."


CONTENT = ["territories", "actors", "actions", "suggestions"]


def snapshot():
    from django.apps import apps

    result = {}
    for label in CONTENT:
        for model in apps.get_app_config(label).get_models():
            # JSON keeps milliseconds: 12:00:00.000412 comes back as 12:00:00, written « …00Z ».
            text = serializers.serialize("json", model.objects.order_by("pk")).replace('.000Z"', 'Z"')
            rows = json.loads(text)
            if model is ListingCount:  # derived, kept by PostgreSQL: the counts, not their keys
                rows = sorted(tuple(row["fields"].values()) for row in rows if row["fields"]["n"])
            result[model._meta.label] = rows
    return result


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_same_content_history_included(directory, tmp_path):
    Organisation.objects.filter(slug="uraf").update(status=Status.ARCHIVED)
    uraf = Organisation.objects.get(slug="uraf")
    uraf.summary = "Modifié avant la sauvegarde."
    uraf.save()
    from suggestions.models import Kind, Suggestion

    Suggestion.objects.create(
        kind=Kind.CORRECTION, organisation=uraf, what_is_wrong="Une contribution en attente."
    )
    before = snapshot()
    assert before["actors.HistoricalOrganisation"], "history is part of the backup"
    assert before["suggestions.Suggestion"], "contributions waiting for moderation are part of it"
    path = tmp_path / "sauvegarde.json"
    call_command("dumpdata", *CONTENT, "auth.user", "auth.group", exclude=["actors.ListingCount"],
                 output=str(path), natural_foreign=True, natural_primary=True, verbosity=0)  # fmt: skip
    call_command("flush", "--no-input", verbosity=0)
    assert not Organisation.objects.exists()
    call_command("restore_backup", str(path), verbosity=0)
    assert snapshot() == before
