"""Gave editors the permissions of contributions. The staff groups are now synced after
every migrate, from one place (common/staff.py, connected by cress): this step does
nothing and stays for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial"), ("actions", "0007_staff_groups_history")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
