"""Filters of the public lists, with facet counts.

The département rule (see ``TerritoryQuerySet.covering_departement``): an actor or an
action counts in a département when it covers the département, any commune in it
(historic communes included), or a whole region that contains it.

Every facet shows, for each choice, how many results it would give with the *other*
active filters applied. Facet counts are conditional aggregates: one query per facet,
whatever the number of choices or of results.
"""

from dataclasses import dataclass, field

import django_filters
from django.db.models import CharField, Count, Exists, OuterRef, Q, Value

from .models import EssFamily, Organisation, Public, Sector
from .search import SearchSpec

# The three départements of Basse-Normandie, the directory's territory.
DEPARTEMENTS = [("14", "Calvados"), ("50", "Manche"), ("61", "Orne")]

ACTOR_SEARCH = SearchSpec(
    a=["name", "acronym", "alternate_name"],
    b=["sectors__name", "publics__name", "territories__name"],
    c=["summary", "description"],
)


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


def vocabularies():
    """Sectors and publics, as ``{"secteur": [(slug, name)…], "public": […]}``, in one query."""
    sectors = Sector.objects.annotate(kind=Value("secteur", output_field=CharField()))
    publics = Public.objects.annotate(kind=Value("public", output_field=CharField()))
    rows = (
        sectors.order_by()
        .values_list("slug", "name", "kind")
        .union(publics.order_by().values_list("slug", "name", "kind"), all=True)
    )
    result = {"secteur": [], "public": []}
    for slug, name, kind in sorted(rows, key=lambda row: row[1]):
        result[kind].append((slug, name))
    return result


class DirectoryFilterSet(django_filters.FilterSet):
    """Shared machinery: text search, département, vocabularies validated without extra
    queries, facet counts, active-filter chips, sorting."""

    search_spec = None
    facet_names = ()
    orderings = {}
    default_ordering = []
    not_filters = ("tri",)

    q = django_filters.CharFilter(label="Mots-clés", method="filter_search", max_length=200)
    departement = django_filters.ChoiceFilter(
        label="Département", choices=DEPARTEMENTS, method="filter_departement",
        empty_label="Tous les départements",
    )  # fmt: skip
    secteur = django_filters.ChoiceFilter(
        label="Secteur", method="filter_vocabulary", empty_label="Tous les secteurs"
    )
    public = django_filters.ChoiceFilter(
        label="Public", method="filter_vocabulary", empty_label="Tous les publics"
    )
    tri = django_filters.ChoiceFilter(
        label="Trier par",
        choices=[("nom", "Nom (A → Z)"), ("recent", "Mises à jour récentes")],
        method="filter_nothing",
        empty_label="Pertinence",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.vocabularies = vocabularies()
        for name, choices in self.vocabularies.items():
            self.filters[name].extra["choices"] = choices

    # --- filtering
    def filter_nothing(self, queryset, name, value: str):
        return queryset

    def filter_search(self, queryset, name, value: str):
        if not value.strip():
            return queryset
        return self.search_spec.apply(queryset, value)

    def filter_departement(self, queryset, name, value: str):
        return queryset.in_departement(value)

    def filter_vocabulary(self, queryset, name, value: str):
        return queryset.filter(self.vocabulary_q(name, value))

    def vocabulary_q(self, name, slug):
        """The condition « has sector/public ``slug`` » for this list's model."""
        raise NotImplementedError

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        tri = self.form.cleaned_data.get("tri")
        if tri:
            return queryset.order_by(*self.orderings[tri], "pk")
        if (self.form.cleaned_data.get("q") or "").strip():
            return queryset.order_by("-search_rank", *self.default_ordering, "pk")
        return queryset.order_by(*self.default_ordering, "pk")

    # --- facets
    def queryset_without(self, excluded):
        """The queryset with every active filter applied except ``excluded``."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name == excluded or name in self.not_filters or value in (None, "", []):
                continue
            queryset = self.filters[name].filter(queryset, value)
        return queryset

    def current(self, name):
        if self.is_bound and self.form.is_valid():
            return self.form.cleaned_data.get(name) or None
        return None

    def conditional_facet(self, name, choices, condition):
        """``choices``: [(value, label)]; ``condition(value)``: a Q for that value."""
        base = self.queryset_without(name).order_by()
        counts = (
            base.aggregate(
                **{f"c{i}": Count("pk", filter=condition(value)) for i, (value, _) in enumerate(choices)}
            )
            if choices
            else {}
        )
        selected = self.current(name)
        return Facet(
            name,
            str(self.filters[name].label),
            [FacetChoice(str(value), label, counts[f"c{i}"], str(value) == str(selected)) for i, (value, label) in enumerate(choices)],
            self.filters[name].extra.get("empty_label") or "",
        )  # fmt: skip

    def departement_facet(self):
        model = self.queryset.model
        return self.conditional_facet(
            "departement",
            DEPARTEMENTS,
            lambda code: Q(pk__in=model.objects.in_departement(code).values("pk")),
        )

    def secteur_facet(self):
        return self.conditional_facet(
            "secteur", self.vocabularies["secteur"], lambda slug: self.vocabulary_q("secteur", slug)
        )

    def public_facet(self):
        return self.conditional_facet(
            "public", self.vocabularies["public"], lambda slug: self.vocabulary_q("public", slug)
        )

    def facets(self):
        return [getattr(self, f"{name}_facet")() for name in self.facet_names]

    def chips(self, facets):
        """The active filters, each with the query string that removes it."""
        if not (self.is_bound and self.form.is_valid()):
            return []
        labels = {(facet.name, c.value): c.label for facet in facets for c in facet.choices}
        data = self.data.copy()
        data.pop("page", None)
        chips = []
        for name, value in self.form.cleaned_data.items():
            if name in self.not_filters or value in (None, ""):
                continue
            remaining = data.copy()
            remaining.pop(name, None)
            chips.append(
                {
                    "label": str(self.filters[name].label),
                    "value": labels.get((name, str(value)), value),
                    "query": remaining.urlencode(),
                }
            )
        return chips


class ActorFilterSet(DirectoryFilterSet):
    search_spec = ACTOR_SEARCH
    facet_names = ("departement", "secteur", "famille", "public")
    orderings = {"nom": ["name"], "recent": ["-updated_at", "name"]}
    default_ordering = ["name"]

    famille = django_filters.ChoiceFilter(
        label="Famille de l'ESS",
        field_name="family",
        choices=EssFamily.choices,
        empty_label="Toutes les familles",
    )

    class Meta:
        model = Organisation
        fields = ["q", "departement", "secteur", "famille", "public", "tri"]

    def vocabulary_q(self, name, slug):
        through = Organisation.sectors.through if name == "secteur" else Organisation.publics.through
        target = "sector__slug" if name == "secteur" else "public__slug"
        return Q(Exists(through.objects.filter(organisation=OuterRef("pk"), **{target: slug})))

    def famille_facet(self):
        return self.conditional_facet("famille", EssFamily.choices, lambda value: Q(family=value))
