"""What staff see of the followed searches: how many people follow which filters, counted
by filters — never an address. An administrator (only) may export the addresses, for a
legal request (a person asking what is kept about them, or to have it erased)."""

import csv
import io

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone

from common.admin import ReadOnlyAdmin
from common.csv import safe_cell
from common.staff import is_administrator

from . import searches
from .models import Frequency, SavedSearch


@admin.register(SavedSearch)
class SavedSearchAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    def get_urls(self):
        return [
            path("adresses.csv", self.admin_site.admin_view(self.export_view), name="follows_savedsearch_export"),
            *super().get_urls(),
        ]

    def summary(self):
        rows = (
            SavedSearch.objects.values("query")
            .annotate(
                confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
                weekly=Count("pk", filter=Q(confirmed_at__isnull=False, frequency=Frequency.WEEKLY)),
                daily=Count("pk", filter=Q(confirmed_at__isnull=False, frequency=Frequency.DAILY)),
                waiting=Count("pk", filter=Q(confirmed_at__isnull=True)),
            )
            .order_by("-confirmed", "query")
        )
        return [{**row, "label": searches.summary(row["query"]), "list_url": reverse("actors:list") + (
            f"?{row['query']}" if row["query"] else "")} for row in rows]  # fmt: skip

    def changelist_view(self, request, extra_context=None):
        """Counts by filters, no row of anyone."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        rows = self.summary()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Recherches suivies",
            "rows": rows,
            "total": sum(row["confirmed"] for row in rows),
            "waiting": sum(row["waiting"] for row in rows),
            "can_export": is_administrator(request.user),
            "export_url": reverse("admin:follows_savedsearch_export"),
        }
        return TemplateResponse(request, "admin/follows/savedsearch/summary.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        raise PermissionDenied  # one person's row is never shown: the export is the way

    def export_view(self, request):
        """Every address with its filters and dates, in CSV: administrators only."""
        if not is_administrator(request.user):
            raise PermissionDenied
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["E-mail", "Recherche suivie", "Fréquence", "Demandée le", "Confirmée le", "Dernier envoi"])
        for search in SavedSearch.objects.order_by("email", "pk"):
            writer.writerow([safe_cell(value) for value in (
                search.email, searches.summary(search.query), search.get_frequency_display(),
                *(moment.isoformat() if moment else "" for moment in (search.created_at, search.confirmed_at,
                                                                      search.last_sent_at)),
            )])  # fmt: skip
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        name = f"recherches-suivies-adresses-{timezone.localdate().isoformat()}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["Cache-Control"] = "no-store"
        return response
