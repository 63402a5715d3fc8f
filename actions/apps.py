from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "actions"
    verbose_name = "Programmes et actions"

    def ready(self):
        from common.admin import staff_dashboard

        from . import coverage, profile
        from .admin import drafts_to_publish

        coverage.connect()
        profile.register()
        staff_dashboard.append(drafts_to_publish)
