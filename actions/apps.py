from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Programmes et actions"

    def ready(self):
        from . import coverage, profile

        coverage.connect()
        profile.register()
