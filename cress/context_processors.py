from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "Annuaire de l'ESS en Basse-Normandie",
        "DATA_LICENCE_NAME": settings.DIRECTORY_DATA_LICENCE_NAME,
        "DATA_LICENCE_URL": settings.DIRECTORY_DATA_LICENCE_URL,
        # The header search box repeats the query on the search page.
        "header_query": request.GET.get("q", "") if request.path.startswith("/recherche/") else "",
    }
