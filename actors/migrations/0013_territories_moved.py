"""The official territories left ``actors`` for their own app (``territories/0001``):
organisations' commune and territories (and their history) point to
``territories.Territory``, and ``actors`` forgets its ``Territory`` — in the state only.
Its tables do not change: the table keeps its name (``actors_territory``), its rows and
every foreign key that points to it. ``actions/0012`` runs before (no relation may
name ``actors.Territory`` when it leaves the state).

The model's content type follows it: ``actors.territory`` becomes
``territories.territory``, the same row, so that the permissions of the staff groups
and the admin's log entries keep pointing to it. A new database has no content type yet:
nothing to do."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="actors", target="territories"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    if not content_types.filter(app_label=target, model="territory").exists():
        content_types.filter(app_label=source, model="territory").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="territories", target="actors")


class Migration(migrations.Migration):
    dependencies = [
        ("actors", "0012_logo_files"),
        ("territories", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalorganisation_territories',
                    name='territory',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territories.territory'),
                ),
                migrations.AlterField(
                    model_name='historicalorganisation',
                    name='commune',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='Tapez un nom, une ancienne commune ou un code postal.', limit_choices_to={'kind__in': ('commune', 'commune-deleguee', 'commune-associee')}, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territories.territory', verbose_name='commune'),
                ),
                migrations.AlterField(
                    model_name='organisation',
                    name='commune',
                    field=models.ForeignKey(blank=True, help_text='Tapez un nom, une ancienne commune ou un code postal.', limit_choices_to={'kind__in': ('commune', 'commune-deleguee', 'commune-associee')}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='located_organisations', to='territories.territory', verbose_name='commune'),
                ),
                migrations.AlterField(
                    model_name='organisation',
                    name='territories',
                    field=models.ManyToManyField(blank=True, related_name='organisations', to='territories.territory', verbose_name='territoires couverts'),
                ),
                migrations.DeleteModel(
                    name='Territory',
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
