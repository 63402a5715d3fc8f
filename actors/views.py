from django.db.models import CharField, Prefetch, Value

from cress.listing import DirectoryListView

from .filters import ActorFilterSet
from .models import Organisation, Public, Sector, Territory


def visible_organisations(request):
    return Organisation.objects.visible_to(request.user)


class ActorListView(DirectoryListView):
    filterset_class = ActorFilterSet
    template_name = "actors/actor_list.html"
    title = "Les acteurs de l'ESS"

    def get_queryset(self):
        return Organisation.objects.actors().published().for_list()


def territories_prefetch(lookup="territories"):
    return Prefetch(
        lookup, queryset=Territory.objects.select_related("current", "parent").order_by("kind", "name")
    )


def vocabulary_of(lookup, obj):
    """Sectors and publics of ``obj`` in one query (a UNION)."""
    sectors = Sector.objects.filter(**{lookup: obj}).values_list("name", "slug").order_by()
    publics = Public.objects.filter(**{lookup: obj}).values_list("name", "slug").order_by()
    rows = sectors.annotate(kind=Value("secteur", output_field=CharField())).union(
        publics.annotate(kind=Value("public", output_field=CharField())), all=True
    )
    result = {"secteur": [], "public": []}
    for name, slug, kind in rows:
        result[kind].append({"name": name, "slug": slug})
    for items in result.values():
        items.sort(key=lambda item: item["name"])
    return result["secteur"], result["public"]


# The actor profile (/acteurs/<slug>/) and the partner page (/partenaires/<slug>/) show
# programmes and actions, so they live in actions/views.py (``actors`` never imports
# ``actions``); cress/urls.py routes them under the ``actors`` namespace.
