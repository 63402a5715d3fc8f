"""The lists staff work from: the columns that matter, each on one line, and a fixed
number of queries whatever the number of rows (no query per row)."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Event, KeyFigure, Partnership, Programme, Quote
from actors.models import Organisation, Status
from suggestions.models import Kind, Suggestion
from tests.factories import ActionFactory, OrganisationFactory, PartnerFactory, ProgrammeFactory

CONTENT_MODELS = [
    model for model in admin.site._registry if model._meta.app_label in {"territories", "actors", "actions", "suggestions"}
]


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def grow(n, prefix):
    """``n`` more rows in every content list, with their relations."""
    for i in range(n):
        actor = OrganisationFactory(parent=Organisation.objects.get(slug="uraf"), verified_at="2024-01-01")
        programme = ProgrammeFactory(actor=actor, status=Status.DRAFT)
        parent = ActionFactory(programme=programme)
        ActionFactory(programme=programme, parent=parent)
        Partnership.objects.create(organisation=PartnerFactory(), programme=programme, role="partenaire")
        Partnership.objects.create(organisation=PartnerFactory(), action=parent, role="cofinanceur")
        Event.objects.create(title=f"Événement {i}", slug=f"evenement-{prefix}-{i}", actor=actor, programme=programme,
                             start_year=2008, status=Status.PUBLISHED)  # fmt: skip
        Quote.objects.create(actor=actor, text="Une phrase.", person_name="Une personne")
        KeyFigure.objects.create(actor=actor, programme=programme, value=10, label="personnes accueillies")
        Suggestion.objects.create(kind=Kind.CORRECTION, action=parent, what_is_wrong="Une erreur.")


@pytest.mark.django_db
def test_no_list_runs_a_query_per_row(directory, editor_client):
    def counts():
        result = {}
        for model in CONTENT_MODELS:
            with CaptureQueriesContext(connection) as queries:
                assert editor_client.get(changelist(model)).status_code == 200
            result[model.__name__] = len(queries)
        return result

    editor_client.get(changelist(Organisation))  # the session and permissions, read once
    grow(2, "petit")
    small = counts()
    grow(12, "grand")
    assert counts() == small


@pytest.mark.django_db
def test_the_organisation_list_shows_what_matters(directory, editor_client):
    response = editor_client.get(changelist(Organisation))
    assert response.context["cl"].list_display == [
        "action_checkbox", "name_and_acronym", "kind", "publication", "verified", "updated", "public_link"
    ]  # fmt: skip
    page = response.content.decode()
    assert "Union Régionale des Associations Familiales (URAF)" in page, "the acronym with the name"
    assert ">voir</a>" in page
    assert "o=" in response.context["cl"].get_query_string({"o": "1"}), "sortable by name"


@pytest.mark.django_db
def test_dates_in_lists_are_short_and_french(directory, editor_client):
    OrganisationFactory(name="Fiche vérifiée", verified_at="2024-03-05")
    page = editor_client.get(changelist(Organisation), {"q": "Fiche vérifiée"}).content.decode()
    assert "5 mars 2024" in page
    OrganisationFactory(name="Fiche vérifiée en décembre", verified_at="2024-12-05")
    page = editor_client.get(changelist(Organisation), {"q": "décembre"}).content.decode()
    assert "5 déc. 2024" in page


@pytest.mark.django_db
def test_a_sub_action_is_marked_in_the_list(directory, editor_client):
    sub = Action.objects.filter(parent__isnull=False).order_by("pk").first()
    page = editor_client.get(changelist(Action), {"q": sub.title}).content.decode()
    assert f"↳ {sub.title}" in page.replace("&#x27;", "'")


@pytest.mark.django_db
def test_a_programme_of_a_key_figure_is_one_of_the_actors(directory, editor_client):
    """In the organisation form, a key figure's programme is chosen among the actor's own
    programmes (a list of every programme was both long and wrong)."""
    actor = Organisation.objects.get(slug="fondation-caisse-d-epargne")
    response = editor_client.get(reverse("admin:actors_organisation_change", args=[actor.pk]))
    formset = next(f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "key_figures")
    choices = set(formset.formset.forms[0].fields["programme"].queryset)
    assert choices == set(Programme.objects.filter(actor=actor)) and choices
