"""Creates the staff groups « Éditeurs » and « Administrateurs » (see
``actions/staff_groups.py`` for what each may do)."""

from django.db import migrations

from actions.staff_groups import ADMINISTRATORS, EDITORS, sync_staff_groups


def create_groups(apps, schema_editor):
    sync_staff_groups(apps)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, ADMINISTRATORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("actors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
