"""The sitemap: an index (/sitemap.xml) of sections, each in pages of at most 50,000
addresses (sitemaps.org), with their last modification. Only published pages; never a
draft. (Demonstration pages are listed like the others: each says it is fictitious.)"""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import Max, Q
from django.urls import reverse

from actions.models import Action, Event, Programme
from actors.models import Organisation, Sector
from common.querystring import query_parameters
from common.site import absolute_url, site_scheme_and_domain
from territories.models import Territory, TerritoryKind
from territories.region import DEPARTEMENT_CODES

from . import places

# Addresses per sitemap page: sitemaps.org allows 50,000; 5,000 keeps each page small
# (about half a megabyte) to build, cache and send.
LIMIT = 5_000


class DirectorySitemap(Sitemap):
    """Addresses on the configured site (``common.site``), never the request's host."""

    def get_protocol(self, protocol=None):
        return site_scheme_and_domain()[0]

    def get_domain(self, site=None):
        return site_scheme_and_domain()[1]


@query_parameters()
def index(request, **kwargs):
    """Django's sitemap index, its addresses on the configured site: Django builds them
    from the request's scheme and host, rewritten here before the answer is rendered."""
    response = sitemap_views.index(request, **kwargs)

    def on_site(location):
        parts = urlsplit(location)
        return absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))

    response.context_data["sitemaps"] = [
        SitemapIndexItem(on_site(item.location), item.last_mod) for item in response.context_data["sitemaps"]
    ]
    return response


@query_parameters("p")
def section(request, **kwargs):
    """A section's page of addresses (``?p=``: its page number)."""
    return sitemap_views.sitemap(request, **kwargs)


class StaticSitemap(DirectorySitemap):
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


class PublishedSitemap(DirectorySitemap):
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


class SectorSitemap(DirectorySitemap):
    def items(self):
        return Sector.objects.order_by("slug")


class TerritorySitemap(DirectorySitemap):
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
