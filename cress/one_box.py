"""The one search box (home page, header, /recherche/): what a person typed, read once.

- a **SIREN, SIRET or RNA** (spaces allowed): the organisation that has it;
- a **place**, alone or with words (« 14100 », « St-Lô », « crèche Caen »,
  « insertion dans la Manche »): read by ``territories.resolver.read`` (a postcode
  first, names as people type them, a département); the page is what works there, in
  the commune first (the actors' list near that place), with the words as keywords;
- else **words**: the search page's results.

``?lecture=mots`` is the other reading, one click away from the list: the same text
read as words only. A typo of a place (« Sant-Lo ») keeps the words' results and offers
« Vouliez-vous dire … ? »."""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse

from actors.models import Organisation
from territories.resolver import read

IDENTIFIER = re.compile(r"^(?:\d{9}|\d{14}|W\d{9})$", re.IGNORECASE)
MAX_PLACE_WORDS = 6


@dataclass
class Understanding:
    """``url``: where the box leads (an organisation, the list near a place), or empty for
    the words' results; ``choices``: communes the person may have meant (a typo)."""

    url: str = ""
    choices: list = field(default_factory=list)
    identifier: str = ""


def identifier_of(query):
    """The SIREN, SIRET or RNA ``query`` is (spaces and dots aside), or ''."""
    compact = re.sub(r"[\s.]", "", query).upper()
    return compact if IDENTIFIER.match(compact) else ""


def organisation_with(identifier):
    lookup = {9: "siren", 14: "siret"}.get(len(identifier), "rna")
    found = list(Organisation.objects.published().filter(**{lookup: identifier}).only("slug", "kind")[:2])
    if len(found) == 1:
        return found[0]
    if not found and lookup == "siret":  # an establishment's SIRET: its SIREN's organisation
        found = list(Organisation.objects.published().filter(siren=identifier[:9]).only("slug", "kind")[:2])
    return found[0] if len(found) == 1 else None


def place_and_words(query):
    """(the place's text, the other words) when the query names a place — the whole
    query, or its last or first words —, else None. A part reads as a place only when
    it names one for sure (not a typo, not a name several communes start with)."""
    whole = read(query, guess=False)
    if whole is not None and (whole.found or whole.kind == "ambiguous"):
        return query, ""
    words = query.split()
    for size in range(min(len(words) - 1, MAX_PLACE_WORDS), 0, -1):
        for place, rest in ((words[-size:], words[:-size]), (words[:size], words[size:])):
            text = " ".join(place)
            if len(text) < 2:
                continue
            reading = read(_without_preposition(text), guess=False)
            if reading is not None and reading.found:
                return _without_preposition(text), " ".join(_trailing_preposition(rest))
    return None


PREPOSITIONS = ("à", "a", "au", "aux", "en", "dans", "sur", "pres de", "près de", "vers")


def _without_preposition(text):
    lowered = text.lower()
    for word in sorted(PREPOSITIONS, key=len, reverse=True):
        if lowered.startswith(word + " "):
            return text[len(word) + 1:].strip()
    return text


def _trailing_preposition(words):
    """« crèche à » → « crèche »: a preposition left before the place is not a keyword."""
    while words and words[-1].lower() in PREPOSITIONS:
        words = words[:-1]
    return words


def understand(query, words_only=False):
    """Where the box's ``query`` leads (``Understanding``)."""
    query = " ".join(query.split())
    if not query:
        return Understanding()
    identifier = identifier_of(query)
    if identifier:
        organisation = organisation_with(identifier)
        return Understanding(url=organisation.get_absolute_url() if organisation else "", identifier=identifier)
    if words_only:
        return Understanding()
    found = place_and_words(query)
    if found is not None:
        place, words = found
        params = {"commune": place, **({"q": words} if words else {})}
        return Understanding(url=reverse("actors:list") + "?" + urlencode(params))
    reading = read(query) if len(query.split()) <= MAX_PLACE_WORDS else None
    choices = reading.choices if reading is not None and reading.kind == "unknown" else []
    return Understanding(choices=choices)
