"""Writing thousands of imported organisations at once (django-import-export's ``use_bulk``
mode), with what a one-by-one save would have done: relations, one history record per
organisation (its relations included, the file's name as reason, the user), derived
values (coverage, search documents: ``actions.coverage.refresh``), the cache version,
and the likely duplicates of each.

A one-by-one save costs about 27 queries per organisation (savepoint, checks, insert,
history, three relations and their history): 10,000 rows took minutes. Here a batch of
1,000 rows costs a few dozen statements.
"""

from django.db import connection
from django.utils import timezone

from actions import coverage
from actors.duplicates import likely_duplicates_many
from actors.models import Organisation
from common.bulk import update_rows
from common.cache import bump

from .duplicates import record_many

M2M = ("territories", "sectors", "publics")


def _history_m2m_models(model):
    historical = model.history.model
    return {
        field.name: next(
            r.related_model
            for r in historical._meta.related_objects
            if r.related_model.__name__ == f"{historical.__name__}_{field.name}"
        )
        for field in historical._history_m2m_fields
    }


def write(objects, created, fields, reason, user=None, check_duplicates=True):
    """Inserts (``created``) or updates ``objects`` (Organisation instances carrying
    ``_import_m2m``: {attribute: [related objects]} for the relation columns of the file);
    ``fields``: the attributes the file sets (updates only)."""
    if not objects:
        return
    now = timezone.now()
    if created:
        Organisation.objects.bulk_create(objects, batch_size=1000)
    else:
        for organisation in objects:
            organisation.updated_at = now
        names = sorted({*fields, "updated_at", "position_source"} - set(M2M))
        update_rows(Organisation, names, [(o.pk, *(getattr(o, Organisation._meta.get_field(n).attname) for n in names))
                                          for o in objects])  # fmt: skip
    pks = [o.pk for o in objects]

    # Relations: the file's value replaces the organisation's (as ``.set()`` would).
    current = {}
    for attribute in M2M:
        relation = Organisation._meta.get_field(attribute)
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        given = [o for o in objects if attribute in getattr(o, "_import_m2m", {})]
        if given and not created:
            through.objects.filter(**{f"{source}_id__in": [o.pk for o in given]}).delete()
        through.objects.bulk_create(
            [through(**{f"{source}_id": o.pk, f"{target}_id": item.pk}) for o in given
             for item in o._import_m2m[attribute]],
            batch_size=5000,
        )  # fmt: skip
        current[attribute] = through.objects.filter(**{f"{source}_id__in": pks}).values_list(
            "pk", f"{source}_id", f"{target}_id"
        )

    # One history record per organisation, with its relations as they now are.
    records = Organisation.history.bulk_history_create(
        objects, update=not created, default_user=user, default_change_reason=reason, default_date=now,
        batch_size=1000,
    )  # fmt: skip
    if connection.features.can_return_rows_from_bulk_insert:
        record_of = {r.id: r.history_id for r in records}
    else:  # SQLite before 3.35 does not return keys: read them back
        record_of = dict(
            Organisation.history.filter(id__in=pks, history_date=now).values_list("id", "history_id")
        )
    for attribute, model in _history_m2m_models(Organisation).items():
        relation = Organisation._meta.get_field(attribute)
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        model.objects.bulk_create(
            [model(**{"id": row_id, f"{source}_id": org_id, f"{target}_id": target_id,
                      "history_id": record_of[org_id]})
             for row_id, org_id, target_id in current[attribute]],
            batch_size=5000,
        )  # fmt: skip

    coverage.refresh(pks)  # waits for the end of the import (``coverage.deferred``)
    bump()
    if check_duplicates:
        found = likely_duplicates_many(objects)
        record_many([(o, d) for o in objects for d in found.get(o.pk, [])])
        for organisation in objects:
            organisation._import_warnings = [
                d.message() for d in found.get(organisation.pk, []) if not d.is_error
            ]
