"""Filters of the list of actions: the actors' list machinery (``CoverageFilterSet``),
plus the actor and the year."""

import django_filters
from django.db.models import Count
from django.utils import timezone

from actors.filters import CoverageFilterSet
from actors.models import Organisation, span_years
from common.collation import french
from common.filters import SortFilter

from .models import Action

FIRST_YEAR = 1990
TOP_ACTORS = 10
# The actor facet ranks the actors of lists up to this many actions: past it, ranking
# would read the whole list at each request, and ten actors among so many tell little.
ACTOR_FACET_LIMIT = 10_000


def years():
    return [(str(year), str(year)) for year in range(timezone.now().year, FIRST_YEAR - 1, -1)]


class ActionFilterSet(CoverageFilterSet):
    facet_names = ("departement", "secteur", "public", "acteur", "annee")
    listing = "actions"
    counted = {**CoverageFilterSet.counted, "annee": "year"}
    # By title: an index answers it; ordering 600,000 actions by their actor's name cannot.
    default_ordering = french("title")

    acteur = django_filters.ModelChoiceFilter(
        label="Acteur",
        field_name="actor",
        to_field_name="slug",
        queryset=Organisation.objects.actors().published(),
        empty_label="Tous les acteurs",
        help_text=f"Les {TOP_ACTORS} acteurs qui ont le plus d'actions dans cette liste ; pour un autre, "
        "tapez son nom dans « Mots-clés » ou ouvrez sa fiche.",
    )
    annee = django_filters.ChoiceFilter(label="Année", method="filter_annee", empty_label="Toutes les années")
    tri = SortFilter(
        label="Trier par",
        choices=[("nom", "Nom (A → Z)"), ("recent", "Mises à jour récentes")],
        orders={"nom": french("title"), "recent": ("-updated_at", *french("title"))},
        empty_label="Pertinence",
    )

    class Meta:
        model = Action
        fields = ["q", "departement", "commune", "secteur", "public", "acteur", "annee", "tri"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["annee"].extra["choices"] = years()

    def filter_annee(self, queryset, name, value: str):
        return queryset.active_in(int(value))

    def facet_acteur(self, base):
        """The actors with the most actions in the list (not one choice per actor: there
        may be 100,000), plus the one selected; past ``ACTOR_FACET_LIMIT`` actions, only the
        one selected, and a hint to narrow the list (the listing counts decide, else a
        bounded count)."""
        counts = self.listing_counts(excluded="acteur")
        if counts is not None:
            broad = counts.count > ACTOR_FACET_LIMIT
        else:
            broad = base.order_by()[: ACTOR_FACET_LIMIT + 1].count() > ACTOR_FACET_LIMIT
        top = [] if broad else list(
            base.values_list("actor_id").annotate(n=Count("pk")).order_by("-n", "actor_id")[:TOP_ACTORS]
        )
        actors = {pk: (slug, name) for pk, slug, name in
                  Organisation.objects.filter(pk__in=[pk for pk, _ in top]).values_list("pk", "slug", "name")}  # fmt: skip
        choices = [actors[pk] for pk, _ in top]
        counts = {actors[pk][0]: n for pk, n in top}
        selected = self.selected("acteur")
        if selected is not None and selected.slug not in counts:
            choices.append((selected.slug, selected.name))
            counts[selected.slug] = base.filter(actor=selected).count()
        facet = self.choice_facet("acteur", choices, counts)
        for choice in facet.choices:
            choice.selected = selected is not None and choice.value == selected.slug
        if broad:
            facet.help_text = (
                f"Les {TOP_ACTORS} acteurs qui ont le plus d'actions s'affichent quand la liste en compte "
                f"moins de {ACTOR_FACET_LIMIT:,} : choisissez d'abord un département, un secteur ou un public, "
                "ou tapez le nom de l'acteur dans « Mots-clés »."
            ).replace(",", "\u202f")
        return facet

    def facet_annee(self, base):
        """Counts per year from the spans of years (first year, last year): the listing
        counts' when they hold the list, else one grouped query."""
        counts = self.listing_counts()
        if counts is not None:
            spans = {span_years(span): n for span, n in counts.spans.items()}
        else:
            spans = base.count_by_years()
        counts = {}
        for value, _ in years():
            year = int(value)
            counts[value] = sum(
                n for (first, last), n in spans.items() if first <= year and (last is None or last >= year)
            )
        return self.choice_facet("annee", years(), counts, keep_empty=False)
