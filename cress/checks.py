from django.conf import settings
from django.core.checks import Tags, Warning, register


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
