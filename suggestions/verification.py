"""Confirmation by the organisation itself: a signed link that expires, sent to
organisations whose listing is due (not verified for ``DIRECTORY_REVERIFY_MONTHS``).
Opening it shows the listing and one button, « Ces informations sont toujours exactes »,
and the form of its public fields, whose changes reach moderation (``updates.py``).

A link works once per change: it signs the record's version — its « modifié le » and how
many updates the organisation has proposed — so that once the record is confirmed or
changed, or a proposal sent from it, the same link says it has been used. It expires
after ``DIRECTORY_VERIFICATION_DAYS`` days."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from actors.models import Organisation
from common.changes import content_changes
from common.collation import french
from jobs import mail

from .models import Kind, Suggestion

SALT = "suggestions.verification"


def new_link():
    """How to get a new link, in French."""
    where = settings.DIRECTORY_CONTACT_EMAIL or "la page « Contact », en bas de chaque page"
    return f"Pour en recevoir un nouveau, écrivez à la CRESS ({where}) en indiquant le nom de votre organisation."


def version(organisation):
    """What a link is good for: the record as it is and the proposals it has had."""
    proposals = Suggestion.objects.filter(organisation=organisation, kind=Kind.UPDATE).count()
    stamp = f"{organisation.updated_at.isoformat()}|{proposals}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def make_token(organisation):
    return signing.TimestampSigner(salt=SALT).sign(f"{organisation.pk}:{version(organisation)}")


def link(organisation):
    return settings.DIRECTORY_SITE_URL + reverse("suggestions:verify", args=[make_token(organisation)])


def read(token):
    """(organisation, None) for a valid link, (None, French reason) otherwise."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.DIRECTORY_VERIFICATION_DAYS * 86400
        )
    except signing.SignatureExpired:
        return None, f"Ce lien a expiré : il était valable {settings.DIRECTORY_VERIFICATION_DAYS} jours. " + new_link()
    except signing.BadSignature:
        return None, "Ce lien n'est pas valide : il a peut-être été mal copié."
    # Links sent before versions were signed carry the id alone: valid until they expire.
    pk, _, signed_version = payload.partition(":")
    organisation = Organisation.objects.actors().published().filter(pk=pk).first()
    if organisation is None:
        return None, "Cette fiche n'est plus publiée."
    if signed_version and signed_version != version(organisation):
        return None, "Ce lien a déjà servi : la fiche a été confirmée ou modifiée depuis son envoi. " + new_link()
    return organisation, None


def confirm(organisation):
    organisation.verified_at = timezone.localdate()
    organisation._change_reason = "Confirmée par l'organisation (lien de vérification)"
    organisation.save(update_fields=["verified_at", "updated_at"])


def due():
    """Published actors with an e-mail, not verified for the period set, and not already
    asked while their last link is still valid (a weekly run does not repeat itself)."""
    asked_recently = timezone.localdate() - timedelta(days=settings.DIRECTORY_VERIFICATION_DAYS)
    return (
        Organisation.objects.actors()
        .published()
        .exclude(email="")
        .stale()
        .exclude(verification_requested_at__gt=asked_recently)
        .order_by(*french("name"), "pk")
    )


def send_link(organisation):
    """E-mails ``organisation`` its link (after the commit), and notes the date."""
    mail.send(
        "Votre fiche dans l'annuaire de l'ESS : est-elle toujours exacte ?",
        f"Bonjour,\n\nVotre organisation, « {organisation.name} », figure dans l'{settings.DIRECTORY_SITE_NAME[0].lower()}"
        f"{settings.DIRECTORY_SITE_NAME[1:]} publié par la CRESS. Merci de vérifier sa fiche en suivant ce lien (valable "
        f"{settings.DIRECTORY_VERIFICATION_DAYS} jours) :\n\n{link(organisation)}\n\nUn bouton permet de "
        "confirmer qu'elle est toujours exacte ; un formulaire, déjà rempli avec la fiche, de la mettre à jour "
        "(l'équipe de la CRESS relit vos modifications avant de les publier). Pas besoin de compte.\n\n"
        "L'équipe de la CRESS",
        [organisation.email],
    )
    # A date that nobody edits, so no history record and no « modifié le ».
    Organisation.objects.filter(pk=organisation.pk).update(verification_requested_at=timezone.localdate())


def can_receive_link(organisation):
    return organisation.is_actor and organisation.is_published and bool(organisation.email)


def send_requests(dry_run=False, progress=None):
    """E-mails each organisation due a link (each e-mail queued for the background worker,
    jobs/mail.py); returns the names of those written to. ``progress`` (a background
    job's) hears of each one."""
    names = []
    todo = due()
    if progress is not None:
        progress.begin("Liens de vérification envoyés", total=todo.count())
    # One unit of work for the whole run (common/changes.py): what follows the « asked on »
    # dates (the content version…) runs once, not once per organisation.
    with content_changes(reason="Liens de vérification envoyés"):
        for organisation in todo.iterator():
            names.append(organisation.name)
            if not dry_run:
                send_link(organisation)
            if progress is not None:
                progress.advance()
    return names
