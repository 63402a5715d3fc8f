import re

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from common import history
from common.admin import (
    ConcurrencyGuard,
    DashboardItem,
    HistoryAdmin,
    ManyToManyFilter,
    SizedFields,
    StaffAdmin,
    document_search,
    short_date,
    status_changed,
)
from common.collation import FrenchKey
from common.search import DOCUMENT_FIELDS
from territories.region import DEPARTEMENT_CODES, DEPARTEMENTS

from . import logos
from .duplicates import likely_duplicates
from .extensions import organisation_inlines
from .models import (
    Organisation,
    OrganisationKind,
    PositionSource,
    Public,
    Sector,
    Status,
    Succession,
    Synonym,
)

admin.site.site_header = f"{settings.DIRECTORY_SITE_NAME} — administration"
admin.site.site_title = "Administration de l'annuaire ESS"
admin.site.index_title = "Contenus de l'annuaire"
# The left-hand list of every model took a quarter of the screen, squeezing lists and
# forms between two sidebars: the breadcrumbs and the home lead everywhere instead.
admin.site.enable_nav_sidebar = False


class DepartementFilter(admin.SimpleListFilter):
    """Filters by département with the public site's rule (``CoverageQuerySet.in_departement``:
    the stored ``departement_ids``, one GIN index), the choices read from DIRECTORY_REGION."""

    title = "département"
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        return [(code, f"{name} ({code})") for code, name in DEPARTEMENTS]

    def queryset(self, request, queryset):
        if self.value() in DEPARTEMENT_CODES:
            return queryset.in_departement(self.value())
        return queryset


class PublishableAdmin(ConcurrencyGuard, HistoryAdmin):
    """Bulk publication actions, a public link, the status in the list; history with
    restore for administrators; no lost update; French titles, Save at the top
    (common/admin.py)."""

    actions = ["publish", "unpublish", "archive"]
    list_per_page = 50

    def _set_status(self, request, queryset, status, verb):
        """The whole selection in a few statements, whatever its size: the status and
        « modifié le » in one ``UPDATE``, one history record each (``common/history.py``),
        and what follows (coverage, search documents, the cache) once, by the request's
        unit of work (``common/changes.py``)."""
        model = queryset.model
        deferred = [name for name in DOCUMENT_FIELDS if hasattr(model, name)]
        objects = list(queryset.exclude(status=status).defer(*deferred))
        now = timezone.now()
        for obj in objects:
            obj.status, obj.updated_at = status, now
        # The update tells the request's unit of work what it wrote (``ChangesQuerySet``).
        model.objects.filter(pk__in=[obj.pk for obj in objects]).update(status=status, updated_at=now)
        history.record_many(model, objects, f"Action groupée : {verb}", user=request.user, date=now)
        for hook in status_changed:  # e.g. a published listing request's requester is told
            hook(request, model, objects, status)
        self.message_user(request, f"{len(objects)} élément(s) {verb}.", messages.SUCCESS)

    @admin.action(description="Publier la sélection", permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED, "publié(s)")

    @admin.action(description="Repasser la sélection en brouillon", permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT, "repassé(s) en brouillon")

    @admin.action(description="Archiver la sélection", permissions=["change"])
    def archive(self, request, queryset):
        self._set_status(request, queryset, Status.ARCHIVED, "archivé(s)")

    @admin.display(description="page")
    def public_link(self, obj):
        label, title = ("voir", "La page publique") if obj.is_published else ("aperçu", "Aperçu du brouillon")
        return format_html('<a href="{}" title="{}">{}</a>', obj.get_absolute_url(), title, label)

    @admin.display(description="modifié le", ordering="updated_at")
    def updated(self, obj):
        return short_date(obj.updated_at)

    @admin.display(description="statut", ordering="status")
    def publication(self, obj):
        return obj.get_status_display()


@admin.register(Sector)
class SectorAdmin(HistoryAdmin):
    text_rows = {"description": 4}
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Public)
class PublicAdmin(HistoryAdmin):
    text_rows = {"description": 4}
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Synonym)
class SynonymAdmin(StaffAdmin, admin.ModelAdmin):
    """The groups of words the search treats as one (common/search.py). The model's name
    is a plural (« synonymes de recherche »): its titles are written whole."""

    add_title = "Ajouter un groupe de synonymes"
    change_title = "Modifier le groupe de synonymes"
    view_title = "Consulter le groupe de synonymes"
    choose_title = "Choisir un groupe de synonymes"
    changelist_title = "Synonymes de recherche"
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]


class OrganisationForm(forms.ModelForm):
    """The logo arrives as an image file, checked from its content (Pillow), bounded in
    size and dimensions; what is stored is its page version, a file of ours
    (actors/logos.py), written only when the whole form is valid."""

    logo_file = forms.ImageField(label="logo", required=False, help_text=logos.HELP_TEXT)
    remove_logo = forms.BooleanField(label="retirer le logo", required=False)
    logo_page_version = None  # the file to store, once ``logo_file`` is clean

    def clean_logo_file(self):
        upload = self.cleaned_data.get("logo_file")
        if upload:
            self.logo_page_version = logos.checked_page_version(upload)
        return upload


class SuccessionInline(SizedFields, admin.StackedInline):
    """« Ce qu'il est devenu »: the changes that lead away from this body (renamed, merged,
    replaced), each dated at its precision and with its source (actors/successors.py)."""

    model = Succession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    fields = [("successor", "kind"), ("year", "month", "day"), "note", "source", "source_url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    verbose_name = "ce que cet organisme est devenu"
    verbose_name_plural = "ce que cet organisme est devenu (changements de nom, fusions, remplacements)"


class PredecessionInline(SuccessionInline):
    """« Anciens noms »: the same links, seen from the body that followed."""

    fk_name = "successor"
    autocomplete_fields = ["predecessor"]
    fields = [("predecessor", "kind"), ("year", "month", "day"), "note", "source", "source_url"]
    verbose_name = "ancien organisme"
    verbose_name_plural = "anciens noms et organismes remplacés"


@admin.register(Succession)
class SuccessionAdmin(HistoryAdmin):
    """Every change of name in one list, with its history (who, when, what)."""

    list_display = ["predecessor", "kind", "successor", "year", "source"]
    list_filter = ["kind"]
    search_fields = ["predecessor__name", "successor__name", "source"]
    autocomplete_fields = ["predecessor", "successor"]
    fields = [("predecessor", "kind", "successor"), ("year", "month", "day"), "note", "source", "source_url"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


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
    gender = "f"
    # What staff look for all day, on one line each at 1280 px: the family, the network and
    # the rest are filters or one click away.
    list_display = ["name_and_acronym", "kind", "publication", "verified", "updated", "public_link"]
    text_rows = {"description": 8, "opening_hours": 3}
    list_filter = ["status", "kind", "family", DepartementFilter, VerificationFilter, ("sectors", ManyToManyFilter),
                   ("publics", ManyToManyFilter)]  # fmt: skip
    # Searched by ``get_search_results``: the names (name, acronym, alternate name) from
    # the stored search documents, or an identifier.
    search_fields = ["name", "acronym", "alternate_name", "siren", "siret", "rna"]
    search_help_text = "Nom, sigle ou autre nom (le début des mots suffit), ou SIREN, SIRET, RNA."
    # The columns an index sorts (a page of 100,000 rows is read in order, not sorted whole).
    sortable_by = ["name_and_acronym", "updated"]
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
        # css/admin.css is on every admin page (templates/admin/base_site.html).
        css = {"all": ["vendor/leaflet-1.9.4/leaflet.css"]}
        js = ["vendor/leaflet-1.9.4/leaflet.js", "js/position-picker.js"]

    @admin.display(description="nom", ordering=FrenchKey("name").asc())
    def name_and_acronym(self, obj):
        return str(obj)

    def get_search_results(self, request, queryset, search_term):
        """The names — name, acronym, alternate name: the A part of the stored search
        document, by its GIN index (``document_search``) — or a SIREN, SIRET or RNA typed
        whole. ``LIKE '%…%'`` on six columns read the 100,000 rows on every search. The
        autocomplete of the forms (« réseau », « partenaire »…) searches the same way."""
        term = search_term.strip()
        if not term:
            return queryset, False
        found = document_search(queryset, term, weights="A")
        compact = re.sub(r"[\s.]", "", term).upper()
        for field, pattern in (("siren", r"\d{9}"), ("siret", r"\d{14}"), ("rna", r"W\d{9}")):
            if re.fullmatch(pattern, compact):
                found = found | queryset.filter(**{field: compact})
        return found, False

    @admin.display(description="vérifiée le", ordering="verified_at")
    def verified(self, obj):
        return short_date(obj.verified_at)

    @admin.display(description="logo actuel")
    def logo_preview(self, obj):
        if not obj.logo:
            return "aucun"
        return format_html('<img src="{}" alt="" class="logo-preview">', obj.logo.url)

    def save_model(self, request, obj, form, change):
        if form.cleaned_data.get("remove_logo"):
            obj.replace_logo(None)
        elif form.logo_page_version is not None:
            obj.replace_logo(form.logo_page_version)
        if {"latitude", "longitude"} & set(form.changed_data):
            obj.position_source = PositionSource.STAFF if obj.has_position else ""
        super().save_model(request, obj, form, change)
        # The same SIRET is refused by the form (a unique constraint); the rest is a warning.
        for duplicate in likely_duplicates(obj):
            url = reverse("admin:actors_organisation_change", args=[duplicate.organisation.pk])
            self.message_user(
                request,
                format_html('{} <a href="{}">Voir la fiche</a>', duplicate.message(), url),
                messages.WARNING,
            )

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
        # Programmes, quotes and key figures, added by ``actions`` (actors/extensions.py);
        # a partner's old and new names.
        # (on a saved partner: a new record's kind is not known yet)
        own = [SuccessionInline, PredecessionInline] if obj is not None and not obj.is_actor else []
        return [*self.inlines, *own, *organisation_inlines]

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
    # Counted up to DASHBOARD_CAP only (« plus de 1 000 »): the home is seen all day.
    return [
        DashboardItem.counting("À revérifier", actors.published().stale(), "fiche publiée non vérifiée récemment",
                               changelist + "?verification=a-revoir", "fiches publiées non vérifiées récemment"),
        DashboardItem.counting("Acteurs en brouillon", actors.filter(status=Status.DRAFT), "acteur en brouillon",
                               changelist + f"?status__exact={Status.DRAFT}", "acteurs en brouillon"),
    ]  # fmt: skip
