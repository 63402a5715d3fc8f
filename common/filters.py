"""Filter sets with facets, chips and a default order, for every public list.

A facet shows, for each choice, how many results that choice would give with the *other*
active filters applied. Each facet is counted by **one grouped query** (``GROUP BY``), so
the cost of a facet does not depend on how many choices it has: subclasses give, for each
name of ``facet_names``, a method ``count_<name>(queryset) -> {value: count}``.
"""

from dataclasses import dataclass, field

import django_filters

from .querystring import filters_only


@dataclass
class FacetChoice:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    choices: list = field(default_factory=list)
    empty_label: str = ""
    help_text: str = ""


class SortFilter(django_filters.OrderingFilter):
    """``?tri=`` with named orders: ``orders={"nom": ("name",), "recent": ("-updated_at",)}``.
    The primary key ends every order so that pages never overlap."""

    def __init__(self, *args, orders, **kwargs):
        self.orders = orders
        super().__init__(*args, **kwargs)

    @classmethod
    def name_or_recent(cls, field):
        """The public lists' « Trier par »: relevance (the default), by ``field`` in French
        order, or the latest updates first."""
        from .collation import french

        return cls(
            label="Trier par",
            choices=[("nom", "Nom (A → Z)"), ("recent", "Mises à jour récentes")],
            orders={"nom": french(field), "recent": ("-updated_at", *french(field))},
            empty_label="Pertinence",
        )

    def filter(self, qs, value):
        if not value:
            return qs
        ordering = [field for param in value for field in self.orders.get(param, ())]
        return qs.order_by(*ordering, "pk")


class FacetedFilterSet(django_filters.FilterSet):
    """Facet counts, removable chips and a default order (relevance when searching)."""

    facet_names = ()
    default_ordering = ()
    # Filters that do not narrow the list, so never facets nor chips.
    not_filters = ("tri",)
    # Filters that narrow the list but show no chip (the page says it otherwise).
    no_chips = ()

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.form.cleaned_data.get("tri"):
            return queryset
        if "search_rank" in queryset.query.annotations:
            return queryset.order_by("-search_rank", *self.default_ordering, "pk")
        return queryset.order_by(*self.default_ordering, "pk")

    # --- facets
    def queryset_without(self, excluded):
        """The queryset with every active filter applied except ``excluded``, unordered."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name == excluded or name in self.not_filters or value in (None, "", []):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset.order_by()

    def selected(self, name):
        if self.is_bound and self.form.is_valid():
            value = self.form.cleaned_data.get(name)
            return None if value in (None, "") else value
        return None

    def choice_facet(self, name, choices, counts, keep_empty=True):
        """A facet over ``choices`` ([(value, label)]) with ``counts`` ({value: count})."""
        selected = self.selected(name)
        facet_choices = [
            FacetChoice(str(value), label, counts.get(value, 0), str(value) == str(selected))
            for value, label in choices
        ]
        if not keep_empty:
            facet_choices = [c for c in facet_choices if c.count or c.selected]
        filter_ = self.filters[name]
        return Facet(
            name,
            str(filter_.label),
            facet_choices,
            filter_.extra.get("empty_label") or "",
            str(filter_.extra.get("help_text") or ""),
        )

    def facets(self):
        return [getattr(self, f"facet_{name}")(self.queryset_without(name)) for name in self.facet_names]

    # --- chips
    def chips(self, facets):
        """The active filters, each with the query string that removes it."""
        if not (self.is_bound and self.form.is_valid()):
            return []
        labels = {(facet.name, choice.value): choice.label for facet in facets for choice in facet.choices}
        data = filters_only(self.data)
        chips = []
        for name, value in self.form.cleaned_data.items():
            if name in self.not_filters or name in self.no_chips or value in (None, "", []):
                continue
            remaining = data.copy()
            remaining.pop(name, None)
            chips.append(
                {
                    "name": name,
                    "label": str(self.filters[name].label),
                    "value": labels.get((name, str(value))) or getattr(value, "name", None) or str(value),
                    "raw": str(value),
                    "query": remaining.urlencode(),
                }
            )
        return chips
