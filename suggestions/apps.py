from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = "Contributions du public"

    def ready(self):
        from common.admin import change_form_context, change_form_saving, staff_dashboard, status_changed

        from . import jobs, links, moderation  # noqa: F401  (jobs: the background kinds)
        from .admin import contribution_context, pending_contributions

        change_form_context.append(contribution_context)
        # A correction is accepted by the save of the record it was applied to; a listing's
        # requester is told when its record is published (suggestions/moderation.py).
        change_form_saving.extend([moderation.applying_correction, moderation.publishing])
        status_changed.append(moderation.published_in_bulk)
        staff_dashboard.append(pending_contributions)
        links.register()  # the « Signaler une erreur » link of the pages below
