"""Dates known at their real precision.

The source document gives dates at several precisions: a full date (« 17 janvier 2006 »),
a day and month with no year (« depuis le 14 décembre », « le 29 Novembre »), a month
(« décembre 2006 »), a year (« 2008 ») and open starts (« depuis 2001 »). A
``PartialDate`` keeps exactly the parts that are known and prints them in French; it
never fills in a missing year.

Nothing in ``actors`` uses it: dates are those of ``actions``' periods, and the code reads
them from ``actions.dates`` (with ``PeriodMixin``). It stays here only while
``imports/widgets.py`` imports ``parse_partial_date`` and ``format_partial_date`` from
``actors.dates``; once that import reads ``actions.dates``, this file moves there whole.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models

MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


class Precision(models.TextChoices):
    DAY = "day", "jour"
    DAY_MONTH = "day_month", "jour et mois (année inconnue)"
    MONTH = "month", "mois"
    YEAR = "year", "année"


@dataclass(frozen=True)
class PartialDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None

    def __bool__(self):
        return any(part is not None for part in (self.year, self.month, self.day))

    @property
    def year_unknown(self):
        """A day and month the source gives without a year (« le 29 novembre »)."""
        return self.precision == Precision.DAY_MONTH

    @property
    def precision(self):
        if self.day is not None:
            return Precision.DAY if self.year is not None else Precision.DAY_MONTH
        if self.month is not None:
            return Precision.MONTH
        if self.year is not None:
            return Precision.YEAR
        return None

    def errors(self):
        """French messages for a combination of parts that does not make a date."""
        errors = []
        if self.month is not None and not 1 <= self.month <= 12:
            errors.append("Le mois doit être compris entre 1 et 12.")
        if self.day is not None:
            if self.month is None:
                errors.append("Un jour sans mois ne peut pas être enregistré : indiquez le mois.")
            elif 1 <= (self.month or 0) <= 12:
                leap_year = 2000  # a day-and-month date may be 29 février
                last = calendar.monthrange(self.year or leap_year, self.month)[1]
                if not 1 <= self.day <= last:
                    errors.append(f"Le {MONTHS_FR[self.month - 1]} n'a pas de jour {self.day}.")
        if self.month is not None and self.year is None and self.day is None:
            errors.append("Un mois sans année ni jour ne peut pas être enregistré.")
        return errors

    def format_fr(self):
        if not self:
            return ""
        if self.day is not None:
            day = "1er" if self.day == 1 else str(self.day)
            text = f"{day} {MONTHS_FR[self.month - 1]}"
            return f"{text} {self.year}" if self.year is not None else text
        if self.month is not None:
            return f"{MONTHS_FR[self.month - 1]} {self.year}"
        return str(self.year)

    def iso(self):
        """ISO 8601 at the known precision (``2006``, ``2006-12``, ``2006-01-17``,
        ``--12-14`` for a day and month with no year)."""
        if self.precision == Precision.DAY:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.precision == Precision.DAY_MONTH:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.precision == Precision.MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        if self.precision == Precision.YEAR:
            return f"{self.year:04d}"
        return ""

    def sort_key(self):
        return (self.year or 0, self.month or 0, self.day or 0)

    def __str__(self):
        return self.format_fr()


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
