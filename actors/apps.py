from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = "Acteurs et référentiels"

    def ready(self):
        from .search import register_sqlite_function
        from .territories import store_reach_after_migrate

        connection_created.connect(register_sqlite_function, dispatch_uid="cress_stems")
        post_migrate.connect(store_reach_after_migrate, sender=self, dispatch_uid="territory-reach")
