"""Filters of the public lists of actors (and, through ``CoverageFilterSet``, of actions).

Where an item works is its stored coverage, rolled up through ``Territory.reach``
(``territories/loading.py``): something counts in a département when it covers the
département, one of its communes (historic ones included) or a whole region that
contains it; it counts in a commune when it covers the commune (or one of its historic
communes), its département or its region. ``?departement=`` and ``?commune=`` use that
one rule, as the territory pages do.

Every facet is one grouped query (``CoverageQuerySet.count_by_*``).
"""

import math

import django_filters
from django import forms
from django.db.models import CharField, Count, F, FloatField, Value
from django.db.models.functions import Cast
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from common.collation import french, french_key
from common.filters import FacetedFilterSet, SortFilter
from common.search import search
from territories.models import Territory
from territories.region import DEPARTEMENT_CODES, DEPARTEMENTS
from territories.resolver import UNKNOWN_COMMUNE, Reading, Resolver, Unresolved, largest_first, read

from .models import EssFamily, Organisation, Public, Sector, listing_counts


def vocabularies():
    """Sectors and publics, as ``{"secteur": [(slug, name, pk)…], "public": […]}``, in one
    query."""
    sectors = Sector.objects.annotate(kind=Value("secteur", output_field=CharField()))
    publics = Public.objects.annotate(kind=Value("public", output_field=CharField()))
    rows = (
        sectors.order_by()
        .values_list("slug", "name", "kind", "pk")
        .union(publics.order_by().values_list("slug", "name", "kind", "pk"), all=True)
    )
    result = {"secteur": [], "public": []}
    for slug, name, kind, pk in sorted(rows, key=lambda row: french_key(row[1])):
        result[kind].append((slug, name, pk))
    return result


class CommuneField(forms.CharField):
    """« Votre commune » (``people``): a postcode first, a name as people type it, a
    département, read by ``territories.resolver.read`` — the value is a ``Reading``
    (a postcode's communes all at once). ``?commune=`` of the API (not ``people``): an
    INSEE code, exact, else a postcode or a name (``Resolver.commune``), a ``Reading`` of
    one commune. A name several communes share, or a typo, is an error that says which
    communes the person may mean (``reading``, kept for the page's links)."""

    def __init__(self, *args, people=True, **kwargs):
        self.people = people
        self.reading = None
        super().__init__(*args, **kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if not self.people:
            try:
                return Reading(text, "code", communes=[Resolver().commune(text)])
            except Unresolved as error:
                raise forms.ValidationError(error.message, code=error.code) from None
        self.reading = reading = read(text)
        if reading.found:
            return reading
        if reading.kind == "ambiguous":
            raise forms.ValidationError(
                f"Plusieurs communes correspondent à « {text} » : choisissez la vôtre ci-dessous.",
                code="ambiguous",
            )
        if reading.choices:
            raise forms.ValidationError(
                f"Aucune commune ne s'appelle « {text} ». Vouliez-vous dire "
                + " ou ".join(f"« {c.name} »" for c in reading.choices) + " ?",
                code="unknown",
            )
        raise forms.ValidationError(UNKNOWN_COMMUNE, code="unknown")


@extend_schema_field(OpenApiTypes.STR)
class CommuneFilter(django_filters.Filter):
    """``?commune=<code INSEE>``: what works in that commune (a historic code gives its
    current commune)."""

    field_class = CommuneField


class PostcodeField(forms.CharField):
    """``?code_postal=``: the communes a postcode serves, all at once."""

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        if not (len(text) == 5 and text.isdigit()):
            raise forms.ValidationError("Un code postal s'écrit avec cinq chiffres (par exemple « 14100 »).")
        served = Resolver().postcode_communes(text)
        if not served:
            raise forms.ValidationError(f"Aucune commune de l'annuaire n'a le code postal « {text} ».")
        return Reading(text, "postcode", communes=largest_first(served))


@extend_schema_field(OpenApiTypes.STR)
class PostcodeFilter(django_filters.Filter):
    """``?code_postal=14100``: what works in one of the communes of that postcode."""

    field_class = PostcodeField


class BBoxField(forms.CharField):
    """``west,south,east,north`` in degrees (WGS 84): the map's visible area."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        try:
            west, south, east, north = (float(part) for part in text.split(","))
        except ValueError:
            raise forms.ValidationError("La zone doit être « ouest,sud,est,nord » en degrés.") from None
        if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
            raise forms.ValidationError("La zone demandée n'existe pas (ouest ≤ est, sud ≤ nord, en degrés).")
        return west, south, east, north


@extend_schema_field(OpenApiTypes.STR)
class BBoxFilter(django_filters.Filter):
    """``?bbox=ouest,sud,est,nord``: only what is placed in that area (the map asks for
    what it shows)."""

    field_class = BBoxField

    def filter(self, qs, value):
        if not value:
            return qs
        west, south, east, north = value
        return qs.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


class CoverageFilterSet(FacetedFilterSet):
    """The filters of every list whose items have a coverage: keywords, département,
    commune, sector, public; facets for the département, sector and public."""

    q = django_filters.CharFilter(label="Mots-clés", method="filter_search", max_length=200)
    departement = django_filters.ChoiceFilter(
        label="Département", choices=DEPARTEMENTS, method="filter_departement",
        empty_label="Tous les départements",
    )  # fmt: skip
    commune = CommuneFilter(label="Votre commune", method="filter_commune", max_length=80)
    code_postal = PostcodeFilter(label="Code postal", method="filter_commune", max_length=5)
    secteur = django_filters.ChoiceFilter(
        label="Secteur", method="filter_secteur", empty_label="Tous les secteurs"
    )
    public = django_filters.ChoiceFilter(
        label="Public", method="filter_public", empty_label="Tous les publics"
    )

    # A person types a place (a postcode first); the API's ``?commune=`` is an INSEE
    # code, exact (``for_machines``).
    people = True
    # The item's position, for « the nearest first » (None: no distance order).
    position_fields = None

    @classmethod
    def for_machines(cls):
        """This filter set as the API reads it: ``?commune=`` an INSEE code, exact."""
        return type(cls.__name__, (cls,), {"people": False, "__module__": cls.__module__})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["commune"].extra["people"] = self.people
        terms = vocabularies()
        # The keys of the terms and départements, read once: each facet re-applies the
        # other filters (``FacetedFilterSet.queryset_without``).
        self.term_ids = {name: {slug: pk for slug, _, pk in rows} for name, rows in terms.items()}
        self.vocabularies = {name: [(slug, label) for slug, label, _ in rows] for name, rows in terms.items()}
        for name, choices in self.vocabularies.items():
            self.filters[name].extra["choices"] = choices
        self._departement_ids = None

    def departement_id(self, code):
        if self._departement_ids is None:
            self._departement_ids = dict(
                Territory.objects.departements(DEPARTEMENT_CODES).values_list("code", "pk")
            )
        return self._departement_ids.get(code)

    # --- filtering: ``filter_<parameter>``, named like the facets (``facet_<parameter>``, read by
    # ``FacetedFilterSet.facets``), in the query parameters' French; ``q`` is the search.
    def filter_search(self, queryset, name, value: str):
        if not value.strip():
            return queryset
        return search(queryset, value)

    def filter_departement(self, queryset, name, value: str):
        return queryset.in_departements([pk] if (pk := self.departement_id(value)) else [])

    def filter_commune(self, queryset, name, reading):
        if reading.departement is not None:  # « Calvados » typed as a place: the département
            return queryset.in_departements([reading.departement.pk])
        return queryset.in_territory(reading.territories)

    def machine_query(self, query):
        """``query`` (the page's filters) as the API reads them: the place a person typed
        in ``?commune=`` becomes what it was read as — ``code_postal=`` for a postcode,
        ``commune=<code INSEE>`` for a commune, ``departement=`` for a département —, so
        that the map's data are the page's list."""
        query = query.copy()
        reading = self.selected("commune") if self.people else None
        if reading is None:
            return query
        query.pop("commune", None)
        if reading.kind == "postcode":
            query["code_postal"] = reading.text
        elif reading.communes:
            query["commune"] = reading.communes[0].code
        elif reading.departement is not None:
            query["departement"] = reading.departement.code
        return query

    def near(self):
        """The place the list is read from (``?commune=``, else ``?code_postal=``), a
        ``Reading``, or None."""
        return self.selected("commune") or self.selected("code_postal")

    def filter_queryset(self, queryset):
        """Near a place, without another order asked for: what works in the commune first,
        then in its département, then in the region (``scope_in``); at each level the
        nearest first, when positions are known (``position_fields``)."""
        near = self.near()
        searching = bool((self.form.cleaned_data.get("q") or "").strip())
        if near is None or not near.communes or self.form.cleaned_data.get("tri") or searching:
            return super().filter_queryset(queryset)
        queryset = super().filter_queryset(queryset)
        order = ["scope_level"]
        queryset = queryset.annotate(scope_level=queryset.scope_in(near.territories))
        place = near.place
        if self.position_fields and near.communes and place.latitude is not None:
            latitude, longitude = self.position_fields
            # Degrees of longitude shrink with the latitude: the order of an equirectangular
            # distance is the order of the true one at these scales.
            shrink = math.cos(math.radians(float(place.latitude)))
            lat, lon = Cast(latitude, FloatField()), Cast(longitude, FloatField())
            north, east = lat - float(place.latitude), (lon - float(place.longitude)) * shrink
            queryset = queryset.annotate(nearness=north * north + east * east)
            order.append(F("nearness").asc(nulls_last=True))
        return queryset.order_by(*order, *self.default_ordering, "pk")

    def filter_secteur(self, queryset, name, value: str):
        return queryset.with_sectors([self.term_ids["secteur"][value]])

    def filter_public(self, queryset, name, value: str):
        return queryset.with_publics([self.term_ids["public"][value]])

    # --- count and facets: from the listing counts when the list is filtered on nothing
    # else than what they hold (``ListingCount``: a few rows), else one grouped pass each
    # over the filtered rows (``CoverageQuerySet.count_*``).
    listing = None  # the name of the list in ``ListingCount``
    counted = {"departement": "departement", "secteur": "sector", "public": "public"}

    def listing_cell(self, excluded=None):
        """The keys of the ``ListingCount`` cell of this list (without the filter
        ``excluded``), or ``None`` when another filter (keywords, commune, map area…)
        narrows it."""
        if self.listing is None or not self.is_bound:
            return None
        self.form.is_valid()  # a field in error is left out: the facets beside its message
        cell = {}
        for name, value in self.form.cleaned_data.items():
            if name in ("tri", excluded) or value in (None, "", []):
                continue
            if name == "departement":
                cell["departement"] = self.departement_id(value)
            elif name == "commune" and getattr(value, "departement", None) is not None:
                if cell.setdefault("departement", value.departement.pk) != value.departement.pk:
                    return None  # two départements: counted over the rows
                # (« Calvados » typed as a place: the département's cell)
            elif name in ("secteur", "public"):
                cell[self.counted[name]] = self.term_ids[name][value]
            elif name == "famille" and "famille" in self.counted:
                cell["family"] = value
            elif name == "annee" and "annee" in self.counted:
                cell["year"] = int(value)
            else:
                return None
        return cell

    def listing_counts(self, excluded=None):
        """``ListingCounts`` of the list (without the filter ``excluded``), or ``None``."""
        if not hasattr(self, "_listing_counts"):
            self._listing_counts = {}
        if excluded not in self._listing_counts:
            cell = self.listing_cell(excluded)
            self._listing_counts[excluded] = None if cell is None else listing_counts(self.listing, **cell)
        return self._listing_counts[excluded]

    def count(self, queryset):
        """How many items the filtered list holds."""
        counts = self.listing_counts()
        return counts.count if counts is not None else queryset.count()

    def counted_facet(self, name):
        """{choice value: count} of a facet from the listing counts, or ``None``."""
        counts = self.listing_counts()
        if counts is None:
            return None
        keys = counts.facets[self.counted[name]]
        if name == "departement":
            return {code: keys.get(self.departement_id(code), 0) for code in DEPARTEMENT_CODES}
        if name in ("secteur", "public"):
            return {slug: keys.get(pk, 0) for slug, pk in self.term_ids[name].items()}
        return keys

    def facet_departement(self, base):
        counts = self.counted_facet("departement")
        if counts is None:
            counts = base.count_by_departement(DEPARTEMENT_CODES)
        return self.choice_facet("departement", DEPARTEMENTS, counts)

    def facet_secteur(self, base):
        counts = self.counted_facet("secteur")
        if counts is None:
            counts = base.count_by_vocabulary("sectors")
        return self.choice_facet("secteur", self.vocabularies["secteur"], counts)

    def facet_public(self, base):
        counts = self.counted_facet("public")
        if counts is None:
            counts = base.count_by_vocabulary("publics")
        return self.choice_facet("public", self.vocabularies["public"], counts)


class ActorFilterSet(CoverageFilterSet):
    facet_names = ("departement", "secteur", "famille", "public")
    default_ordering = french("name")
    listing = "acteurs"
    counted = {**CoverageFilterSet.counted, "famille": "family"}
    position_fields = ("latitude", "longitude")
    # The map's area narrows the list and its facets; the map page says it (no chip).
    no_chips = ("bbox",)

    bbox = BBoxFilter(label="Zone de la carte", max_length=100)

    famille = django_filters.ChoiceFilter(
        label="Famille de l'ESS",
        field_name="family",
        choices=EssFamily.choices,
        empty_label="Toutes les familles",
    )
    tri = SortFilter.name_or_recent("name")

    class Meta:
        model = Organisation
        fields = ["q", "departement", "commune", "code_postal", "secteur", "famille", "public", "tri", "bbox"]

    def facet_famille(self, base):
        counts = self.counted_facet("famille")
        if counts is None:
            counts = dict(base.values("family").annotate(n=Count("pk")).values_list("family", "n"))
        return self.choice_facet("famille", EssFamily.choices, counts)
