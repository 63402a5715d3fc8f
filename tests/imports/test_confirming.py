"""Who may confirm a simulated import (issue 23): its author or an administrator — an
editor does not import an administrator's file under that person's name — and the record
names who confirmed it."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from actors.models import Organisation
from imports.models import ImportRecord
from tests.imports.test_admin_and_merge import upload


def logged_in(username, group):
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(group)
    client = Client()
    client.force_login(user)
    return client


def confirm(client, record):
    return client.post(reverse("admin:imports_importrecord_confirm", args=[record.pk]))


@pytest.mark.django_db
def test_an_editor_cannot_confirm_an_administrator_s_simulation(directory, staff_groups, editor_client):
    administrator = logged_in("admin-cress", staff_groups[1])
    upload(administrator)
    record = ImportRecord.objects.get()
    report_url = reverse("admin:imports_importrecord_report", args=[record.pk])
    page = editor_client.get(report_url).content.decode()
    assert "Importer « adherents.csv »" not in page
    assert "Seuls admin-cress (qui a envoyé le fichier) et un administrateur peuvent confirmer cet import." in page
    assert confirm(editor_client, record).status_code == 403
    record.refresh_from_db()
    assert record.state == ImportRecord.State.SIMULATED and record.confirmed_by is None
    assert not Organisation.objects.filter(name="Crèche des Lilas").exists()
    assert "Importer « adherents.csv »" in administrator.get(report_url).content.decode()


@pytest.mark.django_db
def test_the_author_or_an_administrator_confirms_and_the_record_says_who(directory, staff_groups, editor,
                                                                          editor_client):  # fmt: skip
    upload(editor_client)
    record = ImportRecord.objects.get()
    administrator = logged_in("admin-cress", staff_groups[1])
    assert confirm(administrator, record).status_code == 302
    record.refresh_from_db()
    assert record.state == ImportRecord.State.IMPORTED
    assert (record.user.username, record.confirmed_by.username) == ("editrice", "admin-cress")
    page = administrator.get(reverse("admin:imports_importrecord_change", args=[record.pk])).content.decode()
    assert "importé par" in page.lower() and "admin-cress" in page

    upload(editor_client, b"nom;commune;secteurs\nJardin des Lilas;14118;Petite enfance\n")
    own = ImportRecord.objects.filter(state=ImportRecord.State.SIMULATED).get()
    assert confirm(editor_client, own).status_code == 302
    own.refresh_from_db()
    assert own.confirmed_by == editor
