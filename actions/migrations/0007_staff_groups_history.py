"""The staff groups' permissions, again, now that the history and the admin door have
models: editors may read every history, never write it; administrators may do all."""

from django.db import migrations

from actions.staff_groups import sync_staff_groups


def sync(apps, schema_editor):
    sync_staff_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0006_history"),
        ("actors", "0006_history"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
