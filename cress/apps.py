from django.apps import AppConfig, apps
from django.db.models.signals import m2m_changed, post_delete, post_save

CONTENT_APPS = ("actors", "actions")


def _bump_on_content(sender, **kwargs):
    if sender._meta.app_label in CONTENT_APPS:
        from common.cache import bump

        bump()


class CressConfig(AppConfig):
    name = "cress"
    verbose_name = "Site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)

        # Any change of content makes every cached answer stale (common/cache.py).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(_bump_on_content, dispatch_uid=f"content-version-{signal}")
        assert all(apps.is_installed(app) for app in CONTENT_APPS)
