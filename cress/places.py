"""Territory pages: what works in a territory, grouped from the most local level to the
whole region, and which communes have published content. The roll-up rule itself is
``Territory.reach`` (``territories/loading.py``), read by ``CoverageQuerySet``."""

from django.db.models import Count, Q

from actions.models import Action
from actors.models import Organisation, listing_totals, region_key, scope_key, whole_key
from common.listing import paginate
from territories.models import Scope, Territory, TerritoryKind
from territories.region import REGION

# The directory's region (``DIRECTORY_REGION``): its page is the list of territories.
REGION_KEY = Territory.make_key(TerritoryKind.REGION, REGION["code"])


def communes_with_content():
    """Communes (historic ones included) that a published actor or action covers: the
    communes /territoires/ lists and the sitemap includes."""
    actors = Organisation.objects.actors().published().coverage_rows("territories").values("territory")
    actions = Action.objects.published().coverage_rows("territories").values("territory")
    return Territory.objects.communes().filter(Q(pk__in=actors) | Q(pk__in=actions))


def scope_label(territory, scope):
    """The heading of one section of ``territory``'s page."""
    if territory.is_commune:
        labels = {
            Scope.COMMUNE: f"à {territory.name}"
            if not territory.is_historic
            else f"à {territory.name} ou dans toute la commune de {territory.current.name}",
            Scope.DEPARTEMENT: f"dans tout le département {territory.parent.of_name}",
            Scope.REGION: "dans toute la région",
        }
    elif territory.kind == TerritoryKind.DEPARTEMENT:
        labels = {
            Scope.COMMUNE: f"dans une commune {territory.of_name}",
            Scope.DEPARTEMENT: f"dans tout le département {territory.of_name}",
            Scope.REGION: "dans toute la région",
        }
    else:
        labels = {
            Scope.COMMUNE: "dans une commune de la région",
            Scope.DEPARTEMENT: "dans un département de la région",
            Scope.REGION: "dans toute la région",
        }
    return labels[scope]


def scoped(territory, queryset, listing):
    """({Scope: count}, {Scope: queryset}) of the sections of ``territory``'s page for the
    published list ``listing`` (``queryset``). A département's and a commune's are read
    from the listing counts and the scope keys (``actors.models.scope_key``): a few rows,
    and only the items of the commune itself counted; another territory's (the region)
    from the coverage (``CoverageQuerySet.count_by_scope``)."""
    covering = territory.covering()
    if territory.is_departement:
        keys = {scope: scope_key(territory.pk, scope) for scope in Scope}
        totals = listing_totals(listing, keys.values())
        counts = {scope: totals[key] for scope, key in keys.items()}
        sections = {scope: queryset.filter(scope_keys__contains=[key]) for scope, key in keys.items()}
        return counts, sections
    if territory.is_commune and len(covering[Scope.DEPARTEMENT]) == 1:
        departement = covering[Scope.DEPARTEMENT][0]
        keys = {Scope.DEPARTEMENT: whole_key(departement), Scope.REGION: region_key(departement)}
        totals = listing_totals(listing, keys.values())
        communes = covering[Scope.COMMUNE] or [0]  # no commune-level territory: none is local
        local = queryset.filter(territory_ids__overlap=communes)
        # The commune's own items, and those of them that also cover the whole département
        # or region (counted there by the listing counts, here at the commune): one query.
        own = local.order_by().aggregate(
            n=Count("pk"),
            **{f"k{int(scope)}": Count("pk", filter=Q(scope_keys__contains=[key])) for scope, key in keys.items()},
        )
        counts = {Scope.COMMUNE: own["n"]}
        sections = {Scope.COMMUNE: local}
        for scope, key in keys.items():
            counts[scope] = totals[key] - own[f"k{int(scope)}"]
            sections[scope] = queryset.filter(scope_keys__contains=[key]).exclude(territory_ids__overlap=communes)
        return counts, sections
    counts = queryset.count_by_scope(territory)
    return counts, {scope: queryset.in_scope(territory, scope) for scope in Scope}


def page_parameter(name, scope):
    """The query parameter of the page of one section of a territory's page."""
    return f"page_{name}_{scope.name.lower()}"


def page_parameters(*names):
    """Every page parameter of the sections of kinds ``names`` (``query_parameters``)."""
    return [page_parameter(name, scope) for name in names for scope in Scope]


def scoped_sections(request, territory, queryset, ordering, name, listing):
    """{"total", "sections": [{scope, label, count, page_obj, page_param}]} for one kind
    of item (actors or actions) — the published list ``listing`` — : the counts
    (``scoped``), then one page per non-empty section (each with its own
    ``?page_<name>_<scope>=``)."""
    counts, querysets = scoped(territory, queryset, listing)
    sections = []
    for scope in Scope:
        if not counts[scope]:
            continue
        param = page_parameter(name, scope)
        section = querysets[scope].order_by(*ordering, "pk")
        page = paginate(request, section, param, count=counts[scope])
        sections.append(
            {"scope": scope, "label": scope_label(territory, scope), "count": counts[scope],
             "page_obj": page, "page_param": param}
        )  # fmt: skip
    return {"total": sum(counts.values()), "sections": sections}


def list_filter(territory):
    """The list filter that gives the same items as the page (``Territory.list_filter``)."""
    return territory.list_filter
