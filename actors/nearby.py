"""Near a place: where each result of a list counts and how far it is, and the communes
a visitor may mean (the autocomplete of « Votre commune » and of the search box)."""

import math

from django.http import JsonResponse

from common.querystring import filters_only, with_params
from territories.models import Scope
from territories.resolver import Resolver

SCOPE_LABELS = {Scope.COMMUNE: "dans la commune", Scope.DEPARTEMENT: "dans le département",
                Scope.REGION: "dans la région"}  # fmt: skip


def distance_km(a_lat, a_lon, b_lat, b_lon):
    """Great-circle distance, in kilometres."""
    a_lat, a_lon, b_lat, b_lon = map(lambda v: math.radians(float(v)), (a_lat, a_lon, b_lat, b_lon))
    h = (
        math.sin((b_lat - a_lat) / 2) ** 2
        + math.cos(a_lat) * math.cos(b_lat) * math.sin((b_lon - a_lon) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def locate(items, commune, position):
    """Near a commune: each item says where it counts (``scope_label``) and, when both
    positions are known, how far it is (``distance_km``). ``position(item)``: (lat, lon)."""
    for item in items:
        level = getattr(item, "scope_level", None)
        item.scope_label = SCOPE_LABELS.get(level, "") if level is not None else ""
        item.distance_km = None
        lat, lon = position(item)
        if commune is not None and commune.latitude is not None and lat is not None and lon is not None:
            item.distance_km = round(distance_km(commune.latitude, commune.longitude, lat, lon))


class NearbyMixin:
    """Lists with « Votre commune »: where each result counts, and how far it is."""

    def position(self, item):
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        commune = self.filterset.selected("commune") if self.valid else None
        locate(context["page_obj"].object_list, commune, self.position)
        context["near_commune"] = commune
        if commune is not None:
            # « 14290 » is Fresney-le-Puceux's INSEE code and Orbec's postcode: the code
            # wins (the API's contract), and the page offers the communes of the postcode.
            typed = self.filterset.data.get("commune", "").strip()
            others = [c for c in Resolver().postcode_communes(typed) if c.pk != commune.pk]
            context["postcode_communes"] = [
                (c, with_params(filters_only(self.request.GET), commune=c.code)) for c in others
            ]
        return context




def commune_suggestions(request):
    """« Votre commune »: up to 10 communes whose name, code or postcode starts with
    ``?q=`` (historic ones say which commune they belong to today), for the autocomplete."""
    matches = Resolver().suggestions(request.GET.get("q", "")[:80])
    return JsonResponse({"communes": [
        {"value": commune.name if not commune.is_historic else commune.current.name,
         "label": f"{commune.display_name} — {commune.postcodes.split(' ')[0] if commune.postcodes else commune.code}"
                  f"{', ' + commune.parent.name if commune.parent_id else ''}"}
        for commune in matches
    ]})  # fmt: skip
