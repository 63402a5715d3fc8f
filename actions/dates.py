"""Periods: when a programme, an action, a partnership, an event or a key figure began
and ended, each date kept at its real precision.

``PeriodMixin`` gives a model its seven columns (``start_year`` … ``since``) and
``period_constraints`` the rules the database guards; ``format_period`` writes a period
in French (« depuis 2001 », « de 2007 à 2008 ») and ``period_errors`` says why a start
and an end typed by staff do not make one (the admin's « Début » and « Fin »:
``actions/admin.py``, ``PeriodForm``).

A date itself — ``PartialDate`` and its ``Precision`` — lives in ``common/dates.py``
(the changes of name of public bodies are dated the same way); how people write one
(``parse_partial_date``, ``format_partial_date``) is here: the source document gives
dates at several precisions (a full date, « depuis le 14 décembre », « décembre 2006 »,
« 2008 », « depuis 2001 »); a ``PartialDate`` keeps exactly the parts that are known and
prints them in French; it never fills in a missing year.
"""

from __future__ import annotations

import calendar
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import models

from common.dates import MONTHS_FR, PartialDate, Precision  # noqa: F401 (their home is common/dates.py)

# --- Dates as staff type them ------------------------------------------------------------
#
# The admin asks for a period as two French texts, « Début » and « Fin », instead of seven
# numbers. ``parse_partial_date`` reads what people write (« 14 décembre », « décembre
# 2006 », « 2006 », « depuis 2001 », « 17/01/2006 », « 1er mars 2007 », « 2006-01-17 »,
# months with or without accents, capitals or abbreviations) into a ``PartialDate`` at its
# real precision; ``format_partial_date`` writes it back the same way.

FIRST_PLAUSIBLE_YEAR, LAST_PLAUSIBLE_YEAR = 1800, 2100

DATE_EXAMPLES = (
    "« 17 janvier 2006 », « 17/01/2006 », « décembre 2006 », « 2006 », « 14 décembre » ou « depuis 2001 »"
)

_FOLDED_MONTHS = [
    "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
]  # fmt: skip
_WEEKDAYS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"}
# Words that may come before the date and change nothing (« le 14 décembre », « en 2006 »,
# « jusqu'en 2008 »): removed once, at the start.
_LEADING_WORDS = re.compile(r"^(?:(?:le|l'an|en|au|a|jusqu'en|jusqu'au|jusqu'a|jusque)\s+|l')(?=\S)")
# Words for an open start, as « depuis »: « à partir de 2006 », « dès 2006 ».
_SINCE_WORDS = re.compile(r"^(?:depuis|a partir du|a partir de|a partir d'|des)\b\s*")


def _fold(text):
    """Lower case, no accents, one space between words, one kind of apostrophe."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip(" ,;")


def _month(word):
    """The number of a French month name, whole or shortened (« déc. », « sept », « juil »),
    or None; a shortening must be unambiguous (« ju » could be juin or juillet)."""
    word = word.rstrip(".")
    if word in _FOLDED_MONTHS:
        return _FOLDED_MONTHS.index(word) + 1
    matches = [n for n, name in enumerate(_FOLDED_MONTHS, 1) if len(word) >= 3 and name.startswith(word)]
    return matches[0] if len(matches) == 1 else None


def _not_a_date(text):
    return ValidationError(f"« {text} » n'est pas une date reconnue. Écrivez par exemple {DATE_EXAMPLES}.",
                           code="date-non-reconnue")  # fmt: skip


def _year(digits):
    if len(digits) != 4:
        raise ValidationError(
            f"Écrivez l'année en entier, avec ses quatre chiffres (par exemple 2006, et non « {digits} »).",
            code="annee-incomplete",
        )
    return int(digits)


def _checked(year, month, day):
    """The ``PartialDate``, or a French ``ValidationError`` saying what does not exist."""
    if month is not None and not 1 <= month <= 12:
        raise ValidationError(
            f"Il n'y a pas de mois {month} : le mois va de 1 à 12 (une date en chiffres s'écrit jour/mois/année).",
            code="mois-inexistant",
        )
    if day is not None:
        leap_year = 2000  # a day and month without a year may be a 29 février
        last = calendar.monthrange(year or leap_year, month)[1]
        if not 1 <= day <= last:
            where = f" en {year}" if year is not None and (month, day) == (2, 29) else ""
            day_text = "1er" if day == 1 else str(day)
            raise ValidationError(
                f"Il n'y a pas de {day_text} {MONTHS_FR[month - 1]}{where}.", code="jour-inexistant"
            )
    if month is not None and day is None and year is None:
        raise ValidationError(
            f"Un mois seul ne peut pas être enregistré : ajoutez l'année (« {MONTHS_FR[month - 1]} 2006 ») "
            f"ou le jour (« 14 {MONTHS_FR[month - 1]} »).",
            code="mois-seul",
        )
    return PartialDate(year, month, day)


def _parse_body(text, original):
    """A date without « depuis »: (year, month, day), each possibly None."""
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", text)
    if iso:
        year, month, day = iso.groups()
        return _year(year), int(month), int(day) if day else None
    iso_day_month = re.fullmatch(r"--(\d{2})-(\d{2})", text)
    if iso_day_month:
        return None, int(iso_day_month.group(1)), int(iso_day_month.group(2))
    if re.fullmatch(r"\d{4}", text):
        return _year(text), None, None
    numeric = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:\s*[/.\-]\s*(\d{1,4}))?", text)
    if numeric:
        day, month, year = numeric.groups()
        return (_year(year) if year else None), int(month), int(day)
    month_year = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{4})", text)
    if month_year:
        return _year(month_year.group(2)), int(month_year.group(1)), None
    words = text.replace(",", " ").split()
    if words and words[0] in _WEEKDAYS:
        words = words[1:]
    day = None
    if words and re.fullmatch(r"(\d{1,2})(?:er|ere|e)?|premier", words[0]):
        day = 1 if words[0] == "premier" else int(re.match(r"\d+", words[0]).group())
        words = words[1:]
    if not words or _month(words[0]) is None:
        raise _not_a_date(original)
    month = _month(words[0])
    words = words[1:]
    year = None
    if words and re.fullmatch(r"\d+", words[0]):
        year = _year(words[0])
        words = words[1:]
    if words:
        raise _not_a_date(original)
    return year, month, day


def parse_partial_date(text, plausible=True):
    """``(PartialDate, since)`` from a date as someone types it in French.

    « 17 janvier 2006 », « 1er mars 2007 », « 17/01/2006 », « 2006-01-17 » (a day);
    « 14 décembre », « le 14/12 » (a day and month, year unknown); « décembre 2006 »,
    « 12/2006 » (a month); « 2006 », « en 2006 » (a year); « depuis 2001 », « depuis le 14
    décembre » (an open start: ``since`` is True). Month names take or leave their accents
    and capitals, and may be shortened (« déc. »). Empty text gives an empty date.
    Anything else raises a ``ValidationError`` in French that says what is wrong; so does
    a year out of ``FIRST_PLAUSIBLE_YEAR``–``LAST_PLAUSIBLE_YEAR`` (a typo, « 2206 »),
    unless ``plausible`` is False (a date already stored, shown back unchanged)."""
    original = (text or "").strip()
    folded = _fold(original).rstrip(".")
    if not folded:
        return PartialDate(), False
    since = False
    if re.match(r"(?:de|du) .+ (?:a|au|jusqu'a|jusqu'au|jusqu'en) ", folded + " "):
        raise ValidationError("Une période s'écrit en deux champs : le début ici, la fin dans « Fin ».",
                              code="periode-dans-un-champ")  # fmt: skip
    opening = _SINCE_WORDS.match(folded)
    if opening:
        since, folded = True, folded[opening.end() :]
        if not folded:
            raise ValidationError("« depuis » demande une date : « depuis 2001 », « depuis le 14 décembre ».",
                                  code="depuis-sans-date")  # fmt: skip
    folded = _LEADING_WORDS.sub("", folded, count=1)
    date = _checked(*_parse_body(folded, original))
    if plausible and date.year is not None and not FIRST_PLAUSIBLE_YEAR <= date.year <= LAST_PLAUSIBLE_YEAR:
        raise ValidationError(
            f"L'année {date.year} n'est pas plausible : vérifiez-la "
            f"(entre {FIRST_PLAUSIBLE_YEAR} et {LAST_PLAUSIBLE_YEAR}).",
            code="annee-improbable",
        )
    return date, since


def format_partial_date(date, since=False):
    """A ``PartialDate`` as ``parse_partial_date`` reads it back: « 17 janvier 2006 »,
    « 1er mars 2007 », « décembre 2006 », « 2006 », « 14 décembre », « depuis 2001 »,
    « depuis le 14 décembre »."""
    if not date:
        return ""
    if since:
        return ("depuis le " if date.day is not None else "depuis ") + date.format_fr()
    return date.format_fr()


def format_period(start: PartialDate, end: PartialDate, open_start: bool = False) -> str:
    """« depuis 2001 », « 17 janvier 2006 », « de 2007 à 2008 », « jusqu'en 2007 »."""
    if start and end:
        if start == end:
            return start.format_fr()
        return (
            f"du {start.format_fr()} au {end.format_fr()}"
            if start.day or end.day
            else (f"de {start.format_fr()} à {end.format_fr()}")
        )
    if start:
        if open_start:
            prefix = "depuis le" if start.day is not None else "depuis"
            return f"{prefix} {start.format_fr()}"
        return start.format_fr()
    if end:
        return f"jusqu'en {end.format_fr()}" if end.day is None else f"jusqu'au {end.format_fr()}"
    return ""


LONG_MONTHS = [1, 3, 5, 7, 8, 10, 12]
SHORT_MONTHS = [4, 6, 9, 11]


def period_constraints():
    """The rules of a partial date that the database guards (``clean_period`` gives the
    friendlier messages first): a month is 1–12, a day exists in its month (a 29 February
    is accepted: the year may be unknown), a day needs a month, a month alone needs a year,
    an open start (« depuis ») needs a start and has no end, an end year does not precede
    the start year. For the ``Meta.constraints`` of every model using ``PeriodMixin``."""
    constraints = []
    for side, label in (("start", "début"), ("end", "fin")):
        month_q = models.Q(**{f"{side}_month__isnull": True}) | models.Q(
            **{f"{side}_month__gte": 1, f"{side}_month__lte": 12}
        )
        # (A NULL month would make each branch unknown, which a CHECK lets through: so the
        # month must be set explicitly for a day to pass.)
        has_month = {f"{side}_month__isnull": False}
        day_q = (
            models.Q(**{f"{side}_day__isnull": True})
            | models.Q(
                **has_month,
                **{f"{side}_month__in": LONG_MONTHS, f"{side}_day__gte": 1, f"{side}_day__lte": 31},
            )
            | models.Q(
                **has_month,
                **{f"{side}_month__in": SHORT_MONTHS, f"{side}_day__gte": 1, f"{side}_day__lte": 30},
            )
            | models.Q(**has_month, **{f"{side}_month": 2, f"{side}_day__gte": 1, f"{side}_day__lte": 29})
        )
        lone_month_q = (
            models.Q(**{f"{side}_month__isnull": True})
            | models.Q(**{f"{side}_year__isnull": False})
            | models.Q(**{f"{side}_day__isnull": False})
        )
        constraints += [
            models.CheckConstraint(
                condition=month_q,
                name=f"%(app_label)s_%(class)s_{side}_month_1_12",
                violation_error_message=f"Le mois de {label} doit être compris entre 1 et 12.",
            ),
            models.CheckConstraint(
                condition=day_q,
                name=f"%(app_label)s_%(class)s_{side}_day_in_month",
                violation_error_message=f"Le jour de {label} doit exister dans son mois (et un jour demande un mois).",
            ),
            models.CheckConstraint(
                condition=lone_month_q,
                name=f"%(app_label)s_%(class)s_{side}_month_needs_year",
                violation_error_message=f"Un mois de {label} sans année ni jour ne peut pas être enregistré.",
            ),
        ]
    no_end = models.Q(end_year__isnull=True, end_month__isnull=True, end_day__isnull=True)
    constraints += [
        models.CheckConstraint(
            condition=models.Q(since=False)
            | models.Q(start_year__isnull=False)
            | models.Q(start_day__isnull=False),
            name="%(app_label)s_%(class)s_since_needs_start",
            violation_error_message="« Depuis » demande une date de début.",
        ),
        models.CheckConstraint(
            condition=models.Q(since=False) | no_end,
            name="%(app_label)s_%(class)s_since_has_no_end",
            violation_error_message="Une période « depuis » n'a pas de date de fin.",
        ),
        models.CheckConstraint(
            condition=models.Q(start_year__isnull=True)
            | models.Q(end_year__isnull=True)
            | models.Q(end_year__gte=models.F("start_year")),
            name="%(app_label)s_%(class)s_end_not_before_start",
            violation_error_message="La fin ne peut pas précéder le début.",
        ),
    ]
    return constraints


class PeriodMixin(models.Model):
    """Abstract start/end dates kept at their real precision.

    ``since`` marks an open start (« depuis 2001 », « depuis le 14 décembre »): the thing
    began then and goes on.
    """

    start_year = models.PositiveSmallIntegerField("année de début", null=True, blank=True)
    start_month = models.PositiveSmallIntegerField(
        "mois de début", null=True, blank=True, help_text="1 à 12 ; laisser vide si inconnu."
    )
    start_day = models.PositiveSmallIntegerField(
        "jour de début",
        null=True,
        blank=True,
        help_text="Laisser l'année vide si la source ne la donne pas (« le 14 décembre »).",
    )
    since = models.BooleanField(
        "en cours depuis cette date",
        default=False,
        help_text="Cocher pour « depuis 2001 » : le début est connu, la fin est ouverte.",
    )
    end_year = models.PositiveSmallIntegerField("année de fin", null=True, blank=True)
    end_month = models.PositiveSmallIntegerField("mois de fin", null=True, blank=True)
    end_day = models.PositiveSmallIntegerField("jour de fin", null=True, blank=True)

    class Meta:
        abstract = True
        constraints = period_constraints()

    @property
    def start(self):
        return PartialDate(self.start_year, self.start_month, self.start_day)

    @property
    def end(self):
        return PartialDate(self.end_year, self.end_month, self.end_day)

    @property
    def period_display(self):
        return format_period(self.start, self.end, self.since)

    def clean_period(self):
        errors = {}
        start_errors = self.start.errors()
        end_errors = self.end.errors()
        if start_errors:
            errors["start_year"] = start_errors
        if end_errors:
            errors["end_year"] = end_errors
        if not errors and self.since and not self.start:
            errors["since"] = ["« Depuis » demande une date de début."]
        if not errors and self.since and self.end:
            errors["since"] = ["Une période « depuis » n'a pas de date de fin."]
        start, end = self.start, self.end
        if (
            not errors
            and start.year is not None
            and end.year is not None
            and start.sort_key() > end.sort_key()
        ):
            errors["end_year"] = ["La fin ne peut pas précéder le début."]
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()
        self.clean_period()


def period_errors(start, since, end):
    """French messages, by side (``"start"``, ``"end"``), for a start and an end that do
    not make a period (the rules of ``PeriodMixin.clean_period``)."""
    if since and end:
        return {
            "end": ["Une période « depuis » n'a pas de fin : videz la fin, ou retirez « depuis » du début."]
        }
    if since and not start:
        return {"start": ["« Depuis » demande une date de début."]}
    if start.year is not None and end.year is not None and start.sort_key() > end.sort_key():
        return {"end": [f"La fin ({end.format_fr()}) ne peut pas précéder le début ({start.format_fr()})."]}
    return {}
