"""Site-wide pages: home, search across kinds, territories, sectors, error pages."""

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from actions.filters import ACTION_SEARCH, PROGRAMME_SEARCH
from actions.models import Action, Programme
from actors.filters import ACTOR_SEARCH, DEPARTEMENTS
from actors.models import COMMUNE_KINDS, Organisation, Sector, Territory, TerritoryKind
from actors.search import SearchSpec, terms

from .datainclusion import UNFILLED_SERVICE_FIELDS, UNFILLED_STRUCTURE_FIELDS

SEARCH_LIMIT = 10
PARTNER_SEARCH = SearchSpec(a=["name", "acronym"], b=["territories__name"], c=["summary", "description"])
TERRITORY_SEARCH = SearchSpec(a=["name"], b=["code", "postcodes"])
BASSE_NORMANDIE = "region-25"


def departement_counts():
    """Published actors and actions per département of Basse-Normandie (2 queries)."""
    actors = (
        Organisation.objects.actors()
        .published()
        .aggregate(
            **{
                code: Count("pk", filter=Q(pk__in=Organisation.objects.in_departement(code).values("pk")))
                for code, _ in DEPARTEMENTS
            }
        )
    )
    actions = Action.objects.published().aggregate(
        **{
            code: Count("pk", filter=Q(pk__in=Action.objects.in_departement(code).values("pk")))
            for code, _ in DEPARTEMENTS
        }
    )
    return [
        {"code": code, "name": name, "key": code, "actors": actors[code], "actions": actions[code]}
        for code, name in DEPARTEMENTS
    ]


def home(request):
    sectors = Sector.objects.annotate(
        n=Count(
            "organisations",
            filter=Q(organisations__status="publie", organisations__kind="acteur"),
            distinct=True,
        )
    ).order_by("name")
    return render(
        request,
        "cress/home.html",
        {
            "actor_count": Organisation.objects.actors().published().count(),
            "action_count": Action.objects.published().count(),
            "programme_count": Programme.objects.published().count(),
            "departements": departement_counts(),
            "sectors": [s for s in sectors if s.n],
            "latest_programmes": list(
                Programme.objects.published().select_related("actor").order_by("-updated_at", "title")[:5]
            ),
            "latest_actions": list(
                Action.objects.published().for_list().top_level().order_by("-updated_at", "title")[:5]
            ),
        },
    )


def search(request):
    """One search across actors, programmes, actions, partners and territories."""
    query = request.GET.get("q", "").strip()[:200]
    groups = []
    if terms(query):
        kinds = [
            (
                "Acteurs",
                ACTOR_SEARCH,
                Organisation.objects.actors().published().select_related("parent"),
                "actors",
            ),
            ("Programmes", PROGRAMME_SEARCH, Programme.objects.published().select_related("actor"), None),
            ("Actions", ACTION_SEARCH, Action.objects.published().for_list(), "actions"),
            ("Partenaires", PARTNER_SEARCH, Organisation.objects.partners().published(), None),
            ("Territoires", TERRITORY_SEARCH, Territory.objects.select_related("current", "parent"), None),
        ]
        for label, spec, queryset, list_name in kinds:
            items = list(spec.apply(queryset, query).order_by("-search_rank", "pk")[: SEARCH_LIMIT + 1])
            groups.append(
                {
                    "label": label,
                    "items": items[:SEARCH_LIMIT],
                    "more": len(items) > SEARCH_LIMIT,
                    "list_name": list_name,
                }
            )
    total = sum(len(group["items"]) for group in groups)
    return render(
        request,
        "cress/search.html",
        {
            "query": query,
            "groups": [g for g in groups if g["items"]],
            "total": total,
            "searched": bool(query),
        },
    )


def territory_list(request):
    region = get_object_or_404(Territory, key=BASSE_NORMANDIE)
    communes = (
        Territory.objects.filter(kind__in=COMMUNE_KINDS, parent__code__in=[c for c, _ in DEPARTEMENTS])
        .filter(Q(actions__status="publie") | Q(organisations__status="publie"))
        .select_related("current", "parent")
        .distinct()
        .order_by("name")
    )
    return render(
        request,
        "cress/territory_list.html",
        {"region": region, "departements": departement_counts(), "communes": list(communes)},
    )


def territory_detail(request, key):
    """A région, département or commune: who acts there and what is done there."""
    territory = get_object_or_404(
        Territory.objects.select_related("current", "parent", "former_region"), key=key
    )
    if territory.kind == TerritoryKind.DEPARTEMENT:
        actors = Organisation.objects.actors().published().in_departement(territory.code)
        actions = Action.objects.published().in_departement(territory.code)
    else:
        covering = [territory.pk] + ([territory.current_id] if territory.current_id else [])
        actors = Organisation.objects.actors().published().filter(territories__in=covering)
        actions = Action.objects.published().filter(territories__in=covering)
    actors = list(actors.distinct().order_by("name")[:50])
    actions = list(actions.for_list().distinct().order_by("programme__actor__name", "order", "pk")[:50])
    communes = []
    if territory.kind == TerritoryKind.DEPARTEMENT:
        communes = list(
            Territory.objects.filter(kind__in=COMMUNE_KINDS, parent=territory, actions__status="publie")
            .select_related("current")
            .distinct()
            .order_by("name")
        )
    historic = []
    if territory.kind in (TerritoryKind.COMMUNE, TerritoryKind.REGION):
        historic = list(territory.historic.order_by("name")[:60])
    return render(
        request,
        "cress/territory_detail.html",
        {
            "territory": territory,
            "actors": actors,
            "actions": actions,
            "communes": communes,
            "historic": historic,
            "is_departement": territory.kind == TerritoryKind.DEPARTEMENT,
        },
    )


def sector_detail(request, slug):
    sector = get_object_or_404(Sector, slug=slug)
    actors = list(Organisation.objects.actors().published().filter(sectors=sector).order_by("name"))
    programmes = list(
        Programme.objects.published().filter(sectors=sector).select_related("actor").order_by("title")
    )
    actions = list(
        Action.objects.published()
        .filter(Q(sectors=sector) | Q(programme__sectors=sector))
        .for_list()
        .distinct()
        .order_by("programme__actor__name", "order", "pk")[:50]
    )
    return render(
        request,
        "cress/sector_detail.html",
        {"sector": sector, "actors": actors, "programmes": programmes, "actions": actions},
    )


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def open_data(request):
    """/donnees/: the licence, the API, the CSV exports and the data·inclusion export."""
    return render(
        request,
        "cress/open_data.html",
        {
            "api_root": request.build_absolute_uri(reverse("api:api-root")),
            "schema_url": request.build_absolute_uri(reverse("api:schema")),
            "unfilled_structure_fields": UNFILLED_STRUCTURE_FIELDS,
            "unfilled_service_fields": UNFILLED_SERVICE_FIELDS,
        },
    )


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /recherche/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
