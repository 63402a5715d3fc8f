"""Editors moderate contributions: their group gets the new model's permissions."""

from django.db import migrations

from actions.staff_groups import sync_staff_groups


def sync(apps, schema_editor):
    sync_staff_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial"), ("actions", "0007_staff_groups_history")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
