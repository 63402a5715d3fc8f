"""What every content admin shares: the history of staff edits with restore for
administrators, and the guard against lost updates.

- **History** (django-simple-history): each object's « Historique » lists who changed it,
  when, and which fields (old → new); an « Administrateur » may restore an earlier
  version. Editors see the history but cannot restore (the form refuses their POST).
- **No lost update**: the change form carries the « modifié le » of the version the editor
  opened. If someone saved the object meanwhile, the save is refused with a French
  message that says who changed what; nothing typed is lost (the form comes back filled).
"""

from dataclasses import dataclass

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

from .staff import is_administrator

SEEN_VERSION = "version_ouverte"


# Apps above the content apps add to every content change form (``suggestions`` shows the
# contribution an editor is applying): functions (request, object_id) -> dict of context.
change_form_context = []

# What waits for staff, shown at the top of the admin home (templates/admin/index.html):
# functions (request) -> a list of ``DashboardItem`` (the apps register theirs in ready()).
staff_dashboard = []


@dataclass
class DashboardItem:
    title: str  # « À modérer »
    count: int
    text: str  # « contribution en attente » / « contributions en attente »
    url: str  # the admin list that shows them
    plural: str = ""

    @property
    def phrase(self):
        return f"{self.count} {self.plural if self.count > 1 and self.plural else self.text}"


def dashboard(request):
    """The items of ``staff_dashboard`` the user may see (each provider checks permissions)."""
    return [item for provide in staff_dashboard for item in provide(request)]


class HistoryAdmin(SimpleHistoryAdmin):
    change_form_template = "admin/content_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        for provide in change_form_context:
            extra.update(provide(request, object_id))
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def revert_disabled(self, request, obj=None):
        return not is_administrator(request.user) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied("Seul un administrateur peut rétablir une version antérieure.")
        # The history's submit row reads ``onclick_attrib``, which its view never sets.
        extra_context = {"onclick_attrib": "", **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, extra_context)


def _shown(value):
    return "(vide)" if value in (None, "", []) else str(value)


def changes_since(obj, moment):
    """French lines: who changed ``obj`` after ``moment``, and which fields."""
    lines = []
    records = list(
        obj.history.filter(history_date__gt=moment).order_by("history_date").select_related("history_user")
    )
    for record in records:
        who = record.history_user.get_username() if record.history_user else "un traitement automatique"
        when = date_format(timezone.localtime(record.history_date), "j F Y à H:i")
        previous = record.prev_record
        if previous is None:
            lines.append(f"{who}, le {when}")
            continue
        delta = record.diff_against(previous)
        fields = ", ".join(
            f"{obj._meta.get_field(change.field).verbose_name} : {_shown(change.old)} → {_shown(change.new)}"
            for change in delta.changes
            if change.field != "updated_at"
        )
        lines.append(f"{who}, le {when}" + (f" ({fields})" if fields else ""))
    return lines


class ConcurrencyGuard:
    """A ModelAdmin mixin for models with ``updated_at`` (see the module docstring)."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        first_name, first_options = fieldsets[0]
        return [
            (first_name, {**first_options, "fields": [*first_options["fields"], SEEN_VERSION]}),
            *fieldsets[1:],
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = kwargs.get("fields")
        if fields is None:
            fields = flatten_fieldsets(self.get_fieldsets(request, obj))
        kwargs["fields"] = [f for f in fields if f != SEEN_VERSION]
        base = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return base

        class GuardedForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.fields[SEEN_VERSION] = forms.CharField(widget=forms.HiddenInput, required=False)
                if not self.is_bound and self.instance.pk:
                    # The version in the database now (a restore form shows an older one).
                    current = (
                        type(self.instance)
                        ._default_manager.filter(pk=self.instance.pk)
                        .values_list("updated_at", flat=True)
                        .first()
                    )
                    if current is not None:
                        self.initial[SEEN_VERSION] = current.isoformat()

            def clean(self):
                cleaned = super().clean()
                seen = parse_datetime(self.data.get(SEEN_VERSION) or "")
                if seen is None or not self.instance.pk:
                    return cleaned
                current = (
                    type(self.instance)
                    ._default_manager.filter(pk=self.instance.pk)
                    .values_list("updated_at", flat=True)
                    .first()
                )
                if current is not None and current != seen:
                    who = changes_since(self.instance, seen) or ["une autre personne"]
                    raise ValidationError(
                        "Cette fiche a été modifiée pendant que vous la modifiiez — par "
                        + " ; ".join(who)
                        + ". Vos changements n'ont pas été enregistrés pour ne pas effacer les siens : ils sont "
                        "toujours dans le formulaire ci-dessous. Ouvrez la fiche à jour dans un autre onglet, "
                        "reportez-y vos changements, puis enregistrez.",
                        code="modifiee-entre-temps",
                    )
                return cleaned

        return GuardedForm
