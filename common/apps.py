from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared machinery (no models): its template tags need it installed."""

    name = "common"
    verbose_name = "Outils communs"
