"""Moderation: contributions « À modérer » (counted on the admin home). The screen shows
what the public sent — read-only, the fields of its kind only — and two primary actions,
Accept and Refuse (one refusal reason); there is nothing else to save. What accepting
does, and the e-mails that say it after the fact, are in ``moderation.py``:

- a correction: « Accepter » opens the page's record with the proposal above it; saving
  the record accepts the contribution;
- a listing request: the draft record is created with every field the request gave;
- an organisation's update: the fields ticked (all by default) are applied in one save.

The record's own change form lists its contributions (``contribution_context``), and its
history names them (« Contribution n° 12 »)."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html

from actors.models import Organisation
from common.admin import DashboardItem, StaffAdmin, short_date

from . import moderation, updates, verification
from .models import Kind, State, Suggestion


class RejectionForm(forms.Form):
    reason = forms.CharField(label="Motif du refus (envoyé à l'expéditeur s'il a laissé un e-mail)",
                             widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)  # fmt: skip


def admin_url(record, view="change"):
    meta = record._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[record.pk])
    except NoReverseMatch:
        return ""


HEAD = (None, {"fields": ["kind", "state", "created_at", "sender_email"]})
FIELDSETS = {
    Kind.CORRECTION: [
        ("Correction proposée", {"fields": ["target_link", "what_is_wrong", "current_text", "proposed_text"]}),
    ],
    Kind.LISTING: [
        ("L'organisation", {"fields": ["name", "identifier", "description", "sectors", "territories_text"]}),
        ("Adresse et contact", {"fields": ["street_address", "postcode", "commune_name", "commune_found",
                                           "contact_email", "email_public", "contact_phone", "phone_public"]}),
    ],  # fmt: skip
    Kind.UPDATE: [("Fiche concernée", {"fields": ["target_link"]})],
}


@admin.register(Suggestion)
class SuggestionAdmin(StaffAdmin, admin.ModelAdmin):
    gender = "f"
    change_title = "Modérer la contribution"
    # Accepting or rejecting is what this screen is for: it has no « Enregistrer » row.
    save_on_top = False
    list_display = ["__str__", "kind", "state", "received", "sender_email"]
    list_filter = ["state", "kind"]
    search_fields = ["name", "what_is_wrong", "proposed_text", "sender_email"]
    list_select_related = ["organisation", "programme", "action"]
    change_form_template = "admin/suggestions/suggestion/change_form.html"

    def has_add_permission(self, request):
        return False  # contributions come from the public forms

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [HEAD]
        outcome = ["moderated_at", "moderated_by"]
        if obj.state == State.REJECTED:
            outcome.append("rejection_reason")
        if obj.kind == Kind.LISTING and obj.created_organisation_id:
            outcome += ["created_record", "online_notice_sent_at"]
        if obj.kind != Kind.LISTING and obj.state == State.ACCEPTED:
            outcome.append("record_history")
        shown = [HEAD, *FIELDSETS[obj.kind]]
        if obj.state != State.PENDING:
            shown.append(("Suite donnée", {"fields": outcome}))
        return shown

    def get_readonly_fields(self, request, obj=None):
        """Everything: what the public sent is theirs, and the decision is taken by the
        Accept and Refuse buttons."""
        return [name for _, options in self.get_fieldsets(request, obj) for name in options["fields"]]

    @admin.display(description="reçue le", ordering="created_at")
    def received(self, obj):
        return short_date(obj.created_at)

    @admin.display(description="page concernée")
    def target_link(self, obj):
        if obj.target is None:
            return "—"
        return format_html('<a href="{}">{}</a> (<a href="{}">page publique</a>)', admin_url(obj.target), obj.target,
                           obj.target.get_absolute_url())  # fmt: skip

    @admin.display(description="texte actuel de la page")
    def current_text(self, obj):
        target = obj.target
        if target is None:
            return "—"
        return getattr(target, "description", "") or getattr(target, "summary", "") or "(vide)"

    @admin.display(description="commune reconnue")
    def commune_found(self, obj):
        commune, problem = updates.commune_named(obj.commune_name, obj.postcode)
        if commune is None:
            return problem or "(aucune indiquée)"
        return f"{commune.name} ({commune.code}) : elle sera reprise dans la fiche"

    @admin.display(description="fiche créée")
    def created_record(self, obj):
        record = obj.created_organisation
        return format_html('<a href="{}">{}</a> ({}) — <a href="{}">historique</a>', admin_url(record), record,
                           record.get_status_display().lower(), admin_url(record, "history"))  # fmt: skip

    @admin.display(description="fiche modifiée")
    def record_history(self, obj):
        record = obj.target
        if record is None:
            return "—"
        return format_html('<a href="{}">{}</a> — <a href="{}">historique</a> (motif « {} »)', admin_url(record),
                           record, admin_url(record, "history"), obj.reference)  # fmt: skip

    def get_urls(self):
        return [
            path("<int:pk>/accepter/", self.admin_site.admin_view(self.accept),
                 name="suggestions_suggestion_accept"),
            path("<int:pk>/refuser/", self.admin_site.admin_view(self.reject),
                 name="suggestions_suggestion_reject"),
            path("lien-organisation/<int:pk>/", self.admin_site.admin_view(self.send_link),
                 name="suggestions_send_link"),
            *super().get_urls(),
        ]  # fmt: skip

    def _moderated(self, request, pk):
        suggestion = get_object_or_404(Suggestion, pk=pk)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        return suggestion

    def accept(self, request, pk):
        suggestion = self._moderated(request, pk)
        if request.method != "POST" or suggestion.state != State.PENDING:
            return redirect("admin:suggestions_suggestion_change", pk)
        if suggestion.kind == Kind.CORRECTION:
            # Accepted when the record is saved with it (moderation.applying_correction).
            return redirect(admin_url(suggestion.target) + f"?contribution={suggestion.pk}")
        if suggestion.kind == Kind.LISTING:
            organisation, notes = moderation.accept_listing(suggestion, request.user)
            messages.success(request, "Fiche créée en brouillon avec tout ce que la demande donne ; le demandeur "
                                      "est prévenu qu'elle sera publiée après vérification, puis quand vous la "
                                      "publierez.")  # fmt: skip
            for note in notes:
                messages.warning(request, note)
            return redirect(admin_url(organisation))
        fields = request.POST.getlist("fields")
        if not set(fields) & set(suggestion.proposal):
            messages.error(request, "Cochez au moins une modification à appliquer, ou refusez la contribution.")
            return redirect("admin:suggestions_suggestion_change", pk)
        applied, warnings = moderation.accept_update(suggestion, fields, request.user)
        record = suggestion.organisation
        messages.success(request, format_html(
            '{} modification(s) appliquée(s) à <a href="{}">{}</a> ; l\'organisation en est prévenue.',
            len(applied), admin_url(record), record,
        ))  # fmt: skip
        for warning in warnings:
            messages.warning(request, warning)
        return redirect("admin:suggestions_suggestion_change", pk)

    def reject(self, request, pk):
        suggestion = self._moderated(request, pk)
        form = RejectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid() and suggestion.state == State.PENDING:
            moderation.reject(suggestion, form.cleaned_data["reason"], request.user)
            messages.success(
                request, "Contribution refusée ; l'expéditeur en est informé s'il a laissé un e-mail."
            )
            return redirect("admin:suggestions_suggestion_changelist")
        messages.error(request, "Indiquez le motif du refus.")
        return redirect("admin:suggestions_suggestion_change", pk)

    def send_link(self, request, pk):
        """A new signed link for an organisation that asked for one (its last link has
        served or expired), from its change form."""
        organisation = get_object_or_404(Organisation, pk=pk)
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        if verification.can_receive_link(organisation):
            verification.send_link(organisation)
            messages.success(request, f"Un nouveau lien de vérification et de mise à jour part à {organisation.email}.")
        else:
            messages.error(request, "Seule une fiche d'acteur publiée, avec un e-mail, peut recevoir un lien.")
        return redirect(admin_url(organisation))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        suggestion = self.get_object(request, object_id)
        extra = {}
        if suggestion is not None:
            extra = {
                "rejection_form": RejectionForm(),
                "accept_url": reverse("admin:suggestions_suggestion_accept", args=[suggestion.pk]),
                "reject_url": reverse("admin:suggestions_suggestion_reject", args=[suggestion.pk]),
                "target_admin_url": admin_url(suggestion.target) if suggestion.target else "",
                "proposal_rows": proposal_rows(suggestion),
                # Nothing to save on this screen (see the module).
                "show_save": False, "show_save_and_continue": False, "show_save_and_add_another": False,
            }  # fmt: skip
        return super().change_view(request, object_id, form_url, {**extra, **(extra_context or {})})


def proposal_rows(suggestion):
    """The rows of an organisation's proposal: field, before, proposed, whether applied,
    and the record's value now when it changed since."""
    if suggestion.kind != Kind.UPDATE:
        return []
    meanwhile = updates.changed_meanwhile(suggestion) if suggestion.state == State.PENDING else {}
    return [
        {"field": field, "label": updates.label(field), "old": change["old_text"], "new": change["new_text"],
         "applied": field in suggestion.applied_fields, "now": meanwhile.get(field)}
        for field in updates.FIELDS if (change := suggestion.proposal.get(field))
    ]  # fmt: skip


def contribution_context(request, object_id, model):
    """On a record's change form: the pending correction an editor is applying
    (``?contribution=<id>``), shown above the form, and the record's contributions."""
    if model._meta.model_name not in ("organisation", "programme", "action") or not str(object_id).isdigit():
        return {"contribution": None, "record_contributions": [], "update_link_url": "", "link_days": 0}
    shown = ("pk", "kind", "status", "email") if model is Organisation else ("pk",)
    record = model._default_manager.filter(pk=object_id).only(*shown).first()
    about = list(Suggestion.objects.about(record).select_related("created_organisation")) if record else []
    may_send = (
        isinstance(record, Organisation) and verification.can_receive_link(record)
        and request.user.has_perm("suggestions.change_suggestion")
    )  # fmt: skip
    return {
        "contribution": moderation.pending_correction(request, record) if record else None,
        "record_contributions": about,
        "update_link_url": reverse("admin:suggestions_send_link", args=[record.pk]) if may_send else "",
        "link_days": settings.DIRECTORY_VERIFICATION_DAYS,
    }


def pending_contributions(request):
    """« À modérer » on the admin home."""
    if not request.user.has_perm("suggestions.change_suggestion"):
        return []
    url = reverse("admin:suggestions_suggestion_changelist") + f"?state__exact={State.PENDING}"
    return [DashboardItem.counting("À modérer", Suggestion.objects.pending(), "contribution en attente", url,
                                   "contributions en attente")]  # fmt: skip
