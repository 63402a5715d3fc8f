"""Pages that read right in French and forms sized for all-day work: every add, change and
list page of the content apps has a correct French title (heading and browser tab), Save
is at the top of long forms, long text fields are sized to what they hold."""

import html
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from actions.models import Action, Event, KeyFigure, Partnership, Programme, Quote
from actors.models import Organisation, Public, Sector, Succession, Synonym
from suggestions.models import Kind, Suggestion
from territories.models import Territory

CONTENT_APPS = {"territories", "actors", "actions", "suggestions"}

# add, change, list: what CRESS staff read at the top of each page.
TITLES = {
    Organisation: ("Ajouter une organisation", "Modifier l'organisation", "Organisations"),
    Programme: ("Ajouter un programme", "Modifier le programme", "Programmes"),
    Action: ("Ajouter une action", "Modifier l'action", "Actions"),
    Partnership: ("Ajouter un partenariat", "Modifier le partenariat", "Partenariats"),
    Event: ("Ajouter un événement", "Modifier l'événement", "Événements"),
    Quote: ("Ajouter une citation", "Modifier la citation", "Citations"),
    KeyFigure: ("Ajouter un chiffre clé", "Modifier le chiffre clé", "Chiffres clés"),
    Sector: ("Ajouter un secteur", "Modifier le secteur", "Secteurs"),
    Public: ("Ajouter un public", "Modifier le public", "Publics"),
    Territory: ("Ajouter un territoire", "Modifier le territoire", "Territoires"),
    Succession: ("Ajouter un changement de nom ou succession", "Modifier le changement de nom ou succession",
                 "Changements de nom et successions"),
    Synonym: ("Ajouter un groupe de synonymes", "Modifier le groupe de synonymes", "Synonymes de recherche"),
    Suggestion: (None, "Modérer la contribution", "Contributions"),  # they come from the public forms
}
CONTENT_MODELS = [model for model in admin.site._registry if model._meta.app_label in CONTENT_APPS]


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def heading_and_tab(page):
    heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()
    tab = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    return html.unescape(heading), html.unescape(tab)


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.force_login(
        User.objects.create_superuser("racine", "racine@example.org", "un-mot-de-passe-solide-5")
    )
    return client


def an_object(model):
    if model is Suggestion:
        return Suggestion.objects.create(kind=Kind.CORRECTION, organisation=Organisation.objects.get(slug="uraf"),
                                         what_is_wrong="L'adresse a changé.")  # fmt: skip
    return model.objects.order_by("pk").first()


def test_every_content_model_has_its_french_titles_declared():
    missing = {model.__name__ for model in CONTENT_MODELS} - {model.__name__ for model in TITLES}
    assert not missing, (
        "Nouvel admin : donnez-lui « gender » (ou ses titres) dans son ModelAdmin et ses titres ici."
    )


@pytest.mark.django_db
@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m.__name__)
def test_french_titles_on_add_change_and_list_pages(directory, superuser_client, model):
    add, change, plural = TITLES[model]
    site = "Administration de l'annuaire ESS"
    obj = an_object(model)

    page = superuser_client.get(url(model, "change", obj.pk)).content.decode()
    assert heading_and_tab(page) == (change, f"{obj} | {change} | {site}")

    page = superuser_client.get(url(model, "changelist")).content.decode()
    assert heading_and_tab(page) == (plural, f"{plural} | {site}")
    if add:
        assert f'class="addlink">{html.escape(add)}</a>' in page, "the button above the list"
        page = superuser_client.get(url(model, "add")).content.decode()
        assert heading_and_tab(page) == (add, f"{add} | {site}")
        assert f"› {add}\n</div>" in html.unescape(page), "the breadcrumbs read the same"
    noun = model._meta.verbose_name
    for generic in ("Ajout de ", "Modification de ", "Sélectionnez l’objet", f"Ajouter {noun}"):
        assert generic not in html.unescape(page)


@pytest.mark.django_db
def test_what_an_editor_may_only_read_is_titled_consulter(directory, editor_client):
    territory = Territory.objects.order_by("pk").first()
    heading, _ = heading_and_tab(editor_client.get(url(Territory, "change", territory.pk)).content.decode())
    assert heading == "Consulter le territoire"


@pytest.mark.django_db
def test_a_popup_list_asks_to_choose(directory, superuser_client):
    page = superuser_client.get(url(Organisation, "changelist"), {"_popup": "1"}).content.decode()
    assert heading_and_tab(page)[0] == "Choisir une organisation"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [m for m in CONTENT_MODELS if m is not Suggestion], ids=lambda m: m.__name__
)
def test_save_is_at_the_top_and_the_bottom_of_every_content_form(directory, superuser_client, model):
    assert admin.site._registry[model].save_on_top
    obj = an_object(model)
    page = superuser_client.get(url(model, "change", obj.pk)).content.decode()
    assert page.count('<div class="submit-row">') == 2
    assert page.count('name="_save"') == 2
    first_save, first_field = page.index('name="_save"'), page.index('<div class="form-row')
    assert first_save < first_field, "a Save button before the first field"


@pytest.mark.django_db
def test_moderation_has_its_two_buttons_and_no_save(directory, superuser_client):
    """Accept and Refuse are what the moderation screen is for; there is nothing to save
    (what the public sent is read-only): no « Enregistrer » to compete with them."""
    suggestion = an_object(Suggestion)
    page = superuser_client.get(url(Suggestion, "change", suggestion.pk)).content.decode()
    assert 'name="_save"' not in page and '<div class="submit-row">' not in page
    assert "Accepter : ouvrir la fiche" in page and ">Refuser</button>" in page


@pytest.mark.django_db
def test_long_text_fields_are_sized_to_what_they_hold(directory, editor_client):
    uraf = Organisation.objects.get(slug="uraf")
    page = editor_client.get(url(Organisation, "change", uraf.pk)).content.decode()

    def tag(name):
        return re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page).group(0)

    for wide in ("summary", "name", "source", "street_address"):  # 200 to 300 characters
        assert "vWideTextField" in tag(wide), wide
    assert 'maxlength="300"' in tag("summary")
    for narrow in ("acronym", "postcode", "source_period", "slug"):
        assert "vWideTextField" not in tag(narrow), narrow
    assert 'rows="8"' in tag("description")
    assert 'rows="3"' in tag("opening_hours")
    assert "js/admin-forms.js" in page and "css/admin.css" in page


@pytest.mark.django_db
def test_no_left_navigation_sidebar(directory, editor_client):
    page = editor_client.get(url(Organisation, "changelist")).content.decode()
    assert 'id="nav-sidebar"' not in page
