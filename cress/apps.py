from django.apps import AppConfig


class CressConfig(AppConfig):
    name = "cress"
    verbose_name = "Site"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
