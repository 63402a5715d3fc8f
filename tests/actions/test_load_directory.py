import io
import json

import pytest
from django.core import serializers
from django.core.management import call_command

from actions.models import Action, Event, KeyFigure, Partnership, Programme, Quote
from actors.models import Organisation, Public, Sector, Territory

MODELS = [Territory, Sector, Public, Organisation, Programme, Action, Partnership, Event, Quote, KeyFigure]


def snapshot():
    """Every loaded object, without timestamps, keyed by model."""
    result = {}
    for model in MODELS:
        rows = json.loads(serializers.serialize("json", model.objects.order_by("pk")))
        for row in rows:
            row["fields"].pop("created_at", None)
            row["fields"].pop("updated_at", None)
        result[model.__name__] = rows
    return result


@pytest.mark.django_db
def test_load_directory_twice_gives_the_same_database(directory):
    first = snapshot()
    out = io.StringIO()
    call_command("load_directory", stdout=out)
    assert "0 créés, 0 mis à jour" in out.getvalue()
    assert snapshot() == first


@pytest.mark.django_db
def test_load_directory_restores_an_edited_fact(directory):
    Programme.objects.filter(slug="uriopss-plan-d-action-2008").update(start_year=2009)
    call_command("load_directory", stdout=io.StringIO())
    assert Programme.objects.get(slug="uriopss-plan-d-action-2008").start_year == 2008


@pytest.mark.django_db
def test_counts_of_the_real_content(directory):
    assert Organisation.objects.actors().count() == 6
    assert Organisation.objects.partners().count() == 13
    assert Programme.objects.count() == 8
    assert Action.objects.count() == 24
    assert Event.objects.count() == 1
    assert Quote.objects.count() == 3
    assert KeyFigure.objects.count() == 5


@pytest.mark.django_db
def test_partnership_on_an_action_not_saved_yet_is_valid(directory):
    """The admin validates inline partnerships before it saves the new action."""
    from django.core.exceptions import ValidationError

    organisation = Organisation.objects.get(slug="drtefp")
    Partnership(organisation=organisation, action=Action(title="Nouvelle")).clean()
    with pytest.raises(ValidationError):
        Partnership(organisation=organisation).clean()
    with pytest.raises(ValidationError):
        Partnership(organisation=organisation, action=Action(), programme=Programme()).clean()
