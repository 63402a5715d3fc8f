from django.apps import AppConfig
from django.db.backends.signals import connection_created


class ActorsConfig(AppConfig):
    name = "actors"
    verbose_name = "Acteurs et référentiels"

    def ready(self):
        from .search import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="cress_stems")
