from django.conf import settings

from common.querystring import filters_only


def canonical_url(request):
    """The page's own address: path plus its filters, without page number or format."""
    query = filters_only(request.GET)
    url = request.build_absolute_uri(request.path)
    return f"{url}?{query.urlencode()}" if query else url


def site(request):
    return {
        "canonical_url": canonical_url(request),
        "SITE_NAME": "Annuaire de l'ESS en Basse-Normandie",
        "DATA_LICENCE_NAME": settings.DIRECTORY_DATA_LICENCE_NAME,
        "DATA_LICENCE_URL": settings.DIRECTORY_DATA_LICENCE_URL,
        # The header search box repeats the query on the search page.
        "header_query": request.GET.get("q", "") if request.path.startswith("/recherche/") else "",
    }
