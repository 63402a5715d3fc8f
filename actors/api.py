"""Read-only API of organisations and vocabularies (routed in cress/api_urls.py)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from common.api import PublicPageSerializer, ReadOnlyDirectoryViewSet
from common.collation import french
from territories.models import Territory

from .filters import ActorFilterSet
from .models import Organisation, Sector


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


MAP_FEATURES = 2000  # at most, per answer: the map asks for its visible area
MAP_FEATURES_TEXT = f"{MAP_FEATURES:,}".replace(",", "\u202f")  # « 2 000 »


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
    url = serializers.URLField()


class MapFeatureSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["Feature"])
    geometry = PointSerializer()
    properties = MapFeaturePropertiesSerializer()


@extend_schema_serializer(many=False)  # one collection, never paginated
class MapFeatureCollectionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["FeatureCollection"])
    features = MapFeatureSerializer(many=True)
    tronque = serializers.BooleanField(
        help_text=f"Vrai quand plus de {MAP_FEATURES_TEXT} acteurs sont placés : {MAP_FEATURES_TEXT} d'entre eux "
        "sont donnés."
    )


class ActorViewSet(ReadOnlyDirectoryViewSet):
    """Les acteurs de l'ESS publiés ; mêmes filtres que la page /acteurs/. Avec
    ``?format=geojson`` : les acteurs placés sur la carte (au plus 2 000, dans la zone
    ``bbox=ouest,sud,est,nord``), en GeoJSON."""

    serializer_class = OrganisationSerializer
    filterset_class = ActorFilterSet

    def get_renderers(self):
        """GeoJSON is the list's map data; a single actor is JSON only."""
        if self.action == "list":
            return [JSONRenderer(), GeoJSONRenderer()]
        return [JSONRenderer()]

    @extend_schema(
        responses={
            (200, JSONRenderer.media_type): OrganisationSerializer,
            (200, GeoJSONRenderer.media_type): MapFeatureCollectionSerializer,
        }
    )
    def list(self, request, *args, **kwargs):
        if request.accepted_renderer.format != "geojson":
            return super().list(request, *args, **kwargs)
        placed = self.filter_queryset(self.get_queryset()).filter(
            latitude__isnull=False, longitude__isnull=False
        )
        rows = list(
            placed.order_by().values("slug", "name", "family", "latitude", "longitude", "commune__name")[
                : MAP_FEATURES + 1
            ]
        )
        page = request.build_absolute_uri("/")[:-1]
        features = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["longitude"]), float(row["latitude"])],
                },
                "properties": {
                    "slug": row["slug"],
                    "nom": row["name"],
                    "commune": row["commune__name"] or "",
                    "url": page + reverse("actors:detail", args=[row["slug"]]),
                },  # fmt: skip
            }
            for row in rows[:MAP_FEATURES]
        ]
        return Response(
            {"type": "FeatureCollection", "features": features, "tronque": len(rows) > MAP_FEATURES}
        )

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
