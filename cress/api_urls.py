from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from actions.api import ActionViewSet, ProgrammeViewSet
from actors.api import ActorViewSet, OrganisationViewSet, SectorViewSet, TerritoryViewSet

from . import datainclusion

router = DefaultRouter(trailing_slash=True)
router.register("acteurs", ActorViewSet, basename="actor")
router.register("actions", ActionViewSet, basename="action")
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("territoires", TerritoryViewSet, basename="territory")
router.register("secteurs", SectorViewSet, basename="sector")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("data-inclusion/structures/", datainclusion.structures, name="di-structures"),
    path("data-inclusion/services/", datainclusion.services, name="di-services"),
    path("", include(router.urls)),
]
