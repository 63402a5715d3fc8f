"""The filters of a followed search: read, checked and described by the actor list's own
filter set (``actors.filters.ActorFilterSet``), never parsed here by hand.

- ``normalise(query)``: the filters of a list's query string, checked, in a stable order
  (the page, the format, the sort order and the map's area left out: they do not change
  what is followed), or the filter set's French errors;
- ``describe(query)``: the filters in French (« Secteur : Insertion · Département :
  Calvados »), read from the filter set's own labels and choices;
- ``matching(query, queryset)``: the organisations of ``queryset`` that the filters keep.
"""

from django.http import QueryDict

from actors.filters import ActorFilterSet
from actors.models import Organisation

# What does not change what the list holds.
NOT_FOLLOWED = ("page", "format", "tri", "bbox")


def _filterset(query, queryset=None):
    data = query if isinstance(query, QueryDict) else QueryDict(query)
    queryset = Organisation.objects.actors() if queryset is None else queryset
    return ActorFilterSet(data=data, queryset=queryset)


def normalise(query):
    """``(normalised query string, [])`` or ``("", [French errors])``."""
    data = query if isinstance(query, QueryDict) else QueryDict(query)
    kept = QueryDict(mutable=True)
    fields = ActorFilterSet.base_filters
    for name in sorted(data):
        if name in NOT_FOLLOWED or name not in fields:
            continue
        value = " ".join(data.get(name, "").split())
        if value:
            kept[name] = value
    filterset = _filterset(kept)
    if not filterset.form.is_valid():
        errors = [f"{filterset.form.fields[name].label} : {' '.join(messages)}"
                  for name, messages in filterset.form.errors.items()]  # fmt: skip
        return "", errors
    return kept.urlencode(), []


def describe(query):
    """[(label, value)] of the filters, in French; empty for the whole list."""
    filterset = _filterset(query)
    if not filterset.form.is_valid():
        return []
    lines = []
    for name, value in filterset.form.cleaned_data.items():
        if name in NOT_FOLLOWED or value in (None, "", []):
            continue
        field = filterset.form.fields[name]
        choices = {str(key): label for key, label in getattr(field, "choices", [])}
        shown = choices.get(str(value)) or getattr(value, "label", None) or getattr(value, "name", None) or str(value)
        lines.append((str(field.label), str(shown)))
    return lines


def summary(query):
    """One line: « Secteur : Insertion · Département : Calvados », or « Tous les acteurs »."""
    return " · ".join(f"{label} : {value}" for label, value in describe(query)) or "Tous les acteurs de l'annuaire"


def matching(query, queryset):
    """The organisations of ``queryset`` that the followed filters keep (an invalid query,
    which ``normalise`` never stores, keeps none)."""
    filterset = _filterset(query, queryset)
    if not filterset.form.is_valid():
        return queryset.none()
    return filterset.qs
