"""What every content admin shares: the history of staff edits with restore for
administrators, the guard against lost updates, and what makes a day of editing bearable.

- **History** (django-simple-history): each object's « Historique » lists who changed it,
  when, and which fields (old → new); an « Administrateur » may restore an earlier
  version. Editors see the history but cannot restore (the form refuses their POST).
- **No lost update**: the change form carries the « modifié le » of the version the editor
  opened. If someone saved the object meanwhile, the save is refused with a French
  message that says who changed what; nothing typed is lost (the form comes back filled).
  The check reads the record's row locked, in the save's transaction: two saves posted at
  the same instant are compared one after the other, and one only wins.
- **For all-day use** (``StaffAdmin``): titles in correct French (« Ajouter une action »,
  « Modifier l'organisation », « Organisations ») from each admin's ``gender``; Save at the
  top of the form as well; long text fields sized to what they hold.
- **The admin home** (templates/admin/index.html): « À faire », what the apps register in
  ``staff_dashboard``, and « Modifications récentes », the last changes across the content
  models from their history (``recent_changes``: one query per model, never per row).
- **Lists at any size** (``StaffAdmin``; 100,000 actors, 600,000 actions): a long list is
  not counted row by row on every page — above ``ESTIMATE_ABOVE`` rows it says « environ
  600 000 actions » from PostgreSQL's own estimate, a search « plus de 10 000 »
  (``EstimatedCountPaginator``); the
  stored search documents are never read for a list; the « À faire » counts stop at
  ``DASHBOARD_CAP`` (« plus de 1 000 »); searches read the documents' GIN index
  (``document_search``) instead of ``LIKE '%…%'`` over every row.
"""

import json
from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.filters import FieldListFilter, RelatedFieldListFilter
from django.contrib.admin.options import IS_POPUP_VAR, IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets, lookup_spawns_duplicates
from django.contrib.admin.views.main import ORDER_VAR, SEARCH_VAR, ChangeList
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import connections, models, router
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin

from .collation import FrenchKey, french
from .history import FrenchChanges
from .search import DOCUMENT_FIELDS, FTS_CONFIG, terms
from .staff import is_administrator

SEEN_VERSION = "version_ouverte"


class SeenVersionField(forms.CharField):
    """The version the editor opened (the lost-update guard): bookkeeping, not data — it
    never makes a form « changed » (a save that changed nothing is told so)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data):
        return False


# Apps above the content apps add to every content change form (``suggestions`` shows the
# contribution an editor is applying): functions (request, object_id, model) -> dict of context.
change_form_context = []

# …and act on its save (``suggestions`` accepts the contribution an editor applied, tells a
# requester their record is published): functions (request, obj, form, change), called
# before the object is saved, in the transaction of the save.
change_form_saving = []

# …and on a bulk change of status (« Publier la sélection »): functions (request, model,
# objects, status), called after it, in its transaction.
status_changed = []

# What waits for staff, shown at the top of the admin home (templates/admin/index.html):
# functions (request) -> a list of ``DashboardItem`` (the apps register theirs in ready()).
staff_dashboard = []


# The « À faire » counts stop here: « plus de 1 000 fiches… » says as much to staff as the
# exact figure, and counting 100,000 rows on every visit of the home does not.
DASHBOARD_CAP = 1000


class ReadOnlyAdmin:
    """A list staff read and never write (counts of use, records kept for the law): no add,
    no change, no delete, whatever the permissions say."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@dataclass
class DashboardItem:
    title: str  # « À modérer »
    count: int
    text: str  # « contribution en attente » / « contributions en attente »
    url: str  # the admin list that shows them
    plural: str = ""
    more: bool = False  # there are more than ``count`` (« plus de 1 000 … »)

    @classmethod
    def counting(cls, title, queryset, text, url, plural=""):
        """The item for the rows of ``queryset``, counted up to ``DASHBOARD_CAP`` only: the
        count reads at most that many rows (``LIMIT``), whatever the size of the table."""
        count = queryset.order_by()[: DASHBOARD_CAP + 1].count()
        more = count > DASHBOARD_CAP
        return cls(title, DASHBOARD_CAP if more else count, text, url, plural, more)

    @property
    def phrase(self):
        if self.more:
            return f"plus de {grouped(self.count)} {self.plural or self.text}"
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


# --- Lists at any size -------------------------------------------------------------------

# Above this many rows (PostgreSQL's estimate), a list is not counted: it says « environ
# 600 000 actions ». An exact count reads every matching row, on every page and after
# every filter; below this, it is cheap and shown exact.
ESTIMATE_ABOVE = 10_000


def grouped(number):
    """« 600 000 »: digits in groups of three, the French way (no-break spaces)."""
    return f"{number:,}".replace(",", "\u00a0")


def planned_rows(queryset):
    """How many rows ``queryset`` gives, as PostgreSQL estimates it without running it: a
    whole table's ``pg_class.reltuples`` (kept by ANALYZE and autovacuum), else the
    planner's row estimate (``EXPLAIN``, a millisecond of planning). None when the table
    was never analysed."""
    query = queryset.query
    if query.is_empty():
        return 0
    connection = connections[queryset.db]
    with connection.cursor() as cursor:
        if not query.where and not query.distinct and not query.combinator and not query.is_sliced:
            table = connection.ops.quote_name(queryset.model._meta.db_table)
            cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [table])
            row = cursor.fetchone()
            return int(row[0]) if row and row[0] >= 0 else None
        sql, params = queryset.order_by().query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """The admin lists' paginator: a list of more than ``ESTIMATE_ABOVE`` rows (as the
    planner sees it) is counted by the estimate — ``estimated`` is then true and the list
    says « environ 600 000 » (``count_text``, two significant digits); a shorter one is
    counted exactly. A search (``searched``, set by the admin) is counted up to
    ``ESTIMATE_ABOVE`` rows and one, « plus de 10 000 » beyond: the planner misjudges how
    many stored documents hold a word's beginning in their names (94,000 for 13,000).
    Every page past the first is reachable even when the count falls short, and the last
    page corrects it (``LongChangeList``)."""

    estimated = False  # the count is not exact
    at_least = False  # the count stopped at ESTIMATE_ABOVE (« plus de … »)
    searched = False

    @cached_property
    def count(self):
        if hasattr(self.object_list, "query"):
            if self.searched:
                count = self.object_list.order_by()[: ESTIMATE_ABOVE + 1].count()
                self.estimated = self.at_least = count > ESTIMATE_ABOVE
                return count
            estimate = planned_rows(self.object_list)
            if estimate is not None and estimate > ESTIMATE_ABOVE:
                self.estimated = True
                return estimate
        return super().count

    @property
    def count_text(self):
        """« 4 312 »; « environ 600 000 » (an estimate); « plus de 10 000 » (a search)."""
        count = self.count
        if self.at_least:
            return f"plus de {grouped(count - 1)}"
        if self.estimated:
            return f"environ {grouped(round(count, 2 - len(str(count))) if count >= 100 else count)}"
        return grouped(count)

    def settle(self, count):
        """The exact count, once known (the last page was read)."""
        self.__dict__["count"] = count
        self.__dict__.pop("num_pages", None)
        self.estimated = self.at_least = False

    def validate_number(self, number):
        if not self.estimated:
            return super().validate_number(number)
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("Ce numéro de page n'est pas un nombre entier.") from None
        if number < 1:
            raise EmptyPage("Ce numéro de page est inférieur à 1.")
        return number

    def page(self, number):
        if not self.estimated:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)


class ManyToManyFilter(RelatedFieldListFilter):
    """Django's filter of a many-to-many field (« secteurs », « publics »: same choices,
    same parameters, « - » for none), written ``EXISTS (…)`` on the relation's table: it
    keeps each row once, so the list needs no ``SELECT DISTINCT`` (``LongChangeList``)
    and PostgreSQL can read a page in the list's order, checking rows as it goes."""

    def queryset(self, request, queryset):
        through = self.field.remote_field.through
        item, target = self.field.m2m_field_name(), self.field.m2m_reverse_field_name()
        links = through.objects.filter(**{item: models.OuterRef("pk")})
        if self.lookup_val:
            values = [value for value in self.lookup_val if str(value).isdigit()]
            if len(values) != len(self.lookup_val):
                raise IncorrectLookupParameters(f"{self.lookup_kwarg} : {self.lookup_val}")
            queryset = queryset.filter(models.Exists(links.filter(**{f"{target}__in": values})))
        if self.lookup_val_isnull is not None:  # read as Django reads ``__isnull``
            empty = str(self.lookup_val_isnull).lower() not in ("", "false", "0")
            queryset = queryset.filter(~models.Exists(links) if empty else models.Exists(links))
        return queryset


class LongChangeList(ChangeList):
    """A changelist for long lists:

    - the stored search documents are never read (a list shows none), of its rows nor of
      the rows joined to them (``list_select_related``);
    - a filter across a many-to-many relation that keeps each row once by itself
      (``ManyToManyFilter``) spares the list Django's ``SELECT DISTINCT`` over every
      column, which sorted every matching row before giving a page;
    - an order by French key (a column sorted « A → Z ») is completed by the value itself,
      as ``french()`` writes it and the indexes hold it: a page is then read from the
      index, forwards or backwards, instead of sorting the table;
    - an estimated count becomes exact when the last page is reached."""

    def get_filters(self, request):
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        if duplicates:
            # Django counts any filter across a many-to-many relation; those that keep rows
            # once (``ManyToManyFilter``) do not make duplicates.
            duplicates = any(lookup_spawns_duplicates(self.lookup_opts, key) for key in remaining) or any(
                spec.used_parameters and lookup_spawns_duplicates(self.lookup_opts, spec.field_path)
                for spec in specs
                if isinstance(spec, FieldListFilter) and not isinstance(spec, ManyToManyFilter)
            )
        return specs, has_filters, remaining, duplicates, active

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.defer(*self._documents()) if self._documents() else queryset

    def _documents(self):
        """The stored documents of the rows and of what ``list_select_related`` joins."""
        paths = [("", self.model)]
        if isinstance(self.list_select_related, (list, tuple)):
            for path in self.list_select_related:
                model = self.model
                for name in path.split("__"):
                    model = model._meta.get_field(name).related_model
                paths.append((f"{path}__", model))
        return [f"{prefix}{name}" for prefix, model in paths for name in DOCUMENT_FIELDS if hasattr(model, name)]

    def get_ordering(self, request, queryset):
        if ORDER_VAR in self.params:
            # A column outside ``sortable_by`` (an old bookmark, a typed address) is not
            # sorted: without an index, 600,000 rows would be.
            kept = []
            for term in str(self.params[ORDER_VAR]).split("."):
                _, _, index = term.rpartition("-")
                if index.isdigit() and int(index) < len(self.list_display):
                    if self.list_display[int(index)] in self.sortable_by:
                        kept.append(term)
            if kept:
                self.params[ORDER_VAR] = ".".join(kept)
            else:
                del self.params[ORDER_VAR]
        ordering = []
        for term in super().get_ordering(request, queryset):
            key = getattr(term, "expression", None)
            field = key.source_expressions[0] if isinstance(key, FrenchKey) else None
            terms = french(field.name, descending=term.descending) if isinstance(field, models.F) else [term]
            ordering.extend(t for t in terms if t not in ordering)
        return ordering

    def get_results(self, request):
        super().get_results(request)
        if not getattr(self.paginator, "estimated", False):
            return
        shown = len(self.result_list)
        if shown >= self.list_per_page:
            return
        if not shown and self.page_num > 1:
            raise IncorrectLookupParameters  # past the end, as for any list (« ?e=1 »)
        count = (self.page_num - 1) * self.list_per_page + shown
        self.paginator.settle(count)
        self.result_count = count
        self.can_show_all = count <= self.list_max_show_all
        self.multi_page = count > self.list_per_page


# A word typed in part may be longer than the stem the document stores (« associatio »,
# stored « associ »): its shorter beginnings, down to this many letters fewer, are tried as
# stored words too.
STEM_SLACK = 5


def document_search(queryset, search_term, weights=""):
    """``queryset`` narrowed to the rows whose stored search document (``common/search.py``)
    has every significant word of ``search_term`` at the start of one of its words
    (« insert » finds « insertion », « coora » « COORACE », « coopérat » « coopérative »),
    accents and case aside; only in the parts ``weights`` (« A »: the names) when given.
    The document's GIN index answers it, where ``LIKE '%…%'`` on several columns read the
    whole table. A search with no significant word finds nothing."""
    words = terms(search_term.replace("_", " "))
    if not words:
        return queryset.none()
    condition = None
    for word in words:
        # The word's stem as a beginning (PostgreSQL stems ``word`` before ``:*``)…
        either = SearchQuery(f"{word}:*{weights}", config=FTS_CONFIG, search_type="raw")
        # …or a stored stem that the typed beginning goes past (taken as is: « simple »);
        # numbers are not stemmed (« 4087 » is not the beginning of « 40876 »).
        shorter = range(len(word) - 1, max(3, len(word) - STEM_SLACK - 1), -1) if word.isalpha() else ()
        for length in shorter:
            label = f":{weights}" if weights else ""
            either |= SearchQuery(f"{word[:length]}{label}", config="simple", search_type="raw")
        condition = either if condition is None else condition & either
    return queryset.filter(search_vector=condition)


class DocumentSearch:
    """A ModelAdmin mixin: the list's search (and the autocomplete of the forms that pick
    one of its rows) reads the stored search documents (``document_search``) —
    ``search_fields`` only say what they hold — in their parts ``document_weights`` (all
    by default)."""

    document_weights = ""

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return document_search(queryset, search_term, self.document_weights), False


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
    """What every content admin has for all-day use: French titles, sized fields, the
    Save buttons at the top of the form as well as at the bottom, and lists that answer
    at any size (« Lists at any size », above): estimated counts past ``ESTIMATE_ABOVE``
    rows, no second count of the whole table for « (… au total) »."""

    save_on_top = True
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_changelist(self, request, **kwargs):
        return LongChangeList

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        paginator = super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)
        paginator.searched = bool(str(request.GET.get(SEARCH_VAR, "")).strip())
        return paginator

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        cl = context.get("cl")
        if cl is not None and getattr(cl.paginator, "estimated", False):
            # Django's « Tous les 600388 sélectionnés » would give the estimate as a count.
            noun = cl.opts.verbose_name_plural
            context["selection_note_all"] = f"Toute la liste est sélectionnée ({cl.paginator.count_text} {noun})"
        return response


class HistoryAdmin(StaffAdmin, SimpleHistoryAdmin):
    change_form_template = "admin/content_change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {}
        for provide in change_form_context:
            extra.update(provide(request, object_id, self.model))
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})

    def save_model(self, request, obj, form, change):
        for hook in change_form_saving:
            hook(request, obj, form, change)
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None):
        return not is_administrator(request.user) or super().revert_disabled(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and self.revert_disabled(request):
            raise PermissionDenied("Seul un administrateur peut rétablir une version antérieure.")
        historical = getattr(self.model, self.model._meta.simple_history_manager_attribute).model
        record = historical._default_manager.filter(history_id=version_id).select_related("history_user").first()
        # The history's submit row reads ``onclick_attrib``, which its view never sets.
        extra_context = {"onclick_attrib": "", "record": record, **(extra_context or {})}
        return super().history_form_view(request, object_id, version_id, extra_context)

    # The history in French (templates/simple_history/): its titles, and every value before
    # → after written by ``common.history.shown_value``.
    def get_historical_record_context_helper(self, request, historical_record):
        return FrenchChanges(self.model, historical_record)

    def history_view_title(self, request, obj):
        return f"Historique de « {obj} »"

    def history_form_view_title(self, request, obj):
        verb = "Consulter" if self.revert_disabled(request, obj) else "Rétablir"
        return f"{verb} une version de « {obj} »"


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
        delta = record.diff_against(previous, foreign_keys_are_objs=True)
        french = FrenchChanges(type(obj), record)
        fields = ", ".join(
            f"{obj._meta.get_field(change.field).verbose_name} : {shown.old} → {shown.new}"
            for change in delta.changes
            if change.field != "updated_at"
            for shown in [french.format_delta_change(change)]
        )
        lines.append(f"{who}, le {when}" + (f" ({fields})" if fields else ""))
    return lines


def locked(queryset):
    """``queryset`` locking its rows until the transaction ends (``SELECT … FOR UPDATE``),
    inside one (the admin's save is): two saves posted at the same instant then compare
    their version one after the other — the second reads the first's and is refused."""
    if connections[router.db_for_write(queryset.model)].in_atomic_block:
        return queryset.select_for_update()
    return queryset


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
                self.fields[SEEN_VERSION] = SeenVersionField()
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
                    locked(type(self.instance)._default_manager.filter(pk=self.instance.pk))
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
