"""What a person or a file types to name a territory, read in one place: « Votre commune »
on the lists and ``?commune=`` of the API (``actors/filters.py``), the communes of a
postcode the list offers beside a code (``actors/views.py``), the territory and commune
columns of an imported spreadsheet (``imports/widgets.py``, ``imports/resources.py``).

What is read, in this order:

- **an INSEE code**: five characters, digits or 2A/2B for Corsica (a file may also give
  a département's or a region's code). It gives today's commune of that code; else, for
  a file, the département or region of that code; else the commune a historic commune
  (déléguée or associée) of that code belongs to today. A five-digit number is a code
  first — the API's contract, ``?commune=<code INSEE>`` — and a postcode only when no
  commune has that code;
- **a postcode**: the communes it serves (a historic commune's gives today's);
- **a name**, whatever its accents, case, hyphens and apostrophes (« saint pierre en
  auge », « ECOUCHE ») : the communes of that name (for a file: the territories), a
  historic commune giving today's.

A file may also name a territory as exports write it, « Nom (clé) », or by its key.

Several territories for one text: the same French message everywhere
(``ambiguous_message``), which lists them with their INSEE code, the way out.

**People** (the search box, « Votre commune ») are read by ``Resolver.read``, which
differs on purpose: five digits are a **postcode first** (almost nobody knows an INSEE
code), and a postcode serves all its communes at once, largest first; names are read
with « St »/« Ste » for Saint/Sainte and without leading articles (« mont st michel »),
a name that starts several communes' (« Saint-Pierre ») lists them, and a typo gets
« Vouliez-vous dire … ? »; a département's name or code reads as the département.
Machines (the API's ``?commune=``, imports) keep the INSEE code exact.

A ``Resolver`` asks the database, a few small queries per text (a list page, an API
call); ``Resolver.for_file()`` reads every territory once into memory (``Index``), so
that a file of 10,000 rows makes no query per cell. The rules are the same.
"""

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from common.collation import french, french_key
from common.search import DOCUMENT_FIELDS, fold

from .models import COMMUNE_KINDS, HISTORIC_COMMUNE_KINDS, Territory, TerritoryKind
from .region import DEPARTEMENTS

MAX_LISTED = 8
# « Caen (14118) », as exports write a territory: its name and its key.
KEYED = re.compile(r"^(?P<name>.*?)\s*\((?P<key>[\w-]+)\)$")

UNKNOWN_COMMUNE = (
    "Commune introuvable : indiquez son nom, son code postal ou son code INSEE "
    "(par exemple « Caen », « 14000 » ou « 14118 »)."
)


class Unresolved(ValueError):
    """``text`` names no territory, or several (``candidates``): ``message`` says it in
    French, for a form or a file's report."""

    def __init__(self, message, candidates=()):
        super().__init__(message)
        self.message = message
        self.candidates = list(candidates)

    @property
    def code(self):
        return "ambiguous" if self.candidates else "unknown"


def strip_accents(text):
    """« Éterville » → « Eterville », as PostgreSQL's ``unaccent`` reads it."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def looks_like_code(text):
    """Five characters an INSEE commune code may be: digits, or 2A/2B and three more."""
    return len(text) == 5 and text.isalnum() and (text.isdigit() or text[:2].upper() in ("2A", "2B"))


def today(territory):
    """A historic commune (déléguée, associée) as today's commune; anything else as is."""
    if territory.kind in COMMUNE_KINDS and territory.current_id and territory.current_id != territory.pk:
        return territory.current
    return territory


def label(territory):
    """« Bavent (commune 14046, Calvados) », « Orne (département 61) »: what tells
    candidates apart, their INSEE code included."""
    where = f", {territory.parent.name}" if territory.kind in COMMUNE_KINDS and territory.parent_id else ""
    return f"{territory.name} ({territory.get_kind_display().lower()} {territory.code}{where})"


def ambiguous_message(text, candidates):
    """The one message for a text that names several territories (``candidates``: today's
    communes, or any territories for a file)."""
    noun = "communes" if all(c.kind in COMMUNE_KINDS for c in candidates) else "territoires"
    listed = ", ".join(label(c) for c in candidates[:MAX_LISTED])
    more = ", …" if len(candidates) > MAX_LISTED else ""
    return (
        f"Plusieurs {noun} correspondent à « {text} » : {listed}{more}. "
        "Indiquez le code INSEE voulu (entre parenthèses)."
    )


class _Database:
    """Territories from the database, a few small queries per text."""

    related = ("current__parent", "parent")

    def with_key(self, key):
        return Territory.objects.select_related(*self.related).defer(*DOCUMENT_FIELDS).filter(key=key).first()

    def with_code(self, code):
        return list(Territory.objects.select_related(*self.related).defer(*DOCUMENT_FIELDS).filter(code=code))

    def with_postcode(self, postcode):
        return Territory.objects.filter(kind__in=COMMUNE_KINDS, postcodes__contains=postcode).only(
            "pk", "kind", "current_id"
        )

    def named(self, folded, communes_only):
        candidates = Territory.objects.filter(name__unaccent__istartswith=folded[:1])
        if communes_only:
            candidates = candidates.filter(kind__in=COMMUNE_KINDS)
        candidates = candidates.only("pk", "name", "kind", "current_id")
        return [territory for territory in candidates if fold(territory.name) == folded]

    def today(self, territories):
        """Today's territories of ``territories``, each once, in French order (with their
        département)."""
        ids = {
            t.current_id if t.kind in COMMUNE_KINDS and t.current_id else t.pk for t in territories
        }
        if not ids:
            return []
        return list(
            Territory.objects.filter(pk__in=ids).select_related("parent").defer(*DOCUMENT_FIELDS)
            .order_by(*french("name"), "code")
        )  # fmt: skip


class Index:
    """Every territory in memory, by key, INSEE code, name (folded) and postcode: what
    ``Resolver.for_file`` reads."""

    def __init__(self, territories):
        self.by_key, self.by_code, self.by_name, self.by_postcode = {}, {}, {}, {}
        for territory in territories:
            self.by_key[territory.key] = territory
            self.by_code.setdefault(territory.code, []).append(territory)
            self.by_name.setdefault(fold(territory.name), []).append(territory)
            if territory.kind in COMMUNE_KINDS:
                for postcode in territory.postcodes.split():
                    self.by_postcode.setdefault(postcode, []).append(territory)

    @classmethod
    def load(cls):
        deferred = [f"{path}{name}" for path in ("", "current__", "parent__", "current__parent__")
                    for name in DOCUMENT_FIELDS]  # fmt: skip
        return cls(Territory.objects.select_related("current__parent", "parent").defer(*deferred))

    def with_key(self, key):
        return self.by_key.get(key)

    def with_code(self, code):
        return self.by_code.get(code, [])

    def with_postcode(self, postcode):
        return self.by_postcode.get(postcode, [])

    def named(self, folded, communes_only):
        found = self.by_name.get(folded, [])
        return [t for t in found if t.kind in COMMUNE_KINDS] if communes_only else found

    def today(self, territories):
        found = {t.pk: t for t in map(today, territories)}
        return sorted(found.values(), key=lambda t: (french_key(t.name), t.code))


class Resolver:
    """Reads what a person or a file types (see this module). ``Resolver()`` asks the
    database; ``Resolver.for_file()`` reads every territory once, for many texts."""

    def __init__(self, index=None):
        self.source = index if index is not None else _Database()

    @classmethod
    def for_file(cls):
        return cls(Index.load())

    # --- communes: what a person types (« Votre commune », ``?commune=``)

    def communes(self, text):
        """Today's communes ``text`` names: an INSEE code, else a postcode; or a name.
        Empty when none; several when the text is ambiguous."""
        text = (text or "").strip()
        if looks_like_code(text):
            commune = self._of_code(text.upper(), communes_only=True)
            return [commune] if commune is not None else self.postcode_communes(text)
        return self._named(text, communes_only=True)

    def suggestions(self, text, limit=10):
        """Communes for an autocomplete, today's first: those whose name (accents and case
        aside) starts with ``text``, or whose INSEE code or one of whose postcodes does."""
        text = (text or "").strip()
        if len(text) < 2:
            return []
        if text.isdigit():
            where = Q(code__startswith=text) | Q(postcodes__regex=rf"(^| ){text}")
        else:
            where = Q(name__unaccent__istartswith=strip_accents(text))
        return list(
            Territory.objects.filter(where, kind__in=COMMUNE_KINDS)
            .select_related("current", "parent").defer(*DOCUMENT_FIELDS)
            .order_by("-is_current", *french("name"))[:limit]
        )  # fmt: skip

    def commune(self, text):
        """The one commune of today ``text`` names; ``Unresolved`` when none or several."""
        communes = self.communes(text)
        if not communes:
            raise Unresolved(UNKNOWN_COMMUNE)
        if len(communes) > 1:
            raise Unresolved(ambiguous_message(text.strip(), communes), communes)
        return communes[0]

    def postcode_communes(self, postcode):
        """Today's communes served by ``postcode`` (a historic commune's gives today's)."""
        postcode = (postcode or "").strip()
        if not (len(postcode) == 5 and postcode.isdigit()):
            return []
        return self.source.today(self.source.with_postcode(postcode))

    # --- any territory: what a file's cell says

    def territory(self, text):
        """The territory a cell names: « Nom (clé) » as exported, a key, an INSEE code (a
        commune's, a département's, a region's), a postcode or a name; a historic commune
        gives today's. ``Unresolved`` when none or several."""
        text = (text or "").strip()
        keyed = KEYED.match(text)
        for key in (keyed.group("key") if keyed else None, text):
            found = self.source.with_key(key) if key else None
            if found is not None:
                return found
        code = text.upper()
        if text.isdigit() or self.source.with_code(code):
            found = self._of_code(code, communes_only=False)
            if found is not None:
                return found
            served = self.postcode_communes(text)
            if len(served) == 1:
                return served[0]
            if served:
                raise Unresolved(ambiguous_message(text, served), served)
            raise Unresolved(f"Territoire inconnu : « {text} » (ni code INSEE, ni code postal connu).")
        named = self._named(text, communes_only=False)
        if len(named) == 1:
            return named[0]
        if named:
            raise Unresolved(ambiguous_message(text, named), named)
        raise Unresolved(f"Territoire inconnu : « {text} ». Indiquez son nom, son code INSEE ou son code postal.")

    # --- the rules

    def _of_code(self, code, communes_only):
        """The territory of an INSEE code: today's commune of that code; else (not only
        communes) the département or the region; else what a historic commune of that
        code is today. None when no territory has that code."""
        found = self.source.with_code(code)
        kinds = [TerritoryKind.COMMUNE] if communes_only else [
            TerritoryKind.COMMUNE, TerritoryKind.DEPARTEMENT, TerritoryKind.REGION
        ]  # fmt: skip
        for kind in kinds:
            for territory in found:
                if territory.kind == kind and territory.is_current and not territory.current_id:
                    return territory
        for territory in found:
            if territory.kind in HISTORIC_COMMUNE_KINDS and territory.current_id:
                return territory.current
        return None

    def _named(self, text, communes_only):
        folded = fold(text)
        if not folded:
            return []
        return self.source.today(self.source.named(folded, communes_only))


# --- what a person types: the search box and « Votre commune » (``Resolver.read``)

ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
ARTICLES = {"le", "la", "les", "l"}
MAX_CHOICES = 30  # communes offered for a name many share (« Saint-Pierre »)


def name_key(text):
    """How a person's spelling of a place is compared: folded (``fold``: case, accents,
    hyphens, apostrophes), « St »/« Ste » as Saint/Sainte, without a leading article:
    « St-Lô » and « saint lo » → « saint lo »; « Le Mont-Saint-Michel » and « mont st
    michel » → « mont saint michel »."""
    words = [ABBREVIATIONS.get(word, word) for word in fold(text).split()]
    while len(words) > 1 and words[0] in ARTICLES:
        words = words[1:]
    return " ".join(words)


def largest_first(communes):
    return sorted(communes, key=lambda t: (-(t.population or 0), french_key(t.name), t.code))


@dataclass
class Reading:
    """How a person's text was read (``Resolver.read``):

    - ``kind``: ``postcode``, ``code`` (INSEE), ``commune`` (a name), ``departement``,
      ``ambiguous`` (a name several communes share: ``choices``) or ``unknown``
      (``choices``: what the person may have meant);
    - ``communes``: today's communes it names (a postcode: all it serves, largest first);
    - ``departement``: the département it names;
    - ``other``: the other reading of five digits (the INSEE code of a commune a postcode
      is not), offered in one click."""

    text: str
    kind: str
    communes: list = field(default_factory=list)
    departement: Territory | None = None
    choices: list = field(default_factory=list)
    other: "Reading | None" = None

    @property
    def found(self):
        return bool(self.communes or self.departement)

    @property
    def territories(self):
        """What the lists filter on: the communes, or the département."""
        return self.communes or ([self.departement] if self.departement else [])

    @property
    def place(self):
        """The one territory a page centres on and measures distances from: the commune
        (the largest of a postcode's), or the département."""
        return self.communes[0] if self.communes else self.departement

    @property
    def label(self):
        """« 14100 — Lisieux et 22 autres communes », « Saint-Lô », « Calvados (14) » (an
        INSEE code: the commune's name; ``read_as`` says it was a code)."""
        if self.kind == "departement":
            return f"{self.departement.name} ({self.departement.code})"
        if self.kind == "postcode":
            first, rest = self.communes[0].name, len(self.communes) - 1
            if not rest:
                return f"{first} ({self.text})"
            return f"{self.text} — {first} et {rest} autre{'s' if rest > 1 else ''} commune{'s' if rest > 1 else ''}"
        return ", ".join(c.name for c in self.communes)

    @property
    def read_as(self):
        """How the text was read, for the sentence « « 14100 » lu comme … »."""
        return {
            "postcode": "le code postal de", "code": "le code INSEE de", "commune": "la commune",
            "departement": "le département",
        }.get(self.kind, "")  # fmt: skip

    def __str__(self):
        return self.label if self.found else self.text

    @property
    def value(self):
        """A text that reads back to this one reading: « Nom (code) » for a commune (what
        the links to the other reading and the choices carry)."""
        if len(self.communes) == 1 and self.kind != "postcode":
            return keyed(self.communes[0])
        return self.text


def keyed(territory):
    """« Saint-Lô (50502) »: a text that names exactly this territory (its name and key)."""
    return f"{territory.name} ({territory.key})"


class Catalogue:
    """Every commune's name key (``name_key``), read once per content version: what names
    are compared with (a few thousand short rows)."""

    _memo = {}

    @classmethod
    def entries(cls):
        from common.cache import content_version

        version = content_version()
        if cls._memo.get("version") != version:
            rows = Territory.objects.filter(kind__in=COMMUNE_KINDS).values_list("pk", "name", "current_id")
            entries = {}
            for pk, name, current in rows:
                entries.setdefault(name_key(name), []).append((pk, current or pk))
            cls._memo = {"version": version, "entries": entries}
        return cls._memo["entries"]

    @classmethod
    def forget(cls):
        cls._memo = {}


def _communes(ids):
    return largest_first(
        Territory.objects.filter(pk__in=ids).select_related("parent").defer(*DOCUMENT_FIELDS)
    )


def read(text, guess=True):
    """How a person's text names a place (see ``Reading`` and this module); ``None``
    when empty. Five digits: a postcode first, else an INSEE code. ``guess``: a text
    that names no commune gets the closest names (« Vouliez-vous dire … ? »)."""
    text = " ".join((text or "").split())[:80]
    if not text:
        return None
    keyed_text = KEYED.match(text)
    if keyed_text:
        territory = Territory.objects.select_related("parent").defer(*DOCUMENT_FIELDS).filter(
            key=keyed_text.group("key"), kind__in=[*COMMUNE_KINDS, TerritoryKind.DEPARTEMENT]
        ).first()
        if territory is not None:
            if territory.kind == TerritoryKind.DEPARTEMENT:
                return Reading(text, "departement", departement=territory)
            return Reading(text, "commune", communes=_communes([today_id(territory)]))
    resolver = Resolver()
    if text.isdigit() and len(text) == 5:
        by_code = resolver._of_code(text, communes_only=True)
        served = largest_first(resolver.postcode_communes(text))
        if served:
            other = None
            if by_code is not None and by_code.pk not in {c.pk for c in served}:
                other = Reading(keyed(by_code), "code", communes=_communes([by_code.pk]))
            return Reading(text, "postcode", communes=served, other=other)
        if by_code is not None:
            return Reading(text, "code", communes=_communes([by_code.pk]))
        return Reading(text, "unknown")
    departement = _departement(text)
    if departement is not None:
        return Reading(text, "departement", departement=departement)
    key = name_key(text)
    if not key:
        return Reading(text, "unknown")
    entries = Catalogue.entries()
    matched = entries.get(key) or [
        pair for name, pairs in entries.items() if name.startswith(key + " ") for pair in pairs
    ]
    if not matched and guess:
        close = difflib.get_close_matches(key, entries.keys(), n=4, cutoff=0.8)
        matched = [found for name in close for found in entries[name]]
        return Reading(text, "unknown", choices=_choices(matched))
    today_ids = {current for _, current in matched}
    if len(today_ids) == 1:
        return Reading(text, "commune", communes=_communes(today_ids))
    if matched:
        return Reading(text, "ambiguous", choices=_choices(matched)[:MAX_CHOICES])
    return Reading(text, "unknown")


def _choices(matched):
    """The communes a person may mean, as named: a historic one too (« Saint-Pierre-sur-Dives
    (commune déléguée, aujourd'hui Saint-Pierre-en-Auge) »), the name its people know."""
    shown = {pk for pk, _ in matched}
    territories = Territory.objects.filter(pk__in=shown).select_related("current", "parent").defer(
        *DOCUMENT_FIELDS, "current__search_vector"
    )
    return largest_first(territories)


def today_id(territory):
    return territory.current_id if territory.kind in COMMUNE_KINDS and territory.current_id else territory.pk


def _departement(text):
    """The directory's département ``text`` names: its code (« 14 ») or its name, with or
    without its article (« la Manche »)."""
    key = name_key(text)
    code = next((code for code, name in DEPARTEMENTS if text == code or name_key(name) == key), None)
    return Territory.objects.departements([code]).defer(*DOCUMENT_FIELDS).first() if code else None
