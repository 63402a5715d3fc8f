from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports, doublons et fusions"

    def ready(self):
        from . import duplicates  # noqa: F401 — connects the signal that records pairs
