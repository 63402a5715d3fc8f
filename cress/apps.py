from importlib import import_module

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.module_loading import module_has_submodule

# Apps whose own admin staff never see: the task queue's table (jobs/ shows the work).
NOT_IN_ADMIN = {"django_tasks_db"}


class CressConfig(AppConfig):
    name = "cress"
    verbose_name = "Site"

    def ready(self):
        from common import staff

        # What django.contrib.admin's discovery does, less the apps of NOT_IN_ADMIN.
        for config in apps.get_app_configs():
            if config.name not in NOT_IN_ADMIN and module_has_submodule(config.module, "admin"):
                import_module(f"{config.name}.admin")

        from . import addresses, checks  # noqa: F401  (checks: registers the deploy checks)

        # The staff groups' permissions, on the models of every app of DIRECTORY_STAFF_APPS
        # (common/staff.py): the site, at the top, knows them all.
        staff.check_staff_apps()
        post_migrate.connect(staff.sync_after_migrate, dispatch_uid="staff-groups")
        # The addresses of the site's pages that the apps below show (cress/addresses.py).
        addresses.register()

        from territories.models import register_page_url

        register_page_url(territory_page_url)


def territory_page_url(territory):
    """A territory's public page is the site's (``territories`` is below it and names no
    URL of ours): ``Territory.get_absolute_url`` asks here."""
    from django.urls import reverse

    return reverse("site:territory", args=[territory.key])
