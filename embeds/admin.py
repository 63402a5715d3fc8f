"""« Annuaire intégré sur d'autres sites »: how often each site shows it, read-only (the
counts are written by the embedded pages alone)."""

from datetime import timedelta

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from common.admin import DashboardItem, ReadOnlyAdmin, StaffAdmin

from .models import EmbedUse


@admin.register(EmbedUse)
class EmbedUseAdmin(ReadOnlyAdmin, StaffAdmin, admin.ModelAdmin):
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


RECENT_DAYS = 30


def sites_showing_the_directory(request):
    """On the admin home: how many sites showed the directory lately (their names: the list)."""
    if not request.user.has_perm("embeds.view_embeduse"):
        return []
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    changelist = reverse("admin:embeds_embeduse_changelist")
    sites = EmbedUse.objects.filter(day__gte=since).exclude(host="").values("host").distinct()
    return [DashboardItem.counting(
        "Annuaire intégré ailleurs", sites, f"site l'a affiché ces {RECENT_DAYS} derniers jours",
        changelist + f"?day__gte={since.isoformat()}", f"sites l'ont affiché ces {RECENT_DAYS} derniers jours",
    )]  # fmt: skip
