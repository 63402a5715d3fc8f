"""« Annuaire intégré sur d'autres sites »: how often each site shows it, read-only (the
counts are written by the embedded pages alone)."""

from django.contrib import admin

from common.admin import StaffAdmin

from .models import EmbedUse


@admin.register(EmbedUse)
class EmbedUseAdmin(StaffAdmin, admin.ModelAdmin):
    gender = "m"
    list_display = ["day", "site", "kind", "count"]
    list_filter = ["kind", "day"]
    search_fields = ["host"]
    date_hierarchy = "day"
    fields = ["day", "host", "kind", "count"]
    readonly_fields = fields

    @admin.display(description="site", ordering="host")
    def site(self, use):
        return use.host or "(site inconnu : le navigateur ne l'a pas dit)"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
