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

A ``Resolver`` asks the database, a few small queries per text (a list page, an API
call); ``Resolver.for_file()`` reads every territory once into memory (``Index``), so
that a file of 10,000 rows makes no query per cell. The rules are the same.
"""

import re
import unicodedata

from django.db.models import Q

from common.collation import french, french_key
from common.search import DOCUMENT_FIELDS, fold

from .models import COMMUNE_KINDS, HISTORIC_COMMUNE_KINDS, Territory, TerritoryKind

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
