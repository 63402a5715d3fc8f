"""The sitemap: an index (/sitemap.xml) of sections, each in pages of at most 50,000
addresses (sitemaps.org), with their last modification. Only published pages; never a
draft. (Demonstration pages are listed like the others: each says it is fictitious.)"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from actions.models import Action, Event, Programme
from actors.models import Organisation, Sector
from territories.models import Territory, TerritoryKind
from territories.region import DEPARTEMENT_CODES

from . import places

# Addresses per sitemap page: sitemaps.org allows 50,000; 5,000 keeps each page small
# (about half a megabyte) to build, cache and send.
LIMIT = 5_000


class StaticSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "site:home",
            "actors:list",
            "actions:list",
            "partners:list",
            "site:territories",
            "site:open-data",
        ]

    def location(self, item):
        return reverse(item)


class PublishedSitemap(Sitemap):
    changefreq = "monthly"
    limit = LIMIT

    def queryset(self):
        raise NotImplementedError

    def items(self):
        return self.queryset().order_by("pk").only(*self.fields)

    def lastmod(self, obj):
        return obj.updated_at

    def get_latest_lastmod(self):
        return self.queryset().aggregate(latest=Max("updated_at"))["latest"]


class OrganisationSitemap(PublishedSitemap):
    """Actors (their profile) and partners (their page)."""

    fields = ("slug", "kind", "updated_at")

    def queryset(self):
        return Organisation.objects.published()


class ProgrammeSitemap(PublishedSitemap):
    fields = ("slug", "updated_at")

    def queryset(self):
        return Programme.objects.published()


class ActionSitemap(PublishedSitemap):
    fields = ("slug", "updated_at")

    def queryset(self):
        return Action.objects.published()


class EventSitemap(PublishedSitemap):
    fields = ("slug", "updated_at")

    def queryset(self):
        return Event.objects.published()


class SectorSitemap(Sitemap):
    def items(self):
        return Sector.objects.order_by("slug")


class TerritorySitemap(Sitemap):
    """The region, its départements and the communes that have published content."""

    limit = LIMIT

    def items(self):
        return (
            Territory.objects.filter(
                Q(key=places.REGION_KEY)
                | Q(kind=TerritoryKind.DEPARTEMENT, code__in=DEPARTEMENT_CODES)
                | Q(pk__in=places.communes_with_content())
            )
            .order_by("key")
            .only("key")
        )


SITEMAPS = {
    "pages": StaticSitemap,
    "organisations": OrganisationSitemap,
    "programmes": ProgrammeSitemap,
    "actions": ActionSitemap,
    "evenements": EventSitemap,
    "secteurs": SectorSitemap,
    "territoires": TerritorySitemap,
}
