from django.contrib import admin

from actors.admin import DepartementFilter, PublishableAdmin
from actors.extensions import organisation_inlines
from common.admin import ConcurrencyGuard, HistoryAdmin

from .models import Action, Event, KeyFigure, Partnership, Programme, Quote

PERIOD_FIELDSET = (
    "Dates (à la précision connue)",
    {
        "fields": [
            ("start_day", "start_month", "start_year"),
            "since",
            ("end_day", "end_month", "end_year"),
        ],
        "description": "Ne remplir que ce que la source donne : un jour et un mois sans "
        "année, un mois et une année, ou une année seule.",
    },
)


class ProgrammeInline(admin.TabularInline):
    model = Programme
    fields = ["title", "slug", "kind", "status", "start_year", "since"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True


class QuoteInline(admin.StackedInline):
    model = Quote
    fk_name = "actor"
    fields = ["text", "context", "person_name", "person_role", "person_organisation", "event", "order"]
    autocomplete_fields = ["person_organisation", "event"]
    extra = 0


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    fk_name = "actor"
    fields = [
        "qualifier",
        "value",
        "value_text",
        "unit",
        "label",
        "frequency",
        "programme",
        "start_year",
        "since",
        "order",
    ]
    extra = 0


# The organisation form shows its programmes, quotes and key figures inline
# (``actors`` never imports ``actions``: it reads them from actors/extensions.py).
organisation_inlines.extend([ProgrammeInline, QuoteInline, KeyFigureInline])


class PartnershipInline(admin.TabularInline):
    model = Partnership
    fields = ["organisation", "role", "detail", "start_day", "start_month", "start_year", "since"]
    autocomplete_fields = ["organisation"]
    extra = 0


class ActionInline(admin.TabularInline):
    model = Action
    fk_name = "programme"
    fields = ["title", "slug", "parent", "order", "is_flagship", "status"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]
    extra = 0
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(PublishableAdmin):
    list_display = ["title", "actor", "kind", "period_display", "status", "updated_at", "public_link"]
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
class ActionAdmin(PublishableAdmin):
    list_display = ["title", "programme", "parent", "period_display", "status", "updated_at", "public_link"]
    list_filter = ["status", DepartementFilter, "sectors", "publics", "programme__actor"]
    search_fields = ["title", "description", "programme__title", "programme__actor__name"]
    list_select_related = ["programme", "parent"]
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

    @admin.display(description="période")
    def period_display(self, obj):
        return obj.period_display


@admin.register(Partnership)
class PartnershipAdmin(ConcurrencyGuard, HistoryAdmin):
    list_display = ["organisation", "role", "programme", "action", "detail"]
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


@admin.register(Event)
class EventAdmin(PublishableAdmin):
    list_display = ["title", "actor", "place", "period_display", "status", "public_link"]
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
    list_display = ["person_name", "person_role", "actor", "short_text"]
    search_fields = ["person_name", "text"]
    list_select_related = ["actor"]
    autocomplete_fields = ["actor", "person_organisation", "event"]

    @admin.display(description="citation")
    def short_text(self, obj):
        return obj.text[:80]


@admin.register(KeyFigure)
class KeyFigureAdmin(HistoryAdmin):
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
