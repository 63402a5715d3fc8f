"""Near a place: where each result of a list counts and how far it is, and the communes
a visitor may mean (the autocomplete of « Votre commune » and of the search box)."""

import math
from urllib.parse import urlencode

from django.http import JsonResponse

from common.cache import cached
from common.querystring import filters_only, query_parameters, with_params
from territories.models import Scope, Territory
from territories.region import DEPARTEMENT_CODES
from territories.resolver import Resolver, keyed

from .extensions import page_address
from .models import region_key, whole_key

SCOPE_LABELS = {Scope.COMMUNE: "dans la commune", Scope.DEPARTEMENT: "dans le département",
                Scope.REGION: "dans la région"}  # fmt: skip
ALL_OF = {2: "tout le ", 3: "toute la ", 4: "tous les ", 5: "toute l'"}  # INSEE's « typeLiaison »
LISTED_COMMUNES = 2


def distance_km(a_lat, a_lon, b_lat, b_lon):
    """Great-circle distance, in kilometres."""
    a_lat, a_lon, b_lat, b_lon = map(lambda v: math.radians(float(v)), (a_lat, a_lon, b_lat, b_lon))
    h = (
        math.sin((b_lat - a_lat) / 2) ** 2
        + math.cos(a_lat) * math.cos(b_lat) * math.sin((b_lon - a_lon) / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(h))


def at(name):
    """« à Caen », « au Mesnil-Eudes », « aux Monceaux », « à L'Aigle »."""
    for article, contracted in (("Le ", "au "), ("Les ", "aux ")):
        if name.startswith(article):
            return contracted + name[len(article):]
    return "à " + name


def of(name):
    """« de Caen », « du Mesnil-Eudes », « des Monceaux », « de la Ferrière », « d'Orbec »."""
    for article, contracted in (("Le ", "du "), ("Les ", "des "), ("La ", "de la "), ("L'", "de l'")):
        if name.startswith(article):
            return contracted + name[len(article):]
    return ("d'" if name[:1].lower() in "aeiouyéèêâîôh" else "de ") + name


def all_of(departement):
    """« tout le Calvados », « toute la Manche », « toute l'Orne »."""
    return ALL_OF.get(departement.liaison, "tout ") + departement.name


def coverage_phrase(keys, departements, communes=()):
    """Where an item works, said in a line, from its stored ``scope_keys``
    (``actors.models.scope_keys``): « Intervient dans toute la région », « Intervient
    dans tout le Calvados et toute la Manche », or, for communes only, their names
    (``communes``). ``departements``: {pk: Territory} of the directory's départements."""
    keys = set(keys or ())
    if any(region_key(pk) in keys for pk in departements):
        return "Intervient dans toute la région"
    whole = [all_of(d) for pk, d in departements.items() if whole_key(pk) in keys]
    if whole:
        return "Intervient dans " + (" et ".join([", ".join(whole[:-1]), whole[-1]]) if len(whole) > 1 else whole[0])
    names = list(communes)
    if not names:
        return ""
    shown = ", ".join(names[:LISTED_COMMUNES])
    rest = len(names) - LISTED_COMMUNES
    return f"Intervient {at(shown)}" + (f" et {rest} autre{'s' if rest > 1 else ''} commune{'s' if rest > 1 else ''}"
                                      if rest > 0 else "")  # fmt: skip


def directory_departements():
    """{pk: Territory} of the directory's départements, read once per content version."""

    def read():
        rows = Territory.objects.departements(DEPARTEMENT_CODES).only("pk", "name", "code", "liaison")
        return {d.pk: d for d in rows}

    return cached("territoires:departements-de-l-annuaire", read)


def where(items, located, model):
    """Each item says where it is (``where``): the commune it is located in
    (``located(item)``: a Territory or None), else where it works (``coverage_phrase``,
    from its ``scope_keys``; communes named from ``model``'s coverage, in one query)."""
    departements = directory_departements()
    for item in items:
        commune = located(item)
        item.where = commune.name if commune is not None else coverage_phrase(item.scope_keys, departements)
        if commune is None:
            item.scope_label = ""  # « Intervient dans tout le Calvados » says it already
    # Communes only: their names, in one query for the page.
    unnamed = [item for item in items if not item.where and item.scope_keys]
    texts = model.objects.territory_texts([item.pk for item in unnamed]) if unnamed else {}
    for item in unnamed:
        item.where = coverage_phrase(item.scope_keys, departements, [name for name, _ in texts.get(item.pk, [])])


def locate(items, place, position):
    """Near a place: each item says where it counts (``scope_label``) and, when both
    positions are known, how far it is (``distance_km``). ``position(item)``: (lat, lon)."""
    for item in items:
        level = getattr(item, "scope_level", None)
        item.scope_label = SCOPE_LABELS.get(level, "") if level is not None else ""
        item.distance_km = None
        lat, lon = position(item)
        if place is not None and place.latitude is not None and lat is not None and lon is not None:
            item.distance_km = round(distance_km(place.latitude, place.longitude, lat, lon))


class NearbyMixin:
    """Lists with « Votre commune »: where each result is and counts, how far it is; how
    the place was read, the other reading and, for a postcode, each of its communes a
    click away; for a name several communes share or a typo, the communes meant."""

    model_of_items = None  # the model whose coverage names an item's communes

    def position(self, item):
        raise NotImplementedError

    def located(self, item):
        """The commune where ``item`` is (its address), or None."""
        return None

    def link(self, **params):
        return "?" + with_params(filters_only(self.request.GET), page=None, **params)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        near = self.filterset.near() if self.valid else None
        items = context["page_obj"].object_list
        locate(items, near.place if near and near.communes else None, self.position)
        where(items, self.located, self.model_of_items or getattr(items, "model", None))
        context["near"] = near
        context["near_commune"] = near.place if near and near.communes else None
        context["near_place"] = near.place if near else None
        context["near_of"] = of(near.place.name) if near and near.communes else ""  # « à 3 km de Lisieux »
        parameter = "commune" if self.filterset.data.get("commune") else "code_postal"
        if near is not None and len(near.communes) > 1:
            context["near_choices"] = [(c, self.link(**{parameter: None, "commune": keyed(c)})) for c in near.communes]
        if near is not None and near.other is not None:
            context["near_other"] = (near.other, self.link(code_postal=None, commune=near.other.value))
        typed = self.filterset.data.get("commune", "").strip()
        if typed:
            context["words_url"] = page_address("search") + "?" + urlencode({"q": typed, "lecture": "mots"})
        field = self.filterset.form.fields.get("commune")
        reading = getattr(field, "reading", None)
        if not self.valid and reading is not None and reading.choices:
            context["commune_choices"] = [(c, self.link(commune=keyed(c))) for c in reading.choices]
        return context


@query_parameters("q")
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
