from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Shared machinery (no models): its template tags need it installed; the unit of
    work's signals (common/changes.py)."""

    name = "common"
    verbose_name = "Outils communs"

    def ready(self):
        from . import cache, changes  # noqa: F401  (cache registers its follower)

        changes.connect()
        changes.connect_history()
