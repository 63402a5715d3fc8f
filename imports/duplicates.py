"""The stored list of likely duplicate pairs, kept from the rule of ``actors/duplicates.py``:
on every save of an organisation (signal), on every imported row, and by the command
``find_duplicates`` for what was there before."""

import threading

from django.db.models.signals import post_save
from django.dispatch import receiver

from actors.duplicates import likely_duplicates
from actors.models import Organisation

from .models import DuplicatePair

_state = threading.local()


class recording_paused:
    """Within this block saves do not look for duplicates (an import does it per row)."""

    def __enter__(self):
        self.previous = getattr(_state, "paused", False)
        _state.paused = True

    def __exit__(self, *exc):
        _state.paused = self.previous


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


@receiver(post_save, sender=Organisation, dispatch_uid="imports.record_duplicates")
def record_on_save(sender, instance, raw=False, **kwargs):
    if raw or getattr(_state, "paused", False) or instance.is_demo:
        return
    refresh(instance)
