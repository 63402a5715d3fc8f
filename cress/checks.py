import os
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.http.request import validate_host

from common import localenv

ENV_EXAMPLE = Path(settings.BASE_DIR) / "deploy" / "env.example"
SECRETS = ("DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_EMAIL_PASSWORD")


@register(Tags.security, deploy=True)
def no_example_secret(app_configs, **kwargs):
    """deploy/env.example is copied to /etc/annuaire/env, then each example value replaced:
    a secret left as in the example is public (it is in the repository)."""
    example = localenv.read(ENV_EXAMPLE)
    left = [name for name in SECRETS if example.get(name) and os.environ.get(name, "").strip() == example[name]]
    if not left:
        return []
    return [
        Error(
            "Valeur d'exemple laissée dans l'environnement du site : " + ", ".join(left) + ".",
            hint="Remplacez-la dans /etc/annuaire/env (deploy/env.example est public).",
            id="cress.E002",
        )
    ]


@register(Tags.security, deploy=True)
def no_local_env(app_configs, **kwargs):
    """local.env is the laptop's (debug, its own key): a production command never reads it."""
    if not settings.LOCAL_ENV_READ:
        return []
    return [
        Error(
            f"Les réglages locaux de « make run » ({settings.LOCAL_ENV_READ}) ont été lus : ils mettent le "
            "mode debug et une clé de poste de travail.",
            hint="En production, chargez l'environnement du site (DJANGO_SECRET_KEY et les autres variables, "
            "/etc/annuaire/env) avant manage.py ; ou supprimez local.env de ce dossier.",
            id="cress.E001",
        )
    ]


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        Warning(
            "DJANGO_SECRET_KEY n'est pas défini : une clé aléatoire est générée à chaque "
            "démarrage et les sessions ne survivent pas à un redémarrage.",
            id="cress.W001",
        )
    ]


LEGAL_SETTINGS = {
    "DIRECTORY_PUBLISHER_ADDRESS": "l'adresse de l'éditeur",
    "DIRECTORY_PUBLICATION_DIRECTOR": "le directeur ou la directrice de la publication",
    "DIRECTORY_CONTACT_EMAIL": "l'adresse de contact",
    "DIRECTORY_HOST_DETAILS": "l'hébergeur (nom, adresse, téléphone)",
}


@register(deploy=True)
def legal_notice_is_complete(app_configs, **kwargs):
    """A French public site names its publisher, director of publication and host (LCEN)."""
    missing = [f"{name} ({what})" for name, what in LEGAL_SETTINGS.items() if not getattr(settings, name)]
    if not missing:
        return []
    return [
        Warning(
            "Mentions légales incomplètes : renseignez " + ", ".join(missing) + ".",
            hint="Ces variables d'environnement alimentent /mentions-legales/ et /contact/.",
            id="cress.W002",
        )
    ]


@register(deploy=True)
def site_address_is_the_public_one(app_configs, **kwargs):
    """Every absolute address the site writes comes from DIRECTORY_SITE_URL (common/site.py):
    links of the API, feed, sitemaps, JSON-LD, e-mails. Left at its default, they all lead
    to 127.0.0.1."""
    parts = urlsplit(settings.DIRECTORY_SITE_URL)
    problems = []
    if not validate_host(parts.hostname or "", settings.ALLOWED_HOSTS):
        problems.append("son nom n'est pas dans DJANGO_ALLOWED_HOSTS")
    if getattr(settings, "SECURE_SSL_REDIRECT", False) and parts.scheme != "https":
        problems.append("elle doit commencer par https:// (DJANGO_HTTPS est activé)")
    if not problems:
        return []
    return [
        Warning(
            f"DIRECTORY_SITE_URL ({settings.DIRECTORY_SITE_URL}) n'est pas l'adresse publique du site : "
            + " ; ".join(problems) + ".",
            hint="Les liens de l'API, du flux, des plans du site, des données structurées et des e-mails "
            "en sont faits (https://annuaire.example.org).",
            id="cress.W003",
        )
    ]
