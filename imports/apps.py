from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Imports, doublons et fusions"

    def ready(self):
        from . import duplicates, jobs  # noqa: F401 — the follower that records pairs; the background kinds
