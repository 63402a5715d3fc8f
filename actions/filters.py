"""Filters of the list of actions (same machinery as the actors' list)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from actors.filters import DirectoryFilterSet
from actors.models import Organisation
from actors.search import SearchSpec

from .models import Action, Programme

FIRST_YEAR = 1990

ACTION_SEARCH = SearchSpec(
    a=["title"],
    b=["sectors__name", "publics__name", "territories__name", "programme__title", "programme__actor__name",
       "programme__actor__acronym"],
    c=["description", "source_text", "editorial_note"],
)  # fmt: skip

PROGRAMME_SEARCH = SearchSpec(
    a=["title"],
    b=["sectors__name", "publics__name", "territories__name", "actor__name", "actor__acronym"],
    c=["summary", "description", "source_text"],
)


def dated_in(year, prefix=""):
    """Something dated (start, end, open start) that covers ``year``."""
    p = prefix
    return (
        Q(**{f"{p}start_year": year})
        | Q(**{f"{p}start_year__lte": year, f"{p}end_year__gte": year})
        | Q(**{f"{p}since": True, f"{p}start_year__lte": year})
    )


def action_in_year(year):
    """An action's own dates, or its programme's when it has no year of its own."""
    return (Q(start_year__isnull=False) & dated_in(year)) | (
        Q(start_year__isnull=True) & dated_in(year, "programme__")
    )


def years():
    return [(str(year), str(year)) for year in range(timezone.now().year, FIRST_YEAR - 1, -1)]


class ActionFilterSet(DirectoryFilterSet):
    search_spec = ACTION_SEARCH
    facet_names = ("departement", "secteur", "public", "acteur", "annee")
    orderings = {"nom": ["title"], "recent": ["-updated_at", "title"]}
    default_ordering = ["programme__actor__name", "programme__title", "order"]

    acteur = django_filters.ChoiceFilter(
        label="Acteur", method="filter_actor", empty_label="Tous les acteurs"
    )
    annee = django_filters.ChoiceFilter(label="Année", method="filter_year", empty_label="Toutes les années")

    class Meta:
        model = Action
        fields = ["q", "departement", "secteur", "public", "acteur", "annee", "tri"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor_choices = list(
            Organisation.objects.actors().published().order_by("name").values_list("slug", "name")
        )
        self.filters["acteur"].extra["choices"] = self.actor_choices
        self.filters["annee"].extra["choices"] = years()

    def vocabulary_q(self, name, slug):
        """The action's own sectors (publics); with none of its own, its programme's."""
        if name == "secteur":
            own, inherited, target = Action.sectors.through, Programme.sectors.through, "sector__slug"
        else:
            own, inherited, target = Action.publics.through, Programme.publics.through, "public__slug"
        own_rows = own.objects.filter(action=OuterRef("pk"))
        return Q(Exists(own_rows.filter(**{target: slug}))) | (
            ~Q(Exists(own_rows))
            & Q(Exists(inherited.objects.filter(programme=OuterRef("programme"), **{target: slug})))
        )

    def filter_actor(self, queryset, name, value: str):
        return queryset.filter(programme__actor__slug=value)

    def filter_year(self, queryset, name, value: str):
        return queryset.filter(action_in_year(int(value)))

    def acteur_facet(self):
        return self.conditional_facet(
            "acteur", self.actor_choices, lambda slug: Q(programme__actor__slug=slug)
        )

    def annee_facet(self):
        facet = self.conditional_facet("annee", years(), lambda year: action_in_year(int(year)))
        facet.choices = [c for c in facet.choices if c.count or c.selected]
        return facet
