"""The official territories leave ``actors`` for their own app (issue 17, item 3), without
touching the database: the table keeps its name (``actors_territory``, and
``actors_territory_reach`` for the roll-up), its rows, its indexes and every foreign key
that points to it. Only Django's *state* changes:

- here, ``territories.Territory`` is created in the state only, on the existing table
  (made by the migrations of the app it was born in);
- ``actions/0012_territories_moved`` and ``actors/0013_territories_moved`` point every
  relation (organisations, programmes, actions, events and their histories) to it, in
  the state only; then the old model leaves the state and its content type follows.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import common.collation


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Territory",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("search_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name="document de recherche")),
                        ("kind", models.CharField(choices=[("region", "Région"), ("departement", "Département"), ("commune", "Commune"), ("commune-deleguee", "Commune déléguée"), ("commune-associee", "Commune associée")], db_index=True, max_length=20, verbose_name="type")),
                        ("code", models.CharField(db_index=True, max_length=5, verbose_name="code INSEE")),
                        ("key", models.SlugField(max_length=40, unique=True, verbose_name="identifiant")),
                        ("name", models.CharField(db_index=True, max_length=120, verbose_name="nom")),
                        ("is_current", models.BooleanField(default=True, verbose_name="en vigueur")),
                        ("population", models.PositiveIntegerField(blank=True, null=True, verbose_name="population")),
                        ("latitude", models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="latitude")),
                        ("longitude", models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="longitude")),
                        ("postcodes", models.CharField(blank=True, max_length=200, verbose_name="codes postaux")),
                        ("liaison", models.PositiveSmallIntegerField(blank=True, help_text="« typeLiaison » du COG : l'article et la charnière du nom (le Calvados, du Calvados).", null=True, verbose_name="type de nom (INSEE)")),
                        ("current", models.ForeignKey(blank=True, help_text="Pour une commune déléguée ou associée, la commune actuelle ; pour une ancienne région, la région qui lui a succédé.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="historic", to="territories.territory", verbose_name="territoire actuel")),
                        ("former_region", models.ForeignKey(blank=True, help_text="Pour un département, la région d'avant la réforme de 2016.", limit_choices_to={"kind": "region"}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="former_departements", to="territories.territory", verbose_name="ancienne région")),
                        ("parent", models.ForeignKey(blank=True, help_text="Département d'une commune, région actuelle d'un département.", null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="territories.territory", verbose_name="rattachement")),
                        ("reach", models.ManyToManyField(blank=True, help_text="Calculé à l'import : les territoires où compte ce qui couvre celui-ci — lui-même, ceux qui le contiennent (commune actuelle, département, région actuelle et ancienne) et ceux qu'il contient.", related_name="+", to="territories.territory", verbose_name="territoires concernés")),
                    ],
                    options={
                        "verbose_name": "territoire",
                        "verbose_name_plural": "territoires",
                        "db_table": "actors_territory",
                        "ordering": ["kind", "code", models.OrderBy(common.collation.FrenchKey(models.F("name"))), models.OrderBy(models.F("name"))],
                        "indexes": [models.Index(fields=["kind", "code"], name="actors_terr_kind_a3110a_idx")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
