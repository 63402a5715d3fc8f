"""``load_directory`` creates what is missing and never undoes staff work; ``--reset``
restores the source's facts on purpose, after listing them."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from actions import loading
from actions.models import Action, KeyFigure, Partnership, Programme, Quote, Role
from actors.models import Organisation, Status


def load(*args):
    out = io.StringIO()
    call_command("load_directory", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_second_load_creates_nothing_and_changes_nothing(directory):
    before = {
        m.__name__: m.objects.count()
        for m in (Organisation, Programme, Action, Partnership, Quote, KeyFigure)
    }
    output = load()
    assert "Territoires : 0 créés, 0 mis à jour" in output
    assert "Contenu : 0 créés, 0 remis aux faits de la source" in output
    assert before == {
        m.__name__: m.objects.count()
        for m in (Organisation, Programme, Action, Partnership, Quote, KeyFigure)
    }


@pytest.mark.django_db
def test_staff_edits_survive_a_load(directory):
    """Edit → load → the edit is kept: a renamed actor, an archived one, a changed date."""
    Organisation.objects.filter(slug="uraf").update(name="URAF de Normandie")
    Organisation.objects.filter(slug="uriopss").update(status=Status.ARCHIVED)
    Programme.objects.filter(slug="uriopss-plan-d-action-2008").update(start_year=2009)
    load()
    assert Organisation.objects.get(slug="uraf").name == "URAF de Normandie"
    assert Organisation.objects.get(slug="uriopss").status == Status.ARCHIVED
    assert Programme.objects.get(slug="uriopss-plan-d-action-2008").start_year == 2009


@pytest.mark.django_db
def test_a_partnership_added_by_staff_survives_a_load(directory):
    halte = Action.objects.get(slug="halte-garderie-itinerante")
    added = Partnership.objects.create(
        organisation=Organisation.objects.get(slug="drtefp"), action=halte, role=Role.PARTNER
    )
    load()
    assert Partnership.objects.filter(pk=added.pk).exists()
    load("--reset", "--no-input")
    assert Partnership.objects.filter(pk=added.pk).exists(), "a reset keeps what staff added"


@pytest.mark.django_db
def test_a_figure_added_by_staff_does_not_break_the_next_load(directory):
    """An editor adding a key figure (order left empty: placed last) used to make the next
    load crash with MultipleObjectsReturned."""
    fondation = Organisation.objects.get(slug="fondation-caisse-d-epargne")
    figure = KeyFigure.objects.create(actor=fondation, value=3, label="antennes")
    assert figure.order == fondation.key_figures.exclude(pk=figure.pk).count() + 1
    load()
    assert KeyFigure.objects.filter(pk=figure.pk).exists()


@pytest.mark.django_db
def test_reset_lists_then_restores_the_source_facts(directory):
    Organisation.objects.filter(slug="uraf").update(name="URAF de Normandie", status=Status.ARCHIVED)
    Programme.objects.filter(slug="uriopss-plan-d-action-2008").update(start_year=2009)
    Action.objects.get(slug="halte-garderie-itinerante").territories.clear()
    Partnership.objects.filter(action__slug="halte-garderie-itinerante", role=Role.PREMISES).delete()

    preview = load("--reset", "--dry-run")
    assert "name : URAF de Normandie → Union Régionale des Associations Familiales" in preview
    assert "start_year : 2009 → 2008" in preview
    assert "+ créé : partenariat Mairies de Frénouville" in preview
    assert "Rien n'a été écrit." in preview
    assert Organisation.objects.get(slug="uraf").name == "URAF de Normandie"

    load("--reset", "--no-input")
    uraf = Organisation.objects.get(slug="uraf")
    assert uraf.name == "Union Régionale des Associations Familiales"
    assert uraf.status == Status.ARCHIVED, "the publication status is the editors' choice"
    assert Programme.objects.get(slug="uriopss-plan-d-action-2008").start_year == 2008
    halte = Action.objects.get(slug="halte-garderie-itinerante")
    assert halte.territories.count() == 5
    assert halte.partnerships.filter(role=Role.PREMISES).exists()


@pytest.mark.django_db
def test_reset_asks_before_writing(directory, monkeypatch):
    Programme.objects.filter(slug="uriopss-plan-d-action-2008").update(start_year=2009)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert "Annulé : rien n'a été écrit." in load("--reset")
    assert Programme.objects.get(slug="uriopss-plan-d-action-2008").start_year == 2009


@pytest.mark.django_db
def test_the_loader_validates_every_object(directory):
    data = loading.read_content()
    data["programmes"][0]["slug"] = "nouveau-programme"
    data["programmes"][0]["start"] = {"year": 2006, "month": 13}
    data["programmes"][0]["actions"] = []
    data["programmes"][0]["partnerships"] = []
    data["programmes"][0]["key_figures"] = []
    with pytest.raises(ValidationError, match="Le mois doit être compris entre 1 et 12"):
        loading.ContentLoader(data).load()
    assert not Programme.objects.filter(slug="nouveau-programme").exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build",
    [
        lambda: KeyFigure.objects.create(actor=Organisation.objects.get(slug="fondation-caisse-d-epargne"), order=1,
                                         value=1, label="doublon"),
        lambda: Quote.objects.create(actor=Organisation.objects.get(slug="urscop"), order=1, text="x", person_name="y"),
        lambda: Partnership.objects.create(
            organisation=Organisation.objects.get(slug="drtefp"),
            programme=Programme.objects.get(slug="uriopss-plan-d-action-2008"), role=Role.PARTNER,
        ),
    ],
    ids=["key figure order", "quote order", "partnership"],
)  # fmt: skip
def test_the_database_refuses_a_second_object_with_the_same_natural_key(directory, build):
    with pytest.raises(IntegrityError), transaction.atomic():
        build()


@pytest.mark.django_db
def test_counts_of_the_real_content(directory):
    assert Organisation.objects.actors().count() == 6
    # 13 partners of the source, 9 bodies that followed them (fixtures/successions.json)
    assert Organisation.objects.partners().count() == 22
    assert Programme.objects.count() == 8
    assert Action.objects.count() == 24
    assert Quote.objects.count() == 3
    assert KeyFigure.objects.count() == 5


@pytest.mark.django_db
def test_partnership_on_an_action_not_saved_yet_is_valid(directory):
    """The admin validates inline partnerships before it saves the new action."""
    organisation = Organisation.objects.get(slug="drtefp")
    Partnership(organisation=organisation, action=Action(title="Nouvelle")).clean()
    with pytest.raises(ValidationError):
        Partnership(organisation=organisation).clean()
    with pytest.raises(ValidationError):
        Partnership(organisation=organisation, action=Action(), programme=Programme()).clean()
