"""Merging two organisations that are one: everything moves to the one kept, nothing is
lost, the other's address leads to the kept one (``common/redirects.py``), and the history
of both says so.

- Every relation to the merged organisation moves: programmes, partnerships, events
  (as actor or organiser), quotes, key figures, members of a network, suggestions, later
  merges — found from the model's relations, so a relation added later moves too.
- Territories, sectors and publics: the union of both, unless staff chose one side's.
- Fields: what staff chose on the comparison (``choices``: field → "keep" or "other",
  territories, sectors and publics → "union", "keep" or "other"); where they chose
  nothing, a field empty on the kept organisation takes the merged one's value (a phone,
  a SIRET…). Only an explicit choice of the other's empty value erases one (the admin
  shows it in the preview first). A SIRET or a logo moves: the merged organisation keeps
  none.
- Where the database allows one row only (one role of an organisation in a programme,
  one order number per quote), the kept row stays and takes what the other adds (its
  detail, its period); quotes and key figures are numbered after the kept ones.
- The merged organisation is archived, marked ``merged_into`` and kept: its history and
  its old address stay.
"""

from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Max

from actors.models import DERIVED_FIELDS, Organisation, Status
from common.changes import content_changes
from common.search import DOCUMENT_FIELDS

from .models import DuplicatePair

NOT_COPIED = {"id", "slug", "status", "created_at", "updated_at", "merged_into", "is_demo", "kind",
              *DOCUMENT_FIELDS}  # fmt: skip
# What one organisation alone may hold: it moves, the merged one keeps none (a logo file
# named by two rows would be deleted with the first one's next logo).
MOVED = {"siret", "logo"}
SETS = ("territories", "sectors", "publics")
SET_CHOICES = ("union", "keep", "other")


@dataclass
class MergePlan:
    keep: Organisation
    other: Organisation
    moves: list = field(default_factory=list)  # [(label, count)]
    fields: list = field(default_factory=list)  # [(label, shown before, shown after)] on the kept one
    erased: list = field(default_factory=list)  # [(label, shown before)]: an empty value chosen
    sets: list = field(default_factory=list)  # [(label, added, removed)] of territories, sectors, publics


def compared_fields():
    """The fields of an organisation a merge compares and lets staff choose: every field
    of the record but its identity (address, status, kind, dates) and what is computed."""
    return [
        model_field
        for model_field in Organisation._meta.concrete_fields
        if model_field.name not in NOT_COPIED and model_field.name not in DERIVED_FIELDS
        and not model_field.primary_key and model_field.name != "position_source"
    ]  # fmt: skip


def is_empty(value):
    return value in (None, "", False)


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


def plan(keep, other, choices=None):
    """What a merge of ``other`` into ``keep`` would move, copy and erase (the preview),
    with staff's ``choices`` (see the module's docstring)."""
    result = MergePlan(keep=keep, other=other)
    for relation in _relations():
        count = relation.related_model._base_manager.filter(**{relation.field.name: other}).count()
        if count:
            result.moves.append((f"{_describe(relation)} ({relation.field.verbose_name})", count))
    for name, kept in _sets(keep, other, choices).items():
        mine = set(getattr(keep, name).all())
        added, removed = kept - mine, mine - kept
        if added or removed:
            label = str(Organisation._meta.get_field(name).verbose_name)
            result.sets.append((label, sorted(map(str, added)), sorted(map(str, removed))))
            if added:
                result.moves.append((label, len(added)))
    for model_field, value in _copied_fields(keep, other, choices):
        label, before = str(model_field.verbose_name), model_field.value_from_object(keep)
        if is_empty(value) and not is_empty(before):
            result.erased.append((label, shown(keep, model_field)))
        else:
            result.fields.append((label, shown(keep, model_field), shown(other, model_field)))
    return result


def _sets(keep, other, choices):
    """{name: the set the kept organisation ends with} for territories, sectors, publics."""
    choices = choices or {}
    result = {}
    for name in SETS:
        choice = choices.get(name, "union")
        if choice not in SET_CHOICES:
            raise ValueError(f"Choix inconnu pour {name} : {choice!r}")
        mine, theirs = set(getattr(keep, name).all()), set(getattr(other, name).all())
        result[name] = {"union": mine | theirs, "keep": mine, "other": theirs}[choice]
    return result


def _copied_fields(keep, other, choices=None):
    """[(model field, value)] the kept organisation takes: the other's value where staff
    chose it, else where the kept one's is empty."""
    choices = choices or {}
    known = {f.name for f in compared_fields()}
    unknown = {name for name in choices if name not in known and name not in SETS}
    if unknown or any(choices.get(f) not in (None, "keep", "other") for f in known):
        raise ValueError(f"Choix de fusion inconnus : {sorted(unknown) or choices}")
    for model_field in compared_fields():
        mine, theirs = model_field.value_from_object(keep), model_field.value_from_object(other)
        if mine == theirs:
            continue
        choice = choices.get(model_field.name)
        if choice == "other" or (choice is None and is_empty(mine) and not is_empty(theirs)):
            yield model_field, theirs


def merge(keep, other, choices=None):
    """Merges ``other`` into ``keep`` with staff's ``choices`` (see the module's
    docstring); returns the plan."""
    if keep.pk == other.pk:
        raise ValueError("Une organisation ne peut pas être fusionnée avec elle-même.")
    if other.merged_into_id or keep.merged_into_id:
        raise ValueError("L'une des deux organisations a déjà été fusionnée.")
    choices = {name: choice for name, choice in (choices or {}).items() if choice}
    done = plan(keep, other, choices)
    reason_kept = _reason(keep, other, choices)
    with transaction.atomic(), content_changes(reason=reason_kept):
        copied = list(_copied_fields(keep, other, choices))
        sets = _sets(keep, other, choices)
        for model_field, _ in copied:
            if model_field.name in MOVED:
                setattr(other, model_field.attname, "")
        other.merged_into = keep
        other.status = Status.ARCHIVED
        other._change_reason = f"Fusionnée dans « {keep.name} » ({keep.slug})"[:100]
        other.save()

        for relation in _relations():
            _move(relation, keep, other)
        for name, kept in sets.items():
            getattr(keep, name).set(kept)

        for model_field, value in copied:
            setattr(keep, model_field.attname, value)
        if {"latitude", "longitude"} & {model_field.name for model_field, _ in copied}:
            keep.position_source = other.position_source  # where the position taken came from
        keep._change_reason = reason_kept
        keep.save()
        DuplicatePair.objects.filter(models.Q(first=other) | models.Q(second=other)).delete()
    return done


def _reason(keep, other, choices):
    """The kept organisation's history: what was merged, and which values staff chose
    (the history keeps 100 characters)."""
    reason = f"Fusion : « {other.slug} » réunie ici"
    chosen = [
        str(Organisation._meta.get_field(name).verbose_name)
        for name, choice in choices.items()
        if choice == "other" or (name in SETS and choice != "union")
    ]
    if chosen:
        reason += " ; choix : " + ", ".join(chosen)
    elif choices:
        reason += " ; valeurs choisies"
    else:
        reason += " ; champs vides complétés"
    return reason if len(reason) <= 100 else reason[:99] + "…"


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


# --- the comparison, field by field (« Comparer et fusionner ») -----------------------------


@dataclass
class Row:
    """One line of the comparison of two organisations A and B."""

    name: str  # the field, or the relation's label for a count
    label: str
    a: str
    b: str
    kind: str  # "field" (choosable), "set" (territories, sectors, publics), "identity", "count"
    a_empty: bool = False
    b_empty: bool = False
    differs: bool = None  # None: when the values shown differ

    def __post_init__(self):
        if self.differs is None:
            self.differs = self.a != self.b

    @property
    def sides(self):
        """(side, value shown, empty) of A and B, for the table."""
        return [("a", self.a, self.a == ""), ("b", self.b, self.b == "")]

    @property
    def choosable(self):
        return self.differs and self.kind in ("field", "set")


IDENTITY = ("slug", "kind", "status")


def shown(organisation, model_field):
    """A field's value as staff read it: a label for a choice, a name for a relation."""
    value = model_field.value_from_object(organisation)
    if isinstance(model_field, models.BooleanField):
        return "oui" if value else "non"
    if value in (None, ""):
        return ""
    if model_field.choices:
        return str(getattr(organisation, f"get_{model_field.name}_display")())
    if isinstance(model_field, models.ForeignKey):
        return str(getattr(organisation, model_field.name))
    if isinstance(model_field, models.DateTimeField):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(model_field, models.DateField):
        return f"{value:%d/%m/%Y}"
    return str(value)


def compare(a, b):
    """[Row] comparing ``a`` and ``b``: their identity (stays the kept one's), every
    field a merge may take from either, their territories, sectors and publics, and how
    many related items each has (all move to the kept one)."""
    rows = []
    for name in IDENTITY:
        model_field = Organisation._meta.get_field(name)
        rows.append(Row(name, str(model_field.verbose_name), shown(a, model_field), shown(b, model_field), "identity"))
    for model_field in compared_fields():
        first, second = model_field.value_from_object(a), model_field.value_from_object(b)
        rows.append(Row(model_field.name, str(model_field.verbose_name), shown(a, model_field),
                        shown(b, model_field), "field", is_empty(first), is_empty(second), first != second))  # fmt: skip
    for name in SETS:
        label = str(Organisation._meta.get_field(name).verbose_name)
        names = [sorted(str(item) for item in getattr(o, name).all()) for o in (a, b)]
        rows.append(Row(name, label, " ; ".join(names[0]), " ; ".join(names[1]), "set",
                        not names[0], not names[1]))  # fmt: skip
    for relation in _relations():
        counts = [relation.related_model._base_manager.filter(**{relation.field.name: o}).count() for o in (a, b)]
        if any(counts):
            label = f"{_describe(relation)} ({relation.field.verbose_name})"
            rows.append(Row(label, label, str(counts[0]), str(counts[1]), "count"))
    return rows
