"""The programmes' counts (``actors.models.ListingCount``, list « programmes »): the home
page's total, kept by the same statement triggers as the actions'."""

import importlib

from django.db import migrations

counting = importlib.import_module("actors.migrations.0016_listing_counts")

PROGRAMMES = counting.counting_sql("actions_programme", "programmes", "r.listed", ["listed"])


class Migration(migrations.Migration):
    dependencies = [("actions", "0016_recent_indexes")]

    operations = [migrations.RunSQL(*PROGRAMMES)]
