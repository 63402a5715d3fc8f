"""/sitemap.xml: every published page, with its last modification; never a draft."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Q
from django.urls import reverse

from actions.models import Action, Event, Programme
from actors.filters import DEPARTEMENTS
from actors.models import Organisation, Sector, Territory, TerritoryKind

from . import places


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return ["site:home", "actors:list", "actions:list", "site:territories", "site:open-data"]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(Sitemap):
    changefreq = "monthly"
    queryset = None

    def items(self):
        return self.queryset.order_by("pk")

    def lastmod(self, obj):
        return obj.updated_at


class ActorSitemap(PublishedSitemap):
    queryset = Organisation.objects.published()  # actors and partners (their own pages)


class ProgrammeSitemap(PublishedSitemap):
    queryset = Programme.objects.published()


class ActionSitemap(PublishedSitemap):
    queryset = Action.objects.published()


class EventSitemap(PublishedSitemap):
    queryset = Event.objects.published()


class SectorSitemap(Sitemap):
    def items(self):
        return Sector.objects.order_by("slug")


class TerritorySitemap(Sitemap):
    """The region, its départements and the communes that have published content."""

    def items(self):
        return Territory.objects.filter(
            Q(key=places.REGION_KEY)
            | Q(kind=TerritoryKind.DEPARTEMENT, code__in=[code for code, _ in DEPARTEMENTS])
            | Q(pk__in=places.communes_with_content())
        ).order_by("key")


SITEMAPS = {
    "pages": StaticSitemap,
    "organisations": ActorSitemap,
    "programmes": ProgrammeSitemap,
    "actions": ActionSitemap,
    "evenements": EventSitemap,
    "secteurs": SectorSitemap,
    "territoires": TerritorySitemap,
}
