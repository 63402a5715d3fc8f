from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html

from common.admin import ConcurrencyGuard, HistoryAdmin

from .extensions import organisation_inlines
from .filters import DEPARTEMENTS
from .models import (
    Organisation,
    OrganisationKind,
    Public,
    Sector,
    Status,
    Territory,
)

admin.site.site_header = "Annuaire de l'ESS en Basse-Normandie — administration"
admin.site.site_title = "Administration de l'annuaire ESS"
admin.site.index_title = "Contenus de l'annuaire"


class DepartementFilter(admin.SimpleListFilter):
    """Filters by département with the public site's rule (``CoverageQuerySet``)."""

    title = "département"
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        return [(code, f"{name} ({code})") for code, name in DEPARTEMENTS]

    def queryset(self, request, queryset):
        if self.value() in dict(DEPARTEMENTS):
            return queryset.in_departement(self.value())
        return queryset


class PublishableAdmin(ConcurrencyGuard, HistoryAdmin):
    """Bulk publication actions, a public link, the status in the list; history with
    restore for administrators; no lost update (common/admin.py)."""

    actions = ["publish", "unpublish", "archive"]
    list_per_page = 50

    def _set_status(self, request, queryset, status, verb):
        """One save per object (not ``update()``): « modifié le » and everything that
        follows a save (coverage, history) stay true."""
        count = 0
        for obj in queryset.exclude(status=status):
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])
            count += 1
        self.message_user(request, f"{count} élément(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publier la sélection", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "publié(s)")

    @admin.action(description="Repasser la sélection en brouillon", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "repassé(s) en brouillon")

    @admin.action(description="Archiver la sélection", permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Status.ARCHIVED, "archivé(s)")

    @admin.display(description="page publique")
    def public_link(self, obj):
        label = "voir la page" if obj.is_published else "aperçu (brouillon)"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), label)


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "current", "population"]
    list_filter = ["kind", "is_current"]
    search_fields = ["name", "code", "postcodes"]
    list_select_related = ["parent", "current"]
    autocomplete_fields = ["parent", "current", "former_region"]
    ordering = ["kind", "name"]
    list_per_page = 50


@admin.register(Sector)
class SectorAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Public)
class PublicAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    list_display = ["name", "acronym", "kind", "family", "parent", "status", "updated_at", "public_link"]
    list_filter = ["status", "kind", "family", DepartementFilter, "sectors", "publics"]
    search_fields = ["name", "acronym", "alternate_name", "siren", "siret", "rna"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "territories", "sectors", "publics"]
    readonly_fields = ["created_at", "updated_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["name", "acronym", "alternate_name", "slug", "kind", "family", "status"]}),
        ("Présentation", {"fields": ["summary", "description", "website", "source"]}),
        ("Identifiants", {"fields": ["siren", "siret", "rna"], "classes": ["collapse"]}),
        ("Réseau et territoires", {"fields": ["parent", "territories", "sectors", "publics"]}),
        ("Suivi", {"fields": ["created_at", "updated_at"]}),
    ]

    def get_inlines(self, request, obj):
        # Programmes, quotes and key figures, added by ``actions`` (actors/extensions.py).
        return [*self.inlines, *organisation_inlines]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("kind", OrganisationKind.ACTOR)
        return initial
