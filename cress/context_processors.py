from django.conf import settings
from django.urls import reverse

from common.querystring import filters_only
from common.site import absolute_url


def canonical_url(request):
    """The page's own address: path plus its filters, without page number or format."""
    query = filters_only(request.GET)
    url = absolute_url(request.path)
    return f"{url}?{query.urlencode()}" if query else url


def site(request):
    return {
        "canonical_url": canonical_url(request),
        "home_url": reverse("site:home"),  # for the apps below, which name no URL of the site
        "legal_url": reverse("site:legal"),
        "SITE_NAME": settings.DIRECTORY_SITE_NAME,
        "REGION_NAME": settings.DIRECTORY_REGION["name"],
        "CRESS_NAME": settings.DIRECTORY_CRESS_NAME,
        "DATA_LICENCE_NAME": settings.DIRECTORY_DATA_LICENCE_NAME,
        "DATA_LICENCE_URL": settings.DIRECTORY_DATA_LICENCE_URL,
        "main_menu": main_menu(request),
    }


# The menu's sections: (label, URL name, the URL namespaces and names that belong to it).
# A page's breadcrumbs start with the same section.
MENU = [
    ("Acteurs", "actors:list", {"actors"}),
    ("Actions", "actions:list", {"actions"}),
    ("Territoires", "site:territories", {"site:territories", "site:territory"}),
    ("Recherche", "site:search", {"site:search"}),
]
PHONE_ONLY = {"site:search"}  # wider screens have the search box in the header


def main_menu(request):
    match = getattr(request, "resolver_match", None)
    namespace = match.namespace if match else ""
    view = f"{namespace}:{match.url_name}" if match else ""
    items = []
    for label, url_name, members in MENU:
        url = reverse(url_name)
        current = namespace in members or view in members
        items.append({"label": label, "url": url, "current": current, "exact": request.path == url,
                      "phone_only": url_name in PHONE_ONLY})  # fmt: skip
    return items
