from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from . import sitemaps, views
from .feeds import LatestFeed
from .sitemaps import SITEMAPS

site_pages = (
    [
        path("", views.home, name="home"),
        path("recherche/", views.search, name="search"),
        path("territoires/", views.territory_list, name="territories"),
        path("territoires/<slug:key>/", views.territory_detail, name="territory"),
        path("secteurs/", views.sector_list, name="sectors"),
        path("secteurs/<slug:slug>/", views.sector_detail, name="sector"),
        path("plan-du-site/", views.site_plan, name="sitemap-page"),
        path("contact/", views.contact, name="contact"),
        path("accessibilite/", views.accessibility_statement, name="accessibility"),
        path("mentions-legales/", views.legal_notice, name="legal"),
        path("donnees/", views.open_data, name="open-data"),
        path("donnees/datapackage.json", views.datapackage, name="datapackage"),
        path("donnees/catalogue.jsonld", views.catalogue, name="catalogue"),
        path("flux/", LatestFeed(), name="feed"),
    ],
    "site",
)

urlpatterns = [
    path("", include(site_pages)),
    path("", include("suggestions.urls")),  # before the pages they are about: <page>/signaler/
    path("acteurs/", include("actors.urls")),
    path("partenaires/", include("actors.partner_urls")),
    path("actions/", include("actions.urls")),
    path("suivre/", include("follows.urls")),
    path("integrer/", include("embeds.urls")),
    path("api/v1/", include("cress.api_urls")),
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", sitemaps.section, {"sitemaps": SITEMAPS}, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sante/", views.health, name="health"),
    path(settings.ADMIN_PATH, admin.site.urls),
]
# Uploaded files (logos) in debug only: static() gives nothing otherwise, the web server
# serves MEDIA_ROOT (README, « Production »).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "cress.views.bad_request"
handler403 = "cress.views.permission_denied"
handler404 = "cress.views.page_not_found"
handler500 = "cress.views.server_error"
