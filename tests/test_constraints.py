"""The database guards the rules, whatever writes to it (a shell, a bulk update, a
script): partial dates, natural keys; and a migration adding a rule stops, listing the
rows that break it, rather than changing them."""

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, migrations, models, transaction

from actions.models import Action, Event, KeyFigure, Partnership, Programme
from common.migrations import refuse_existing_violations
from tests.factories import ActionFactory, OrganisationFactory, PartnerFactory, ProgrammeFactory

BAD_PERIODS = {
    "month 13": {"start_year": 2006, "start_month": 13},
    "day 0": {"start_year": 2006, "start_month": 1, "start_day": 0},
    "31 April": {"start_year": 2006, "start_month": 4, "start_day": 31},
    "30 February": {"start_month": 2, "start_day": 30},
    "a day without a month": {"start_year": 2006, "start_day": 14},
    "a month alone": {"start_month": 12},
    "an open start without a start": {"since": True},
    "an open start with an end": {"start_year": 2001, "since": True, "end_year": 2008},
    "an end before the start": {"start_year": 2008, "end_year": 2007},
    "an end month 0": {"end_year": 2008, "end_month": 0},
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [Programme, Action, Event, Partnership, KeyFigure], ids=lambda m: m.__name__
)
@pytest.mark.parametrize("values", BAD_PERIODS.values(), ids=BAD_PERIODS.keys())
def test_the_database_refuses_an_impossible_date(directory, model, values):
    row = model.objects.order_by("pk").first() or ProgrammeFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(
            **{
                **dict.fromkeys(
                    ["start_year", "start_month", "start_day", "end_year", "end_month", "end_day"]
                ),
                "since": False,
                **values,
            }
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "values",
    [{"start_month": 2, "start_day": 29}, {"start_year": 2006, "start_month": 1, "start_day": 17},
     {"start_year": 2001, "since": True}, {"start_month": 12, "start_day": 14, "since": True},
     {"start_year": 2006, "start_month": 12}, {"start_year": 2007, "end_year": 2008}],
)  # fmt: skip
def test_the_source_s_dates_are_accepted(directory, values):
    programme = ProgrammeFactory(start_year=None)
    Programme.objects.filter(pk=programme.pk).update(**values)


@pytest.mark.django_db
def test_a_partnership_is_unique_per_target_and_role(directory):
    partner, programme = PartnerFactory(), ProgrammeFactory()
    Partnership.objects.create(organisation=partner, programme=programme)
    Partnership.objects.create(organisation=partner, programme=programme, role="cofinanceur")
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(organisation=partner, programme=programme)
    action = ActionFactory()
    Partnership.objects.create(organisation=partner, action=action)
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(organisation=partner, action=action)


@pytest.mark.django_db
def test_key_figures_and_quotes_are_numbered_within_their_actor(directory):
    actor = OrganisationFactory()
    first = KeyFigure.objects.create(actor=actor, value=1, label="a")
    second = KeyFigure.objects.create(actor=actor, value=2, label="b")
    assert (first.order, second.order) == (1, 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyFigure.objects.create(actor=actor, value=3, label="c", order=1)


@pytest.mark.django_db
def test_a_migration_adding_a_rule_lists_the_rows_that_break_it(directory):
    """The check that runs before each constraint is added (actions/0003)."""
    rule = migrations.AddConstraint(
        model_name="programme",
        constraint=models.CheckConstraint(
            condition=models.Q(start_year__gte=2100),
            name="imaginary_rule",
            violation_error_message="Règle imaginaire.",
        ),
    )
    check = refuse_existing_violations("actions", [rule])
    with pytest.raises(RuntimeError) as error:
        check.code(apps, connection.schema_editor())
    message = str(error.value)
    assert "Migration arrêtée" in message and "Règle imaginaire." in message
    assert str(Programme.objects.order_by("pk").first().pk) in message
    assert Programme.objects.filter(start_year=2008).exists(), "nothing is modified"


@pytest.mark.django_db
def test_a_migration_adding_a_uniqueness_rule_lists_the_duplicates(directory):
    rule = migrations.AddConstraint(
        model_name="programme",
        constraint=models.UniqueConstraint(fields=["actor"], name="one_programme_per_actor"),
    )
    with pytest.raises(RuntimeError, match="one_programme_per_actor"):
        refuse_existing_violations("actions", [rule]).code(apps, connection.schema_editor())
