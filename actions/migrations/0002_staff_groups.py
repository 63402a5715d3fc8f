"""Created the staff groups « Éditeurs » and « Administrateurs » with the live code of the
time. They are now synced after every migrate, from one place (common/staff.py, connected
by cress): this step does nothing and stays for the migration history."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0001_initial"),
        ("actors", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
