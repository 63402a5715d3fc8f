"""Writing thousands of imported organisations at once (django-import-export's ``use_bulk``
mode), with what a one-by-one save would have done: relations, one history record per
organisation (its relations included, the file's name as reason, the user); what follows
(coverage, search documents, likely duplicates, the cache version) is the unit of work's
(``common/changes.py``), told which organisations were written.

A one-by-one save costs about 27 queries per organisation (savepoint, checks, insert,
history, three relations and their history): 10,000 rows took minutes. Here a batch of
1,000 rows costs a few dozen statements.
"""

from django.utils import timezone

from actors.models import Organisation
from common import changes, history
from common.bulk import update_rows

M2M = ("territories", "sectors", "publics")


def write(objects, created, fields, reason, user=None):
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

    # One history record per organisation, with its relations as they now are.
    history.record_many(Organisation, objects, reason, user=user, date=now, created=created)
    changes.saved(Organisation, pks, None if created else [*fields, *(m for m in M2M if any(
        m in getattr(o, "_import_m2m", {}) for o in objects))])
