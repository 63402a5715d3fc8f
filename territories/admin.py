"""The official territories in the admin: read-only for editors (« Éditeurs » may view
them, never add or change them: common/staff.py), searched by the autocomplete of every
form that places something in a territory."""

from django.contrib import admin

from common.admin import StaffAdmin
from common.collation import french

from .models import Territory


@admin.register(Territory)
class TerritoryAdmin(StaffAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "code", "parent", "current", "population"]
    list_filter = ["kind", "is_current"]
    search_fields = ["name", "code", "postcodes"]
    list_select_related = ["parent", "current"]
    autocomplete_fields = ["parent", "current", "former_region"]
    ordering = ["kind", *french("name")]
    list_per_page = 50
