"""Merging two organisations that are one: everything moves to the one kept, nothing is
lost, the other's address leads to the kept one (``common/redirects.py``), and the history
of both says so.

- Every relation to the merged organisation moves: programmes, partnerships, events
  (as actor or organiser), quotes, key figures, members of a network, suggestions, later
  merges — found from the model's relations, so a relation added later moves too.
- Territories, sectors and publics: the union of both.
- A field empty on the kept organisation takes the merged one's value (a phone, a SIRET…);
  a SIRET or a logo moves: the merged organisation keeps none.
- Where the database allows one row only (one role of an organisation in a programme,
  one order number per quote), the kept row stays and takes what the other adds (its
  detail, its period); quotes and key figures are numbered after the kept ones.
- The merged organisation is archived, marked ``merged_into`` and kept: its history and
  its old address stay.
"""

from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Max

from actors.models import Organisation, Status
from common.changes import content_changes
from common.search import DOCUMENT_FIELDS

from .models import DuplicatePair

NOT_COPIED = {"id", "slug", "status", "created_at", "updated_at", "merged_into", "is_demo", "kind",
              *DOCUMENT_FIELDS}  # fmt: skip
# What one organisation alone may hold: it moves, the merged one keeps none (a logo file
# named by two rows would be deleted with the first one's next logo).
MOVED = {"siret", "logo"}


@dataclass
class MergePlan:
    keep: Organisation
    other: Organisation
    moves: list = field(default_factory=list)  # [(label, count)]
    fields: list = field(default_factory=list)  # [(label, value)] copied to the kept one


def _relations():
    """(field on the related model, related model) for every relation to Organisation,
    except the history tables and the duplicate list."""
    for relation in Organisation._meta.get_fields(include_hidden=True):
        if not relation.auto_created or relation.concrete:
            continue
        model = relation.related_model
        if model is DuplicatePair or model.__name__.startswith("Historical") or model._meta.auto_created:
            continue  # the history, the duplicate list, the tables behind many-to-many fields
        if relation.one_to_many or relation.one_to_one or relation.many_to_many:
            yield relation


def _describe(relation):
    return str(relation.related_model._meta.verbose_name_plural)


def plan(keep, other):
    """What a merge of ``other`` into ``keep`` would move and copy (the preview)."""
    result = MergePlan(keep=keep, other=other)
    for relation in _relations():
        count = relation.related_model._base_manager.filter(**{relation.field.name: other}).count()
        if count:
            result.moves.append((f"{_describe(relation)} ({relation.field.verbose_name})", count))
    for name in ("territories", "sectors", "publics"):
        added = getattr(other, name).exclude(pk__in=getattr(keep, name).all()).count()
        if added:
            result.moves.append((str(Organisation._meta.get_field(name).verbose_name), added))
    for model_field in _copied_fields(keep, other):
        result.fields.append((str(model_field.verbose_name), model_field.value_from_object(other)))
    return result


def _copied_fields(keep, other):
    for model_field in Organisation._meta.concrete_fields:
        if model_field.name in NOT_COPIED or model_field.primary_key:
            continue
        mine, theirs = model_field.value_from_object(keep), model_field.value_from_object(other)
        if mine in (None, "", False) and theirs not in (None, "", False):
            yield model_field


def merge(keep, other):
    """Merges ``other`` into ``keep`` (see the module's docstring); returns the plan."""
    if keep.pk == other.pk:
        raise ValueError("Une organisation ne peut pas être fusionnée avec elle-même.")
    if other.merged_into_id or keep.merged_into_id:
        raise ValueError("L'une des deux organisations a déjà été fusionnée.")
    done = plan(keep, other)
    reason_kept = f"Fusion : « {other.name} » ({other.slug}) réunie ici"[:100]
    with transaction.atomic(), content_changes(reason=reason_kept):
        copied = list(_copied_fields(keep, other))
        unique_values = {}
        for model_field in copied:
            unique_values[model_field.attname] = model_field.value_from_object(other)
            if model_field.name in MOVED:
                setattr(other, model_field.attname, "")
        other.merged_into = keep
        other.status = Status.ARCHIVED
        other._change_reason = f"Fusionnée dans « {keep.name} » ({keep.slug})"[:100]
        other.save()

        for relation in _relations():
            _move(relation, keep, other)
        for name in ("territories", "sectors", "publics"):
            getattr(keep, name).add(*getattr(other, name).all())

        for attname, value in unique_values.items():
            setattr(keep, attname, value)
        keep._change_reason = reason_kept
        keep.save()
        DuplicatePair.objects.filter(models.Q(first=other) | models.Q(second=other)).delete()
    return done


def _move(relation, keep, other):
    model = relation.related_model
    name = relation.field.name
    manager = model._base_manager
    if relation.many_to_many:
        for item in manager.filter(**{name: other}):
            getattr(item, name).add(keep)
            getattr(item, name).remove(other)
        return
    rows = list(manager.filter(**{name: other}))
    if not rows:
        return
    order_unique = any(
        isinstance(c, models.UniqueConstraint) and set(c.fields or ()) == {name, "order"}
        for c in model._meta.constraints
    )
    if order_unique:
        start = (manager.filter(**{name: keep}).aggregate(m=Max("order"))["m"] or 0) + 1
        for offset, item in enumerate(sorted(rows, key=lambda r: r.order)):
            item.order = start + offset
    for item in rows:
        twin = _twin(model, name, item, keep)
        if twin is not None:
            _complete(twin, item)
            item.delete()
            continue
        setattr(item, name, keep)
        item._change_reason = f"Fusion de « {other.name} » dans « {keep.name} »"[:100]
        item.save()


def _twin(model, name, item, keep):
    """The kept organisation's row that a moved row would duplicate (same role in the
    same programme or action), if a unique constraint allows only one."""
    for constraint in model._meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint) or name not in (constraint.fields or ()):
            continue
        others = [f for f in constraint.fields if f != name]
        if "order" in others:
            continue
        lookup = {f: getattr(item, f) for f in others}
        if any(value is None for value in lookup.values()):
            continue
        twin = model._base_manager.filter(**{name: keep}, **lookup).first()
        if twin is not None:
            return twin
    return None


def _complete(twin, item):
    """The kept row takes what the moved one adds (its empty fields only)."""
    changed = False
    for model_field in twin._meta.concrete_fields:
        if model_field.primary_key or not model_field.editable:
            continue
        mine, theirs = model_field.value_from_object(twin), model_field.value_from_object(item)
        if mine in (None, "") and theirs not in (None, ""):
            setattr(twin, model_field.attname, theirs)
            changed = True
    if changed:
        twin.save()
