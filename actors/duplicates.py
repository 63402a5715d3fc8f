"""When two organisations are probably one: the rule, in one place.

- **The same SIRET** (one establishment): an error — the database refuses it
  (``organisation_unique_siret``) and the form says so.
- **The same SIREN or RNA** (one legal body, several establishments are possible): a
  warning.
- **A very similar name in the same commune, or in the same département**: a warning,
  with the similarity score. Similarity is ``pg_trgm``'s: the share of three-letter
  groups the two names have in common (``similarity()``, found through the trigram index
  ``organisation_name_trgm``).

The admin form (on save), the imports (on every row) and the list of likely duplicates
(``imports``) all call ``likely_duplicates``.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Q

from territories.models import COMMUNE_KINDS

from .models import Organisation

# pg_trgm's default threshold is 0.3; names of one organisation typed twice score above
# 0.6 (« URSCOP » / « Urscop Ouest » / « Union régionale des SCOP » are caught by the
# identifiers or the acronym, not by the name).
SIMILAR_IN_COMMUNE = 0.6
SIMILAR_IN_DEPARTEMENT = 0.8
MAX_CANDIDATES = 10

_WORD = re.compile(r"[^\W_]+")


def trigrams(text):
    """pg_trgm's trigrams of ``text`` (each word lower-cased, padded with two spaces before
    and one after, cut in groups of three characters), for the many-at-once comparison of
    an import below; ``tests/imports/test_duplicates_rule.py`` checks the figures against
    ``similarity()``."""
    found = set()
    for word in _WORD.findall((text or "").lower()):
        padded = f"  {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found

@dataclass(frozen=True)
class Duplicate:
    organisation: Organisation
    reason: str  # "siret", "siren", "rna", "name_commune", "name_departement"
    score: float  # 1.0 for an identifier

    REASONS = {
        "siret": "même SIRET",
        "siren": "même SIREN",
        "rna": "même numéro RNA",
        "name_commune": "nom très proche, même commune",
        "name_departement": "nom très proche, même département",
    }

    @property
    def is_error(self):
        return self.reason == "siret"

    @property
    def label(self):
        return self.REASONS[self.reason]

    def message(self):
        other = self.organisation
        where = f" ({other.commune.name})" if other.commune_id and other.commune else ""
        score = f", ressemblance {round(self.score * 100)} %" if self.reason.startswith("name") else ""
        return f"Doublon possible : « {other.name} »{where} — {self.label}{score}."


def departement_of(commune):
    """The département (its id) of a commune — its ``parent``, as everywhere else — or None."""
    return commune.parent_id if commune is not None and commune.kind in COMMUNE_KINDS else None


def likely_duplicates(organisation):
    """The other organisations this one probably duplicates, best first (at most
    ``MAX_CANDIDATES``); merged organisations are never candidates."""
    others = Organisation.objects.filter(merged_into__isnull=True).select_related("commune")
    if organisation.pk:
        others = others.exclude(pk=organisation.pk)
    found = {}

    identifiers = Q()
    for field in ("siret", "siren", "rna"):
        if getattr(organisation, field):
            identifiers |= Q(**{field: getattr(organisation, field)})
    if identifiers:
        for other in others.filter(identifiers).order_by()[:MAX_CANDIDATES]:
            for field in ("siret", "siren", "rna"):
                if getattr(organisation, field) and getattr(other, field) == getattr(organisation, field):
                    found.setdefault(other.pk, Duplicate(other, field, 1.0))
                    break

    for other, score, reason in similar_names(organisation, others):
        found.setdefault(other.pk, Duplicate(other, reason, score))
    order = ["siret", "siren", "rna", "name_commune", "name_departement"]
    return sorted(found.values(), key=lambda d: (order.index(d.reason), -d.score))[:MAX_CANDIDATES]


def similar_names(organisation, others):
    """[(organisation, score, reason)] of names very close to this one's, in its commune
    (``SIMILAR_IN_COMMUNE``) or its département (``SIMILAR_IN_DEPARTEMENT``)."""
    commune = organisation.commune if organisation.commune_id else None
    if commune is None or not organisation.name:
        return []
    departement = departement_of(commune)
    nearby = others.filter(
        Q(commune=commune) | Q(commune__parent_id=departement, commune__kind__in=COMMUNE_KINDS)
    ).order_by()
    # ``%`` (trigram_similar) lets the trigram index find the few close names first.
    with transaction.atomic(), connection.cursor() as cursor:
        # ``%`` keeps only names this close (SET LOCAL lasts to the end of this block).
        cursor.execute("SET LOCAL pg_trgm.similarity_threshold = %s", [SIMILAR_IN_COMMUNE])
        rows = (
            nearby.filter(name__trigram_similar=organisation.name)
            .annotate(score=TrigramSimilarity("name", organisation.name))
            .filter(score__gte=SIMILAR_IN_COMMUNE)
            .order_by("-score")[: MAX_CANDIDATES * 3]
        )
        scored = [(other, other.score) for other in rows]
    found = []
    for other, score in scored:
        if other.commune_id == commune.pk and score >= SIMILAR_IN_COMMUNE:
            found.append((other, score, "name_commune"))
        elif score >= SIMILAR_IN_DEPARTEMENT:
            found.append((other, score, "name_departement"))
    return sorted(found, key=lambda item: -item[1])[:MAX_CANDIDATES]


def likely_duplicates_many(organisations):
    """``likely_duplicates`` for many saved organisations at once (an import): {pk:
    [Duplicate]}. Identifiers in one query; names by ``_similar_names_many``."""
    organisations = [o for o in organisations if o.pk]
    found = {o.pk: {} for o in organisations}
    values = {
        field: {getattr(o, field) for o in organisations if getattr(o, field)}
        for field in ("siret", "siren", "rna")
    }
    wanted = Q()
    for field, items in values.items():
        if items:
            wanted |= Q(**{f"{field}__in": items})
    if wanted:
        others = (
            Organisation.objects.filter(wanted, merged_into__isnull=True).select_related("commune").order_by()
        )
        index = {}
        for other in others:
            for field in ("siret", "siren", "rna"):
                if getattr(other, field):
                    index.setdefault((field, getattr(other, field)), []).append(other)
        for organisation in organisations:
            for field in ("siret", "siren", "rna"):
                for other in (
                    index.get((field, getattr(organisation, field)), [])
                    if getattr(organisation, field)
                    else []
                ):
                    if other.pk != organisation.pk:
                        found[organisation.pk].setdefault(other.pk, Duplicate(other, field, 1.0))

    scored = {}
    for pk, other_pk, score, same_commune in _similar_names_many(
        [o for o in organisations if o.commune_id and o.name]
    ):
        if same_commune and score >= SIMILAR_IN_COMMUNE:
            reason = "name_commune"
        elif score >= SIMILAR_IN_DEPARTEMENT:
            reason = "name_departement"
        else:
            continue
        if other_pk not in found[pk]:
            scored[(pk, other_pk)] = (reason, score)
    others = Organisation.objects.select_related("commune").in_bulk({o for _, o in scored}) if scored else {}
    for (pk, other_pk), (reason, score) in scored.items():
        found[pk][other_pk] = Duplicate(others[other_pk], reason, score)

    order = ["siret", "siren", "rna", "name_commune", "name_departement"]
    return {
        pk: sorted(items.values(), key=lambda d: (order.index(d.reason), -d.score))[:MAX_CANDIDATES]
        for pk, items in found.items()
    }


def _similar_names_many(organisations):
    """[(pk, other pk, score, same commune)] for the close names between these
    organisations and the others of their communes (score ``SIMILAR_IN_COMMUNE`` or more)
    and départements (``SIMILAR_IN_DEPARTEMENT`` or more).

    One trigram-index probe per organisation costs milliseconds on a big table (the
    posting lists of the trigrams of « association » hold a good share of all names): for
    a file of thousands of rows the same pg_trgm similarity is computed here, in Python,
    over names read in one query. In a commune every pair is compared; in a département
    only names that share a rare trigram (*prefix filtering*: two sets whose Jaccard index
    reaches t share at least one of the |A| − ⌈t·|A|⌉ + 1 rarest trigrams of each)."""
    import math

    departements = {departement_of(o.commune) for o in organisations if o.commune is not None} - {None}
    if not departements:
        return []
    rows = (
        Organisation.objects.filter(
            commune__parent_id__in=departements, commune__kind__in=COMMUNE_KINDS, merged_into__isnull=True
        )
        .order_by()
        .values_list("pk", "name", "commune_id", "commune__parent_id")
    )
    names, by_commune, frequency = {}, {}, {}
    for pk, name, commune_id, departement in rows:
        grams = trigrams(name)
        names[pk] = (grams, commune_id, departement)
        by_commune.setdefault(commune_id, []).append(pk)
        for gram in grams:
            frequency[gram] = frequency.get(gram, 0) + 1
    t = SIMILAR_IN_DEPARTEMENT

    def prefix(grams):
        ordered = sorted(grams, key=lambda g: (frequency.get(g, 0), g))
        return ordered[: len(grams) - math.ceil(t * len(grams)) + 1]

    index = {}
    for pk, (grams, _, _) in names.items():
        for gram in prefix(grams):
            index.setdefault(gram, []).append(pk)

    pairs = []
    for organisation in organisations:
        if organisation.pk not in names:
            continue
        grams, commune_id, departement = names[organisation.pk]
        if not grams:
            continue
        size = len(grams)
        in_departement = {pk for gram in prefix(grams) for pk in index.get(gram, ())}
        for other in in_departement.union(by_commune.get(commune_id, ())) - {organisation.pk}:
            other_grams, other_commune, other_departement = names[other]
            same_commune = other_commune == commune_id
            bound = SIMILAR_IN_COMMUNE if same_commune else SIMILAR_IN_DEPARTEMENT
            if other_departement != departement or not bound * size <= len(other_grams) <= size / bound:
                continue
            score = len(grams & other_grams) / len(grams | other_grams)
            if score >= bound:
                pairs.append((organisation.pk, other, score, same_commune))
    return pairs
