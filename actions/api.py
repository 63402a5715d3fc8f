"""Read-only API of programmes and actions (routed in cress/api_urls.py)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from actors.api import TerritorySummarySerializer
from common.api import PublicPageSerializer, ReadOnlyDirectoryViewSet
from common.collation import french

from .filters import ActionFilterSet
from .models import Action, Inheritance, Partnership, Programme

PERIOD_SCHEMA = {
    "type": "object",
    "properties": {
        "debut": {"type": "string", "nullable": True, "description": "ISO 8601 à la précision connue"},
        "fin": {"type": "string", "nullable": True},
        "depuis": {"type": "boolean"},
        "texte": {"type": "string", "description": "La période en français, telle qu'affichée"},
    },
    "required": ["debut", "fin", "depuis", "texte"],
}


@extend_schema_field(PERIOD_SCHEMA)
class PeriodField(serializers.Field):
    """``{"debut": "2006-01-17", "fin": null, "depuis": false, "texte": "17 janvier 2006"}``;
    dates in ISO 8601 at their real precision (``2006``, ``2006-12``, ``--12-14``)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return {
            "debut": obj.start.iso() or None,
            "fin": obj.end.iso() or None,
            "depuis": obj.since,
            "texte": obj.period_display,
        }


class PartnershipSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    nom = serializers.CharField(source="organisation.name")
    role = serializers.CharField()
    role_libelle = serializers.CharField(source="get_role_display")
    periode = PeriodField()

    class Meta:
        model = Partnership
        fields = ["organisation", "nom", "role", "role_libelle", "detail", "periode"]


COVERAGE_ORIGIN_SCHEMA = {
    "type": "object",
    "description": "D'où vient la couverture : « propre », « programme », « acteur » ou « aucune ».",
    "properties": {
        name: {
            "type": "string",
            "nullable": True,  # not computed yet (actions/coverage.py fills it on every save)
            "enum": [*Inheritance.values, None],
        }
        for name in ("territoires", "secteurs", "publics")
    },
    "required": ["territoires", "secteurs", "publics"],
}


@extend_schema_field(COVERAGE_ORIGIN_SCHEMA)
class CoverageOriginField(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return {
            "territoires": obj.territories_from,
            "secteurs": obj.sectors_from,
            "publics": obj.publics_from,
        }


class ContentSerializer(PublicPageSerializer):
    """What programmes and actions share: period, coverage (own, else the programme's,
    else the actor's — the same as the pages and the filters), partners."""

    periode = PeriodField()
    territoires = TerritorySummarySerializer(source="effective_territories", many=True, read_only=True)
    secteurs = serializers.SlugRelatedField(
        source="effective_sectors", slug_field="slug", many=True, read_only=True
    )
    publics = serializers.SlugRelatedField(
        source="effective_publics", slug_field="slug", many=True, read_only=True
    )
    couverture_origine = CoverageOriginField()
    partenaires = PartnershipSerializer(source="public_partnerships", many=True, read_only=True)

    shared_fields = [
        "periode", "territoires", "secteurs", "publics", "couverture_origine", "partenaires", "url", "updated_at",
    ]  # fmt: skip


class ProgrammeSerializer(ContentSerializer):
    acteur = serializers.SlugRelatedField(source="actor", slug_field="slug", read_only=True)
    type = serializers.CharField(source="kind")

    class Meta:
        model = Programme
        fields = [
            "slug",
            "title",
            "type",
            "acteur",
            "summary",
            "description",
            "source_text",
            *ContentSerializer.shared_fields,
        ]


class ActionSerializer(ContentSerializer):
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    acteur = serializers.CharField(source="programme.actor.slug")
    action_parente = serializers.SlugRelatedField(
        source="parent", slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Action
        fields = [
            "slug", "title", "programme", "acteur", "action_parente", "is_flagship", "description",
            "source_text", "editorial_note", *ContentSerializer.shared_fields,
        ]  # fmt: skip


class ActionViewSet(ReadOnlyDirectoryViewSet):
    """Les actions publiées ; mêmes filtres que la page /actions/."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilterSet.for_machines()

    def get_queryset(self):
        return Action.objects.published().for_list().with_coverage().with_public_partnerships()


class ProgrammeViewSet(ReadOnlyDirectoryViewSet):
    """Les programmes publiés."""

    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        return (
            Programme.objects.published().select_related("actor").with_coverage().with_public_partnerships()
            .order_by(*french("actor__name"), *french("title"), "pk")
        )  # fmt: skip
