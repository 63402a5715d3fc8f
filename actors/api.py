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
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.api import PublicPageSerializer, ReadOnlyDirectoryViewSet
from common.collation import french
from territories.models import COMMUNE_KINDS, Territory

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


# Django's URLField stores "" when there is no website: a string, empty or an address.
@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^$|^(https?|ftps?)://\S+$",
        "description": "Adresse du site web, ou chaîne vide quand il n'est pas connu.",
    }
)
class WebsiteField(serializers.CharField):
    pass


class OrganisationSerializer(PublicPageSerializer):
    famille = serializers.CharField(source="family")
    type = serializers.CharField(source="kind")
    website = WebsiteField(read_only=True)
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
            "slug", "name", "acronym", "alternate_name", "type", "famille", "summary", "description",
            "website", "siren", "siret", "rna", "reseau", "territoires", "secteurs", "publics", "source",
            "demonstration", "url", "updated_at",
        ]  # fmt: skip


MAP_FEATURES = 2000  # actors given one by one, at most; past that, groups (``map_groups``)
MAP_FEATURES_TEXT = f"{MAP_FEATURES:,}".replace(",", "\u202f")  # « 2 000 »
MAP_ZOOM = 8  # the region's map, when ``zoom`` is not given
CELLS_PER_TILE = 4  # a group per quarter of a 256-pixel tile: about 64 pixels apart
MAP_SUMMARY_CHARS = 120  # a popup's one line of presentation
MAP_PLACES = 50  # without a commune, the communes a popup counts


# A placed actor's row: its position and what its popup shows.
MAP_ROW = ("latitude", "longitude", "slug", "name", "commune__name", "summary", "scope_keys", "places")


def map_rows(placed):
    """``placed`` with what a popup shows (``MAP_ROW``), read in the same single query:
    ``places`` is, for an actor without a commune, the names of the communes it works in
    (what ``coverage_phrase`` names when its ``scope_keys`` say no more)."""
    territories = Organisation.territories.through.objects.filter(
        organisation=OuterRef("pk"), territory__kind__in=COMMUNE_KINDS
    )
    places = ArraySubquery(territories.order_by(*french("territory__name")).values("territory__name")[:MAP_PLACES])
    return placed.order_by().annotate(places=Case(When(commune__isnull=True, then=places)))


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


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


# What ``?format=geojson`` answers (RFC 7946), described for the OpenAPI document.
class PointSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Point"])
    coordinates = serializers.ListField(
        child=serializers.FloatField(), min_length=2, max_length=2, help_text="[longitude, latitude]"
    )


class MapFeaturePropertiesSerializer(serializers.Serializer):
    slug = serializers.CharField()
    nom = serializers.CharField()
    commune = serializers.CharField(help_text="Vide quand la commune n'est pas connue.")
    lieu = serializers.CharField(
        help_text="La commune ; sans elle, où l'acteur intervient, comme sur sa carte de liste "
        "(« Intervient dans tout le Calvados », « Intervient dans toute la région », « Intervient à Orbec "
        "et 2 autres communes ») ; vide quand rien n'est connu."
    )
    presentation = serializers.CharField(
        help_text=f"La présentation courte, sur une ligne, coupée à {MAP_SUMMARY_CHARS} caractères "
        "(« … ») ; vide quand il n'y en a pas."
    )
    url = serializers.URLField()


class MapGroupPropertiesSerializer(serializers.Serializer):
    nombre = serializers.IntegerField(help_text="Le nombre d'acteurs placés dans cette case de la grille.")


class MapFeatureSerializer(serializers.Serializer):
    """Un acteur."""

    type = serializers.ChoiceField(choices=["Feature"])
    geometry = PointSerializer()
    properties = MapFeaturePropertiesSerializer()


class MapGroupSerializer(serializers.Serializer):
    """Un groupe d'acteurs (au-delà de 2 000 acteurs placés dans la zone)."""

    type = serializers.ChoiceField(choices=["Feature"])
    geometry = PointSerializer(help_text="Le centre de gravité des acteurs du groupe.")
    properties = MapGroupPropertiesSerializer()


@extend_schema_serializer(many=False)  # one collection, never paginated
class MapFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = PolymorphicProxySerializer(
        component_name="ElementDeCarte",
        serializers=[MapFeatureSerializer, MapGroupSerializer],
        resource_type_field_name=None,
        many=True,
    )
    total = serializers.IntegerField(help_text="Le nombre d'acteurs placés dans la zone, tous comptés.")
    groupes = serializers.BooleanField(
        help_text=f"Vrai quand plus de {MAP_FEATURES_TEXT} acteurs sont placés dans la zone : ils sont alors "
        "rassemblés par cases d'une grille qui dépend du zoom (un point par case, avec son nombre "
        "d'acteurs ; une case d'un seul acteur est cet acteur)."
    )


class ActorViewSet(ReadOnlyDirectoryViewSet):
    """Les acteurs de l'ESS publiés ; mêmes filtres que la page /acteurs/. Avec
    ``?format=geojson`` : les acteurs placés sur la carte (dans la zone
    ``bbox=ouest,sud,est,nord``), en GeoJSON : un à un jusqu'à 2 000, au-delà rassemblés en
    groupes selon ``zoom`` (niveau de la carte, 8 par défaut) — aucun n'est omis."""

    serializer_class = OrganisationSerializer
    filterset_class = ActorFilterSet.for_machines()
    extra_parameters = ("zoom",)

    def get_renderers(self):
        """GeoJSON is the list's map data; a single actor is JSON only."""
        if self.action == "list":
            return [JSONRenderer(), GeoJSONRenderer()]
        return [JSONRenderer()]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "zoom", int, description="Avec format=geojson : le niveau de zoom de la carte (0 à 20, 8 par "
                "défaut), qui règle la taille des groupes au-delà de 2 000 acteurs placés."
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
        try:
            zoom = min(max(int(request.query_params.get("zoom", MAP_ZOOM)), 0), 20)
        except ValueError:
            raise ValidationError({"zoom": "Le niveau de zoom doit être un nombre entier (0 à 20)."}) from None
        rows = list(map_rows(placed).values_list(*MAP_ROW)[: MAP_FEATURES + 1])
        grouped = len(rows) > MAP_FEATURES
        if grouped:
            cells = map_groups(placed, zoom)
            alone = {first for n, _, _, first in cells if n == 1}
            singles = {row[0]: row[1:] for row in map_rows(placed.filter(pk__in=alone)).values_list("pk", *MAP_ROW)}
            rows = [singles[first] if n == 1 else (lat, lon, n) for n, lat, lon, first in cells]
        page = request.build_absolute_uri("/")[:-1]
        departements = directory_departements()

        def feature(row):
            point = {"type": "Point", "coordinates": [float(row[1]), float(row[0])]}
            if len(row) == 3:  # a group
                return {"type": "Feature", "geometry": point, "properties": {"nombre": row[2]}}
            _, _, slug, name, commune, summary, keys, places = row
            properties = {"slug": slug, "nom": name, "commune": commune or "",
                          "lieu": map_place(commune, keys, places, departements),
                          "presentation": map_summary(summary),
                          "url": page + reverse("actors:detail", args=[slug])}  # fmt: skip
            return {"type": "Feature", "geometry": point, "properties": properties}

        features = [feature(row) for row in rows]
        total = sum(f["properties"].get("nombre", 1) for f in features)
        return Response({"type": "FeatureCollection", "features": features, "total": total, "groupes": grouped})

    def get_queryset(self):
        return Organisation.objects.actors().published().select_related("parent").with_coverage()


class OrganisationViewSet(ReadOnlyDirectoryViewSet):
    """Les organisations partenaires publiées (organismes publics, réseaux, collectivités)."""

    serializer_class = OrganisationSerializer

    def get_queryset(self):
        return (
            Organisation.objects.partners()
            .published()
            .select_related("parent")
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
