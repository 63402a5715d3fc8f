"""The addresses that the site gives to the apps below it, which name no URL of the site
(tests/test_architecture.py): a sector's page (``Sector.get_absolute_url``) and the
actors' GeoJSON of the API, which the map of ``/acteurs/carte/`` reads. Registered in
``CressConfig.ready`` through ``actors/extensions.py``."""

from django.urls import reverse

from actors import extensions as actor_pages


def sector_page(sector):
    return reverse("site:sector", args=[sector.slug])


def actors_geojson():
    return reverse("api:actor-list")


def search_page():
    return reverse("site:search")


def register():
    actor_pages.addresses.update(
        {"sector": sector_page, "actors-geojson": actors_geojson, "search": search_page}
    )
