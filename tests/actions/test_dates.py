import pytest
from django.core.exceptions import ValidationError

from actions.dates import PartialDate, Precision, format_period
from tests.factories import ProgrammeFactory


@pytest.mark.parametrize(
    ("date", "text", "precision", "iso"),
    [
        (PartialDate(2006, 1, 17), "17 janvier 2006", Precision.DAY, "2006-01-17"),
        (PartialDate(None, 12, 14), "14 décembre", Precision.DAY_MONTH, "--12-14"),
        (PartialDate(2006, 12), "décembre 2006", Precision.MONTH, "2006-12"),
        (PartialDate(2008), "2008", Precision.YEAR, "2008"),
        (PartialDate(2008, 3, 1), "1er mars 2008", Precision.DAY, "2008-03-01"),
        (PartialDate(), "", None, ""),
    ],
)
def test_partial_date_shows_exactly_what_is_known(date, text, precision, iso):
    assert date.format_fr() == text
    assert date.precision == precision
    assert date.iso() == iso


@pytest.mark.parametrize(
    ("start", "end", "since", "text"),
    [
        (PartialDate(2001), PartialDate(), True, "depuis 2001"),
        (PartialDate(None, 12, 14), PartialDate(), True, "depuis le 14 décembre"),
        (PartialDate(2007), PartialDate(2008), False, "de 2007 à 2008"),
        (PartialDate(2006, 1, 17), PartialDate(2006, 2, 1), False, "du 17 janvier 2006 au 1er février 2006"),
        (PartialDate(), PartialDate(2007), False, "jusqu'en 2007"),
        (PartialDate(None, 11, 29), PartialDate(), False, "29 novembre"),
    ],
)
def test_period_display(start, end, since, text):
    assert format_period(start, end, since) == text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"start_year": 2008, "end_year": 2007}, "end_year", "La fin ne peut pas précéder le début."),
        ({"start_year": 2008, "start_month": 13}, "start_year", "Le mois doit être compris entre 1 et 12."),
        ({"start_year": None, "start_day": 3}, "start_year", "Un jour sans mois"),
        ({"start_year": 2007, "start_month": 2, "start_day": 30}, "start_year", "n'a pas de jour 30"),
        ({"start_year": None, "since": True}, "since", "« Depuis » demande une date de début."),
    ],
)
def test_period_validation_messages_in_french(fields, field, message):
    programme = ProgrammeFactory.build(**fields)
    with pytest.raises(ValidationError) as error:
        programme.clean_period()
    assert any(message in m for m in error.value.message_dict[field])


def test_day_and_month_without_year_is_valid_even_on_29_february():
    assert PartialDate(None, 2, 29).errors() == []
    assert PartialDate(2007, 2, 29).errors() != []
