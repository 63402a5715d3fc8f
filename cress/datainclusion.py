"""Export in the data·inclusion schema, version 1 (gip-inclusion/data-inclusion-schema,
checked against the Python package ``data-inclusion-schema`` ``SCHEMA_PACKAGE_VERSION`` by
``tests/api/test_datainclusion_v1.py``): the published actors as *structures*, their
published actions as *services*.

Every field of the schema is present, and nothing else. What the directory does not know
is ``null`` (the /donnees/ page lists the fields that are always so); nothing is guessed:

- a phone number or an e-mail address only when the organisation agreed to its
  publication (``phone_public``, ``email_public``); the phone in E.164 (« +33231000000 »),
  and only when the text holds exactly one number valid in France's numbering plan;
- INSEE codes of today's Code officiel géographique: a historic commune as today's
  commune, a region as its départements — a former region (Basse-Normandie) as its own;
- opening hours only when they read exactly as OpenStreetMap ``opening_hours`` (as
  entered, or from a plain French text such as « du lundi au vendredi, 9 h – 17 h »);
- thématiques, publics and réseaux porteurs only through the reviewed tables below;
- a service's thématiques, publics and zone are its stored coverage (own, else its
  programme's, else its actor's: ``actions/coverage.py``), never recomputed here.

The package itself is a test dependency: nothing here imports it.
"""

import re

import phonenumbers
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema

from actions.models import ACTOR_DEFERRED, LIST_DEFERRED, Action, Programme
from actors.models import Organisation
from common.api import ReadOnlyDirectoryViewSet
from common.collation import french
from common.search import DOCUMENT_FIELDS
from common.site import absolute_url
from territories.models import Territory, TerritoryKind

SOURCE = "cress-basse-normandie"
SCHEMA_NAME = "data·inclusion v1"
SCHEMA_PACKAGE = "data-inclusion-schema"
SCHEMA_PACKAGE_VERSION = "1.0.10"

# --- vocabularies: reviewed tables -------------------------------------------------------
# Every sector and public of the directory is listed, with the v1 value it means or
# ``None`` when no v1 value means the same (a test fails when one is missing, so that a
# new sector or public gets reviewed). v1 thématiques describe a need of a person
# (« garde d'enfants », « aide ménagère »), where our sectors name a field of activity.

SECTOR_THEMATIQUES = {
    # The directory's « petite enfance » actions are crèches and haltes-garderies.
    "petite-enfance": "famille--garde-denfants",
    # v1 has no « famille » theme of its own: it is split into needs (parentalité, garde,
    # aidants, séparation…), and the sector does not say which one.
    "famille": None,
    # v1 has no disability theme (only « constituer un dossier MDPH », a procedure).
    "handicap": None,
    # Closest v1 theme is « prise en charge d'une personne dépendante », but the sector
    # also holds surveys and network work that are not care: not the same meaning.
    "personnes-agees": None,
    # Home help services include but are not « aide ménagère » (care, support…).
    "aide-a-domicile": None,
    "services-a-la-personne": None,
    # v1 themes are steps of a job search, not the IAE sector (employment in an SIAE).
    "insertion-par-l-activite-economique": None,
    "lutte-contre-l-exclusion": None,
    "sanitaire-et-social": None,
    # About organisations (cooperation between networks, funding of projects), not a need.
    "cooperation": None,
    "financement-de-projets": None,
}

# v1 publics are broad categories; the precise public is kept in publics_precisions.
PUBLICS = {
    "familles": "familles",
    "jeunes-enfants-et-familles": "familles",  # « Familles, parents, enfants »
    "personnes-handicapees": "personnes-en-situation-de-handicap",
    "personnes-agees-en-perte-d-autonomie": "seniors",  # « Personnes âgées, retraités »
    "demandeurs-d-emploi-en-insertion": "demandeurs-emploi",  # « de tout type »
    "aidants": None,  # no v1 public for carers (only the theme « soutien aux aidants »)
    "associations-du-secteur": None,  # organisations, not people
}

# An actor's network (``parent``) -> data·inclusion « réseau porteur ».
NETWORK_RESEAUX_PORTEURS = {
    "federation-coorace": "coorace",  # « Fédération COORACE »
    "cgscop": None,  # Confédération générale des SCOP: not in the v1 list
}

# --- the fields -------------------------------------------------------------------------


def _nullable(schema, description=None):
    return {**schema, "nullable": True, **({"description": description} if description else {})}


STRING = {"type": "string"}
URL = {"type": "string", "format": "uri"}
NUMBER = {"type": "number"}
UNKNOWN = "Toujours null : l'annuaire ne connaît pas cette information."


def _enum(values):
    return {"type": "array", "items": {"type": "string", "enum": sorted({v for v in values if v})}}


ADDRESS_FIELDS = {
    "commune": _nullable(STRING),
    "code_postal": _nullable({"type": "string", "pattern": r"^\d{5}$"}),
    "code_insee": _nullable({"type": "string", "pattern": r"^\w{5}$"}),
    "adresse": _nullable(STRING),
    "complement_adresse": _nullable(STRING),
    "longitude": _nullable(NUMBER),
    "latitude": _nullable(NUMBER),
    "telephone": _nullable(
        {"type": "string", "pattern": r"^\+[1-9]\d{6,14}$"},
        "Au format E.164 (« +33231000000 ») ; publié seulement avec l'accord de l'organisation.",
    ),
    "courriel": _nullable(
        {"type": "string", "format": "email"}, "Publié seulement avec l'accord de l'organisation."
    ),
}
OPENING_HOURS = _nullable(STRING, "Au format OpenStreetMap opening_hours (« Mo-Fr 09:00-17:00 »).")

STRUCTURE_FIELDS = {
    "source": {"type": "string", "enum": [SOURCE]},
    "id": STRING,
    "nom": {"type": "string", "minLength": 3, "maxLength": 150},
    "date_maj": {"type": "string", "format": "date"},
    "description": _nullable({"type": "string", "minLength": 5, "maxLength": 10000}),
    "lien_source": URL,
    "siret": _nullable({"type": "string", "pattern": r"^\d{14}$"}),
    **ADDRESS_FIELDS,
    "site_web": _nullable(URL),
    "horaires_accueil": OPENING_HOURS,
    "accessibilite_lieu": _nullable(URL, UNKNOWN),
    "reseaux_porteurs": _nullable(_enum(NETWORK_RESEAUX_PORTEURS.values())),
}
SERVICE_FIELDS = {
    "source": {"type": "string", "enum": [SOURCE]},
    "structure_id": STRING,
    "id": STRING,
    "nom": {"type": "string", "minLength": 3, "maxLength": 150},
    "description": {"type": "string", "minLength": 5, "maxLength": 10000},
    "lien_source": URL,
    "date_maj": {"type": "string", "format": "date"},
    "type": _nullable(STRING, UNKNOWN),
    "thematiques": _nullable(_enum(SECTOR_THEMATIQUES.values())),
    "frais": _nullable(STRING, UNKNOWN),
    "frais_precisions": _nullable(STRING, UNKNOWN),
    "publics": _nullable(_enum(PUBLICS.values()), "Null quand un des publics n'a pas d'équivalent."),
    "publics_precisions": _nullable(STRING, "Les publics de l'annuaire, en clair."),
    "conditions_acces": _nullable(STRING, UNKNOWN),
    **{name: _nullable(schema, UNKNOWN) for name, schema in ADDRESS_FIELDS.items()},
    "modes_accueil": _nullable({"type": "array", "items": STRING}, UNKNOWN),
    "zone_eligibilite": _nullable(
        {"type": "array", "items": {"type": "string", "pattern": r"^\w{2,5}$"}, "minItems": 1},
        "Codes INSEE des communes et départements ; une région est donnée par ses départements.",
    ),
    "contact_nom_prenom": _nullable(STRING, UNKNOWN),
    "lien_mobilisation": _nullable(URL, UNKNOWN),
    "modes_mobilisation": _nullable({"type": "array", "items": STRING}, UNKNOWN),
    "mobilisable_par": _nullable({"type": "array", "items": STRING}, UNKNOWN),
    "mobilisation_precisions": _nullable(STRING, UNKNOWN),
    "volume_horaire_hebdomadaire": _nullable(NUMBER, UNKNOWN),
    "nombre_semaines": _nullable({"type": "integer"}, UNKNOWN),
    "horaires_accueil": _nullable(STRING, UNKNOWN),
}

# The fields always null (listed on the /donnees/ page).
UNFILLED_STRUCTURE_FIELDS = ["complement_adresse", "accessibilite_lieu"]
UNFILLED_SERVICE_FIELDS = [
    name for name, field in SERVICE_FIELDS.items() if field.get("description") == UNKNOWN
]


def _object_schema(fields, description):
    return {
        "type": "array",
        "items": {
            "type": "object",
            "description": description,
            "properties": fields,
            "required": list(fields),
            "additionalProperties": False,
        },
    }


# --- values -----------------------------------------------------------------------------


def _id(slug):
    """« identifiant producteur » + « -- » + our identifier, as the schema describes."""
    return f"{SOURCE}--{slug}"


def _name(text):
    """3 to 150 characters, not ending with a full stop (« etc. » aside)."""
    text = " ".join(text.split())
    if len(text) > 150:
        text = text[:149].rstrip() + "…"
    if text.endswith(".") and not text.endswith("etc."):
        text = text.rstrip(".").rstrip()
    return text


def _text(*candidates):
    """The first text long enough for a description (5 to 10 000 characters)."""
    for text in candidates:
        text = (text or "").strip()
        if len(text) >= 5:
            return text if len(text) <= 10000 else text[:9999].rstrip() + "…"
    return None


def _http(url):
    return url if url.startswith(("http://", "https://")) else None


def telephone(text):
    """The number in E.164 (« +33231000000 »), or ``None`` unless the text holds exactly
    one number, valid in the French numbering plan (« 02 31 00 00 00 », « +33 2 31… »):
    a number that does not read is left out, never guessed."""
    numbers = [
        match.number
        for match in phonenumbers.PhoneNumberMatcher(text or "", "FR", leniency=phonenumbers.Leniency.VALID)
    ]
    if len(numbers) != 1:
        return None
    return phonenumbers.format_number(numbers[0], phonenumbers.PhoneNumberFormat.E164)


def _coordinate(value):
    return float(value) if value is not None else None


def _today(territory):
    """A historic commune (déléguée, associée) as today's commune."""
    return territory.current if territory.current_id and territory.current_id != territory.pk else territory


def _themes(sector_slugs):
    themes = {SECTOR_THEMATIQUES.get(slug) for slug in sector_slugs} - {None}
    return sorted(themes) or None


def _publics(publics):
    """The v1 publics, or ``None`` when one of ours has no equivalent: « eligible when in
    one of the publics » — leaving one out would exclude the people it names."""
    mapped = [PUBLICS.get(p.slug) for p in publics]
    if not mapped or None in mapped:
        return None
    return sorted(set(mapped))


def departements_of_regions():
    """{region pk: codes of its départements}; a former region (Basse-Normandie) has its
    own (14, 50, 61), not its successor's. One query."""
    result = {}
    for code, region, former in Territory.objects.departements().values_list(
        "code", "parent_id", "former_region_id"
    ):
        for pk in (region, former):
            if pk is not None:
                result.setdefault(pk, set()).add(code)
    return result


def _zone(territories, departements):
    """INSEE codes: communes (a historic one as today's), départements, and a region as
    its départements (the schema has no region code)."""
    codes = set()
    for territory in territories:
        if territory.kind == TerritoryKind.REGION:
            codes |= departements.get(territory.pk, set())
        elif territory.kind == TerritoryKind.DEPARTEMENT:
            codes.add(territory.code)
        else:
            codes.add(_today(territory).code)
    return sorted(codes) or None


# --- opening hours ------------------------------------------------------------------------

_OSM_TIME = r"(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)"
_OSM_DAY = r"(?:Mo|Tu|We|Th|Fr|Sa|Su|PH)"
_OSM_DAYS = rf"{_OSM_DAY}(?:-{_OSM_DAY})?(?:,{_OSM_DAY}(?:-{_OSM_DAY})?)*"
_OSM_SPANS = rf"{_OSM_TIME}-{_OSM_TIME}(?:,{_OSM_TIME}-{_OSM_TIME})*"
_OSM_RULE = rf"(?:24/7|{_OSM_DAYS} (?:{_OSM_SPANS}|off|closed)|{_OSM_SPANS})"
OSM_OPENING_HOURS = re.compile(rf"{_OSM_RULE}(?:; {_OSM_RULE})*")

_FR_DAYS = {"lundi": "Mo", "mardi": "Tu", "mercredi": "We", "jeudi": "Th", "vendredi": "Fr", "samedi": "Sa",
            "dimanche": "Su"}  # fmt: skip
_FR_DAY = r"(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)s?"
_FR_TIME = r"(\d{1,2}) ?(?:h|:) ?(\d{2})?"
_FR_SPAN = re.compile(rf"(?:de )?{_FR_TIME} ?(?:-|à|a) ?{_FR_TIME}")
_FR_RULE = re.compile(
    rf"(?P<days>tous les jours|du {_FR_DAY} au {_FR_DAY}|(?:les? )?{_FR_DAY}(?:(?:, | et ){_FR_DAY})*)"
    rf" ?(?:,|:)? ?(?P<hours>fermée?|(?:de )?{_FR_TIME} ?(?:-|à|a) ?{_FR_TIME}"
    rf"(?:(?: ?, ?| et ){_FR_SPAN.pattern})*)"
)


def _fr_days(text):
    if text == "tous les jours":
        return "Mo-Su"
    names = [_FR_DAYS[name.rstrip("s")] for name in re.findall(_FR_DAY, text)]
    return "-".join(names) if text.startswith("du ") else ",".join(names)


def _fr_hours(text):
    if text.startswith("ferm"):
        return "off"
    spans = []
    for start_h, start_m, end_h, end_m in _FR_SPAN.findall(text):
        times = [(int(start_h), int(start_m or 0)), (int(end_h), int(end_m or 0))]
        if any(hour > 23 and (hour, minute) != (24, 0) or minute > 59 for hour, minute in times):
            return None
        spans.append("-".join(f"{hour:02d}:{minute:02d}" for hour, minute in times))
    return ",".join(spans)


def opening_hours(text):
    """The opening hours in OpenStreetMap's syntax, or ``None`` when the text does not
    read, entirely, as opening hours (never a guess)."""
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    text = "\n".join(line for line in lines if line)
    if not text:
        return None
    if OSM_OPENING_HOURS.fullmatch(text):
        return text
    normal = re.sub(r"[–—]", "-", text.lower()).rstrip(".")
    rules = []
    for part in re.split(r" ?[;\n] ?|\. ", normal):
        match = _FR_RULE.fullmatch(part.strip())
        hours = match and _fr_hours(match["hours"])
        if not hours:
            return None
        rules.append(f"{_fr_days(match['days'])} {hours}")
    result = "; ".join(rules)
    return result if OSM_OPENING_HOURS.fullmatch(result) else None


# --- records ----------------------------------------------------------------------------


def structure_record(actor, request):
    commune = _today(actor.commune) if actor.commune_id else None
    network = NETWORK_RESEAUX_PORTEURS.get(actor.parent.slug) if actor.parent_id else None
    return {
        "source": SOURCE,
        "id": _id(actor.slug),
        "nom": _name(actor.name),
        "date_maj": actor.updated_at.date().isoformat(),
        "description": _text(actor.description, actor.summary),
        "lien_source": absolute_url(actor.get_absolute_url()),
        "siret": actor.siret or None,
        "commune": commune.name if commune else None,
        "code_postal": actor.postcode or None,
        "code_insee": commune.code if commune else None,
        "adresse": actor.street_address or None,
        "complement_adresse": None,  # our address is one line (street and complement)
        "longitude": _coordinate(actor.longitude),
        "latitude": _coordinate(actor.latitude),
        "telephone": telephone(actor.public_phone),
        "courriel": actor.public_email or None,
        "site_web": _http(actor.website),
        "horaires_accueil": opening_hours(actor.opening_hours),
        "accessibilite_lieu": None,
        "reseaux_porteurs": [network] if network else None,
    }


def service_record(action, request, departements):
    """An action as a service; its thématiques, publics and zone are its coverage."""
    programme = action.programme
    publics = list(action.effective_publics.all())
    known = {
        "source": SOURCE,
        "structure_id": _id(programme.actor.slug),
        "id": _id(action.slug),
        "nom": _name(action.title),
        # Its own words, else the source's passage about it, else its programme's; the
        # schema requires one: at worst, what the directory says it is.
        "description": _text(action.description, action.source_text, programme.description, programme.summary)
        or f"{action.title} ({programme.title}, {programme.actor.name})",
        "lien_source": absolute_url(action.get_absolute_url()),
        "date_maj": action.updated_at.date().isoformat(),
        "thematiques": _themes(s.slug for s in action.effective_sectors.all()),
        "publics": _publics(publics),
        "publics_precisions": " ; ".join(p.name for p in publics) or None,
        "zone_eligibilite": _zone(action.effective_territories.all(), departements),
    }
    return {name: known.get(name) for name in SERVICE_FIELDS}  # the others: UNFILLED_SERVICE_FIELDS


# --- views ------------------------------------------------------------------------------

SEARCH = DOCUMENT_FIELDS


def _page_of(schema, description):
    """An item of the list: drf-spectacular makes it the page every list of the API
    answers (``count``, ``next``, ``previous``, ``results``: ``DirectoryPagination``)."""
    return _object_schema(schema, description)["items"]


class DataInclusionViewSet(ReadOnlyDirectoryViewSet):
    """A data·inclusion export: paged as every list of the API (``page``, ``page_size`` up
    to 100, 400 for an unknown parameter, 404 past the last page), no filter."""

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.records(page))


class StructureViewSet(DataInclusionViewSet):
    @extend_schema(
        operation_id="data_inclusion_structures",
        tags=["data-inclusion"],
        responses={200: OpenApiResponse(_page_of(STRUCTURE_FIELDS, "Structure (data·inclusion v1)"))},
    )
    def list(self, request, *args, **kwargs):
        """Les acteurs publiés, au format « structure » du schéma data·inclusion v1, par
        pages (``page``, ``page_size`` jusqu'à 100)."""
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Organisation.objects.actors().published().real().order_by(*french("name"), "pk")
            .select_related("parent", "commune__current")
            .defer(*(f"{related}{name}" for related in ("", "parent__", "commune__", "commune__current__")
                     for name in SEARCH))
        )  # fmt: skip

    def records(self, actors):
        return [structure_record(a, self.request) for a in actors]


class ServiceViewSet(DataInclusionViewSet):
    @extend_schema(
        operation_id="data_inclusion_services",
        tags=["data-inclusion"],
        responses={200: OpenApiResponse(_page_of(SERVICE_FIELDS, "Service (data·inclusion v1)"))},
    )
    def list(self, request, *args, **kwargs):
        """Les actions publiées, au format « service » du schéma data·inclusion v1, par
        pages (``page``, ``page_size`` jusqu'à 100) ; leur structure est leur acteur."""
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        programmes = Programme.objects.select_related("actor").defer(*LIST_DEFERRED, *ACTOR_DEFERRED)
        return (
            Action.objects.published().real().defer(*LIST_DEFERRED)
            .prefetch_related(Prefetch("programme", queryset=programmes)).with_coverage()
            .order_by("programme__actor__name", "programme__title", "order", "pk")
        )  # fmt: skip

    def records(self, actions):
        departements = departements_of_regions()
        return [service_record(a, self.request, departements) for a in actions]


structures = StructureViewSet.as_view({"get": "list"})
services = ServiceViewSet.as_view({"get": "list"})
