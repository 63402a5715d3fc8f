from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Tâches de fond"

    def ready(self):
        from common.admin import staff_dashboard

        from .admin import jobs_to_follow

        staff_dashboard.append(jobs_to_follow)
