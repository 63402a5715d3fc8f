"""Site-wide pages: home, search across kinds, territories, sectors, open data, errors."""

import sys

from django.conf import settings
from django.core.cache import cache
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from actions.models import Action, Programme
from actors import public_record
from actors.api import GEOJSON_MAX_PAGE_SIZE, GEOJSON_PAGE_SIZE
from actors.models import Organisation, Sector, listing_counts
from common import structured_data
from common.collation import french
from common.listing import paginate
from common.querystring import query_parameters
from common.search import DOCUMENT_FIELDS, terms
from common.site import absolute_url
from territories.models import Scope, Territory, TerritoryKind
from territories.region import DEPARTEMENT_CODES, DEPARTEMENTS

from . import accessibility, one_box, places, search_results
from . import open_data as described
from .datainclusion import UNFILLED_SERVICE_FIELDS, UNFILLED_STRUCTURE_FIELDS


def published_actors():
    return Organisation.objects.actors().published()


def departement_counts(actor_counts=None, action_counts=None):
    """Published actors and actions per département of the region: what their lists count
    (``ListingCount``, a few rows; ``listing_counts`` results already read may be given)."""
    ids = dict(Territory.objects.departements(DEPARTEMENT_CODES).values_list("code", "pk"))
    actors = (actor_counts or listing_counts("acteurs")).facets["departement"]
    actions = (action_counts or listing_counts("actions")).facets["departement"]
    return [
        {
            "code": code,
            "name": name,
            "key": code,
            "actors": actors.get(ids.get(code), 0),
            "actions": actions.get(ids.get(code), 0),
        }
        for code, name in DEPARTEMENTS
    ]


def sector_counts(actor_counts=None):
    """{sector key: how many published actors have it}, as the actor list counts them."""
    return (actor_counts or listing_counts("acteurs")).facets["sector"]


@query_parameters()
def home(request):
    actor_counts, action_counts = listing_counts("acteurs"), listing_counts("actions")
    counts = sector_counts(actor_counts)
    sectors = [s for s in Sector.objects.order_by(*french("name")) if counts.get(s.pk)]
    for sector in sectors:
        sector.n = counts[sector.pk]
    absolute = absolute_url
    jsonld = structured_data.website(settings.DIRECTORY_SITE_NAME, absolute(reverse("site:home")),
                                     absolute(reverse("site:search")), settings.DIRECTORY_PUBLISHER)  # fmt: skip
    return render(
        request,
        "cress/home.html",
        {
            "jsonld": structured_data.script(jsonld),
            "actor_count": actor_counts.count,
            "action_count": action_counts.count,
            "programme_count": listing_counts("programmes").count,
            "departements": departement_counts(actor_counts, action_counts),
            "sectors": sectors,
            # The source describes 2001–2008: « recent » means by the dates of the
            # programmes and actions themselves, which the list shows.
            "recent_programmes": list(
                Programme.objects.published()
                .filter(start_year__isnull=False)
                .select_related("actor")
                .defer(
                    *DOCUMENT_FIELDS, *(f"actor__{name}" for name in DOCUMENT_FIELDS)
                )
                .order_by("-start_year", *french("title"))[:5]
            ),
            "recent_actions": list(
                Action.objects.published()
                .for_list()
                .top_level()
                .filter(first_year__isnull=False)
                .order_by("-first_year", *french("title"))[:5]
            ),
        },
    )


@query_parameters("q", "lecture", "departement", "type")
def search(request):
    """One search across actors, programmes, actions, partners and territories, each
    result with its context (cress/search_results.py)."""
    query = request.GET.get("q", "").strip()[:200]
    words_only = request.GET.get("lecture") == "mots"
    # The one box: an identifier leads to its organisation, a place to what works there
    # (cress/one_box.py); words stay here.
    understood = one_box.understand(query, words_only=words_only)
    if understood.url:
        return redirect(understood.url)
    narrowing = request.GET.get("departement"), request.GET.get("type")
    groups = search_results.run(query, *narrowing) if terms(query) else []
    return render(
        request,
        "cress/search.html",
        {"query": query, "groups": groups, "total": sum(g.count for g in groups), "searched": bool(query),
         "place_choices": understood.choices, "identifier": understood.identifier, "words_only": words_only},
    )  # fmt: skip


@query_parameters("page")
def territory_list(request):
    region = get_object_or_404(Territory, key=places.REGION_KEY)
    communes = places.communes_with_content().select_related("current", "parent").order_by(*french("name"), "pk")
    page = paginate(request, communes)
    departements = departement_counts()
    absolute = absolute_url
    # The region, its départements, then the page's communes.
    items = [(region.name, absolute(region.get_absolute_url()))]
    items += [(d["name"], absolute(reverse("site:territory", args=[d["key"]]))) for d in departements]
    items += [(c.display_name, absolute(c.get_absolute_url())) for c in page.object_list]
    jsonld = structured_data.item_list("Territoires", absolute(request.get_full_path()), items, 1 + len(departements) + page.paginator.count)
    return render(
        request,
        "cress/territory_list.html",
        {"region": region, "departements": departements, "page_obj": page, "jsonld": structured_data.script(jsonld)},
    )


@query_parameters(*places.page_parameters("acteurs", "actions"))
def territory_detail(request, key):
    """What works in a région, département or commune, grouped from the most local to the
    whole region — with the same rule, and so the same counts, as ``?departement=`` and
    ``?commune=`` on the lists (``CoverageQuerySet.in_territory``)."""
    territory = get_object_or_404(
        Territory.objects.select_related("current", "parent", "parent__parent", "former_region"), key=key
    )
    kinds = [
        ("acteurs", published_actors().select_related("parent"), ("name",)),
        ("actions", Action.objects.published().for_list(), ("title",)),
    ]
    groups = {  # each list is named as in the listing counts
        name: places.scoped_sections(request, territory, queryset, ordering, name, listing=name)
        for name, queryset, ordering in kinds
    }
    historic = []
    if territory.kind in (TerritoryKind.COMMUNE, TerritoryKind.REGION):
        historic = list(territory.historic.order_by(*french("name"))[:60])
    return render(
        request,
        "cress/territory_detail.html",
        {
            "jsonld": structured_data.script(
                structured_data.territory(territory, absolute_url, territory.parent)
            ),
            "territory": territory,
            "actors": groups["acteurs"],
            "actions": groups["actions"],
            "historic": historic,
            "list_filter": places.list_filter(territory),
            "Scope": Scope,
        },
    )


SECTORS_NAME = "Secteurs et thèmes de l'annuaire"


def sector_term(request, sector):
    absolute = absolute_url
    return structured_data.defined_term(sector.name, absolute(sector.get_absolute_url()), sector.description,
                                        SECTORS_NAME, absolute(reverse("site:sectors")))  # fmt: skip


@query_parameters("page_acteurs", "page_programmes", "page_actions")
def sector_detail(request, slug):
    sector = get_object_or_404(Sector, slug=slug)
    actors = published_actors().with_sectors([sector.pk]).order_by(*french("name"), "pk")
    programmes = (
        Programme.objects.published().with_sectors([sector.pk]).select_related("actor")
        .order_by(*french("title"), "pk")
    )  # fmt: skip
    actions = (
        Action.objects.published().with_sectors([sector.pk]).for_list()
        .order_by("programme__actor__name", "order", "pk")
    )  # fmt: skip
    return render(
        request,
        "cress/sector_detail.html",
        {
            "jsonld": structured_data.script(sector_term(request, sector)),
            "sector": sector,
            "actors": paginate(request, actors, "page_acteurs"),
            "programmes": paginate(request, programmes, "page_programmes"),
            "actions": paginate(request, actions, "page_actions"),
        },
    )


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


# How long a visitor is asked to wait when the database does not answer (Retry-After).
DATABASE_RETRY_SECONDS = 60


def server_error(request):
    """The 500 page; the 503 page when the error is the database out of reach (a restart,
    a failover, connections cut): nothing the visitor did, back in a minute."""
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = str(DATABASE_RETRY_SECONDS)
        return response
    return render(request, "500.html", status=500)


@require_GET
def health(request):
    """/sante/ for the proxy or load balancer, no page rendered, never cached. The database
    out of reach: 503, the node can serve nothing. Redis out of reach: 200 and « dégradé »,
    the node serves every page uncached (common/cache_backend.py), so the load balancer
    keeps it; a monitor reads ``etat``."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["base_de_donnees"] = "ok"
    except Exception as error:  # noqa: BLE001 - any failure is the answer
        checks["base_de_donnees"] = f"erreur : {error.__class__.__name__}"
    try:
        cache.set("sante", "ok", 10)
        shared = cache.get("sante") == "ok" and not getattr(cache, "degraded", False)
        checks["cache"] = "ok" if shared else "dégradé : Redis ne répond pas, pages servies sans cache"
    except Exception as error:  # noqa: BLE001 - a cache without the circuit breaker
        checks["cache"] = f"dégradé : {error.__class__.__name__}, pages servies sans cache"
    if checks["base_de_donnees"] != "ok":
        state, status = "hors service", 503
    elif checks["cache"] != "ok":
        state, status = "dégradé", 200
    else:
        state, status = "ok", 200
    response = JsonResponse({"etat": state, **checks}, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


@query_parameters()
def open_data(request):
    """/donnees/: the licence, the API, the CSV exports, the GeoJSON and the data·inclusion
    export; its JSON-LD, a ``DataCatalog`` of them."""
    return render(
        request,
        "cress/open_data.html",
        {
            "jsonld": structured_data.script(open_data_catalog(request)),
            "api_root": absolute_url(reverse("api:api-root")),
            "schema_url": absolute_url(reverse("api:schema")),
            "record_fields": public_record.FIELDS,
            "geojson_page_size": f"{GEOJSON_PAGE_SIZE:,}".replace(",", "\u202f"),
            "geojson_max_page_size": f"{GEOJSON_MAX_PAGE_SIZE:,}".replace(",", "\u202f"),
            "unfilled_structure_fields": UNFILLED_STRUCTURE_FIELDS,
            "unfilled_service_fields": UNFILLED_SERVICE_FIELDS,
            "datapackage_url": absolute_url(reverse("site:datapackage")),
            "catalogue_url": absolute_url(reverse("site:catalogue")),
        },
    )


@query_parameters()
@require_GET
def datapackage(request):
    """/donnees/datapackage.json: the CSVs described (Frictionless Data Package)."""
    return _described(described.datapackage(request), "application/json")


@query_parameters()
@require_GET
def catalogue(request):
    """/donnees/catalogue.jsonld: the DCAT-AP catalogue that data.gouv.fr harvests."""
    return _described(described.catalogue(request), "application/ld+json")


def _described(data, content_type):
    response = JsonResponse(data, content_type=f"{content_type}; charset=utf-8",
                            json_dumps_params={"ensure_ascii": False, "indent": 1})  # fmt: skip
    response["Access-Control-Allow-Origin"] = "*"  # read by harvesters and validators from anywhere
    return response


def open_data_catalog(request):
    absolute = absolute_url
    actors, actions = absolute(reverse("actors:list")), absolute(reverse("actions:list"))
    api = absolute(reverse("api:actor-list"))
    datasets = [
        ("Acteurs de l'ESS", "Les acteurs publiés, avec leur fiche publique : adresse, commune et code INSEE, "
         "position, site web, contact publié avec leur accord, horaires, famille, identifiants.",
         [(f"{actors}?format=csv", "text/csv"), (api, "application/json"),
          (f"{api}?format=geojson", "application/geo+json")]),
        ("Actions", "Les actions des programmes publiés, leurs territoires, secteurs, publics et partenaires.",
         [(f"{actions}?format=csv", "text/csv"), (absolute(reverse("api:action-list")), "application/json")]),
        ("Structures et services au format data·inclusion", "Les acteurs comme structures, leurs actions comme "
         "services, au schéma data·inclusion v1.",
         [(absolute(reverse("api:di-structures")), "application/json"),
          (absolute(reverse("api:di-services")), "application/json")]),
    ]  # fmt: skip
    return structured_data.data_catalog(f"Données ouvertes — {settings.DIRECTORY_SITE_NAME}", absolute(request.get_full_path()),
                                        settings.DIRECTORY_PUBLISHER, settings.DIRECTORY_DATA_LICENCE_URL, datasets)  # fmt: skip


@query_parameters()
@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: /{settings.ADMIN_PATH}",
        "Disallow: /recherche/",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@query_parameters()
def sector_list(request):
    """/secteurs/: every sector, with how many published actors work in it."""
    counts = sector_counts()
    sectors = list(Sector.objects.all())
    for sector in sectors:
        sector.n = counts.get(sector.pk, 0)
    absolute = absolute_url
    jsonld = {**structured_data.term_set(SECTORS_NAME, absolute(request.get_full_path())), "@context": structured_data.CONTEXT,
              "@id": absolute(request.get_full_path()), "hasDefinedTerm": [structured_data.term(s.name, absolute(s.get_absolute_url()))
                                                   for s in sectors]}  # fmt: skip
    return render(request, "cress/sector_list.html", {"sectors": sectors, "jsonld": structured_data.script(jsonld)})


@query_parameters()
def legal_notice(request):
    return render(request, "cress/legal.html", {
        "legal": legal_context(), "follow_unconfirmed_days": settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS,
    })  # fmt: skip


@query_parameters()
def contact(request):
    return render(request, "cress/contact.html", {"legal": legal_context()})


def legal_context():
    return {
        "publisher": settings.DIRECTORY_PUBLISHER,
        "address": settings.DIRECTORY_PUBLISHER_ADDRESS,
        "director": settings.DIRECTORY_PUBLICATION_DIRECTOR,
        "email": settings.DIRECTORY_CONTACT_EMAIL,
        "host": settings.DIRECTORY_HOST_DETAILS,
    }


@query_parameters()
def accessibility_statement(request):
    """The RGAA statement, with what the browser suite checks on every release."""
    return render(
        request,
        "cress/accessibility.html",
        {
            "audit": accessibility,
            "page_count": len(accessibility.AUDITED_PAGES),
            "embedded_count": len(accessibility.EMBEDDED_PAGES),
            "legal": legal_context(),
        },
    )


@query_parameters()
def site_plan(request):
    """/plan-du-site/: every section, the départements and the sectors."""
    return render(
        request,
        "cress/site_plan.html",
        {"departements": DEPARTEMENTS, "sectors": list(Sector.objects.all())},
    )
