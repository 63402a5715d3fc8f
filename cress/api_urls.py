from urllib.parse import urlsplit

from django.urls import include, path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from actions.api import ActionViewSet, ProgrammeViewSet
from actors.api import ActorViewSet, OrganisationViewSet, SectorViewSet, TerritoryViewSet
from common.api import JSONErrorsMixin, UncheckedParametersSchema
from common.site import absolute_url

from . import datainclusion


class APIRootView(JSONErrorsMixin, routers.APIRootView):
    """Les points d'accès de l'API, avec leur adresse."""

    schema = UncheckedParametersSchema()  # DRF leaves its root out of the document

    @extend_schema(
        operation_id="racine",
        tags=["racine"],
        responses={
            200: {
                "type": "object",
                "description": "Nom du point d'accès → son adresse.",
                "additionalProperties": {"type": "string", "format": "uri"},
            }
        },
    )
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # DRF writes them on the request's host: on the configured site instead (common.site).
        response.data = {name: absolute_url(urlsplit(url).path) for name, url in response.data.items()}
        return response


class SchemaView(JSONErrorsMixin, SpectacularAPIView):
    """The OpenAPI document (YAML, or JSON with ``?format=json``); its errors in JSON, as
    every other address of the API (a 406 for an Accept it cannot serve)."""


class DirectoryRouter(routers.DefaultRouter):
    APIRootView = APIRootView
    # No « .json » twins of the addresses: the format is chosen by ``?format=`` or the
    # Accept header, and every address the API answers is in its OpenAPI document.
    include_format_suffixes = False


router = DirectoryRouter(trailing_slash=True)
router.register("acteurs", ActorViewSet, basename="actor")
router.register("actions", ActionViewSet, basename="action")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("territoires", TerritoryViewSet, basename="territory")
router.register("secteurs", SectorViewSet, basename="sector")

app_name = "api"

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("data-inclusion/structures/", datainclusion.structures, name="di-structures"),
    path("data-inclusion/services/", datainclusion.services, name="di-services"),
    path("", include(router.urls)),
]
