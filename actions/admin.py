from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.forms.models import ALL_FIELDS
from django.urls import reverse

from actors.admin import DepartementFilter, PublishableAdmin
from actors.extensions import organisation_inlines
from actors.models import Organisation, Status
from common.admin import (
    ConcurrencyGuard,
    DashboardItem,
    DocumentSearch,
    HistoryAdmin,
    ManyToManyFilter,
    SizedFields,
    document_search,
)
from common.collation import FrenchKey, french

from .dates import format_partial_date, parse_partial_date, period_errors
from .models import Action, Event, KeyFigure, Partnership, Programme, Quote

# --- Periods typed in French -------------------------------------------------------------


class PartialDateField(forms.Field):
    """A date as staff type it in French (« 14 décembre », « décembre 2006 », « depuis
    2001 », « 17/01/2006 »…: ``actions.dates.parse_partial_date``), cleaned to
    ``(PartialDate, since)``. ``side`` is ``"start"`` (« depuis » allowed) or ``"end"``."""

    widget = forms.TextInput
    stored_text = ""  # the stored date as the form shows it: read back without the year check

    def __init__(self, *, side, **kwargs):
        self.side = side
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = {
            "class": "vPartialDateField",
            "maxlength": "60",
            "autocomplete": "off",
            "spellcheck": "false",
        }
        return {**super().widget_attrs(widget), **attrs}

    def to_python(self, value):
        text = str(value or "").strip()
        if self.side == "start" and text.lower().startswith("jusqu"):
            raise ValidationError("« jusqu'en … » s'écrit dans la fin de la période.", code="jusque-au-debut")
        date, since = parse_partial_date(text, plausible=text != self.stored_text)
        if since and self.side == "end":
            raise ValidationError(
                "« depuis » s'écrit dans le début ; la fin d'une période « depuis » reste vide.",
                code="depuis-a-la-fin",
            )
        return date, since

    def has_changed(self, initial, data):
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True


START_FIELDS = ("start_year", "start_month", "start_day", "since")
END_FIELDS = ("end_year", "end_month", "end_day")


class PeriodForm(forms.ModelForm):
    """The start and end of a ``PeriodMixin`` model as two French texts, « Début » and
    « Fin », stored at their precision in the seven columns (``start_year`` … ``since``).
    A date that does not exist, or an end before the start, is refused next to its field,
    and the form comes back with what was typed."""

    period_start = PartialDateField(
        side="start",
        label="Début",
        help_text="Par exemple « 17/01/2006 », « décembre 2006 », « 2006 », « 14 décembre », « depuis 2001 ».",
    )
    period_end = PartialDateField(side="end", label="Fin", help_text="Vide si toujours en cours ou inconnue.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = {
            "period_start": format_partial_date(self.instance.start, self.instance.since),
            "period_end": format_partial_date(self.instance.end),
        }
        for name, text in stored.items():
            if self._meta.fields not in (None, ALL_FIELDS) and name not in self._meta.fields:
                # Not shown: an empty value must not erase the stored date.
                self.fields.pop(name, None)
            elif name in self.fields:
                self.initial.setdefault(name, text)
                self.fields[name].stored_text = text  # saved again as is, even an unusual year

    def _period_field(self, name):
        """The field that shows the column (or side) ``name``: « Début » or « Fin »."""
        side = "period_start" if name in ("start", *START_FIELDS) else "period_end"
        return (
            side
            if side in self.fields
            else next(n for n in ("period_start", "period_end") if n in self.fields)
        )

    def clean(self):
        cleaned = super().clean()
        shown = [name for name in ("period_start", "period_end") if name in self.fields]
        if not shown or any(name not in cleaned for name in shown):
            return cleaned  # no period in this form, or a date already refused
        start, since = cleaned.get("period_start", (self.instance.start, self.instance.since))
        end, _ = cleaned.get("period_end", (self.instance.end, False))
        errors = period_errors(start, since, end)
        for side, problems in errors.items():
            self.add_error(self._period_field(side), problems)
        if not errors:
            instance = self.instance
            instance.start_year, instance.start_month, instance.start_day = start.year, start.month, start.day
            instance.since = since
            instance.end_year, instance.end_month, instance.end_day = end.year, end.month, end.day
        return cleaned

    def add_error(self, field, error):
        """The model's own checks (``clean_period``, constraints) name the columns: their
        messages go to « Début » or « Fin »."""
        if (
            field is None
            and hasattr(error, "error_dict")
            and {"period_start", "period_end"} & set(self.fields)
        ):
            moved = {}
            for name, problems in error.error_dict.items():
                target = self._period_field(name) if name in (*START_FIELDS, *END_FIELDS) else name
                moved.setdefault(target, []).extend(problems)
            error = ValidationError(moved)
        super().add_error(field, error)


class PeriodAdmin:
    """For the admin of a ``PeriodMixin`` model (and its inlines): the period as
    « Début » and « Fin » (``PeriodForm``); read-only, the same French text."""

    form = PeriodForm

    @admin.display(description="début")
    def period_start(self, obj):
        return format_partial_date(obj.start, obj.since)

    @admin.display(description="fin")
    def period_end(self, obj):
        return format_partial_date(obj.end)


# The seven columns of a period (``PeriodMixin``) as two French texts (``PeriodForm``,
# above).
PERIOD_FIELDSET = (
    "Dates",
    {
        "fields": [("period_start", "period_end")],
        "description": "Écrivez les dates comme la source les donne, à la précision connue : le jour, "
        "le mois ou l'année seule ; « 14 décembre » sans année si elle n'est pas dite ; « depuis 2001 » "
        "pour ce qui a commencé alors et continue.",
    },
)


class AddLinkOnly:
    """In an inline row, a related field keeps its « + » (a partner not yet in the
    directory) but not the edit, delete and view icons, which pushed the row onto two
    lines; the object is one click away in its own form."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and isinstance(formfield.widget, RelatedFieldWidgetWrapper):
            widget = formfield.widget
            widget.can_change_related = widget.can_delete_related = widget.can_view_related = False
        return formfield


class ProgrammeInline(PeriodAdmin, admin.TabularInline):
    model = Programme
    fields = ["title", "slug", "kind", "status", "period_start", "period_end"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True


class QuoteInline(AddLinkOnly, SizedFields, admin.StackedInline):
    model = Quote
    fk_name = "actor"
    fields = ["text", ("person_name", "person_role"), ("context", "order"), ("person_organisation", "event")]
    autocomplete_fields = ["person_organisation", "event"]
    text_rows = {"text": 3}
    extra = 0


class KeyFigureInline(AddLinkOnly, PeriodAdmin, SizedFields, admin.StackedInline):
    """Stacked, three lines a figure: ten columns did not fit the width of a screen."""

    model = KeyFigure
    fk_name = "actor"
    fields = [
        ("value", "qualifier", "unit", "frequency"),
        ("label", "value_text", "order"),
        ("programme", "period_start", "period_end"),
    ]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        """The programme of a key figure: among the actor's own."""
        formfield = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "programme":
            match = request.resolver_match
            actor_id = str(match.kwargs.get("object_id", "")) if match else ""
            # A new actor has no programme yet.
            formfield.queryset = formfield.queryset.filter(actor_id=actor_id if actor_id.isdigit() else None)
        return formfield


# The organisation form shows its programmes, quotes and key figures inline
# (``actors`` never imports ``actions``: it reads them from actors/extensions.py).
organisation_inlines.extend([ProgrammeInline, QuoteInline, KeyFigureInline])


class PartnershipInline(AddLinkOnly, PeriodAdmin, admin.TabularInline):
    model = Partnership
    fields = ["organisation", "role", "detail", "period_start", "period_end"]
    autocomplete_fields = ["organisation"]
    extra = 0


class ActionInline(AddLinkOnly, admin.TabularInline):
    model = Action
    fk_name = "programme"
    fields = ["title", "slug", "parent", "order", "is_flagship", "status"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    extra = 0
    show_change_link = True


# The actors an action list's « acteur » filter offers for what is typed in its box.
ACTOR_CHOICES = 20


class ActorFilter(admin.RelatedFieldListFilter):
    """« acteur » (``programme__actor``, its parameters unchanged): the actions of one actor,
    read by the copy of its programme's actor that each action keeps (``Action.actor``,
    indexed: no join). The filter listed the 100,000 actors, read and written into every
    page of the list (a second each time); it offers instead the actors whose name starts
    with what is typed in its box (``ACTOR_CHOICES`` at most, by the stored names' index),
    and the one chosen."""

    template = "admin/actions/actor_filter.html"
    search_parameter = "acteur"

    def __init__(self, field, request, params, model, model_admin, field_path):
        typed = params.pop(self.search_parameter, None) or [""]
        self.typed = str(typed[-1]).strip()[:100]
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "acteur"

    def has_output(self):
        return True  # the box, before anything is typed or chosen

    def field_choices(self, field, request, model_admin):
        actors = Organisation.objects.actors().only("name", "acronym")
        chosen = [value for value in self.lookup_val or [] if str(value).isdigit()]
        shown = actors.filter(pk__in=chosen)
        if self.typed:
            found = document_search(actors, self.typed, weights="A").order_by(*french("name"))
            shown = shown | actors.filter(pk__in=found.values("pk")[:ACTOR_CHOICES])
        return [(actor.pk, str(actor)) for actor in shown.order_by(*french("name"))]

    def queryset(self, request, queryset):
        if self.lookup_val:
            if not all(str(value).isdigit() for value in self.lookup_val):
                raise IncorrectLookupParameters(f"{self.lookup_kwarg} : {self.lookup_val}")
            return queryset.filter(actor_id__in=self.lookup_val)
        return queryset

    def choices(self, changelist):
        # What the box's form sends again: the list's other filters, search and order.
        own = {self.search_parameter, self.lookup_kwarg, self.lookup_kwarg_isnull}
        self.kept_parameters = [
            (name, value) for name, values in changelist.filter_params.items() if name not in own for value in values
        ]
        yield from super().choices(changelist)


@admin.register(Programme)
class ProgrammeAdmin(DocumentSearch, PeriodAdmin, PublishableAdmin):
    list_display = ["title", "actor", "kind", "period_display", "publication", "updated", "public_link"]
    text_rows = {"description": 8, "source_text": 6}
    list_filter = ["status", "kind", DepartementFilter, ("sectors", ManyToManyFilter), ("publics", ManyToManyFilter),
                   "actor__family"]  # fmt: skip
    # What the stored search document holds, and more (its territories, sectors, publics):
    # the search reads the document (``DocumentSearch``).
    search_fields = ["title", "summary", "description", "actor__name", "actor__acronym"]
    # The columns an index sorts: by actor (then title, the list's order) or by date of
    # change; sorting 200,000 programmes by title, type or status read them all.
    sortable_by = ["actor", "updated"]
    list_select_related = ["actor"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["actor", "territories", "sectors", "publics"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ActionInline, PartnershipInline]
    fieldsets = [
        (None, {"fields": ["actor", "title", "slug", "kind", "status"]}),
        ("Contenu", {"fields": ["summary", "description", "source_text"]}),
        PERIOD_FIELDSET,
        ("Classement", {"fields": ["territories", "sectors", "publics"]}),
        ("Suivi", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="période")
    def period_display(self, obj):
        return obj.period_display


@admin.register(Action)
class ActionAdmin(DocumentSearch, PeriodAdmin, PublishableAdmin):
    gender = "f"
    list_display = ["title_and_level", "programme", "period_display", "publication", "updated", "public_link"]
    text_rows = {"description": 8, "source_text": 6, "editorial_note": 2}
    list_filter = ["status", DepartementFilter, ("sectors", ManyToManyFilter), ("publics", ManyToManyFilter),
                   ("programme__actor", ActorFilter)]  # fmt: skip
    # What the stored search document holds, and more: the search reads the document.
    search_fields = ["title", "description", "programme__title", "programme__actor__name"]
    # By title, as the public list: an index gives a page of 600,000 actions in that order
    # (the model's order, by programme then actor, joined and sorted them all).
    ordering = [*french("title")]
    # The columns an index sorts (by programme or status, 600,000 actions were sorted whole).
    sortable_by = ["title_and_level", "updated"]
    list_select_related = ["programme"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["programme", "parent", "territories", "sectors", "publics"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [PartnershipInline]
    fieldsets = [
        (None, {"fields": ["programme", "parent", "title", "slug", "order", "is_flagship", "status"]}),
        ("Contenu", {"fields": ["description", "source_text", "editorial_note"]}),
        PERIOD_FIELDSET,
        ("Classement", {"fields": ["territories", "sectors", "publics"]}),
        ("Suivi", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="titre", ordering=FrenchKey("title").asc())
    def title_and_level(self, obj):
        """A sub-item of another action is marked « ↳ » (its parent is in its form)."""
        return f"↳ {obj.title}" if obj.parent_id else obj.title

    @admin.display(description="période")
    def period_display(self, obj):
        return obj.period_display


@admin.register(Partnership)
class PartnershipAdmin(PeriodAdmin, ConcurrencyGuard, HistoryAdmin):
    list_display = ["organisation", "role", "target", "period_display", "detail"]
    history_label = ["organisation__name", "programme__title", "action__title"]
    list_filter = ["role"]
    search_fields = [
        "organisation__name",
        "organisation__acronym",
        "programme__title",
        "action__title",
        "detail",
    ]
    list_select_related = ["organisation", "programme", "action"]
    autocomplete_fields = ["organisation", "programme", "action"]
    fieldsets = [
        (None, {"fields": ["organisation", "role", "detail", "programme", "action"]}),
        PERIOD_FIELDSET,
    ]

    @admin.display(description="porte sur")
    def target(self, obj):
        return obj.action or obj.programme

    @admin.display(description="période")
    def period_display(self, obj):
        return obj.period_display


@admin.register(Event)
class EventAdmin(PeriodAdmin, PublishableAdmin):
    text_rows = {"description": 6, "source_text": 6}
    list_display = ["title", "actor", "place", "period_display", "publication", "public_link"]
    list_filter = ["status"]
    search_fields = ["title", "theme", "description"]
    list_select_related = ["actor", "place"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["actor", "place", "organisers", "programme"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "actor", "programme", "organisers"]}),
        ("Contenu", {"fields": ["theme", "description", "source_text", "place"]}),
        PERIOD_FIELDSET,
    ]

    @admin.display(description="date")
    def period_display(self, obj):
        return obj.period_display


@admin.register(Quote)
class QuoteAdmin(HistoryAdmin):
    gender = "f"
    text_rows = {"text": 4}
    list_display = ["person_name", "person_role", "actor", "short_text"]
    search_fields = ["person_name", "text"]
    list_select_related = ["actor"]
    autocomplete_fields = ["actor", "person_organisation", "event"]

    @admin.display(description="citation")
    def short_text(self, obj):
        return obj.text[:80]


@admin.register(KeyFigure)
class KeyFigureAdmin(PeriodAdmin, HistoryAdmin):
    list_display = ["label", "display_value", "actor", "programme"]
    search_fields = ["label"]
    list_select_related = ["actor", "programme"]
    autocomplete_fields = ["actor", "programme"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "actor",
                    "programme",
                    "qualifier",
                    "value",
                    "value_text",
                    "unit",
                    "label",
                    "frequency",
                    "order",
                ]
            },
        ),
        PERIOD_FIELDSET,
    ]

    @admin.display(description="valeur")
    def display_value(self, obj):
        return obj.display_value


def drafts_to_publish(request):
    """On the admin home: programmes and actions in draft, waiting to go out."""
    items = []
    for model, title, text, plural in (
        (Programme, "Programmes en brouillon", "programme en brouillon", "programmes en brouillon"),
        (Action, "Actions en brouillon", "action en brouillon", "actions en brouillon"),
    ):
        if not request.user.has_perm(f"actions.change_{model._meta.model_name}"):
            continue
        url = reverse(f"admin:actions_{model._meta.model_name}_changelist") + f"?status__exact={Status.DRAFT}"
        items.append(DashboardItem.counting(title, model.objects.filter(status=Status.DRAFT), text, url, plural))
    return items
