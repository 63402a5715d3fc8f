"""Territory pages: what works in a territory, grouped from the most local level to the
whole region, and which communes have published content. The roll-up rule itself is
``Territory.reach`` (``territories/loading.py``), read by ``CoverageQuerySet``."""

from django.db.models import Q

from actions.models import Action
from actors.models import Organisation
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


def scoped_sections(request, territory, queryset, ordering, name):
    """{"total", "sections": [{scope, label, count, page_obj, page_param}]} for one kind
    of item (actors or actions): one counting query, then one page per non-empty
    section (each with its own ``?page_<name>_<scope>=``)."""
    counts = queryset.count_by_scope(territory)
    sections = []
    for scope in Scope:
        if not counts[scope]:
            continue
        param = f"page_{name}_{scope.name.lower()}"
        section = queryset.in_scope(territory, scope).order_by(*ordering, "pk")
        page = paginate(request, section, param, count=counts[scope])
        sections.append(
            {"scope": scope, "label": scope_label(territory, scope), "count": counts[scope],
             "page_obj": page, "page_param": param}
        )  # fmt: skip
    return {"total": sum(counts.values()), "sections": sections}


def list_filter(territory):
    """The list filter that gives the same items as the page (``Territory.list_filter``)."""
    return territory.list_filter
