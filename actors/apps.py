from django.apps import AppConfig


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = "Acteurs et référentiels"

    def ready(self):
        from common import search
        from common.admin import staff_dashboard

        from . import jobs  # noqa: F401 — the background kinds (geocoding)
        from .admin import actors_to_review
        from .models import Synonym

        staff_dashboard.append(actors_to_review)
        search.register_synonyms(Synonym.texts)  # the search's synonyms are kept here
