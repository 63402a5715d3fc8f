from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Territoires"

    def ready(self):
        from .loading import store_reach_after_migrate

        post_migrate.connect(store_reach_after_migrate, sender=self, dispatch_uid="territory-reach")
