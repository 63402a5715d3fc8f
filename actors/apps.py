from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = "Acteurs et référentiels"

    def ready(self):
        from common import search
        from common.admin import staff_dashboard

        from .admin import actors_to_review
        from .models import Synonym
        from .territories import store_reach_after_migrate

        staff_dashboard.append(actors_to_review)
        search.register_synonyms(Synonym.texts)  # the search's synonyms are kept here
        post_migrate.connect(store_reach_after_migrate, sender=self, dispatch_uid="territory-reach")
