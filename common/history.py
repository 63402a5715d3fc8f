"""History records written in bulk, as complete as one save's: one record per object with
its many-to-many relations as they now are (what a restore reads back), the reason and the
user. An import of thousands of rows and a bulk action (« Publier la sélection ») write
their history here in a few statements, whatever the number of objects.

What a history shows is written here too, once: ``shown_value`` writes any value of any
field in French (« oui », « (vide) », « a, b, c », « 26 novembre 2026 »), for the history
pages (``FrenchChanges``) and the « modifié entre-temps » message (common/admin.py)."""

import dataclasses
from datetime import date, datetime
from decimal import Decimal

from django.db.models import ManyToManyField
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.text import Truncator, capfirst
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper


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


# --- What a history shows: values written in French -----------------------------------------

EMPTY = "(vide)"
LONGEST = 120  # characters of a long text shown in a list of changes


def shown_value(field, value):
    """A value of ``field`` as staff read it in a history, a restore or a « modifié
    entre-temps » message, whatever its type: « oui » / « non », « (vide) » for nothing,
    the label of a choice, « a, b, c » for a list, the name of a related object, « 26
    novembre 2026 », « 49,182863 »; never Python's ``None``, ``True``, ``[]``."""
    if isinstance(value, (list, tuple, set)):
        items = [shown_value(getattr(field, "target_field", None), item) for item in value]
        return ", ".join(sorted((item for item in items if item != EMPTY), key=str.casefold)) or EMPTY
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, DeletedObject):
        # simple-history's stand-in for a related object that is gone — or was never there.
        if value.pk is None:
            return EMPTY
        return f"{value.model._meta.verbose_name} n° {value.pk} (supprimé)"
    choices = None if field is None or isinstance(field, ManyToManyField) else field.flatchoices
    if choices:
        labels = {str(key): label for key, label in choices}
        if str(value) in labels:
            return str(labels[str(value)])
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y à H:i")
    if isinstance(value, date):
        return date_format(value, "j F Y")
    if isinstance(value, (int, float, Decimal)):
        return number_format(value)
    return Truncator(str(value)).chars(LONGEST)


class FrenchChanges(HistoricalRecordContextHelper):
    """The « Modifications » column of a history page: the field's name and its values
    before → after, by ``shown_value``."""

    def format_delta_change(self, change):
        field = self.model._meta.get_field(change.field)
        old = self.prepare_delta_change_value(change, change.old)
        new = self.prepare_delta_change_value(change, change.new)
        return dataclasses.replace(
            change, field=capfirst(field.verbose_name), old=shown_value(field, old), new=shown_value(field, new)
        )
