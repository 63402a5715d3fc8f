"""The two staff groups of the back-office and their permissions.

- « Éditeurs » : voir, ajouter et modifier les contenus de l'annuaire (organisations,
  programmes, actions, partenariats, événements, citations, chiffres clés, secteurs,
  publics, contributions, imports) ; voir les territoires officiels ; lire l'historique,
  jamais l'écrire ; jamais supprimer, jamais gérer les comptes.
- « Administrateurs » : toutes les permissions.

The models staff edit are those of the apps named by the setting ``DIRECTORY_STAFF_APPS``.
The groups and their permissions are synced after every ``migrate`` (and every ``flush``)
by ``sync_after_migrate``, the ``post_migrate`` receiver that ``cress`` connects: a new
model gets its permissions with no migration of its own. Tests call
``sync_staff_groups`` after a flush.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

ADMINISTRATORS = "Administrateurs"
EDITORS = "Éditeurs"
READ_ONLY_MODELS = {"territory"}  # official, loaded from fixtures: editors look, never change


def is_administrator(user):
    return user.is_active and (user.is_superuser or user.groups.filter(name=ADMINISTRATORS).exists())


def editors_may(codename, model):
    """Whether « Éditeurs » get the permission ``codename`` on ``model`` (a model name) of
    a staff app: view anything; add and change what is not read-only; delete nothing."""
    verb = codename.split("_", 1)[0]
    read_only = model in READ_ONLY_MODELS or model.startswith("historical")  # history: read, never write
    return verb == "view" or (verb in {"add", "change"} and not read_only)


def sync_staff_groups(apps=global_apps, using=DEFAULT_DB_ALIAS):
    """Creates the two groups if missing and sets their permissions; returns them
    (editors, administrators). ``apps``: a registry (the project's, or the one a
    ``post_migrate`` signal gives)."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():  # every permission exists before it is given
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.using(using).select_related("content_type")

    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    editors.permissions.set(
        [
            permission
            for permission in permissions.filter(content_type__app_label__in=settings.DIRECTORY_STAFF_APPS)
            if editors_may(permission.codename, permission.content_type.model)
        ]
    )
    administrators, _ = Group.objects.using(using).get_or_create(name=ADMINISTRATORS)
    administrators.permissions.set(permissions)
    return editors, administrators


def sync_after_migrate(sender, app_config=None, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate`` is sent once per app with models, and each app's permissions are
    created by its own signal: the groups are synced at the last one, when every model of
    the project has its permissions."""
    app_config = app_config or sender
    with_models = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if with_models and app_config.label == with_models[-1].label:
        sync_staff_groups(apps, using)


def check_staff_apps():
    missing = [label for label in settings.DIRECTORY_STAFF_APPS if not global_apps.is_installed(label)]
    assert not missing, f"DIRECTORY_STAFF_APPS names apps that are not installed: {missing}"
