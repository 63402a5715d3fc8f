"""Confirmation by the organisation itself: a signed link that expires, sent to
organisations whose listing is due (not verified for ``DIRECTORY_REVERIFY_MONTHS``).
Opening it shows the listing and one button: « Ces informations sont toujours exactes »."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from actors.models import Organisation
from common.collation import french

SALT = "suggestions.verification"


def make_token(organisation):
    return signing.TimestampSigner(salt=SALT).sign(str(organisation.pk))


def link(organisation):
    return settings.DIRECTORY_SITE_URL + reverse("suggestions:verify", args=[make_token(organisation)])


def read(token):
    """(organisation, None) for a valid link, (None, French reason) otherwise."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(
            token, max_age=settings.DIRECTORY_VERIFICATION_DAYS * 86400
        )
    except signing.SignatureExpired:
        return None, "Ce lien a expiré. Écrivez à la CRESS pour en recevoir un nouveau."
    except signing.BadSignature:
        return None, "Ce lien n'est pas valide : il a peut-être été mal copié."
    organisation = Organisation.objects.actors().published().filter(pk=pk).first()
    if organisation is None:
        return None, "Cette fiche n'est plus publiée."
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


def send_requests(dry_run=False):
    """E-mails each organisation due a link; returns the names of those written to."""
    names = []
    for organisation in due().iterator():
        names.append(organisation.name)
        if dry_run:
            continue
        send_mail(
            "Votre fiche dans l'annuaire de l'ESS : est-elle toujours exacte ?",
            f"Bonjour,\n\nVotre organisation, « {organisation.name} », figure dans l'{settings.DIRECTORY_SITE_NAME[0].lower()}"
            f"{settings.DIRECTORY_SITE_NAME[1:]} publié par la CRESS. Merci de vérifier sa fiche en suivant ce lien (valable "
            f"{settings.DIRECTORY_VERIFICATION_DAYS} jours) :\n\n{link(organisation)}\n\nUn bouton permet de "
            "confirmer qu'elle est toujours exacte, un autre de proposer des corrections.\n\nL'équipe de la CRESS",
            None,
            [organisation.email],
        )
        # A date that nobody edits, so no history record and no « modifié le ».
        Organisation.objects.filter(pk=organisation.pk).update(verification_requested_at=timezone.localdate())
    return names
