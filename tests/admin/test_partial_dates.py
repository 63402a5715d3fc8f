"""A date typed in French, read at its real precision (actions/dates.py,
``parse_partial_date``), written back the same way (``format_partial_date``)."""

import pytest
from django.core.exceptions import ValidationError

from actions.dates import PartialDate, format_partial_date, parse_partial_date, period_errors


@pytest.mark.parametrize(
    ("text", "date", "since"),
    [
        # A day and month, the year not given.
        ("14 décembre", PartialDate(None, 12, 14), False),
        ("le 29 novembre", PartialDate(None, 11, 29), False),
        ("29 février", PartialDate(None, 2, 29), False),
        ("14/12", PartialDate(None, 12, 14), False),
        ("--12-14", PartialDate(None, 12, 14), False),
        # A month.
        ("décembre 2006", PartialDate(2006, 12), False),
        ("decembre 2006", PartialDate(2006, 12), False),
        ("DÉCEMBRE 2006", PartialDate(2006, 12), False),
        ("Déc. 2006", PartialDate(2006, 12), False),
        ("dec 2006", PartialDate(2006, 12), False),
        ("sept. 2006", PartialDate(2006, 9), False),
        ("juil 2006", PartialDate(2006, 7), False),
        ("août 2006", PartialDate(2006, 8), False),
        ("aout 2006", PartialDate(2006, 8), False),
        ("Février 2007", PartialDate(2007, 2), False),
        ("12/2006", PartialDate(2006, 12), False),
        ("2006-12", PartialDate(2006, 12), False),
        ("en mars 2007", PartialDate(2007, 3), False),
        # A year.
        ("2006", PartialDate(2006), False),
        ("  2006. ", PartialDate(2006), False),
        ("en 2006", PartialDate(2006), False),
        ("jusqu'en 2008", PartialDate(2008), False),
        ("jusqu’en 2008", PartialDate(2008), False),
        # A full date.
        ("17/01/2006", PartialDate(2006, 1, 17), False),
        ("17 / 01 / 2006", PartialDate(2006, 1, 17), False),
        ("17.01.2006", PartialDate(2006, 1, 17), False),
        ("17-01-2006", PartialDate(2006, 1, 17), False),
        ("17 janvier 2006", PartialDate(2006, 1, 17), False),
        ("17 Janvier 2006", PartialDate(2006, 1, 17), False),
        ("mardi 17 janvier 2006", PartialDate(2006, 1, 17), False),
        ("1er mars 2007", PartialDate(2007, 3, 1), False),
        ("1ᵉʳ mars 2007", PartialDate(2007, 3, 1), False),
        ("premier mars 2007", PartialDate(2007, 3, 1), False),
        ("2006-01-17", PartialDate(2006, 1, 17), False),
        ("29 février 2008", PartialDate(2008, 2, 29), False),
        # An open start.
        ("depuis 2001", PartialDate(2001), True),
        ("Depuis 2001", PartialDate(2001), True),
        ("depuis le 14 décembre", PartialDate(None, 12, 14), True),
        ("depuis le 1er mars 2007", PartialDate(2007, 3, 1), True),
        ("depuis décembre 2006", PartialDate(2006, 12), True),
        ("depuis 17/01/2006", PartialDate(2006, 1, 17), True),
        ("à partir de 2006", PartialDate(2006), True),
        ("dès 2001", PartialDate(2001), True),
        # Nothing.
        ("", PartialDate(), False),
        ("   ", PartialDate(), False),
        (None, PartialDate(), False),
    ],
)
def test_what_staff_type_is_read_at_its_precision(text, date, since):
    assert parse_partial_date(text) == (date, since)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31 février", "Il n'y a pas de 31 février."),
        ("30/02", "Il n'y a pas de 30 février."),
        ("29 février 2007", "Il n'y a pas de 29 février en 2007."),
        ("31 avril 2006", "Il n'y a pas de 31 avril."),
        ("32 janvier 2006", "Il n'y a pas de 32 janvier."),
        ("2006-02-30", "Il n'y a pas de 30 février."),
        ("13/13/2006", "Il n'y a pas de mois 13"),
        ("2006-13", "Il n'y a pas de mois 13"),
        ("0/2006", "Il n'y a pas de mois 0"),
        ("bientôt", "« bientôt » n'est pas une date reconnue. Écrivez par exemple « 17 janvier 2006 »"),
        ("fin 2008", "« fin 2008 » n'est pas une date reconnue"),
        ("17 janvier 2006 environ", "n'est pas une date reconnue"),
        ("ju 2006", "n'est pas une date reconnue"),  # juin or juillet?
        ("décembre", "Un mois seul ne peut pas être enregistré : ajoutez l'année (« décembre 2006 »)"),
        ("17/01/06", "avec ses quatre chiffres"),
        ("3006", "L'année 3006 n'est pas plausible"),
        ("1066", "L'année 1066 n'est pas plausible"),
        ("depuis", "« depuis » demande une date"),
        ("de 2007 à 2008", "Une période s'écrit en deux champs"),
        ("du 3 mars au 5 avril 2007", "Une période s'écrit en deux champs"),
    ],
)
def test_what_is_not_a_date_is_refused_in_french(text, message):
    with pytest.raises(ValidationError) as refused:
        parse_partial_date(text)
    assert message in refused.value.messages[0]


@pytest.mark.parametrize(
    ("date", "since", "text"),
    [
        (PartialDate(2006, 1, 17), False, "17 janvier 2006"),
        (PartialDate(2007, 3, 1), False, "1er mars 2007"),
        (PartialDate(2006, 12), False, "décembre 2006"),
        (PartialDate(2006), False, "2006"),
        (PartialDate(None, 12, 14), False, "14 décembre"),
        (PartialDate(2001), True, "depuis 2001"),
        (PartialDate(None, 12, 14), True, "depuis le 14 décembre"),
        (PartialDate(2006, 12), True, "depuis décembre 2006"),
        (PartialDate(), False, ""),
    ],
)
def test_a_stored_date_is_shown_as_it_is_typed_and_reads_back_the_same(date, since, text):
    assert format_partial_date(date, since) == text
    assert parse_partial_date(text) == (date, since)


@pytest.mark.parametrize(
    ("start", "since", "end", "errors"),
    [
        (PartialDate(2007), False, PartialDate(2008), {}),
        (PartialDate(2008), False, PartialDate(2008), {}),
        (PartialDate(2001), True, PartialDate(), {}),
        (PartialDate(None, 12, 14), False, PartialDate(None, 1, 3), {}),  # years unknown: not compared
        (PartialDate(2008), False, PartialDate(2007), {"end": ["La fin (2007) ne peut pas précéder le début (2008)."]}),
        (PartialDate(2006, 3, 2), False, PartialDate(2006, 3, 1), {"end": ["La fin (1er mars 2006) ne peut pas précéder le début (2 mars 2006)."]}),
        (PartialDate(2001), True, PartialDate(2008), {"end": ["Une période « depuis » n'a pas de fin : videz la fin, ou retirez « depuis » du début."]}),
    ],
)  # fmt: skip
def test_a_period_ends_after_it_starts_and_an_open_one_has_no_end(start, since, end, errors):
    assert period_errors(start, since, end) == errors


def test_existing_behaviour_of_the_module_is_unchanged():
    """Other code reads ``PartialDate`` and ``format_period``: the additions change nothing."""
    from actions.dates import format_period

    assert PartialDate(2006, 12).errors() == []
    assert PartialDate(None, 12).errors() == ["Un mois sans année ni jour ne peut pas être enregistré."]
    assert format_period(PartialDate(None, 12, 14), PartialDate(), True) == "depuis le 14 décembre"
