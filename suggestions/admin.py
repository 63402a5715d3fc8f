"""Moderation: contributions « À modérer » (counted on the admin home). An editor
accepts — a listing request becomes a draft actor; a correction opens the page's object
with the proposal beside the current text — or rejects with a reason. The sender, when
they left an e-mail, is told the outcome."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import slugify

from actors.models import Organisation, OrganisationKind, Status
from actors.validators import validate_rna, validate_siren, validate_siret
from common.admin import DashboardItem, StaffAdmin, short_date

from .models import Kind, State, Suggestion
from .views import outcome_email


class RejectionForm(forms.Form):
    reason = forms.CharField(label="Motif du refus (envoyé à l'expéditeur s'il a laissé un e-mail)",
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)  # fmt: skip


def unique_slug(name):
    base = slugify(name)[:100] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def identifiers(value):
    """{field: value} for a SIREN, SIRET or RNA that is valid; {} otherwise."""
    for field, validator, length in (
        ("siren", validate_siren, 9),
        ("siret", validate_siret, 14),
        ("rna", validate_rna, 10),
    ):
        if len(value) == length:
            try:
                validator(value)
            except Exception:  # noqa: BLE001 - an invalid identifier is simply not copied
                return {}
            return {field: value, **({"siren": value[:9]} if field == "siret" else {})}
    return {}


@admin.register(Suggestion)
class SuggestionAdmin(StaffAdmin, admin.ModelAdmin):
    gender = "f"
    # Accepting or rejecting is what this form is for (the box above it): a second row of
    # « Enregistrer » buttons at the top would only compete with them.
    save_on_top = False
    list_display = ["__str__", "kind", "state", "received", "sender_email"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "what_is_wrong", "proposed_text", "sender_email"]
    list_select_related = ["organisation", "programme", "action"]
    readonly_fields = ["kind", "state", "target_link", "current_text", "created_at", "moderated_at", "moderated_by",
                       "created_organisation"]  # fmt: skip
    fieldsets = [
        (None, {"fields": ["kind", "state", "target_link", "created_at"]}),
        ("Correction proposée", {"fields": ["what_is_wrong", "current_text", "proposed_text"]}),
        (
            "Demande de référencement",
            {
                "fields": [
                    "name",
                    "identifier",
                    "street_address",
                    "postcode",
                    "commune_name",
                    "contact_email",
                    "contact_phone",
                    "sectors",
                    "territories_text",
                    "description",
                ]
            },
        ),  # fmt: skip
        (
            "Réponse",
            {
                "fields": [
                    "sender_email",
                    "rejection_reason",
                    "moderated_at",
                    "moderated_by",
                    "created_organisation",
                ]
            },
        ),  # fmt: skip
    ]
    change_form_template = "admin/suggestions/suggestion/change_form.html"

    def has_add_permission(self, request):
        return False  # contributions come from the public forms

    @admin.display(description="reçue le", ordering="created_at")
    def received(self, obj):
        return short_date(obj.created_at)

    @admin.display(description="page concernée")
    def target_link(self, obj):
        if obj.target is None:
            return "—"
        return format_html('<a href="{}">{}</a> (<a href="{}">page publique</a>)', obj.target_admin_url(), obj.target,
                           obj.target.get_absolute_url())  # fmt: skip

    @admin.display(description="texte actuel de la page")
    def current_text(self, obj):
        target = obj.target
        if target is None:
            return "—"
        return getattr(target, "description", "") or getattr(target, "summary", "") or "(vide)"

    def get_urls(self):
        return [
            path(
                "<int:pk>/accepter/",
                self.admin_site.admin_view(self.accept),
                name="suggestions_suggestion_accept",
            ),
            path(
                "<int:pk>/refuser/",
                self.admin_site.admin_view(self.reject),
                name="suggestions_suggestion_reject",
            ),
            *super().get_urls(),
        ]

    def _pending(self, request, pk):
        suggestion = get_object_or_404(Suggestion, pk=pk)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        return suggestion

    def _close(self, request, suggestion, state):
        suggestion.state = state
        suggestion.moderated_at = timezone.now()
        suggestion.moderated_by = request.user
        suggestion.save()
        outcome_email(suggestion)

    @transaction.atomic
    def accept(self, request, pk):
        suggestion = self._pending(request, pk)
        if request.method != "POST" or suggestion.state != State.PENDING:
            return redirect("admin:suggestions_suggestion_change", pk)
        if suggestion.kind == Kind.LISTING:
            organisation = Organisation(
                name=suggestion.name, slug=unique_slug(suggestion.name), kind=OrganisationKind.ACTOR,
                status=Status.DRAFT, street_address=suggestion.street_address, postcode=suggestion.postcode,
                email=suggestion.contact_email, phone=suggestion.contact_phone, description=suggestion.description,
                source=f"Demande de référencement reçue le {suggestion.created_at:%d/%m/%Y}",
                **identifiers(suggestion.identifier),
            )  # fmt: skip
            organisation._change_reason = f"Créée depuis la demande de référencement n° {suggestion.pk}"
            organisation.save()
            organisation.sectors.set(suggestion.sectors.all())
            suggestion.created_organisation = organisation
            self._close(request, suggestion, State.ACCEPTED)
            messages.success(request, "Fiche créée en brouillon : complétez-la (commune, territoires, contacts avec "
                                      "l'accord de l'organisation), puis publiez-la.")  # fmt: skip
            return redirect("admin:actors_organisation_change", organisation.pk)
        self._close(request, suggestion, State.ACCEPTED)
        messages.success(request, "Correction acceptée : reportez-la dans la fiche ci-dessous (la proposition est "
                                  "affichée en haut), puis enregistrez.")  # fmt: skip
        return redirect(suggestion.target_admin_url() + f"?contribution={suggestion.pk}")

    def reject(self, request, pk):
        suggestion = self._pending(request, pk)
        form = RejectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and suggestion.state == State.PENDING:
            suggestion.rejection_reason = form.cleaned_data["reason"]
            self._close(request, suggestion, State.REJECTED)
            messages.success(
                request, "Contribution refusée ; l'expéditeur en est informé s'il a laissé un e-mail."
            )
            return redirect("admin:suggestions_suggestion_changelist")
        messages.error(request, "Indiquez le motif du refus.")
        return redirect("admin:suggestions_suggestion_change", pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = {"rejection_form": RejectionForm(), "accept_url": reverse("admin:suggestions_suggestion_accept",
                 args=[object_id]), "reject_url": reverse("admin:suggestions_suggestion_reject", args=[object_id])}  # fmt: skip
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})


def contribution_context(request, object_id):
    """The accepted contribution an editor is applying (``?contribution=<id>``): shown at
    the top of the page's change form, beside the current text."""
    pk = request.GET.get("contribution", "")
    return {"contribution": Suggestion.objects.filter(pk=pk).first() if pk.isdigit() else None}


def pending_contributions(request):
    """« À modérer » on the admin home."""
    if not request.user.has_perm("suggestions.change_suggestion"):
        return []
    url = reverse("admin:suggestions_suggestion_changelist") + f"?state__exact={State.PENDING}"
    return [DashboardItem.counting("À modérer", Suggestion.objects.pending(), "contribution en attente", url,
                                   "contributions en attente")]  # fmt: skip
