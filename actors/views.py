"""Public pages of organisations: the list of actors, the actor profile, the list of
partners and a partner's page. What other apps show on these pages (programmes,
partnerships…) comes through ``actors/extensions.py``."""

from django.conf import settings
from django.db.models import CharField, Prefetch, Value
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static

from common import structured_data
from common.collation import french, french_key
from common.listing import DirectoryListView, MatchesMixin, paginate
from common.querystring import filters_only, query_parameters, with_params
from common.redirects import redirect_moved
from common.site import absolute_url
from territories.models import Territory

from . import exports, successors
from .extensions import actor_sections, addresses, page_address, partner_sections, section_context
from .filters import ActorFilterSet
from .models import Organisation
from .nearby import NearbyMixin

RELATED_ACTORS = 5


def territories_prefetch(lookup="territories"):
    return Prefetch(lookup, queryset=Territory.objects.for_display())


def vocabulary_of(sectors, publics):
    """Sectors and publics (two querysets) as two lists of {name, slug}, in one query."""
    rows = (
        sectors.order_by().values_list("name", "slug").annotate(kind=Value("secteur", output_field=CharField()))
        .union(publics.order_by().values_list("name", "slug")
               .annotate(kind=Value("public", output_field=CharField())), all=True)
    )  # fmt: skip
    result = {"secteur": [], "public": []}
    for name, slug, kind in rows:
        result[kind].append({"name": name, "slug": slug})
    for items in result.values():
        items.sort(key=lambda item: french_key(item["name"]))
    return result["secteur"], result["public"]


class ActorListView(MatchesMixin, NearbyMixin, DirectoryListView):
    filterset_class = ActorFilterSet
    list_name = "Acteurs de l'ESS"
    template_name = "actors/actor_list.html"

    csv_name = "acteurs-ess-basse-normandie"
    csv_columns = exports.COLUMNS

    def get_queryset(self):
        return Organisation.objects.actors().published().for_list()

    model_of_items = Organisation

    def position(self, actor):
        return actor.latitude, actor.longitude

    def located(self, actor):
        return actor.commune

    def read_texts(self, actors):
        # The list leaves the descriptions out (``for_list``): the page's, in one query.
        descriptions = dict(Organisation.objects.filter(pk__in=[a.pk for a in actors]).values_list("pk", "description"))
        for actor in actors:
            actor.found_description = descriptions.get(actor.pk, "")

    def texts(self, actor):
        return actor.summary, actor.found_description

    def csv_rows(self, ids, site_url):
        return exports.rows(ids, site_url)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # « Me prévenir » on a filtered list, when an app above serves it (``follows``).
        query = filters_only(self.request.GET)
        query.pop("tri", None)
        followable = self.valid and query and "follow" in addresses
        context["follow_url"] = page_address("follow", query.urlencode()) if followable else ""
        return context


@query_parameters()
@redirect_moved(Organisation)
def actor_detail(request, slug):
    """The actor profile: identity, network, territories, sectors, publics, related actors;
    programmes, partners, quotes, key figures and events come from ``actions``. The number
    of queries is bounded, whatever the amount of data (tests/cress/test_query_budget.py)."""
    actor = get_object_or_404(
        Organisation.objects.visible_to(request.user)
        .actors()
        .select_related("parent", "commune")
        .prefetch_related(territories_prefetch()),
        slug=slug,
    )
    sectors, publics = vocabulary_of(actor.sectors.all(), actor.publics.all())
    related = (
        Organisation.objects.actors().published().exclude(pk=actor.pk)
        .with_sectors(actor.sector_ids or []).order_by(*french("name"))[:RELATED_ACTORS]
    )  # fmt: skip
    territories = list(actor.territories.all())
    return render(
        request,
        "actors/actor_detail.html",
        {
            "jsonld": structured_data.script(
                structured_data.organisation(actor, absolute_url, territories, actor.public_record)
            ),
            "actor": actor,
            "territories": territories,
            "sectors": sectors,
            "publics": publics,
            "related": list(related),
            **section_context(actor_sections, request, actor),
        },
    )


@query_parameters("page", "aujourdhui")
def partner_list(request):
    """/partenaires/: the organisations that take part in programmes and actions; with
    ``?aujourdhui=1``, « organismes d'aujourd'hui »: only the bodies no change leads away
    from, each with the old names that lead to it (actors/successors.py)."""
    today_only = request.GET.get("aujourdhui") == "1"
    partners = Organisation.objects.partners().published()
    if today_only:
        partners = successors.current_bodies(partners)
    page = paginate(request, partners.order_by(*french("name"), "pk"))
    lines = successors.lines(request.user)
    for partner in page.object_list:
        partner.today = lines.today(partner.pk)
        partner.old_names = lines.ancestors(partner.pk) if today_only else []
    jsonld = structured_data.item_list(
        "Partenaires", absolute_url(request.get_full_path()), [(p.name, absolute_url(p.get_absolute_url()))
                                                       for p in page.object_list],
        page.paginator.count, page.start_index() or 1,
    )  # fmt: skip
    return render(request, "actors/partner_list.html", {"page_obj": page, "partners": page.object_list,
                                                        "today_only": today_only,
                                                        "jsonld": structured_data.script(jsonld)})  # fmt: skip


@query_parameters()
@redirect_moved(Organisation)
def partner_detail(request, slug):
    """A partner organisation (never an actor: actors have their profile)."""
    partner = get_object_or_404(
        Organisation.objects.visible_to(request.user)
        .partners()
        .select_related("parent", "commune")
        .prefetch_related(territories_prefetch()),
        slug=slug,
    )
    territories = list(partner.territories.all())
    lines = successors.lines(request.user)
    today = lines.today(partner.pk)
    jsonld = structured_data.organisation(partner, absolute_url, territories, partner.public_record)
    return render(
        request,
        "actors/partner_detail.html",
        {
            "partner": partner,
            "today": today,
            "line": lines.line(partner),
            "territories": territories,
            "jsonld": structured_data.script(jsonld),
            **section_context(partner_sections, request, partner),
        },
    )


class ActorMapView(ActorListView):
    """/acteurs/carte/: the same filters and query string as /acteurs/, shown on a map
    (Leaflet, markers clustered, fed by the GeoJSON of the API for the visible area). The
    list below the map is the accessible equivalent; without JavaScript it is all there is.

    The map follows the visitor: it opens on the area of ``?bbox=`` (« Rechercher dans
    cette zone » reloads the page with it: the list is then limited to that area, as the
    filter set's ``bbox`` does), else on the chosen commune, else on the chosen
    département, else on its markers. « Autour de moi » asks the browser for the
    visitor's position, which never leaves the page: this page alone allows it."""

    template_name = "actors/actor_map.html"
    commune_zoom = 12
    departement_zoom = 9

    def map_view(self, context):
        """Where the map opens, for its data attributes: ``{"bbox": "w,s,e,n"}``,
        ``{"lat", "lon", "zoom"}``, or nothing (the map fits its markers)."""
        if not self.valid:
            return {}
        area = self.filterset.selected("bbox")
        if area:
            return {"bbox": ",".join(f"{value:.5f}" for value in area)}
        near = context.get("near")
        placed = [c for c in (near.communes if near else []) if c.latitude is not None and c.longitude is not None]
        if len(placed) > 1:  # a postcode's communes: the map shows them all
            margin = 0.02
            longitudes, latitudes = [float(c.longitude) for c in placed], [float(c.latitude) for c in placed]
            west, east = min(longitudes) - margin, max(longitudes) + margin
            south, north = min(latitudes) - margin, max(latitudes) + margin
            return {"bbox": ",".join(f"{value:.5f}" for value in (west, south, east, north))}
        place, zoom = context.get("near_commune"), self.commune_zoom
        if place is None and context.get("near_place") is not None:  # a département typed as a place
            place, zoom = context["near_place"], self.departement_zoom
        if place is None or place.latitude is None:
            code = self.filterset.selected("departement")
            place = Territory.objects.departements([code]).only("latitude", "longitude").first() if code else None
            zoom = self.departement_zoom
        if place is None or place.latitude is None or place.longitude is None:
            return {}
        return {"lat": f"{place.latitude:.6f}", "lon": f"{place.longitude:.6f}", "zoom": zoom}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        whole = with_params(filters_only(self.request.GET), bbox=None)
        context.update(
            # The map's data are the page's list: the place as it was read, in the API's terms.
            geojson_url=page_address("actors-geojson")
            + "?"
            + "&".join(filter(None, [self.machine_query(), "format=geojson"])),
            tile_url=settings.DIRECTORY_TILE_URL,
            marker_icon=static("vendor/leaflet-1.9.4/images/marker-icon.png"),
            marker_icon_2x=static("vendor/leaflet-1.9.4/images/marker-icon-2x.png"),
            marker_shadow=static("vendor/leaflet-1.9.4/images/marker-shadow.png"),
            map_view=self.map_view(context),
            map_area=self.valid and self.filterset.selected("bbox") is not None,
            whole_list_url=f"?{whole}" if whole else self.request.path,
            list_query=whole,  # « Voir en liste »: the list page does not say it is limited to an area
        )
        return context

    def machine_query(self):
        query = filters_only(self.request.GET)
        return (self.filterset.machine_query(query) if self.valid else query).urlencode()

    def render_to_response(self, context, **response_kwargs):
        """The site's Permissions-Policy, with the geolocation this page's « Autour de moi »
        asks for (``common.security`` keeps a page's own policy)."""
        response = super().render_to_response(context, **response_kwargs)
        response["Permissions-Policy"] = settings.PERMISSIONS_POLICY.replace("geolocation=()", "geolocation=(self)")
        return response


def logo(request, slug):
    """The address of the logo when it was kept in the database, for the links already out
    there: it leads to the current file (``MEDIA_URL``). A temporary redirect (302): each
    new logo has a new file name, and a permanent one would keep browsers on a deleted file."""
    organisation = get_object_or_404(
        Organisation.objects.visible_to(request.user).exclude(logo="").only("logo", "status"), slug=slug
    )
    return redirect(organisation.logo.url)
