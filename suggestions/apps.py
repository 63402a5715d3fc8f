from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = "Contributions du public"

    def ready(self):
        from common.admin import change_form_context, staff_dashboard

        from . import links
        from .admin import contribution_context, pending_contributions

        change_form_context.append(contribution_context)
        staff_dashboard.append(pending_contributions)
        links.register()  # the « Signaler une erreur » link of the pages below
