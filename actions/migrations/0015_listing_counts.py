"""The action list's counts (``actors.models.ListingCount``, list « actions »): the same
statement triggers as the organisations', on the action table, counting the listed
actions, by span of years too."""

import importlib

from django.db import migrations

counting = importlib.import_module("actors.migrations.0016_listing_counts")

# An action's span of years, as one number: first year × 10,000 + last year (9999: still
# running); none without a first year (``actors.models.ListingCount.span``).
SPAN = "CASE WHEN r.first_year IS NULL THEN NULL ELSE r.first_year * 10000 + COALESCE(r.last_year, 9999) END"

ACTIONS = counting.counting_sql(
    "actions_action", "actions", "r.listed", ["listed", "first_year", "last_year"], span=SPAN
)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0014_listing_columns"),
        ("actors", "0016_listing_counts"),
    ]

    operations = [migrations.RunSQL(*ACTIONS)]
