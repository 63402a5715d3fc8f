"""The stored list of likely duplicate pairs, kept from the rule of ``actors/duplicates.py``
by ``follow``, a follower of the unit of work (``common/changes.py``): once per unit, for
every organisation it saved (a form, an import of thousands of rows, a merge); and by the
command ``find_duplicates`` for what was there before. An import reads what was found
(``changes.results``) to warn on its lines."""

from actors.duplicates import likely_duplicates, likely_duplicates_many
from actors.models import Organisation
from common.changes import follower
from common.iterables import batched

from .models import DuplicatePair

# The whole directory is compared by chunks of this many organisations (``refresh_all``).
CHUNK = 5000

NAME = "doublons probables"
# Up to this many organisations, each is compared through the trigram index; beyond, all at
# once in memory (actors/duplicates.py: the same rule, cheaper for a file).
ONE_BY_ONE = 20
# What the rule compares: a save that wrote none of these (a status, a date) finds nothing new;
# the territories place an organisation without a commune.
COMPARED = ("name", "siret", "siren", "rna", "commune", "territories", "merged_into")


def record(organisation, duplicates):
    """Stores the pairs of ``organisation`` with each of ``duplicates`` (new or refreshed;
    a pair staff dismissed stays dismissed)."""
    record_many([(organisation, duplicate) for duplicate in duplicates])


def record_many(pairs):
    """Stores [(organisation, Duplicate)] in one statement (new pairs added, known ones
    refreshed; « pas un doublon » kept)."""
    rows = {}
    for organisation, duplicate in pairs:
        first, second = sorted((organisation.pk, duplicate.organisation.pk))
        rows[(first, second)] = DuplicatePair(
            first_id=first, second_id=second, reason=duplicate.reason, score=duplicate.score
        )
    DuplicatePair.objects.bulk_create(
        list(rows.values()), update_conflicts=True, unique_fields=["first", "second"],
        update_fields=["reason", "score", "found_at"], batch_size=1000,
    )  # fmt: skip


def refresh(organisation):
    if organisation.merged_into_id:
        return []
    found = likely_duplicates(organisation)
    record(organisation, found)
    return found


@follower(NAME, order=20, previews=True)
def follow(changes):
    """Finds and stores the likely duplicates of the organisations the unit saved
    (demonstration data and merged organisations aside): {pk: [Duplicate]} in
    ``changes.results[NAME]``."""
    pks = changes.pks(Organisation)
    if not pks or not changes.wrote_any(Organisation, COMPARED):
        return
    organisations = [
        organisation
        for chunk in batched(sorted(pks), 5000)
        for organisation in Organisation.objects.filter(
            pk__in=chunk, merged_into__isnull=True, is_demo=False
        ).select_related("commune")
    ]
    if len(organisations) <= ONE_BY_ONE:
        found = {o.pk: likely_duplicates(o) for o in organisations}
    else:
        found = likely_duplicates_many(organisations)
    record_many([(o, d) for o in organisations for d in found.get(o.pk, [])])
    changes.results[NAME] = found


def refresh_all(progress, with_demo=False):
    """Compares every organisation (demonstration data aside unless ``with_demo``) by
    chunks of ``CHUNK`` (``likely_duplicates_many``: identifiers in one query, names in
    memory over the names of their areas), each chunk's pairs stored in one statement;
    ``progress`` hears of each chunk. Only adds or refreshes pairs: « pas un doublon »
    stays. Returns (new pairs, open pairs in all)."""
    organisations = Organisation.objects.filter(merged_into__isnull=True)
    if not with_demo:
        organisations = organisations.filter(is_demo=False)
    pks = list(organisations.order_by("pk").values_list("pk", flat=True))
    before = DuplicatePair.objects.count()
    progress.begin("Organisations comparées", total=len(pks))
    for chunk in batched(pks, CHUNK):
        batch = list(Organisation.objects.filter(pk__in=chunk).select_related("commune"))
        found = likely_duplicates_many(batch)
        record_many([(o, d) for o in batch for d in found.get(o.pk, [])])
        progress.advance(len(batch))
    return DuplicatePair.objects.count() - before, DuplicatePair.objects.open().count()
