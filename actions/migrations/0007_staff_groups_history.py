"""Gave the staff groups the permissions of the history and of the admin door's models.
The groups are now synced after every migrate, from one place (common/staff.py,
connected by cress): this step does nothing and stays for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0006_history"),
        ("actors", "0006_history"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
