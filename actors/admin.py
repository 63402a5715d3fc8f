from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from PIL import Image

from common.admin import ConcurrencyGuard, DashboardItem, HistoryAdmin

from .extensions import organisation_inlines
from .filters import DEPARTEMENTS
from .models import (
    Organisation,
    OrganisationKind,
    PositionSource,
    Public,
    Sector,
    Status,
    Territory,
)

LOGO_MAX_BYTES = 300_000
LOGO_MAX_SIDE = 1200
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


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


class OrganisationForm(forms.ModelForm):
    """The logo arrives as an image file, checked from its content (Pillow), bounded in
    size and dimensions, and stored in the database (no local file: every machine serves
    it)."""

    logo_file = forms.ImageField(
        label="logo", required=False,
        help_text=f"PNG, JPEG ou WebP, {LOGO_MAX_BYTES // 1000} Ko et {LOGO_MAX_SIDE} × {LOGO_MAX_SIDE} pixels au plus.",
    )  # fmt: skip
    remove_logo = forms.BooleanField(label="retirer le logo", required=False)

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if not upload:
            return upload
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(f"Le logo dépasse {LOGO_MAX_BYTES // 1000} Ko.")
        image = upload.image  # opened and verified by Django's ImageField (Pillow)
        if image.format not in LOGO_FORMATS:
            raise forms.ValidationError("Le logo doit être une image PNG, JPEG ou WebP.")
        if max(image.size) > LOGO_MAX_SIDE:
            raise forms.ValidationError(f"Le logo dépasse {LOGO_MAX_SIDE} pixels de côté.")
        return upload


class VerificationFilter(admin.SimpleListFilter):
    """« Fiches à revoir »: published actors never verified, or not for
    DIRECTORY_REVERIFY_MONTHS months (OrganisationQuerySet.stale)."""

    title = "vérification"
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("a-revoir", "À revoir"), ("a-jour", "Vérifiées récemment")]

    def queryset(self, request, queryset):
        if self.value() == "a-revoir":
            return queryset.actors().published().stale()
        if self.value() == "a-jour":
            return queryset.exclude(pk__in=queryset.stale().values("pk")).filter(verified_at__isnull=False)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(PublishableAdmin):
    form = OrganisationForm
    list_display = [
        "name",
        "acronym",
        "kind",
        "family",
        "parent",
        "status",
        "verified_at",
        "updated_at",
        "public_link",
    ]
    list_filter = ["status", "kind", "family", DepartementFilter, VerificationFilter, "sectors", "publics"]
    search_fields = ["name", "acronym", "alternate_name", "siren", "siret", "rna"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "territories", "sectors", "publics", "commune"]
    readonly_fields = ["created_at", "updated_at", "position_source", "logo_preview"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = [*PublishableAdmin.actions, "mark_verified"]
    change_form_template = "admin/actors/organisation/change_form.html"
    fieldsets = [
        (None, {"fields": ["name", "acronym", "alternate_name", "slug", "kind", "family", "status"]}),
        (
            "Présentation",
            {
                "fields": [
                    "summary",
                    "description",
                    "website",
                    "logo_preview",
                    "logo_file",
                    "remove_logo",
                    "source",
                    "source_period",
                ]
            },
        ),  # fmt: skip
        (
            "Coordonnées",
            {
                "fields": [
                    "street_address",
                    ("postcode", "commune"),
                    "opening_hours",
                    ("phone", "phone_public"),
                    ("email", "email_public"),
                ],
                "description": "Le téléphone et l'e-mail ne sont publiés que si l'organisation l'a accepté : cochez "
                "la case quand elle vous l'a confirmé (l'historique garde qui l'a cochée et quand).",
            },
        ),  # fmt: skip
        (
            "Position sur la carte",
            {
                "fields": [("latitude", "longitude"), "position_source"],
                "description": "Cliquez sur la carte pour placer l'organisation, ou laissez vide : la commande "
                "« geocode » la calcule depuis l'adresse (Base adresse nationale).",
            },
        ),  # fmt: skip
        ("Identifiants", {"fields": ["siren", "siret", "rna"], "classes": ["collapse"]}),
        ("Réseau et territoires", {"fields": ["parent", "territories", "sectors", "publics"]}),
        ("Suivi", {"fields": ["verified_at", "created_at", "updated_at"]}),
    ]

    class Media:
        css = {"all": ["vendor/leaflet-1.9.4/leaflet.css", "css/admin.css"]}
        js = ["vendor/leaflet-1.9.4/leaflet.js", "js/position-picker.js"]

    @admin.display(description="logo actuel")
    def logo_preview(self, obj):
        if not obj.logo:
            return "aucun"
        return format_html(
            '<img src="{}" alt="" class="logo-preview">', reverse("actors:logo", args=[obj.slug])
        )

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("logo_file")
        if form.cleaned_data.get("remove_logo"):
            obj.logo, obj.logo_type = None, ""
        elif upload:
            upload.seek(0)
            obj.logo, obj.logo_type = upload.read(), Image.MIME[upload.image.format]
        if {"latitude", "longitude"} & set(form.changed_data):
            obj.position_source = PositionSource.STAFF if obj.has_position else ""
        super().save_model(request, obj, form, change)

    @admin.action(description="Marquer comme vérifiées aujourd'hui", permissions=["change"])
    def mark_verified(self, request, queryset):
        count = 0
        for organisation in queryset:
            organisation.verified_at = timezone.localdate()
            organisation.save(update_fields=["verified_at", "updated_at"])
            count += 1
        self.message_user(
            request, f"{count} fiche(s) marquée(s) comme vérifiée(s) aujourd'hui.", messages.SUCCESS
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/verifiee/",
                self.admin_site.admin_view(self.verified_view),
                name="actors_organisation_verified",
            ),
            *super().get_urls(),
        ]

    def verified_view(self, request, pk):
        """The one-click « vérifiée aujourd'hui » of the change form."""
        organisation = get_object_or_404(Organisation, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request, organisation):
            raise PermissionDenied
        organisation.verified_at = timezone.localdate()
        organisation.save(update_fields=["verified_at", "updated_at"])
        self.message_user(request, "Fiche marquée comme vérifiée aujourd'hui.", messages.SUCCESS)
        return redirect("admin:actors_organisation_change", pk)

    def get_inlines(self, request, obj):
        # Programmes, quotes and key figures, added by ``actions`` (actors/extensions.py).
        return [*self.inlines, *organisation_inlines]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("kind", OrganisationKind.ACTOR)
        return initial


def actors_to_review(request):
    """On the admin home: actors never or long unverified, and drafts waiting to go out."""
    if not request.user.has_perm("actors.change_organisation"):
        return []
    changelist = reverse("admin:actors_organisation_changelist")
    actors = Organisation.objects.actors()
    return [
        DashboardItem("À revérifier", actors.published().stale().count(), "fiche publiée non vérifiée récemment",
                      changelist + "?verification=a-revoir", "fiches publiées non vérifiées récemment"),
        DashboardItem("Brouillons", actors.filter(status=Status.DRAFT).count(), "acteur en brouillon",
                      changelist + f"?status__exact={Status.DRAFT}", "acteurs en brouillon"),
    ]  # fmt: skip
