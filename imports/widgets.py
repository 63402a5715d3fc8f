"""How a spreadsheet cell becomes a value and back, in French, with errors that say what
was expected. Lookups read from an index built once per import (``Lookups``): 10,000 rows
do not make 10,000 queries per column."""

import re

from django.core.exceptions import ValidationError
from import_export import widgets

from actions.dates import format_partial_date, parse_partial_date
from common.search import fold
from territories.models import Territory
from territories.resolver import Resolver

SEPARATORS = re.compile(r"\s*[|;]\s*")


def split(value):
    """« Caen | Calvados » or « Caen ; Calvados » → ["Caen", "Calvados"]."""
    if value in (None, ""):
        return []
    return [part for part in SEPARATORS.split(str(value).strip()) if part]


def text(value):
    """A cell as text: empty for None, whole numbers without « .0 » (spreadsheets turn
    « 14000 » or a SIREN into a number)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class IdentifierWidget(TextWidget):
    """SIREN, SIRET, RNA as people type them: « 123 456 789 », « w141234567 »."""

    def clean(self, value, row=None, **kwargs):
        return re.sub(r"[\s.\u202f\u00a0]", "", text(value)).upper()


class ChoiceWidget(widgets.Widget):
    """A choice read from its French label or its code (case and accents free)."""

    def __init__(self, choices, what, default="", **kwargs):
        self.default = default
        self.choices = list(choices)
        self.by_text = {fold(str(label)): value for value, label in self.choices}
        self.by_text.update({fold(str(value)): value for value, _ in self.choices})
        self.labels = dict(self.choices)
        self.what = what
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = text(value)
        if not value:
            return self.default
        try:
            return self.by_text[fold(value)]
        except KeyError:
            allowed = ", ".join(f"« {label} »" for _, label in self.choices)
            raise ValueError(
                f"{self.what} inconnu(e) : « {value} ». Valeurs possibles : {allowed}."
            ) from None

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


class YesNoWidget(widgets.Widget):
    YES = {"oui", "o", "vrai", "true", "1", "x"}
    NO = {"non", "n", "faux", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        folded = fold(text(value))
        if folded in self.YES:
            return True
        if folded in self.NO:
            return False
        raise ValueError(f"Répondez « oui » ou « non » (pas « {value} »).")

    def render(self, value, obj=None, **kwargs):
        return "oui" if value else "non"


class Lookups:
    """What one import reads once: every territory, for the territory and commune columns
    (``territories/resolver.py``: the rules of every place a territory is typed)."""

    def __init__(self):
        self._resolver = None

    def territory(self, part):
        """The territory a cell names (« Nom (clé) » as exported, a key, an INSEE code, a
        postcode or a name; a historic commune gives today's): ``Unresolved``, a
        ``ValueError`` with a French message, when none or several."""
        if self._resolver is None:
            self._resolver = Resolver.for_file()
        return self._resolver.territory(part)


class TerritoriesWidget(widgets.ManyToManyWidget):
    def __init__(self, lookups, **kwargs):
        self.lookups = lookups
        super().__init__(Territory, separator=" | ", **kwargs)

    def clean(self, value, row=None, **kwargs):
        found, problems = [], []
        for part in split(text(value)):
            try:
                found.append(self.lookups.territory(part))
            except ValueError as error:
                problems.append(str(error))
        if problems:
            raise ValueError(" ".join(problems))
        return list(dict.fromkeys(found))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        items = value if isinstance(value, list) else list(value.all())
        return self.separator.join(
            f"{t.name} ({t.key})" for t in sorted(items, key=lambda t: (t.kind, t.name))
        )


class VocabularyWidget(widgets.ManyToManyWidget):
    """Sectors or publics, by name or slug; an unknown one is an error (never created)."""

    def __init__(self, model, what, **kwargs):
        self.what = what
        self._index = None
        super().__init__(model, separator=" | ", **kwargs)

    def index(self):
        if self._index is None:
            self._index = {}
            for item in self.model.objects.all():
                self._index[fold(item.name)] = item
                self._index[item.slug] = item
        return self._index

    def clean(self, value, row=None, **kwargs):
        found, unknown = [], []
        for part in split(text(value)):
            item = self.index().get(part) or self.index().get(fold(part))
            (found if item else unknown).append(item or part)
        if unknown:
            names = ", ".join(f"« {u} »" for u in unknown)
            allowed = ", ".join(sorted({i.name for i in self.index().values()}))
            raise ValueError(f"{self.what} inconnu(s) : {names}. Valeurs possibles : {allowed}.")
        return list(dict.fromkeys(found))

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        items = value if isinstance(value, list) else list(value.all())
        return self.separator.join(item.name for item in sorted(items, key=lambda i: i.name))


class SlugWidget(widgets.ForeignKeyWidget):
    """A related object named by its address (slug), with a French error."""

    def __init__(self, model, what, queryset=None, **kwargs):
        self.what = what
        self.queryset = queryset
        super().__init__(model, field="slug", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return self.queryset if self.queryset is not None else self.model._default_manager.all()

    def clean(self, value, row=None, **kwargs):
        value = text(value)
        if not value:
            return None
        try:
            return self.get_queryset(value, row).get(slug=value)
        except self.model.DoesNotExist:
            raise ValueError(f"{self.what} inconnu(e) : aucune adresse « {value} ».") from None

    def render(self, value, obj=None, **kwargs):
        return value.slug if value is not None else ""


class DecimalWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        from decimal import Decimal, InvalidOperation

        value = text(value).replace(",", ".").replace("\u202f", "").replace(" ", "")
        if not value:
            return None
        try:
            return Decimal(value)
        except InvalidOperation:
            raise ValueError(f"Nombre attendu (par exemple 49,18), pas « {value} ».") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value).replace(".", ",")


class DateWidget(widgets.Widget):
    """A date typed in French at any precision (« 14 décembre », « décembre 2006 »,
    « depuis 2001 », « 17/01/2006 »): (PartialDate, since)."""

    def clean(self, value, row=None, **kwargs):
        value = text(value)
        if not value:
            return None
        try:
            return parse_partial_date(value)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        date, since = value
        return format_partial_date(date, since) if date else ""
