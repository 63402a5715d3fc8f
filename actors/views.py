from django.db.models import CharField, Prefetch, Value

from cress.listing import DirectoryListView

from .filters import ActorFilterSet
from .models import Organisation, Public, Sector, Territory


class ActorListView(DirectoryListView):
    filterset_class = ActorFilterSet
    template_name = "actors/actor_list.html"
    title = "Les acteurs de l'ESS"

    csv_name = "acteurs-ess-basse-normandie"
    csv_columns = [
        ("Nom", lambda o, base: o.name),
        ("Sigle", lambda o, base: o.acronym),
        ("Autre nom", lambda o, base: o.alternate_name),
        ("Famille de l'ESS", lambda o, base: o.get_family_display()),
        ("Présentation", lambda o, base: o.summary),
        ("Réseau", lambda o, base: o.parent.name if o.parent else ""),
        ("Territoires", lambda o, base: " | ".join(t.display_name for t in o.territories.all())),
        ("Codes INSEE", lambda o, base: " | ".join(t.code for t in o.territories.all())),
        ("Secteurs", lambda o, base: " | ".join(s.name for s in o.sectors.all())),
        ("Publics", lambda o, base: " | ".join(p.name for p in o.publics.all())),
        ("Site web", lambda o, base: o.website),
        ("SIREN", lambda o, base: o.siren),
        ("SIRET", lambda o, base: o.siret),
        ("RNA", lambda o, base: o.rna),
        ("Fiche", lambda o, base: base + o.get_absolute_url()),
        ("Mise à jour", lambda o, base: o.updated_at.date().isoformat()),
    ]

    def get_queryset(self):
        return Organisation.objects.actors().published().for_list()

    def csv_response(self, queryset):
        queryset = queryset.prefetch_related(territories_prefetch(), "publics")
        return super().csv_response(queryset)


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
