"""What moderation does to the records, and the e-mails that say so. Each e-mail is sent
through ``jobs.mail``, so it leaves only once the transaction that did what it announces
has committed, and says exactly that:

- a **correction** is accepted when an editor saves the page's record from the form
  opened with the contribution (``?contribution=N``, ``applying_correction``): the record's
  history names the contribution, and only then is the sender told « la fiche a été mise
  à jour »;
- a **listing request** accepted becomes a draft with everything the request gave; the
  requester is told the request is accepted and that the record will be published after
  checking — and, once an editor publishes it (``publication_notices``), that it is online;
- an **organisation's update** is applied field by field (``updates.apply``), and the
  organisation told which fields changed;
- a **refusal** tells the sender why.
"""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from actors.models import Organisation, OrganisationKind, Status
from actors.validators import validate_rna, validate_siren, validate_siret
from jobs import mail

from . import updates
from .models import Kind, State, Suggestion

SIGNATURE = "\n\nL'équipe de la CRESS"


def public_url(record):
    return settings.DIRECTORY_SITE_URL + record.get_absolute_url()


def notify_staff(suggestion):
    """To the moderators (settings.MANAGERS): a contribution waits."""
    url = reverse("admin:suggestions_suggestion_change", args=[suggestion.pk])
    mail.send_to_staff(
        f"Contribution à modérer : {suggestion}",
        f"Une contribution attend une modération :\n\n{suggestion}\n\n{settings.DIRECTORY_SITE_URL}{url}\n",
    )


def close(suggestion, state, user):
    suggestion.state = state
    suggestion.moderated_at = timezone.now()
    suggestion.moderated_by = user
    suggestion.save()


# --- corrections ---------------------------------------------------------------------


def pending_correction(request, record):
    """The pending correction about ``record`` an editor opened its form with
    (``?contribution=N``), or None."""
    pk = request.GET.get("contribution", "")
    if not pk.isdigit() or record is None or record.pk is None:
        return None
    suggestion = Suggestion.objects.filter(pk=pk, kind=Kind.CORRECTION, state=State.PENDING).first()
    if suggestion is None or suggestion.target != record:
        return None
    return suggestion


def applying_correction(request, record, form, change):
    """Called in the save of a content change form (``common.admin.change_form_saving``),
    before the record is saved and in the same transaction: the save of a record opened
    with a pending correction accepts it. The history names the contribution; the sender
    is told once the save has committed."""
    suggestion = pending_correction(request, record) if change else None
    if suggestion is None:
        return
    if not form.has_changed():
        # « La fiche a été mise à jour » would be untrue: nothing waits accepted.
        messages.warning(request, f"Aucun champ de la fiche n'a changé : la {suggestion.reference.lower()} reste à "
                                  "modérer (refusez-la, avec un motif, si elle n'est pas fondée).")  # fmt: skip
        return
    record._change_reason = f"{suggestion.reference} (erreur signalée)"
    close(suggestion, State.ACCEPTED, request.user)
    published = getattr(record, "is_published", True)
    where = f" :\n\n{public_url(record)}" if published else "."
    mail.send(
        "Votre contribution à l'annuaire : la fiche a été mise à jour",
        f"Bonjour,\n\nMerci : votre contribution sur « {record} » a été acceptée par l'équipe de la CRESS, "
        f"et la fiche a été mise à jour{where}{SIGNATURE}",
        [suggestion.sender_email],
    )


# --- listing requests ----------------------------------------------------------------


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


@transaction.atomic
def accept_listing(suggestion, user):
    """The draft record of a listing request, with every field it gave: name, identifier,
    address, commune (read from its name and postcode), contacts with the organisation's
    consent, sectors, description. Returns (the record, French notes of what is left to
    do)."""
    commune, problem = updates.commune_named(suggestion.commune_name, suggestion.postcode)
    organisation = Organisation(
        name=suggestion.name, slug=unique_slug(suggestion.name), kind=OrganisationKind.ACTOR, status=Status.DRAFT,
        street_address=suggestion.street_address, postcode=suggestion.postcode, commune=commune,
        email=suggestion.contact_email, email_public=bool(suggestion.contact_email and suggestion.email_public),
        phone=suggestion.contact_phone, phone_public=bool(suggestion.contact_phone and suggestion.phone_public),
        description=suggestion.description,
        source=f"Demande de référencement reçue le {suggestion.created_at:%d/%m/%Y} ({suggestion.reference})",
        **identifiers(suggestion.identifier),
    )  # fmt: skip
    organisation._change_reason = f"{suggestion.reference} (demande de référencement)"
    organisation._history_user = user
    organisation.save()
    organisation.sectors.set(suggestion.sectors.all())
    suggestion.created_organisation = organisation
    close(suggestion, State.ACCEPTED, user)
    mail.send(
        "Votre demande de référencement est acceptée",
        f"Bonjour,\n\nVotre demande de référencement de « {suggestion.name} » est acceptée : l'équipe de la CRESS "
        "a créé sa fiche, qui sera publiée après vérification. Vous recevrez un autre e-mail quand elle sera en "
        f"ligne.{SIGNATURE}",
        [suggestion.sender_email],
    )  # fmt: skip
    notes = []
    if problem:
        notes.append(f"Commune « {suggestion.commune_name} » : {problem} Choisissez-la dans la fiche.")
    if suggestion.territories_text:
        notes.append(f"Territoires indiqués : « {suggestion.territories_text} » — à choisir dans la fiche.")
    return organisation, notes


def publication_notices(organisations):
    """Tells the requesters of the records among ``organisations`` now published that their
    record is online, once (after the commit of the publication)."""
    published = [o.pk for o in organisations if o.pk and o.status == Status.PUBLISHED]
    if not published:
        return
    requests = Suggestion.objects.filter(
        kind=Kind.LISTING, state=State.ACCEPTED, created_organisation__in=published, online_notice_sent_at=None
    ).select_related("created_organisation")
    for suggestion in requests:
        record = suggestion.created_organisation
        mail.send(
            f"La fiche de « {record.name} » est en ligne",
            f"Bonjour,\n\nLa fiche de « {record.name} » est en ligne dans l'annuaire de l'ESS :\n\n"
            f"{public_url(record)}\n\nMerci de votre demande.{SIGNATURE}",
            [suggestion.sender_email],
        )
    requests.update(online_notice_sent_at=timezone.now())


def publishing(request, record, form, change):
    """Called in the save of a content change form: a record published from its form."""
    if isinstance(record, Organisation):
        publication_notices([record])


def published_in_bulk(request, model, records, status):
    """Called after the bulk action « Publier la sélection »."""
    if model is Organisation and status == Status.PUBLISHED:
        publication_notices(records)


# --- an organisation's update ----------------------------------------------------------


@transaction.atomic
def accept_update(suggestion, fields, user):
    """Applies the chosen fields of an organisation's proposal (``updates.apply``), closes
    the contribution and tells the organisation which fields changed. Returns (the fields
    applied, warnings)."""
    applied, warnings = updates.apply(suggestion, fields, user)
    suggestion.applied_fields = applied
    close(suggestion, State.ACCEPTED, user)
    record = suggestion.organisation
    lines = [
        f"- {updates.label(field)} : « {suggestion.proposal[field]['new_text']} »" for field in applied
    ]
    left = [updates.label(field) for field in suggestion.proposal if field not in applied]
    body = (
        f"Bonjour,\n\nMerci : l'équipe de la CRESS a mis à jour la fiche de « {record.name} » avec les "
        "modifications que vous avez proposées :\n\n" + "\n".join(lines)
    )
    if left:
        body += "\n\nNon retenues : " + ", ".join(left) + "."
    where = f"\n\nLa fiche : {public_url(record)}" if record.is_published else ""
    mail.send("Votre fiche dans l'annuaire a été mise à jour", body + where + SIGNATURE, [suggestion.sender_email])
    return applied, warnings


# --- refusal ---------------------------------------------------------------------------


@transaction.atomic
def reject(suggestion, reason, user):
    suggestion.rejection_reason = reason
    close(suggestion, State.REJECTED, user)
    mail.send(
        f"Votre contribution à l'annuaire : {suggestion}",
        "Bonjour,\n\nVotre contribution n'a pas été retenue par l'équipe de la CRESS."
        f"\n\nMotif : {reason}{SIGNATURE}",
        [suggestion.sender_email],
    )
