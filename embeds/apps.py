from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    name = "embeds"
    verbose_name = "Annuaire intégré sur d'autres sites"

    def ready(self):
        from common.admin import staff_dashboard

        from .admin import sites_showing_the_directory

        staff_dashboard.append(sites_showing_the_directory)
