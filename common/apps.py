from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonConfig(AppConfig):
    """Shared machinery (no models): its template tags need it installed; the unit of
    work's signals (common/changes.py); the admin in French where Django writes English of
    its own making (common/french.py)."""

    name = "common"
    verbose_name = "Outils communs"
    default = True

    def ready(self):
        from . import cache, changes, db_router, french  # noqa: F401  (cache, db_router register followers)

        changes.connect()
        changes.connect_history()
        french.name_generated_models()
        french.boolean_icons()
        post_migrate.connect(french.name_permissions, dispatch_uid="common.french.name_permissions")


class AdminDoorConfig(AxesAppConfig):
    """django-axes (the admin door: failed logins, lockouts), under a French name in the
    admin — the app has none, so the admin showed « Axes »."""

    verbose_name = "Connexions à l'administration"
