"""Periods: when a programme, an action, a partnership, an event or a key figure began
and ended, each date kept at its real precision.

``PeriodMixin`` gives a model its seven columns (``start_year`` … ``since``) and
``period_constraints`` the rules the database guards; ``format_period`` writes a period
in French (« depuis 2001 », « de 2007 à 2008 ») and ``period_errors`` says why a start
and an end typed by staff do not make one (the admin's « Début » and « Fin »:
``actions/admin.py``, ``PeriodForm``).

A date itself — ``PartialDate``, its ``Precision``, and how people write it
(``parse_partial_date``, ``format_partial_date``) — is read from here. Its code still sits
in ``actors/dates.py``, which nothing in ``actors`` uses, only because
``imports/widgets.py`` imports it from there; once that import reads ``actions.dates``,
that code moves here whole and ``actors/dates.py`` goes.
"""

from django.core.exceptions import ValidationError
from django.db import models

from actors.dates import PartialDate, Precision, format_partial_date, parse_partial_date

__all__ = [  # the date itself is re-exported: read it from here
    "PartialDate",
    "PeriodMixin",
    "Precision",
    "format_partial_date",
    "format_period",
    "parse_partial_date",
    "period_constraints",
    "period_errors",
]


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
