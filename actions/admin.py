from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.urls import reverse

from actors.admin import DepartementFilter, PeriodAdmin, PublishableAdmin
from actors.extensions import organisation_inlines
from actors.models import Status
from common.admin import ConcurrencyGuard, DashboardItem, HistoryAdmin, SizedFields
from common.collation import FrenchKey

from .models import Action, Event, KeyFigure, Partnership, Programme, Quote

# The seven columns of a period (``PeriodMixin``) as two French texts (actors/admin.py,
# ``PeriodForm``).
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


@admin.register(Programme)
class ProgrammeAdmin(PeriodAdmin, PublishableAdmin):
    list_display = ["title", "actor", "kind", "period_display", "publication", "updated", "public_link"]
    text_rows = {"description": 8, "source_text": 6}
    list_filter = ["status", "kind", DepartementFilter, "sectors", "publics", "actor__family"]
    search_fields = ["title", "summary", "description", "actor__name", "actor__acronym"]
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
class ActionAdmin(PeriodAdmin, PublishableAdmin):
    gender = "f"
    list_display = ["title_and_level", "programme", "period_display", "publication", "updated", "public_link"]
    text_rows = {"description": 8, "source_text": 6, "editorial_note": 2}
    list_filter = ["status", DepartementFilter, "sectors", "publics", "programme__actor"]
    search_fields = ["title", "description", "programme__title", "programme__actor__name"]
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
        count = model.objects.filter(status=Status.DRAFT).count()
        items.append(DashboardItem(title, count, text, url, plural))
    return items
