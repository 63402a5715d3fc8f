"""Public forms: report a mistake on a page (``<page>/signaler/``), ask to be listed
(``/referencer/``), confirm one's listing or bring it up to date from a signed link
(``/verifier/<jeton>/``, ``/verifier/<jeton>/modifier/``)."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from actions.models import Action, Programme
from actors.models import Organisation
from common.client import client_address
from common.redirects import back_to

from . import verification
from .forms import CorrectionForm, ListingForm, OrganisationUpdateForm
from .models import Kind, Suggestion
from .moderation import notify_staff

TARGETS = {
    "acteur": (Organisation, lambda: Organisation.objects.actors().published(), "organisation"),
    "programme": (Programme, lambda: Programme.objects.published(), "programme"),
    "action": (Action, lambda: Action.objects.published(), "action"),
}


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
            return redirect(reverse("suggestions:thanks") + "?" + urlencode({"retour": target.get_absolute_url()}))
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
    back = back_to(request.GET.get("retour", ""))
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
        request,
        "suggestions/verify.html",
        {"organisation": organisation, "today": timezone.localdate(), "token": token},
    )


@require_http_methods(["GET", "POST"])
def update(request, token):
    """The organisation's record in a form, filled in with its public fields; what it
    changes reaches moderation as a proposal, field by field (old → new), and the link
    has then served (``verification.read``)."""
    organisation, problem = verification.read(token)
    if organisation is None:
        return render(request, "suggestions/verify_invalid.html", {"problem": problem}, status=400)
    form = OrganisationUpdateForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        changes = form.changes
        if not changes:
            form.add_error(None, "Vous n'avez rien modifié. Si tout est exact, revenez à la page précédente et "
                                 "confirmez-le avec le bouton « Ces informations sont toujours exactes ».")  # fmt: skip
        else:
            with transaction.atomic():
                suggestion = Suggestion.objects.create(
                    kind=Kind.UPDATE, organisation_id=organisation.pk, proposal=changes,
                    sender_email=form.cleaned_data["sender_email"] or form.original["email"],
                )  # fmt: skip
                notify_staff(suggestion)
            return redirect("suggestions:update-sent")
    return render(
        request,
        "suggestions/update.html",
        # The name it had: the form writes what is typed into the record it checks (never saved).
        {"form": form, "organisation": organisation, "name": form.original["name"], "token": token},
        status=400 if form.errors else 200,
    )


def update_sent(request):
    return render(request, "suggestions/update_sent.html", {"contact_email": settings.DIRECTORY_CONTACT_EMAIL})
