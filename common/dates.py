"""A date known at its real precision (``PartialDate``): the source gives dates as a full
date, a day and month with no year (« le 29 novembre »), a month (« décembre 2006 ») or a
year (« 2008 »); a ``PartialDate`` keeps exactly the parts that are known, prints them in
French and never fills in a missing year.

Here, below the apps, because more than one app dates things this way: the periods of
programmes and actions (``actions/dates.py``, which also reads dates as staff type them)
and the changes of name of public bodies (``actors/successors.py``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

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

    def edtf(self):
        """ISO 8601-2 (EDTF), as :meth:`iso` but ``XXXX-12-14`` for a day and month with no
        year: a form no spreadsheet reads as a formula (``--12-14`` is one, « 12 − 14 »)."""
        iso = self.iso()
        return "XXXX" + iso[1:] if iso.startswith("--") else iso

    def sort_key(self):
        return (self.year or 0, self.month or 0, self.day or 0)

    def __str__(self):
        return self.format_fr()
