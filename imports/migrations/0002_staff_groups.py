"""Gave editors the permissions of imports and likely duplicates (merging stays with
administrators: it needs « delete organisation »). The staff groups are now synced after
every migrate, from one place (common/staff.py, connected by cress): this step does
nothing and stays for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_initial"), ("suggestions", "0002_staff_groups")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
