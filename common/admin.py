"""What every content admin shares: the history of staff edits with restore for
administrators, the guard against lost updates, and what makes a day of editing bearable.

- **History** (django-simple-history): each object's « Historique » lists who changed it,
  when, and which fields (old → new); an « Administrateur » may restore an earlier
  version. Editors see the history but cannot restore (the form refuses their POST).
- **No lost update**: the change form carries the « modifié le » of the version the editor
  opened. If someone saved the object meanwhile, the save is refused with a French
  message that says who changed what; nothing typed is lost (the form comes back filled).
- **For all-day use** (``StaffAdmin``): titles in correct French (« Ajouter une action »,
  « Modifier l'organisation », « Organisations ») from each admin's ``gender``; Save at the
  top of the form as well; long text fields sized to what they hold.
- **The admin home** (templates/admin/index.html): « À faire », what the apps register in
  ``staff_dashboard``, and « Modifications récentes », the last changes across the content
  models from their history (``recent_changes``: one query per model, never per row).
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
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
    """The items of ``staff_dashboard`` the user may see (each provider checks permissions),
    with the recent changes (``dashboard.recent_changes``, read when the page shows them)."""
    return Dashboard([item for provide in staff_dashboard for item in provide(request)], request)


class Dashboard(list):
    """The « À faire » items, and « Modifications récentes »."""

    def __init__(self, items, request):
        super().__init__(items)
        self.request = request

    @cached_property
    def recent_changes(self):
        return recent_changes(self.request)


# The usual French abbreviations of the months (« 26 nov. 2026 »), where Django's « M »
# gives « Nov ».
SHORT_MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def short_date(value, with_time=False):
    """« 26 nov. 2026 » (« 26 nov. 2026 à 14:09 » ``with_time``): a date on one line, in a
    list column or the recent changes; « — » for none."""
    if not value:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    text = f"{value.day} {SHORT_MONTHS[value.month - 1]} {value.year}"
    return f"{text} à {value:%H:%M}" if with_time and isinstance(value, datetime) else text


# --- Recent changes ----------------------------------------------------------------------

RECENT_CHANGES = 12
# The field that names an object in the list, when its admin gives no ``history_label``.
LABEL_FIELDS = ("name", "title", "label", "person_name")
HISTORY_VERBS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass
class RecentChange:
    when: datetime
    who: str  # « Claire Martin », « editrice », or « » for a script (``reason`` says which)
    verb: str  # « création », « modification », « suppression »
    kind: str  # « Organisation »
    label: str  # « URAF »
    url: str  # its change form; empty once deleted
    reason: str = ""  # « Chargement du contenu source (load_directory) »

    @property
    def when_text(self):
        return short_date(self.when, with_time=True)


def _label_lookups(model, model_admin):
    declared = getattr(model_admin, "history_label", None)
    if declared:
        return list(declared)
    names = {field.name for field in model._meta.get_fields()}
    return [next((name for name in LABEL_FIELDS if name in names), model._meta.pk.attname)]


def recent_changes(request, limit=RECENT_CHANGES, site=None):
    """The last ``limit`` changes across the content models the user may view, newest
    first: who, when, what (one query per model with history, whatever the number of rows;
    the object's label is read from the history row, with its relations joined)."""
    site = site or admin.site
    changes = []
    for model, model_admin in site._registry.items():
        attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        if model._meta.app_label not in settings.DIRECTORY_STAFF_APPS or attribute is None:
            continue
        if not model_admin.has_view_permission(request):
            continue
        historical = getattr(model, attribute).model
        lookups = _label_lookups(model, model_admin)
        pk = model._meta.pk.attname
        rows = historical._default_manager.order_by("-history_date", "-history_id").values(
            pk, "history_date", "history_type", "history_change_reason", "history_user__username",
            "history_user__first_name", "history_user__last_name", *lookups,
        )[:limit]  # fmt: skip
        for row in rows:
            name = f"{row['history_user__first_name'] or ''} {row['history_user__last_name'] or ''}".strip()
            url = ""
            if row["history_type"] != "-":
                try:
                    url = reverse(
                        f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[row[pk]]
                    )
                except NoReverseMatch:
                    url = ""
            label = " — ".join(str(row[lookup]) for lookup in lookups if row[lookup] not in (None, ""))
            changes.append(
                RecentChange(
                    when=row["history_date"], who=name or row["history_user__username"] or "",
                    verb=HISTORY_VERBS.get(row["history_type"], ""), kind=capfirst(model._meta.verbose_name),
                    label=label or f"n° {row[pk]}", url=url, reason=row["history_change_reason"] or "",
                )
            )  # fmt: skip
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:limit]


# --- For all-day use ---------------------------------------------------------------------

VOWELS = "aeiouyàâäéèêëîïôöùûüœ"
TEXT_ROWS = 4  # a TextField's rows when its admin says nothing (``text_rows``)
WIDE_TEXT = 150  # a CharField this long or longer gets a wide input


class SizedFields:
    """Text inputs sized to what they hold: a CharField of ``WIDE_TEXT`` characters or more
    gets a wide input (a 300-character summary is read whole, not 40 characters of it); a
    TextField gets ``text_rows[name]`` rows (``TEXT_ROWS`` by default) and grows with its
    text (static/js/admin-forms.js). For ModelAdmins and stacked inlines."""

    text_rows = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        widget = getattr(formfield, "widget", None)
        widget = getattr(widget, "widget", widget)  # inside a RelatedFieldWidgetWrapper
        if isinstance(db_field, models.TextField) and isinstance(widget, forms.Textarea):
            widget.attrs["rows"] = self.text_rows.get(db_field.name, TEXT_ROWS)
        elif (
            isinstance(db_field, models.CharField)
            and isinstance(widget, forms.TextInput)
            and not db_field.choices
            and (db_field.max_length or 0) >= WIDE_TEXT
        ):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} vWideTextField".strip()
        return formfield


class FrenchTitles:
    """The titles of the add, change and list pages (heading and browser tab) in correct
    French — « Ajouter une action », « Modifier l'organisation », « Modifier le programme »,
    « Organisations » — where Django writes « Ajout de action », « Modification de
    organisation ». Each admin gives its noun's ``gender`` (« m » or « f »); the article
    elides before a vowel (``elision`` overrides it: « le handicap »); ``add_title``,
    ``change_title``, ``view_title``, ``changelist_title`` and ``choose_title`` (a list
    in a pop-up) replace a title whole."""

    gender = "m"
    elision = None
    add_title = change_title = view_title = changelist_title = choose_title = None

    def french_noun(self, article):
        """« une action », « un programme » (``"un"``); « l'action », « le programme »,
        « la citation » (``"le"``)."""
        noun = str(self.model._meta.verbose_name)
        feminine = self.gender == "f"
        if article == "un":
            return f"{'une' if feminine else 'un'} {noun}"
        elides = self.elision if self.elision is not None else noun[:1].lower() in VOWELS
        if elides:
            return f"l'{noun}"
        return f"{'la' if feminine else 'le'} {noun}"

    def french_titles(self):
        return {
            "add": self.add_title or f"Ajouter {self.french_noun('un')}",
            "change": self.change_title or f"Modifier {self.french_noun('le')}",
            "view": self.view_title or f"Consulter {self.french_noun('le')}",
            "changelist": self.changelist_title or capfirst(str(self.model._meta.verbose_name_plural)),
            "choose": self.choose_title or f"Choisir {self.french_noun('un')}",
        }

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        titles = self.french_titles()
        if object_id is None or "_saveasnew" in request.POST:
            title = titles["add"]
        else:
            title = titles["change"] if self.has_change_permission(request) else titles["view"]
        return super().changeform_view(
            request, object_id, form_url, {"title": title, **(extra_context or {})}
        )

    def changelist_view(self, request, extra_context=None):
        titles = self.french_titles()
        title = titles["choose"] if IS_POPUP_VAR in request.GET else titles["changelist"]
        extra = {"title": title, "add_title": titles["add"]}
        return super().changelist_view(request, {**extra, **(extra_context or {})})


class StaffAdmin(FrenchTitles, SizedFields):
    """What every content admin has for all-day use: French titles, sized fields, and the
    Save buttons at the top of the form as well as at the bottom."""

    save_on_top = True


class HistoryAdmin(StaffAdmin, SimpleHistoryAdmin):
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
