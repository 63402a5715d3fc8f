"""The signed links of a followed search (``django.core.signing``): nothing is stored to
check them. The confirmation link expires with the unconfirmed search
(``DIRECTORY_FOLLOW_UNCONFIRMED_DAYS``); the unsubscribe link, in every message, does not."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "follows.confirmer"
UNSUBSCRIBE_SALT = "follows.desabonner"


def confirm_token(search):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{search.pk}:{search.email}")


def unsubscribe_token(search):
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(search.pk))


def confirm_url(search):
    return settings.DIRECTORY_SITE_URL + reverse("follows:confirm", args=[confirm_token(search)])


def unsubscribe_url(search):
    return settings.DIRECTORY_SITE_URL + reverse("follows:unsubscribe", args=[unsubscribe_token(search)])


def read_confirm(token):
    """``(pk, email, None)`` or ``(None, None, French reason)``."""
    days = settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=days * 86400)
    except signing.SignatureExpired:
        return None, None, (f"Ce lien a expiré : il était valable {days} jours. Demandez de nouveau à être "
                            "prévenu depuis la liste des acteurs.")  # fmt: skip
    except signing.BadSignature:
        return None, None, "Ce lien n'est pas valide : il a peut-être été mal copié."
    pk, _, email = value.partition(":")
    return int(pk), email, None


def read_unsubscribe(token):
    try:
        return int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
