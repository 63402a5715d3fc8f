"""Public forms: report a mistake on a page (``<page>/signaler/``), ask to be listed
(``/referencer/``), confirm one's listing from a signed link (``/verifier/<jeton>/``)."""

from django.conf import settings
from django.contrib import messages
from django.core.mail import mail_managers, send_mail
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions.models import Action, Programme
from actors.models import Organisation
from common.client import client_address

from . import verification
from .forms import CorrectionForm, ListingForm
from .models import Kind

TARGETS = {
    "acteur": (Organisation, lambda: Organisation.objects.actors().published(), "organisation"),
    "programme": (Programme, lambda: Programme.objects.published(), "programme"),
    "action": (Action, lambda: Action.objects.published(), "action"),
}


def notify_staff(suggestion):
    """E-mail to the moderators (settings.MANAGERS): a contribution waits."""
    url = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    mail_managers(
        f"Contribution à modérer : {suggestion}",
        f"Une contribution attend une modération :\n\n{suggestion}\n\n{settings.DIRECTORY_SITE_URL}{url}\n",
    )


@require_http_methods(["GET", "POST"])
def report(request, kind, slug):
    model, queryset, field = TARGETS[kind]
    target = get_object_or_404(queryset(), slug=slug)
    form = CorrectionForm(request.POST or None, client_address=client_address(request))
    if request.method == "POST" and form.is_valid():
        if not form.check_rate():
            form.add_error(None, "Trop d'envois depuis votre adresse en une heure : réessayez plus tard.")
        else:
            suggestion = form.save(commit=False)
            suggestion.kind = Kind.CORRECTION
            setattr(suggestion, field, target)
            suggestion.save()
            notify_staff(suggestion)
            return redirect(reverse("suggestions:thanks") + "?" + "retour=" + target.get_absolute_url())
    status = 400 if form.errors else 200
    return render(
        request, "suggestions/report.html", {"form": form, "target": target, "kind": kind}, status=status
    )


@require_http_methods(["GET", "POST"])
def listing(request):
    form = ListingForm(request.POST or None, client_address=client_address(request))
    if request.method == "POST" and form.is_valid():
        if not form.check_rate():
            form.add_error(None, "Trop d'envois depuis votre adresse en une heure : réessayez plus tard.")
        else:
            suggestion = form.save()
            notify_staff(suggestion)
            return redirect("suggestions:thanks")
    return render(request, "suggestions/listing.html", {"form": form}, status=400 if form.errors else 200)


def thanks(request):
    back = request.GET.get("retour", "")
    if not back.startswith("/") or back.startswith("//"):
        back = ""
    return render(request, "suggestions/thanks.html", {"back": back})


@require_http_methods(["GET", "POST"])
def verify(request, token):
    """The organisation confirms its listing: valid link → one button; expired or altered
    link → a French explanation, nothing changes."""
    organisation, problem = verification.read(token)
    if organisation is None:
        return render(request, "suggestions/verify_invalid.html", {"problem": problem}, status=400)
    if request.method == "POST":
        verification.confirm(organisation)
        messages.success(
            request, "Merci : les informations de votre fiche sont marquées comme vérifiées aujourd'hui."
        )
        return redirect(organisation.get_absolute_url())
    return render(
        request, "suggestions/verify.html", {"organisation": organisation, "today": timezone.localdate()}
    )


def outcome_email(suggestion):
    """Tells the sender, when they left an e-mail, what became of their contribution."""
    if not suggestion.sender_email:
        return
    if suggestion.state == "acceptee":
        body = (
            "Merci : votre contribution a été acceptée par l'équipe de la CRESS. La fiche a été mise à jour."
        )
    else:
        body = "Votre contribution n'a pas été retenue par l'équipe de la CRESS."
        if suggestion.rejection_reason:
            body += f"\n\nMotif : {suggestion.rejection_reason}"
    send_mail(f"Votre contribution à l'annuaire : {suggestion}", body, None, [suggestion.sender_email])
