"""When two organisations are probably one: the rule, in one place.

- **The same SIRET** (one establishment): an error — the database refuses it
  (``organisation_unique_siret``) and the form says so.
- **The same SIREN or RNA** (one legal body, several establishments are possible): a
  warning.
- **A very similar name in the same commune, or in the same département**: a warning,
  with the similarity score. An organisation without a commune (a regional union, a
  departmental federation) is compared within the départements its territories reach —
  a region-wide one across the region (``reason_for``). Similarity is ``pg_trgm``'s: the share of three-letter
  groups the two names have in common (``similarity()``, found through the trigram index
  ``organisation_name_trgm``).

Two bodies that staff linked by a succession (``Succession``: one renamed, merged into or
replaced by the other, actors/successors.py) are two bodies, never a duplicate, whatever
their names (« Conseil régional de Basse-Normandie » → « Conseil régional de Normandie »).

The admin form (on save), the imports (on every row) and the list of likely duplicates
(``imports``) all call ``likely_duplicates``.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection, transaction
from django.db.models import Q

from territories.models import COMMUNE_KINDS, Territory, TerritoryKind

from .models import Organisation, Succession

# pg_trgm's default threshold is 0.3; names of one organisation typed twice score above
# 0.6 (« URSCOP » / « Urscop Ouest » / « Union régionale des SCOP » are caught by the
# identifiers or the acronym, not by the name).
SIMILAR_IN_COMMUNE = 0.6
SIMILAR_IN_DEPARTEMENT = 0.8
SIMILAR_WITHOUT_COMMUNE = 0.75
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
    reason: str  # a key of REASONS
    score: float  # 1.0 for an identifier

    REASONS = {
        "siret": "même SIRET",
        "siren": "même SIREN",
        "rna": "même numéro RNA",
        "name_commune": "nom très proche, même commune",
        "name_departement": "nom très proche, même département",
        "name_region": "nom très proche, même région",
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


def successions_between(pks):
    """{(a, b)} of the organisations among ``pks`` a succession links, both ways."""
    links = Succession.objects.filter(Q(predecessor__in=pks) | Q(successor__in=pks)).values_list(
        "predecessor_id", "successor_id"
    )
    return {pair for a, b in links for pair in ((a, b), (b, a))}


def likely_duplicates(organisation):
    """The other organisations this one probably duplicates, best first (at most
    ``MAX_CANDIDATES``); merged organisations, and those a succession links to this one,
    are never candidates."""
    others = Organisation.objects.filter(merged_into__isnull=True).select_related("commune")
    if organisation.pk:
        others = others.exclude(pk=organisation.pk).exclude(
            pk__in=[b for a, b in successions_between([organisation.pk]) if a == organisation.pk]
        )
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
    order = list(Duplicate.REASONS)
    return sorted(found.values(), key=lambda d: (order.index(d.reason), -d.score, d.organisation.pk))[:MAX_CANDIDATES]


def similar_names(organisation, others):
    """[(organisation, score, reason)] of names very close to this one's where it is: in
    its commune (``SIMILAR_IN_COMMUNE``) or its département (``SIMILAR_IN_DEPARTEMENT``);
    for an organisation without a commune, in the départements its territories reach, a
    region-wide one across the region (``SIMILAR_WITHOUT_COMMUNE``, see ``reason_for``)."""
    if not organisation.name:
        return []
    places = places_of(organisation)
    if not places and not organisation.commune_id:
        return []
    near = Q(commune__parent_id__in=list(places), commune__kind__in=COMMUNE_KINDS) | Q(
        commune__isnull=True, pk__in=_covering(list(places))
    )
    if organisation.commune_id:
        near |= Q(commune_id=organisation.commune_id)
    nearby = others.filter(near).order_by()
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
    covered = _places_without_commune(organisation_ids=[o.pk for o, _ in scored if not o.commune_id])
    found = []
    for other, score in scored:
        other_places = _located(other) if other.commune_id else covered.get(other.pk, {})
        reason = reason_for(organisation.commune_id, places, other.commune_id, other_places, score)
        if reason:
            found.append((other, score, reason))
    return sorted(found, key=lambda item: (-item[1], item[0].pk))[:MAX_CANDIDATES]


def _located(organisation):
    departement = departement_of(organisation.commune)
    return {departement: False} if departement is not None else {}


def places_of(organisation):
    """Where an organisation is compared: {département id: through a region} — its
    commune's département; without a commune, the départements its territories reach
    (a commune's, a département itself, every département of a region), marked True
    when a region it covers reaches it."""
    if organisation.commune_id:
        return _located(organisation)
    if not organisation.pk:
        return {}
    return _places_without_commune(organisation_ids=[organisation.pk]).get(organisation.pk, {})


def reason_for(commune, places, other_commune, other_places, score):
    """Why two organisations whose names score ``score`` are a likely duplicate, or None.

    - The same commune: ``SIMILAR_IN_COMMUNE``.
    - Both with a commune, the same département: ``SIMILAR_IN_DEPARTEMENT``.
    - One or both without a commune, a département in common (its commune's, or one its
      territories reach): ``SIMILAR_WITHOUT_COMMUNE`` — « même région » when a region
      one of them covers is what they share, else « même département ». Such names say
      where in words that one of two spellings often leaves out (the directory's « Union
      Régionale des Associations Familiales » and a file's « … de Normandie » score 0.78);
      and organisations without a commune are few, so the looser bound adds few pairs."""
    if commune and commune == other_commune:
        return "name_commune" if score >= SIMILAR_IN_COMMUNE else None
    shared = places.keys() & other_places.keys()
    if not shared:
        return None
    if commune and other_commune:
        return "name_departement" if score >= SIMILAR_IN_DEPARTEMENT else None
    if score < SIMILAR_WITHOUT_COMMUNE:
        return None
    return "name_region" if any(places[d] or other_places[d] for d in shared) else "name_departement"


def _covering(departements):
    """A subquery: the organisations whose territories reach one of ``departements``."""
    reaching = Territory.reach.through.objects.filter(to_territory__in=departements)
    return Organisation.territories.through.objects.filter(
        territory_id__in=reaching.values("from_territory_id")
    ).values("organisation_id")


def _places_without_commune(organisation_ids=None, departements=None):
    """``places_of`` of the organisations without a commune (not merged) among
    ``organisation_ids``, or of all those whose territories reach one of ``departements``
    (then only those départements): {pk: {département id: through a region}}, in two
    queries."""
    links = Organisation.territories.through.objects.filter(
        organisation__commune__isnull=True, organisation__merged_into__isnull=True
    )
    reach = Territory.reach.through.objects.filter(to_territory__kind=TerritoryKind.DEPARTEMENT)
    if organisation_ids is not None:
        if not organisation_ids:
            return {}
        links = links.filter(organisation_id__in=organisation_ids)
    if departements is not None:
        reach = reach.filter(to_territory__in=list(departements))
        links = links.filter(territory_id__in=reach.values("from_territory_id"))
    links = list(links.order_by().values_list("organisation_id", "territory_id", "territory__kind"))
    reached = {}
    rows = reach.filter(from_territory__in={t for _, t, _ in links}).order_by()
    for territory, departement in rows.values_list("from_territory_id", "to_territory_id"):
        reached.setdefault(territory, set()).add(departement)
    result = {}
    for pk, territory, kind in links:
        places = result.setdefault(pk, {})
        for departement in reached.get(territory, ()):
            places[departement] = places.get(departement, False) or kind == TerritoryKind.REGION
    return result


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
    for pk, other_pk, score, reason in _similar_names_many([o for o in organisations if o.name]):
        if other_pk not in found[pk]:
            scored[(pk, other_pk)] = (reason, score)
    others = Organisation.objects.select_related("commune").in_bulk({o for _, o in scored}) if scored else {}
    for (pk, other_pk), (reason, score) in scored.items():
        found[pk][other_pk] = Duplicate(others[other_pk], reason, score)

    for pk, other_pk in successions_between(list(found)):
        found.get(pk, {}).pop(other_pk, None)
    order = list(Duplicate.REASONS)
    return {
        pk: sorted(items.values(), key=lambda d: (order.index(d.reason), -d.score, d.organisation.pk))[:MAX_CANDIDATES]
        for pk, items in found.items()
    }


def _similar_names_many(organisations):
    """[(pk, other pk, score, reason)] for the close names between these organisations and
    the others of where they are (``reason_for``): the organisations of their communes and
    départements, and those without a commune whose territories reach these départements.

    One trigram-index probe per organisation costs milliseconds on a big table (the
    posting lists of the trigrams of « association » hold a good share of all names): for
    a file of thousands of rows the same pg_trgm similarity is computed here, in Python,
    over names read in two queries. In a commune every pair is compared; in a département
    only names that share a rare trigram (*prefix filtering*: two sets whose Jaccard index
    reaches t share at least one of the |A| − ⌈t·|A|⌉ + 1 rarest trigrams of each; t is
    the pair's bound: ``SIMILAR_IN_DEPARTEMENT`` between two names with a commune,
    ``SIMILAR_WITHOUT_COMMUNE`` when one has none)."""
    import math

    without_commune = _places_without_commune(organisation_ids=[o.pk for o in organisations if not o.commune_id])
    departements = {departement_of(o.commune) for o in organisations if o.commune_id} - {None}
    departements |= {d for places in without_commune.values() for d in places}
    if not departements:
        return []
    located = (
        Organisation.objects.filter(
            commune__parent_id__in=departements, commune__kind__in=COMMUNE_KINDS, merged_into__isnull=True
        )
        .order_by()
        .values_list("pk", "name", "commune_id", "commune__parent_id")
    )
    covered = _places_without_commune(departements=departements)
    unlocated = Organisation.objects.filter(pk__in=list(covered)).order_by().values_list("pk", "name")
    names, by_commune, frequency = {}, {}, {}
    for pk, name, commune_id, departement in located:
        names[pk] = (trigrams(name), commune_id, departement, {departement: False})
        by_commune.setdefault(commune_id, []).append(pk)
    for pk, name in unlocated:
        names[pk] = (trigrams(name), None, None, covered[pk])
    for grams, *_ in names.values():
        for gram in grams:
            frequency[gram] = frequency.get(gram, 0) + 1

    def prefix(grams, t):
        ordered = sorted(grams, key=lambda g: (frequency.get(g, 0), g))
        return ordered[: len(grams) - math.ceil(t * len(grams)) + 1]

    def index(pks, t):
        found = {}
        for pk in pks:
            for gram in prefix(names[pk][0], t):
                found.setdefault(gram, []).append(pk)
        return found

    # Two names with a commune each are compared at SIMILAR_IN_DEPARTEMENT, a name without
    # one at the lower SIMILAR_WITHOUT_COMMUNE: each probe uses the prefixes of its bound.
    loose = SIMILAR_WITHOUT_COMMUNE
    strict_index = index(names, SIMILAR_IN_DEPARTEMENT)
    unlocated_index = index([pk for pk in covered if pk in names], loose)
    loose_index = index(names, loose) if any(not o.commune_id for o in organisations) else {}

    pairs = []
    for organisation in organisations:
        if organisation.pk not in names:
            continue
        grams, commune_id, departement, places = names[organisation.pk]
        if not grams:
            continue
        size = len(grams)
        if commune_id:
            candidates = {pk for gram in prefix(grams, SIMILAR_IN_DEPARTEMENT) for pk in strict_index.get(gram, ())}
            candidates.update(pk for gram in prefix(grams, loose) for pk in unlocated_index.get(gram, ()))
            candidates.update(by_commune.get(commune_id, ()))
        else:
            candidates = {pk for gram in prefix(grams, loose) for pk in loose_index.get(gram, ())}
        candidates.discard(organisation.pk)
        for other in candidates:
            other_grams, other_commune, other_departement, other_places = names[other]
            if commune_id and commune_id == other_commune:
                bound = SIMILAR_IN_COMMUNE
            elif commune_id and other_commune:
                if departement != other_departement:
                    continue
                bound = SIMILAR_IN_DEPARTEMENT
            else:
                bound = loose
            other_size = len(other_grams)
            if not bound * size <= other_size <= size / bound:
                continue
            if bound == loose and places.keys().isdisjoint(other_places):
                continue
            common = len(grams & other_grams)
            score = common / (size + other_size - common)
            reason = reason_for(commune_id, places, other_commune, other_places, score) if score >= bound else None
            if reason:
                pairs.append((organisation.pk, other, score, reason))
    return pairs
