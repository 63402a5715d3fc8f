"""History records written in bulk, as complete as one save's: one record per object with
its many-to-many relations as they now are (what a restore reads back), the reason and the
user. An import of thousands of rows and a bulk action (« Publier la sélection ») write
their history here in a few statements, whatever the number of objects."""

from django.utils import timezone


def _historical_m2m_models(model):
    """{relation name: the historical model of that relation} for ``model``'s history."""
    historical = model.history.model
    return {
        field.name: next(
            r.related_model
            for r in historical._meta.related_objects
            if r.related_model.__name__ == f"{historical.__name__}_{field.name}"
        )
        for field in getattr(historical, "_history_m2m_fields", [])
    }


def record_many(model, objects, reason, user=None, date=None, created=False):
    """One history record for each of ``objects`` (saved instances of ``model``, as they
    now are), with their tracked relations read in one query per relation."""
    objects = list(objects)
    if not objects:
        return []
    date = date or timezone.now()
    records = model.history.bulk_history_create(
        objects, update=not created, default_user=user, default_change_reason=reason, default_date=date,
        batch_size=1000,
    )  # fmt: skip
    record_of = {r.id: r.history_id for r in records}
    pks = list(record_of)
    for name, historical in _historical_m2m_models(model).items():
        relation = model._meta.get_field(name)
        through = relation.remote_field.through
        source, target = relation.m2m_field_name(), relation.m2m_reverse_field_name()
        rows = through.objects.filter(**{f"{source}_id__in": pks}).values_list("pk", f"{source}_id", f"{target}_id")
        historical.objects.bulk_create(
            [historical(**{"id": row_id, f"{source}_id": pk, f"{target}_id": target_id, "history_id": record_of[pk]})
             for row_id, pk, target_id in rows],
            batch_size=5000,
        )  # fmt: skip
    return records
