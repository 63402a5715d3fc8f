"""The official territories left ``actors`` for their own app (``territories/0001``):
every relation of programmes, actions and events (and their histories) points to
``territories.Territory`` — in the state only. The database does not change: the
tables, columns and foreign keys already point to ``actors_territory``, the table the
model keeps."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0011_one_engine"),
        ("territories", "0001_initial"),
    ]
    # Before actors forgets its Territory: no relation may name it then.
    run_before = [("actors", "0013_territories_moved")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='action',
                    name='effective_territories',
                    field=models.ManyToManyField(blank=True, editable=False, related_name='+', to='territories.territory', verbose_name='territoires (calculés)'),
                ),
                migrations.AlterField(
                    model_name='action',
                    name='territories',
                    field=models.ManyToManyField(blank=True, help_text="Laisser vide si l'action couvre le territoire de son programme.", related_name='actions', to='territories.territory', verbose_name='territoires'),
                ),
                migrations.AlterField(
                    model_name='event',
                    name='place',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='territories.territory', verbose_name='lieu'),
                ),
                migrations.AlterField(
                    model_name='historicalaction_territories',
                    name='territory',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territories.territory'),
                ),
                migrations.AlterField(
                    model_name='historicalevent',
                    name='place',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territories.territory', verbose_name='lieu'),
                ),
                migrations.AlterField(
                    model_name='historicalprogramme_territories',
                    name='territory',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='territories.territory'),
                ),
                migrations.AlterField(
                    model_name='programme',
                    name='effective_territories',
                    field=models.ManyToManyField(blank=True, editable=False, related_name='+', to='territories.territory', verbose_name='territoires (calculés)'),
                ),
                migrations.AlterField(
                    model_name='programme',
                    name='territories',
                    field=models.ManyToManyField(blank=True, help_text="Laisser vide si le programme couvre le territoire de l'acteur.", related_name='programmes', to='territories.territory', verbose_name='territoires'),
                ),
            ],
            database_operations=[],
        ),
    ]
