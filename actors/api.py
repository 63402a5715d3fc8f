"""Read-only API of organisations and vocabularies (routed in cress/api_urls.py)."""

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Avg, Case, Count, F, FloatField, Min, OuterRef, When
from django.db.models.functions import Floor
from django.urls import reverse
from django.utils.text import Truncator
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from common.api import PublicPageSerializer, ReadOnlyDirectoryViewSet
from common.collation import french
from common.pagination import DirectoryPagination
from common.site import absolute_url
from territories.models import COMMUNE_KINDS, Territory

from . import public_record, successors
from .filters import ActorFilterSet
from .models import Organisation, Sector
from .nearby import coverage_phrase, directory_departements


class TerritorySummarySerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="kind")
    code_insee = serializers.CharField(source="code")
    identifiant = serializers.CharField(source="key")

    class Meta:
        model = Territory
        fields = ["identifiant", "type", "code_insee", "name"]


class TerritorySerializer(PublicPageSerializer, TerritorySummarySerializer):
    rattachement = serializers.SlugRelatedField(
        source="parent", slug_field="key", read_only=True, allow_null=True
    )
    territoire_actuel = serializers.SlugRelatedField(
        source="current", slug_field="key", read_only=True, allow_null=True
    )

    class Meta:
        model = Territory
        fields = [
            *TerritorySummarySerializer.Meta.fields,
            "is_current",
            "rattachement",
            "territoire_actuel",
            "population",
            "url",
        ]


class SectorSerializer(PublicPageSerializer):
    class Meta:
        model = Sector
        fields = ["slug", "name", "description", "url"]


# A website is an address (http, https, ftp): the document says so, and live answers are
# checked against it (tests/api/test_openapi_live.py).
@extend_schema_field(
    {"type": "string", "nullable": True, "pattern": r"^(https?|ftps?)://\S+$",
     "description": "Adresse du site web ; null quand elle n'est pas connue."}
)  # fmt: skip
class WebsiteField(serializers.CharField):
    pass


def record_field(field):
    """The serializer field of a public record's field (``actors.public_record.FIELDS``):
    read from ``Organisation.public_record``, ``null`` when not known."""
    kwargs = {"source": f"public_record.{field.key}", "read_only": True, "allow_null": True,
              "help_text": field.description + " Null quand ce n'est pas connu ou pas publié."}  # fmt: skip
    if field.type == "number":
        return serializers.FloatField(**kwargs)
    if field.type == "date":
        return serializers.DateField(**kwargs)
    if field.format == "uri":
        return WebsiteField(**kwargs)
    if field.format == "email":
        return serializers.EmailField(**kwargs)
    return serializers.CharField(**kwargs)


# The public record's fields, declared once for every serializer that shows an organisation.
PublicRecordSerializer = type(
    "PublicRecordSerializer",
    (serializers.Serializer,),
    {field.key: record_field(field) for field in public_record.FIELDS},
)


class OrganisationSerializer(PublicRecordSerializer, PublicPageSerializer):
    type = serializers.CharField(source="kind")
    reseau = serializers.SlugRelatedField(source="parent", slug_field="slug", read_only=True, allow_null=True)
    territoires = TerritorySummarySerializer(source="territories", many=True, read_only=True)
    secteurs = serializers.SlugRelatedField(source="sectors", slug_field="slug", many=True, read_only=True)
    publics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    demonstration = serializers.BooleanField(
        source="is_demo",
        read_only=True,
        help_text="Fiche fictive de démonstration (jamais une donnée réelle).",
    )

    class Meta:
        model = Organisation
        fields = [
            "slug", "name", "acronym", "alternate_name", "type", "summary", "description", *public_record.KEYS,
            "reseau", "territoires", "secteurs", "publics", "source", "demonstration", "url", "updated_at",
        ]  # fmt: skip


MAP_FEATURES = 2000  # with ``zoom`` (the map): actors given one by one, at most; past that, groups
MAP_FEATURES_TEXT = f"{MAP_FEATURES:,}".replace(",", "\u202f")  # « 2 000 »
GEOJSON_PAGE_SIZE = 1000  # without ``zoom``: features a page, by default…
GEOJSON_MAX_PAGE_SIZE = MAP_FEATURES  # …and at most (``page_size``)
CELLS_PER_TILE = 4  # a group per quarter of a 256-pixel tile: about 64 pixels apart
MAP_SUMMARY_CHARS = 120  # a popup's one line of presentation
MAP_PLACES = 50  # without a commune, the communes a popup counts


# A placed actor's row: its key, what its popup shows and its public record.
MAP_ROW = ("pk", "slug", "name", "summary", "scope_keys", "places", *public_record.SOURCE)


def map_rows(placed):
    """``placed`` with what a feature shows (``MAP_ROW``), read in the same single query,
    in a stable order (the key): ``places`` is, for an actor without a commune, the names
    of the communes it works in (what ``coverage_phrase`` names when its ``scope_keys``
    say no more)."""
    territories = Organisation.territories.through.objects.filter(
        organisation=OuterRef("pk"), territory__kind__in=COMMUNE_KINDS
    )
    places = ArraySubquery(territories.order_by(*french("territory__name")).values("territory__name")[:MAP_PLACES])
    return placed.order_by("pk").annotate(places=Case(When(commune__isnull=True, then=places))).values(*MAP_ROW)


def map_groups(placed, zoom):
    """The actors of ``placed`` gathered in square cells of a grid that halves at each zoom
    level (web map tiles), in one grouped query: each cell's number of actors, its centre of
    gravity and its first actor's key — every actor counted, none dropped. A cell of one
    actor is that actor (``map_rows`` reads what its popup shows)."""
    cell = 360 / (2**zoom) / CELLS_PER_TILE
    rows = (
        placed.order_by()
        .annotate(
            row=Floor(F("latitude") / cell, output_field=FloatField()),
            column=Floor(F("longitude") / cell, output_field=FloatField()),
        )
        .values("row", "column")
        .annotate(n=Count("pk"), lat=Avg("latitude"), lon=Avg("longitude"), first=Min("pk"))
        .values_list("n", "lat", "lon", "first")
    )
    return list(rows)


def map_place(commune, keys, places, departements):
    """Where a popup says the actor is: as its card does (``actors.nearby``), its commune,
    else where it works."""
    return commune or coverage_phrase(keys, departements, places or [])


def map_summary(summary):
    """The presentation on one line, cut at ``MAP_SUMMARY_CHARS`` characters."""
    return Truncator(" ".join((summary or "").split())).chars(MAP_SUMMARY_CHARS)


def feature(row, site, departements):
    """A placed actor as a GeoJSON feature: its slug as ``id``, its public record and what
    its popup shows as properties."""
    record = public_record.record(row)
    point = {"type": "Point", "coordinates": [record["longitude"], record["latitude"]]}
    properties = {
        "slug": row["slug"],
        "nom": row["name"],
        **record,
        "lieu": map_place(record["commune"], row["scope_keys"], row["places"], departements) or None,
        "presentation": map_summary(row["summary"]) or None,
        "url": site + reverse("actors:detail", args=[row["slug"]]),
    }
    return {"type": "Feature", "id": row["slug"], "geometry": point, "properties": properties}


def group(n, lat, lon):
    point = {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}
    return {"type": "Feature", "geometry": point, "properties": {"nombre": n}}


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class GeoJSONPagination(DirectoryPagination):
    """The GeoJSON's pages: the list's parameters (``page``, ``page_size``) and links
    (``next``, ``previous``, absolute, ``null`` at the ends) and its 404 past the end;
    larger pages (features are small), in the key's order. The count is of the actors
    placed, not the list's (``known_count`` does not apply): a first page that is not full
    is counted without a query."""

    page_size = GEOJSON_PAGE_SIZE
    max_page_size = GEOJSON_MAX_PAGE_SIZE

    def paginate_rows(self, queryset, request, read):
        """The rows of the page asked for: ``read`` (a queryset's rows, in the key's order)
        of the page's actors among ``queryset``. The page's keys are chosen first, in a
        subquery of the same query: what a row shows (its places) is computed for the page
        alone, not for every actor skipped before it."""
        self.request = request
        size = self.get_page_size(request)
        self.number = int(request.query_params.get(self.page_query_param) or 1)
        start = (self.number - 1) * size
        keys = queryset.order_by("pk").values("pk")[start : start + size]
        rows = list(read(queryset.model.objects.filter(pk__in=keys))) if self.number >= 1 else []
        if self.number == 1 and len(rows) < size:
            self.count = len(rows)
        else:
            self.count = queryset.count()
        self.pages = max(1, -(-self.count // size))
        if self.number < 1 or self.number > self.pages:
            raise NotFound(self.invalid_page_message)
        return rows

    def get_next_link(self):
        if self.number >= self.pages:
            return None
        return replace_query_param(absolute_url(self.request.get_full_path()), self.page_query_param, self.number + 1)

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = absolute_url(self.request.get_full_path())
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)


# What ``?format=geojson`` answers (RFC 7946), described for the OpenAPI document.
class PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="[longitude, latitude]"
    )


class MapFeaturePropertiesSerializer(PublicRecordSerializer):
    """La fiche publique de l'acteur (les mêmes champs que l'API et le CSV), et ce que la carte affiche."""

    slug = serializers.CharField()
    nom = serializers.CharField()
    lieu = serializers.CharField(
        allow_null=True,
        help_text="La commune ; sans elle, où l'acteur intervient, comme sur sa carte de liste "
        "(« Intervient dans tout le Calvados », « Intervient dans toute la région », « Intervient à Orbec "
        "et 2 autres communes ») ; null quand rien n'est connu. (« commune » est celle de l'adresse.)",
    )
    presentation = serializers.CharField(
        allow_null=True,
        help_text=f"La présentation courte, sur une ligne, coupée à {MAP_SUMMARY_CHARS} caractères "
        "(« … ») ; null quand il n'y en a pas.",
    )
    url = serializers.URLField()


class MapGroupPropertiesSerializer(serializers.Serializer):
    nombre = serializers.IntegerField(help_text="Le nombre d'acteurs placés dans cette case de la grille.")


class MapFeatureSerializer(serializers.Serializer):
    """Un acteur."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField(help_text="L'identifiant de l'acteur (son slug, celui de /api/v1/acteurs/<slug>/).")
    geometry = PointSerializer()
    properties = MapFeaturePropertiesSerializer()


class MapGroupSerializer(serializers.Serializer):
    """Un groupe d'acteurs (avec zoom, au-delà de 2 000 acteurs placés dans la zone)."""

    type = serializers.ChoiceField(choices=["Feature"])
    geometry = PointSerializer(help_text="Le centre de gravité des acteurs du groupe.")
    properties = MapGroupPropertiesSerializer()


@extend_schema_serializer(many=False)  # one collection a page
class MapFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = PolymorphicProxySerializer(
        component_name="ElementDeCarte",
        serializers=[MapFeatureSerializer, MapGroupSerializer],
        resource_type_field_name=None,
        many=True,
    )
    count = serializers.IntegerField(help_text="Le nombre d'acteurs placés dans la zone, tous comptés.")
    next = serializers.URLField(
        allow_null=True, help_text="La page suivante (sans zoom) ; null à la dernière page et avec zoom."
    )
    previous = serializers.URLField(allow_null=True, help_text="La page précédente ; null à la première.")
    groupes = serializers.BooleanField(
        help_text=f"Vrai quand, avec zoom, plus de {MAP_FEATURES_TEXT} acteurs sont placés dans la zone : ils "
        "sont alors rassemblés par cases d'une grille qui dépend du zoom (un point par case, avec son nombre "
        "d'acteurs ; une case d'un seul acteur est cet acteur)."
    )


class ActorViewSet(ReadOnlyDirectoryViewSet):
    """Les acteurs de l'ESS publiés ; mêmes filtres que la page /acteurs/. En GeoJSON
    (``?format=geojson`` ou ``Accept: application/geo+json``) : les acteurs placés sur la
    carte (dans la zone ``bbox=ouest,sud,est,nord``, avec les mêmes filtres), chacun avec
    sa fiche publique ; par pages de 1 000 (``page_size`` jusqu'à 2 000, lien ``next``).
    Avec ``zoom`` (niveau de la carte, 0 à 20) : toute la zone en une réponse, un à un
    jusqu'à 2 000, au-delà rassemblés en groupes — aucun n'est omis."""

    serializer_class = OrganisationSerializer
    filterset_class = ActorFilterSet.for_machines()
    extra_parameters = ("zoom",)

    def get_renderers(self):
        """GeoJSON is the list's map data; a single actor is JSON only."""
        if self.action == "list":
            return [JSONRenderer(), GeoJSONRenderer()]
        return [JSONRenderer()]

    @property
    def paginator(self):
        request = getattr(self, "request", None)
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is not None and renderer.format == "geojson":
            if not hasattr(self, "_geojson_paginator"):
                self._geojson_paginator = GeoJSONPagination()
            return self._geojson_paginator
        return super().paginator

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "zoom", int, description="En GeoJSON : le niveau de zoom de la carte (0 à 20). Avec lui, toute "
                "la zone en une réponse (sans pages), en groupes au-delà de 2 000 acteurs placés."
            )
        ],
        responses={
            (200, JSONRenderer.media_type): OrganisationSerializer,
            (200, GeoJSONRenderer.media_type): MapFeatureCollectionSerializer,
        },
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "geojson":
            return super().list(request, *args, **kwargs)
        placed = self.filter_queryset(self.get_queryset()).filter(
            latitude__isnull=False, longitude__isnull=False
        )
        site = absolute_url("/")[:-1]
        departements = directory_departements()
        zoom = request.query_params.get("zoom")
        if zoom is None:
            pages = self.paginator
            rows = pages.paginate_rows(placed, request, map_rows)
            features = [feature(row, site, departements) for row in rows]
            return self.collection(features, pages.count, False, pages.get_next_link(), pages.get_previous_link())
        try:
            zoom = min(max(int(zoom), 0), 20)
        except ValueError:
            raise ValidationError({"zoom": "Le niveau de zoom doit être un nombre entier (0 à 20)."}) from None
        rows = list(map_rows(placed)[: MAP_FEATURES + 1])
        if len(rows) <= MAP_FEATURES:
            features = [feature(row, site, departements) for row in rows]
            return self.collection(features, len(features), False)
        cells = map_groups(placed, zoom)
        alone = {first for n, _, _, first in cells if n == 1}
        singles = {row["pk"]: row for row in map_rows(placed.filter(pk__in=alone))}
        features = [feature(singles[first], site, departements) if n == 1 else group(n, lat, lon)
                    for n, lat, lon, first in cells]  # fmt: skip
        return self.collection(features, sum(n for n, *_ in cells), True)

    @staticmethod
    def collection(features, count, grouped, next_link=None, previous_link=None):
        return Response({"type": "FeatureCollection", "features": features, "count": count,
                         "next": next_link, "previous": previous_link, "groupes": grouped})  # fmt: skip

    def get_queryset(self):
        return Organisation.objects.actors().published().select_related("parent", "commune").with_coverage()


class PartnerSerializer(OrganisationSerializer):
    aujourdhui = serializers.SerializerMethodField(
        help_text="L'organisme d'aujourd'hui qui a succédé à celui-ci (son slug), ou null s'il existe toujours "
        "sous ce nom (changements de nom, fusions, remplacements)."
    )

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, "aujourdhui"]

    @extend_schema_field({"type": "string", "nullable": True})
    def get_aujourdhui(self, partner):
        today = self.context["successions"].today(partner.pk)
        return today.slug if today is not None else None


class OrganisationViewSet(ReadOnlyDirectoryViewSet):
    """Les organisations partenaires publiées (organismes publics, réseaux, collectivités) ;
    ``aujourdhui`` nomme l'organisme qui a succédé à un ancien."""

    serializer_class = PartnerSerializer

    def get_serializer_context(self):
        # The successions, read once for the whole page (actors/successors.py).
        return {**super().get_serializer_context(), "successions": successors.lines(None)}

    def get_queryset(self):
        return (
            Organisation.objects.partners()
            .published()
            .select_related("parent", "commune")
            .with_coverage()
            .order_by(*french("name"), "pk")
        )


class TerritoryViewSet(ReadOnlyDirectoryViewSet):
    """Régions, départements et communes (Code officiel géographique de l'INSEE)."""

    serializer_class = TerritorySerializer
    lookup_field = "key"

    def get_queryset(self):
        return Territory.objects.select_related("parent", "current").order_by("kind", "code", "key")


class SectorViewSet(ReadOnlyDirectoryViewSet):
    """Les secteurs et thèmes."""

    serializer_class = SectorSerializer
    queryset = Sector.objects.order_by(*french("name"))
