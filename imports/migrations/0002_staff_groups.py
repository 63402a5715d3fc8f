"""Editors import files and see likely duplicates: their group gets the new models'
permissions (merging stays with administrators: it needs « delete organisation »)."""

from django.db import migrations

from actions.staff_groups import sync_staff_groups


def sync(apps, schema_editor):
    sync_staff_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial"), ("suggestions", "0002_staff_groups")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
