"""The two staff groups of the back-office and their permissions.

- « Éditeurs » : voir, ajouter et modifier les contenus de l'annuaire (organisations,
  programmes, actions, partenariats, événements, citations, chiffres clés, secteurs,
  publics) ; voir les territoires officiels ; jamais supprimer, jamais gérer les comptes.
- « Administrateurs » : toutes les permissions.

Used by the data migration ``actions/0002_staff_groups`` (with the historical app
registry) and by tests after a database flush.
"""

from common.staff import ADMINISTRATORS, EDITORS

CONTENT_APPS = ["actors", "actions", "suggestions", "imports"]
READ_ONLY_MODELS = {"territory"}


def sync_staff_groups(apps):
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors, _ = Group.objects.get_or_create(name=EDITORS)
    allowed = []
    for permission in Permission.objects.filter(content_type__app_label__in=CONTENT_APPS):
        verb = permission.codename.split("_", 1)[0]
        model = permission.content_type.model
        read_only = model in READ_ONLY_MODELS or model.startswith("historical")  # history: read, never write
        if verb == "view" or (verb in {"add", "change"} and not read_only):
            allowed.append(permission)
    editors.permissions.set(allowed)

    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    administrators.permissions.set(Permission.objects.all())
    return editors, administrators
