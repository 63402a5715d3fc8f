"""The period of a programme, an action, a partnership, an event or a key figure, typed in
French in two fields, « Début » and « Fin », stored at its precision in the seven columns
of ``PeriodMixin`` — in the admin forms and their inlines."""

import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from actions.models import Action, Event, KeyFigure, Partnership, Programme
from actors.models import Organisation, Status
from tests.cress.test_history import form_data

PERIOD_COLUMNS = ["start_year", "start_month", "start_day", "since", "end_year", "end_month", "end_day"]


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def period(obj):
    obj.refresh_from_db()
    return {name: getattr(obj, name) for name in PERIOD_COLUMNS}


def error_beside(page, name, message):
    """``message`` is in the error list of the field ``name``, and the field's input says
    so (``aria-describedby``): the error shows next to the field, not only at the top."""
    errors = re.search(rf'<ul class="errorlist" id="id_{name}_error">(.*?)</ul>', page, re.S)
    field = re.search(rf'<input type="text" name="{name}"[^>]*>', page)
    return bool(
        errors
        and message in errors.group(1)
        and field
        and f"id_{name}_error" in field.group(0)
        and 'aria-invalid="true"' in field.group(0)
    )


@pytest.mark.django_db
def test_depuis_2001_is_stored_as_an_open_start_and_shown_back_the_same(directory, editor_client):
    programme = Programme.objects.get(slug="uriopss-plan-d-action-2008")
    url = change_url(programme)
    data = form_data(editor_client.get(url))
    assert data["period_start"] == "2008" and data["period_end"] == ""
    data["period_start"] = "depuis 2001"
    assert editor_client.post(url, data).status_code == 302
    assert period(programme) == {**dict.fromkeys(PERIOD_COLUMNS), "start_year": 2001, "since": True}
    page = editor_client.get(url).content.decode()
    assert 'name="period_start" value="depuis 2001"' in page
    assert 'name="start_year"' not in page and 'name="since"' not in page, "seven inputs become two"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "stored"),
    [
        ("17/01/2006", "", {"start_year": 2006, "start_month": 1, "start_day": 17}),
        ("1er mars 2007", "2008-06-30", {"start_year": 2007, "start_month": 3, "start_day": 1,
                                         "end_year": 2008, "end_month": 6, "end_day": 30}),
        ("Déc. 2006", "decembre 2007", {"start_year": 2006, "start_month": 12, "end_year": 2007, "end_month": 12}),
        ("depuis le 14 décembre", "", {"start_month": 12, "start_day": 14, "since": True}),
        ("14 décembre", "", {"start_month": 12, "start_day": 14}),
        ("", "jusqu'en 2007", {"end_year": 2007}),
        ("", "", {}),
    ],
)  # fmt: skip
def test_each_date_is_stored_at_its_precision(directory, editor_client, start, end, stored):
    action = Action.objects.get(slug="veille-juridique-mensuelle")
    url = change_url(action)
    data = form_data(editor_client.get(url))
    data.update(period_start=start, period_end=end)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert period(action) == {**dict.fromkeys(PERIOD_COLUMNS), "since": False, **stored}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("31 février", "", "period_start", "Il n&#x27;y a pas de 31 février."),
        ("13/13/2006", "", "period_start", "Il n&#x27;y a pas de mois 13"),
        ("bientôt", "", "period_start", "« bientôt » n&#x27;est pas une date reconnue."),
        ("2008", "2007", "period_end", "La fin (2007) ne peut pas précéder le début (2008)."),
        ("depuis 2001", "2008", "period_end", "Une période « depuis » n&#x27;a pas de fin"),
        ("2001", "depuis 2008", "period_end", "« depuis » s&#x27;écrit dans le début"),
    ],
)
def test_a_bad_date_is_refused_next_to_its_field_and_nothing_typed_is_lost(
    directory, editor_client, start, end, field, message
):
    programme = Programme.objects.get(slug="uraf-enquete-perte-d-autonomie")
    before = period(programme)
    url = change_url(programme)
    data = form_data(editor_client.get(url))
    data.update(period_start=start, period_end=end, summary="Un résumé tapé avant l'erreur.")
    response = editor_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert error_beside(page, field, message), "the error is next to its field"
    assert f'name="period_start" value="{start}"' in page, "what was typed comes back"
    if end:
        assert f'name="period_end" value="{end}"' in page
    assert "Un résumé tapé avant l&#x27;erreur." in page
    assert period(programme) == before
    assert Programme.objects.get(pk=programme.pk).summary != "Un résumé tapé avant l'erreur."


@pytest.mark.django_db
def test_a_new_programme_with_a_date_in_french(directory, editor_client):
    actor = Organisation.objects.get(slug="uraf")
    data = {
        "actor": actor.pk, "title": "Accueil des tout-petits", "slug": "accueil-des-tout-petits",
        "kind": "programme", "status": Status.DRAFT, "summary": "", "description": "", "source_text": "",
        "period_start": "depuis janvier 2024", "period_end": "",
        "actions-TOTAL_FORMS": "0", "actions-INITIAL_FORMS": "0",
        "partnerships-TOTAL_FORMS": "0", "partnerships-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = editor_client.post(reverse("admin:actions_programme_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Programme.objects.get(slug="accueil-des-tout-petits")
    assert (created.start_year, created.start_month, created.start_day, created.since) == (
        2024,
        1,
        None,
        True,
    )
    assert created.period_display == "depuis janvier 2024"


@pytest.mark.django_db
def test_the_event_of_29_november_keeps_its_unknown_year(directory, editor_client):
    event = Event.objects.get(slug="journee-d-echanges-paris-29-novembre")
    url = change_url(event)
    data = form_data(editor_client.get(url))
    assert data["period_start"] == "29 novembre"
    data["title"] = event.title + " (titre revu)"
    assert editor_client.post(url, data).status_code == 302
    assert period(event) == {
        **dict.fromkeys(PERIOD_COLUMNS),
        "start_month": 11,
        "start_day": 29,
        "since": False,
    }


@pytest.mark.django_db
def test_partnerships_inline_reads_and_writes_periods(directory, editor_client):
    action = Action.objects.get(slug="experimentation-passerelles-ai-asp")
    partnerships = list(action.partnerships.order_by("pk"))
    assert partnerships and all(p.period_display == "depuis le 14 décembre" for p in partnerships)
    url = change_url(action)
    data = form_data(editor_client.get(url))
    prefix = "partnerships"
    shown = [data[f"{prefix}-{i}-period_start"] for i in range(int(data[f"{prefix}-TOTAL_FORMS"]))]
    assert shown == ["depuis le 14 décembre"] * len(partnerships)
    # Unchanged rows stay as they were; one row gets a new period; an empty extra row adds nothing.
    first = next(i for i in range(len(partnerships)) if int(data[f"{prefix}-{i}-id"]) == partnerships[0].pk)
    data[f"{prefix}-{first}-period_start"] = "17/01/2006"
    data[f"{prefix}-{first}-period_end"] = "décembre 2007"
    extra = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update({f"{prefix}-TOTAL_FORMS": str(extra + 1), f"{prefix}-{extra}-period_start": "",
                 f"{prefix}-{extra}-period_end": "", f"{prefix}-{extra}-role": "partenaire"})  # fmt: skip
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert Partnership.objects.filter(action=action).count() == len(partnerships)
    assert period(partnerships[0]) == {**dict.fromkeys(PERIOD_COLUMNS), "start_year": 2006, "start_month": 1,
                                       "start_day": 17, "since": False, "end_year": 2007, "end_month": 12}  # fmt: skip
    for other in partnerships[1:]:
        other.refresh_from_db()
        assert other.period_display == "depuis le 14 décembre"


@pytest.mark.django_db
def test_a_bad_date_in_an_inline_row_is_refused_there(directory, editor_client):
    action = Action.objects.get(slug="experimentation-passerelles-ai-asp")
    url = change_url(action)
    data = form_data(editor_client.get(url))
    data["partnerships-0-period_start"] = "31/04/2006"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Il n&#x27;y a pas de 31 avril." in page
    assert 'name="partnerships-0-period_start" value="31/04/2006"' in page


@pytest.mark.django_db
def test_saving_an_organisation_keeps_the_periods_of_its_programmes_and_figures(directory, editor_client):
    actor = Organisation.objects.get(slug="fondation-caisse-d-epargne")
    before = {obj: period(obj) for obj in [*actor.programmes.all(), *actor.key_figures.all()]}
    assert any(values["since"] for values in before.values())
    url = change_url(actor)
    data = form_data(editor_client.get(url))
    data["summary"] = "Résumé revu."
    assert editor_client.post(url, data).status_code == 302
    assert {obj: period(obj) for obj in before} == before


@pytest.mark.django_db
def test_a_key_figure_in_its_own_form(directory, editor_client):
    figure = KeyFigure.objects.filter(since=True).order_by("pk").first()
    url = change_url(figure)
    data = form_data(editor_client.get(url))
    assert data["period_start"] == "depuis 1999"
    data["period_start"] = "2000"
    data["period_end"] = "2005"
    assert editor_client.post(url, data).status_code == 302
    assert (figure.__class__.objects.get(pk=figure.pk).period_display) == "de 2000 à 2005"


@pytest.mark.django_db
def test_someone_who_may_only_view_reads_the_period_in_french(directory):
    viewer = User.objects.create_user("lectrice", password="un-mot-de-passe-solide-3", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_programme"))
    client = Client()
    client.force_login(viewer)
    programme = Programme.objects.get(slug="mutualite-secteur-d-actions-sociales")
    page = client.get(change_url(programme)).content.decode()
    assert "Consulter le programme" in page
    assert re.search(r'<div class="readonly">depuis 2001</div>', page)


@pytest.mark.django_db
def test_the_model_checks_are_reported_on_the_two_fields(directory, rf):
    """A check of the model that names a column (``clean_period``) lands on « Début » or
    « Fin », never on a field the form does not have."""
    from django.contrib import admin
    from django.core.exceptions import ValidationError

    request = rf.get("/")
    request.user = User.objects.create_superuser("racine", password="un-mot-de-passe-solide-4")
    form_class = admin.site._registry[Programme].get_form(request, None)
    form = form_class(data={})
    form.full_clean()
    form.add_error(None, ValidationError({"start_day": ["jour"], "since": ["depuis"], "end_year": ["fin"]}))
    assert form.errors["period_start"] == ["jour", "depuis"]
    assert form.errors["period_end"] == ["fin"]


@pytest.fixture
def administrator(staff_groups):
    user = User.objects.create_user("administratrice", password="un-mot-de-passe-solide-7", is_staff=True)
    user.groups.add(staff_groups[1])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_administrator_restores_an_earlier_period(directory, editor_client, administrator):
    programme = Programme.objects.get(slug="mutualite-secteur-d-actions-sociales")
    url = change_url(programme)
    data = form_data(editor_client.get(url))
    data.update(period_start="2003", period_end="2005")
    assert editor_client.post(url, data).status_code == 302
    assert programme.__class__.objects.get(pk=programme.pk).period_display == "de 2003 à 2005"
    first = programme.history.earliest("history_date")
    restore = reverse("admin:actions_programme_simple_history", args=[programme.pk, first.history_id])
    restore_form = administrator.get(restore)
    assert 'name="period_start" value="depuis 2001"' in restore_form.content.decode(), "the earlier version"
    assert administrator.post(restore, form_data(restore_form)).status_code == 302
    assert period(programme) == {**dict.fromkeys(PERIOD_COLUMNS), "start_year": 2001, "since": True}


@pytest.mark.django_db
def test_a_form_that_shows_only_the_start_keeps_the_stored_end(directory):
    """``PeriodForm`` in a form listing « Début » alone: the end is neither erased nor asked."""
    from django.forms import modelform_factory

    from actions.admin import PeriodForm

    programme = Programme.objects.get(slug="uraf-enquete-perte-d-autonomie")
    Programme.objects.filter(pk=programme.pk).update(end_year=2007)
    programme.refresh_from_db()
    form_class = modelform_factory(Programme, form=PeriodForm, fields=["title", "period_start"])
    form = form_class({"title": programme.title, "period_start": "2006"}, instance=programme)
    assert "period_end" not in form.fields
    assert form.is_valid(), form.errors
    form.save()
    assert period(programme)["start_year"] == 2006 and period(programme)["end_year"] == 2007
    late = form_class({"title": programme.title, "period_start": "2009"}, instance=programme)
    assert not late.is_valid()
    assert late.errors["period_start"] == ["La fin (2007) ne peut pas précéder le début (2009)."]


@pytest.mark.django_db
def test_an_unusual_year_already_stored_saves_again(directory, editor_client):
    programme = Programme.objects.get(slug="uraf-enquete-perte-d-autonomie")
    Programme.objects.filter(pk=programme.pk).update(start_year=1750, start_month=None)
    url = change_url(programme)
    data = form_data(editor_client.get(url))
    assert data["period_start"] == "1750"
    data["summary"] = "Autre chose que la date."
    assert editor_client.post(url, data).status_code == 302
    data = form_data(editor_client.get(url))
    data["period_start"] = "1751"
    response = editor_client.post(url, data)
    assert (
        response.status_code == 200
        and "L&#x27;année 1751 n&#x27;est pas plausible" in response.content.decode()
    )
