"""The back-office as CRESS staff see it."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from actions.models import Partnership, Programme
from actors.models import Organisation, Status
from territories.models import Territory

CONTENT_MODELS = [model for model in admin.site._registry if model._meta.app_label in {"territories", "actors", "actions"}]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_editor_sees_changelist_add_and_change_pages(directory, editor_client, model):
    assert editor_client.get(admin_url(model, "changelist")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert editor_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    expected_add = 403 if model is Territory else 200
    assert editor_client.get(admin_url(model, "add")).status_code == expected_add


@pytest.mark.django_db
@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_editor_cannot_delete(directory, editor_client, model):
    obj = model.objects.order_by("pk").first()
    assert editor_client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    assert editor_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_editor_has_no_bulk_delete_but_can_publish(directory, editor_client):
    page = editor_client.get(admin_url(Organisation, "changelist")).content.decode()
    assert "delete_selected" not in page
    assert "Publier la sélection" in page


@pytest.mark.django_db
def test_editor_cannot_reach_users_or_groups(editor_client):
    assert editor_client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert editor_client.get(reverse("admin:auth_group_changelist")).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(admin_url(Organisation, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_admin_is_in_french(editor_client):
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert 'lang="fr"' in page
    assert "Organisations" in page and "Programmes" in page


def organisation_form(**overrides):
    data = {
        "name": "Nouvelle association",
        "acronym": "",
        "alternate_name": "",
        "slug": "nouvelle-association",
        "kind": "acteur",
        "family": "association",
        "status": Status.DRAFT,
        "summary": "Une phrase tapée par l'éditrice.",
        "description": "",
        "website": "",
        "source": "",
        "siren": "",
        "siret": "",
        "rna": "",
        "programmes-TOTAL_FORMS": "0",
        "programmes-INITIAL_FORMS": "0",
        "quotes-TOTAL_FORMS": "0",
        "quotes-INITIAL_FORMS": "0",
        "key_figures-TOTAL_FORMS": "0",
        "key_figures-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_editor_creates_an_organisation(directory, editor_client):
    response = editor_client.post(admin_url(Organisation, "add"), organisation_form())
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Organisation.objects.get(slug="nouvelle-association").status == Status.DRAFT


@pytest.mark.django_db
def test_bad_siret_is_refused_in_french_and_nothing_typed_is_lost(directory, editor_client):
    response = editor_client.post(admin_url(Organisation, "add"), organisation_form(siret="73282932000075"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "la clé de contrôle (Luhn) ne correspond pas" in page
    assert "Une phrase tapée par l&#x27;éditrice." in page
    assert 'value="73282932000075"' in page
    assert not Organisation.objects.filter(slug="nouvelle-association").exists()


@pytest.mark.django_db
def test_duplicate_slug_is_refused_in_french(directory, editor_client):
    response = editor_client.post(admin_url(Organisation, "add"), organisation_form(slug="uriopss"))
    assert response.status_code == 200
    assert "existe déjà" in response.content.decode()


@pytest.mark.django_db
def test_end_before_start_is_refused(directory, editor_client):
    programme = Programme.objects.get(slug="uriopss-plan-d-action-2008")
    data = {
        "actor": programme.actor_id, "title": programme.title, "slug": programme.slug,
        "kind": programme.kind, "status": programme.status, "summary": "", "description": "",
        "source_text": "", "period_start": "2008", "period_end": "2007",
        "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0",
        "partnerships-TOTAL_FORMS": "0", "partnerships-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = editor_client.post(admin_url(Programme, "change", programme.pk), data)
    assert response.status_code == 200
    assert "La fin (2007) ne peut pas précéder le début (2008)." in response.content.decode()
    programme.refresh_from_db()
    assert programme.end_year is None


@pytest.mark.django_db
def test_deleting_an_organisation_used_by_partnerships_is_refused_with_the_list(directory, client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x-Unused-9"))
    drtefp = Organisation.objects.get(slug="drtefp")
    response = client.get(admin_url(Organisation, "delete", drtefp.pk))
    page = response.content.decode()
    assert "objets liés et protégés suivants" in page
    assert str(Partnership.objects.filter(organisation=drtefp).first()) in page.replace("&#x27;", "'")
    client.post(admin_url(Organisation, "delete", drtefp.pk), {"post": "yes"})
    assert Organisation.objects.filter(pk=drtefp.pk).exists()


@pytest.mark.django_db
def test_bulk_unpublish_and_publish(directory, editor_client):
    ids = list(Organisation.objects.actors().values_list("pk", flat=True)[:2])
    url = admin_url(Organisation, "changelist")
    editor_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert set(Organisation.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Status.DRAFT}
    editor_client.post(url, {"action": "publish", "_selected_action": ids})
    assert set(Organisation.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Status.PUBLISHED}


@pytest.mark.django_db
def test_territory_autocomplete_finds_historic_communes(directory, editor_client):
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "Livarot", "app_label": "actions", "model_name": "action", "field_name": "territories"},
    )
    labels = [item["text"] for item in response.json()["results"]]
    assert "Livarot (commune déléguée 14371)" in labels
    assert "Livarot-Pays-d'Auge (commune 14371)" in labels


@pytest.mark.django_db
def test_departement_filter_in_admin(directory, editor_client):
    response = editor_client.get(admin_url(Organisation, "changelist"), {"departement": "50"})
    names = {o.name for o in response.context["cl"].result_list}
    assert "Mutualité Française du Calvados" not in names
    assert "COORACE Basse-Normandie" in names
