"""The admin home shows the work: « À faire » (contributions to moderate, profiles to
re-verify, drafts of actors, programmes and actions) and « Modifications récentes », the
last changes across the content, who made them and a link to each — in a fixed number of
queries."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.admin import drafts_to_publish
from actions.models import Action, Partnership, Programme
from actors.models import Organisation, Status
from common.admin import RECENT_CHANGES, staff_dashboard
from tests.cress.test_history import form_data
from tests.factories import ActionFactory, PartnerFactory, ProgrammeFactory


def recent_rows(page):
    block = re.search(r'id="modifications-recentes">(.*?)</table>', page, re.S).group(1)
    return re.findall(r"<tr>\s*<td class=\"nowrap\">(.*?)</tr>", block, re.S)


def plain(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).replace("&#x27;", "'").strip()


def test_the_actions_app_registers_its_drafts_on_the_home():
    assert drafts_to_publish in staff_dashboard


@pytest.mark.django_db
def test_drafts_of_programmes_and_actions_are_counted_with_a_link(directory, editor_client):
    programmes = Programme.objects.filter(status=Status.DRAFT).count()
    actions = Action.objects.filter(status=Status.DRAFT).count()
    ProgrammeFactory.create_batch(2, status=Status.DRAFT)
    ActionFactory.create_batch(
        3, status=Status.DRAFT, programme=Programme.objects.get(slug="uraf-enquete-perte-d-autonomie")
    )
    page = editor_client.get(reverse("admin:index")).content.decode()
    todo = plain(re.search(r'id="a-faire">(.*?)</table>', page, re.S).group(1))
    assert f"Programmes en brouillon {programmes + 2} programmes en brouillon" in todo
    assert f"Actions en brouillon {actions + 3} actions en brouillon" in todo
    assert f'href="{reverse("admin:actions_programme_changelist")}?status__exact=brouillon"' in page
    assert f'href="{reverse("admin:actions_action_changelist")}?status__exact=brouillon"' in page
    listed = editor_client.get(reverse("admin:actions_action_changelist"), {"status__exact": "brouillon"})
    assert len(listed.context["cl"].result_list) == actions + 3


@pytest.mark.django_db
def test_one_draft_is_singular_and_none_says_so(directory, editor_client):
    Action.objects.filter(status=Status.DRAFT).update(status=Status.PUBLISHED)
    Programme.objects.filter(status=Status.DRAFT).update(status=Status.PUBLISHED)
    ProgrammeFactory(status=Status.DRAFT)
    todo = plain(re.search(r'id="a-faire">(.*?)</table>', editor_client.get(reverse("admin:index")).content.decode(),
                           re.S).group(1))  # fmt: skip
    assert "Programmes en brouillon 1 programme en brouillon" in todo
    assert "Actions en brouillon Rien pour l'instant" in todo


@pytest.mark.django_db
def test_the_recent_changes_say_who_changed_what_when_with_a_link(directory, editor_client):
    uraf = Organisation.objects.get(slug="uraf")
    url = reverse("admin:actors_organisation_change", args=[uraf.pk])
    data = form_data(editor_client.get(url))
    data["summary"] = "Résumé revu par l'éditrice."
    assert editor_client.post(url, data).status_code == 302
    programme = Programme.objects.get(slug="uraf-enquete-perte-d-autonomie")
    partner = PartnerFactory(name="Caisse d'essai")
    Partnership.objects.create(organisation=partner, programme=programme, role="partenaire")

    page = editor_client.get(reverse("admin:index")).content.decode()
    rows = recent_rows(page)
    assert 1 <= len(rows) <= RECENT_CHANGES
    texts = [plain(row) for row in rows]
    assert "Création · Partenariat : Caisse d'essai — Enquête" in texts[0], (
        "the partner and the programme, by name"
    )
    assert "traitement automatique" in texts[0], "saved by code, not by someone"
    assert "Création · Organisation : Caisse d'essai" in texts[1]
    edited = texts.index(next(t for t in texts if "Union Régionale des Associations Familiales" in t))
    assert edited == 2, "newest first, across models"
    assert "Modification · Organisation : Union Régionale des Associations Familiales" in texts[edited]
    assert "editrice" in texts[edited]
    assert f'href="{url}"' in rows[edited], "a link to the object's form"
    assert re.search(r"\d{1,2} \w+\.? \d{4} à \d{2}:\d{2}", texts[edited]), "when"


@pytest.mark.django_db
def test_a_deleted_object_is_listed_without_a_link(directory, editor_client):
    action = ActionFactory(
        title="Action supprimée ensuite",
        programme=Programme.objects.get(slug="uraf-enquete-perte-d-autonomie"),
    )
    action.delete()
    newest = recent_rows(editor_client.get(reverse("admin:index")).content.decode())[0]
    assert "Suppression · Action : Action supprimée ensuite" in plain(newest)
    assert "<a " not in newest


@pytest.mark.django_db
def test_the_home_runs_a_fixed_number_of_queries(directory, editor_client):
    editor_client.get(reverse("admin:index"))  # sessions and permissions read once

    def home_queries():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse("admin:index")).status_code == 200
        return len(queries)

    before = home_queries()
    programme = Programme.objects.get(slug="uraf-enquete-perte-d-autonomie")
    for _ in range(30):
        ActionFactory(programme=programme, status=Status.DRAFT)
        Partnership.objects.create(organisation=PartnerFactory(), programme=programme, role="partenaire")
    after = home_queries()
    assert after == before, "no query per change shown"
    assert before <= 25


@pytest.mark.django_db
def test_staff_see_only_what_they_may_view(directory):
    clerk = User.objects.create_user("stagiaire", password="un-mot-de-passe-solide-6", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_programme"))
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("admin:index")).content.decode()
    assert 'id="a-faire"' not in page, "nothing to do without the right to change"
    kinds = {re.search(r"· (\w+) :", plain(row)).group(1) for row in recent_rows(page)}
    assert kinds == {"Programme"}
