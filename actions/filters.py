"""Filters of the lists of actions and programmes — the actors' list machinery
(``CoverageFilterSet``), plus the actor and the year for actions — and of events (keywords
and département)."""

import django_filters
from django.contrib.postgres.search import SearchVector
from django.db.models import Count, F
from django.utils import timezone

from actors.filters import CoverageFilterSet
from actors.models import Organisation, span_years
from common.collation import french
from common.filters import FacetedFilterSet, SortFilter
from common.search import FTS_CONFIG, search
from territories.models import Territory
from territories.region import DEPARTEMENTS

from .models import Action, Event, Programme

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
    tri = SortFilter.name_or_recent("title")

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


class ProgrammeFilterSet(CoverageFilterSet):
    """/actions/programmes/: keywords, département, commune, sector and public, counted
    and faceted from the listing counts (``ListingCount``, list « programmes ») as the
    actions are."""

    facet_names = ("departement", "secteur", "public")
    listing = "programmes"
    default_ordering = french("title")

    tri = SortFilter.name_or_recent("title")

    class Meta:
        model = Programme
        fields = ["q", "departement", "commune", "secteur", "public", "tri"]


# An event's document, built when searched: events have no stored one (``Searchable``),
# and there are few of them. Same weights as the stored documents: the title (A); the
# theme, the actor and the place (B); the texts (C).
EVENT_DOCUMENT = (
    SearchVector("title", weight="A", config=FTS_CONFIG)
    + SearchVector("theme", "actor__name", "place__name", weight="B", config=FTS_CONFIG)
    + SearchVector("description", "source_text", weight="C", config=FTS_CONFIG)
)


class EventFilterSet(FacetedFilterSet):
    """/actions/evenements/: keywords, and the département where the event takes place
    (its place counts there by the coverage rule: the département, one of its communes or
    a region that contains it). The most recent first; searching, the most relevant."""

    default_ordering = (F("start_year").desc(nulls_last=True), F("start_month").desc(nulls_last=True), "title")

    q = django_filters.CharFilter(label="Mots-clés", method="filter_search", max_length=200)
    departement = django_filters.ChoiceFilter(
        label="Département", choices=DEPARTEMENTS, method="filter_departement",
        empty_label="Tous les départements",
    )  # fmt: skip

    class Meta:
        model = Event
        fields = ["q", "departement"]

    def filter_search(self, queryset, name, value: str):
        if not value.strip():
            return queryset
        return search(queryset.annotate(search_vector=EVENT_DOCUMENT), value)

    def filter_departement(self, queryset, name, value: str):
        departement = Territory.objects.departements([value])
        # What counts in the département: the territories whose roll-up reaches it (the
        # rule of ``Territory.covering``), read in the same query.
        return queryset.filter(place__in=Territory.objects.filter(reach__in=departement))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if "search_rank" in queryset.query.annotations:
            return queryset.order_by("-search_rank", *french("title"), "pk")
        return queryset

    def chips(self, facets):
        names = dict(DEPARTEMENTS)
        chips = super().chips(facets)
        for chip in chips:
            if chip["name"] == "departement":
                chip["value"] = names.get(chip["raw"], chip["value"])
        return chips
