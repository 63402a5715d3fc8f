"""The action list's counts (``actors.models.ListingCount``, list « actions »): the same
statement triggers as the organisations', on the action table, counting the listed
actions."""

import importlib

from django.db import migrations

counting = importlib.import_module("actors.migrations.0016_listing_counts")

ACTIONS = counting.counting_sql("actions_action", "actions", "r.listed", ["listed"])


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0014_listing_columns"),
        ("actors", "0016_listing_counts"),
    ]

    operations = [migrations.RunSQL(*ACTIONS)]
