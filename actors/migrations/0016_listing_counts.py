"""The listing counts (``actors.models.ListingCount``), kept exact by PostgreSQL: a table's
statement triggers add the cells of the rows a statement inserts or changes and take away
those of the rows it deletes or changes, from its transition tables. ``counting_sql``
writes them for one table; the actions' migration uses it for its own list.

A bulk refresh (thousands of organisations: a rebuild, the demonstration data) sets
``annuaire.recount`` for its transaction: the triggers step aside and
``<table>_listing_recount()`` counts the table once at the end
(``ListingCount.recount``) — cheaper than adding up each statement's cells."""

from django.db import migrations, models

# The cells an item counts in: each of its départements (and, beside them, its scope keys,
# negative: ``actors.models.scope_key``), sectors, publics, its family and its span of
# years, and "any" (0, or "*" for the family) for each — so that a list filtered on any of
# them, or none, reads its count from one row (a year: from the spans that hold it).
CELLS_FUNCTION = """
CREATE OR REPLACE FUNCTION listing_cells(bigint[], bigint[], bigint[], text, bigint)
RETURNS TABLE (departement bigint, sector bigint, public bigint, family text, span bigint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT d, s, p, f, y
    FROM unnest(COALESCE($1, '{}') || 0::bigint) AS d,
         unnest(COALESCE($2, '{}') || 0::bigint) AS s,
         unnest(COALESCE($3, '{}') || 0::bigint) AS p,
         unnest(CASE WHEN COALESCE($4, '') IN ('', '*') THEN ARRAY['*'] ELSE ARRAY[$4, '*'] END) AS f,
         unnest(CASE WHEN $5 IS NULL THEN ARRAY[0::bigint] ELSE ARRAY[$5, 0::bigint] END) AS y
$$;
"""


def _apply(list_name, rows, family, span):
    """Adds to the counts the cells of ``rows`` (a query of sign and the watched columns)."""
    return f"""
        INSERT INTO actors_listingcount AS c (list, departement, sector, public, family, span, n)
        SELECT '{list_name}', cell.departement, cell.sector, cell.public, cell.family, cell.span, SUM(r.sign)
        FROM ({rows}) AS r,
             LATERAL listing_cells(
                 COALESCE(r.departement_ids, '{{}}') || COALESCE(r.scope_keys, '{{}}'),
                 r.sector_ids, r.public_ids, {family}, {span}
             ) AS cell
        GROUP BY 2, 3, 4, 5, 6 HAVING SUM(r.sign) <> 0 ORDER BY 2, 3, 4, 5, 6
        ON CONFLICT (list, departement, sector, public, family, span) DO UPDATE SET n = c.n + EXCLUDED.n;"""


def counting_sql(table, list_name, counted, columns, family="NULL", span="NULL"):
    """(forward, backward) SQL: the triggers of ``table`` that keep the counts of the list
    ``list_name`` — whose rows are those where ``counted`` (an SQL condition on the row,
    prefixed ``r.``) — exact, and its first count. ``columns``: the row's columns the rule
    reads besides the arrays; ``family``: the row's family (``r.family``), ``span``: its
    span of years (an expression of ``r.``'s columns), if the list has those filters."""
    watched = ["departement_ids", "scope_keys", "sector_ids", "public_ids", *columns]
    name = f"{table}_listing_count"

    def where(alias):
        return counted.replace("r.", f"{alias}.")

    def select(alias, sign):
        return f"SELECT {sign} AS sign, {', '.join(f'{alias}.{c}' for c in watched)} FROM"

    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in watched)
    forward = f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('annuaire.recount', true) = 'on' THEN
        RETURN NULL;  -- a bulk refresh recounts at its end (listing_recount)
    END IF;
    IF TG_OP = 'TRUNCATE' THEN
        DELETE FROM actors_listingcount WHERE list = '{list_name}';
    ELSIF TG_OP = 'INSERT' THEN
        {_apply(list_name, f"{select('n', 1)} new_rows AS n WHERE {where('n')}", family, span)}
    ELSIF TG_OP = 'DELETE' THEN
        {_apply(list_name, f"{select('o', -1)} old_rows AS o WHERE {where('o')}", family, span)}
    ELSE
        {_apply(
            list_name,
            f"{select('o', -1)} old_rows AS o JOIN new_rows AS n USING (id) WHERE ({changed}) AND {where('o')} "
            f"UNION ALL {select('n', 1)} old_rows AS o JOIN new_rows AS n USING (id) WHERE ({changed}) AND {where('n')}",
            family,
            span,
        )}
    END IF;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS {name}_insert ON {table};
DROP TRIGGER IF EXISTS {name}_update ON {table};
DROP TRIGGER IF EXISTS {name}_delete ON {table};
DROP TRIGGER IF EXISTS {name}_truncate ON {table};
CREATE TRIGGER {name}_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {name}_update AFTER UPDATE ON {table}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {name}_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE TRIGGER {name}_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {name}();
CREATE OR REPLACE FUNCTION {table}_listing_recount() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM actors_listingcount WHERE list = '{list_name}';
    {_apply(list_name, f"{select('n', 1)} {table} AS n WHERE {where('n')}", family, span)}
END $$;
SELECT {table}_listing_recount();
"""
    backward = f"""
DROP TRIGGER IF EXISTS {name}_insert ON {table};
DROP TRIGGER IF EXISTS {name}_update ON {table};
DROP TRIGGER IF EXISTS {name}_delete ON {table};
DROP TRIGGER IF EXISTS {name}_truncate ON {table};
DROP FUNCTION IF EXISTS {name}();
DROP FUNCTION IF EXISTS {table}_listing_recount();
DELETE FROM actors_listingcount WHERE list = '{list_name}';
"""
    return forward, backward


ORGANISATIONS = counting_sql(
    "actors_organisation", "acteurs", "r.kind = 'acteur' AND r.status = 'publie'", ["kind", "status", "family"], "r.family"
)


class Migration(migrations.Migration):

    dependencies = [
        ('actors', '0015_listing_columns'),
    ]

    operations = [
        migrations.CreateModel(
            name='ListingCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('list', models.CharField(max_length=10, verbose_name='liste')),
                ('departement', models.BigIntegerField(verbose_name='département')),
                ('sector', models.BigIntegerField(verbose_name='secteur')),
                ('public', models.BigIntegerField(verbose_name='public')),
                ('family', models.CharField(max_length=20, verbose_name='famille')),
                ('span', models.BigIntegerField(help_text='Première année × 10 000 + dernière (9999 : en cours) ; 0 : toutes.', verbose_name='années')),
                ('n', models.BigIntegerField(verbose_name='nombre')),
            ],
            options={
                'verbose_name': "décompte d'une liste",
                'constraints': [models.UniqueConstraint(fields=('list', 'departement', 'sector', 'public', 'family', 'span'), name='listing_count_cell')],
            },
        ),
        migrations.RunSQL(CELLS_FUNCTION, "DROP FUNCTION IF EXISTS listing_cells(bigint[], bigint[], bigint[], text, bigint);"),
        migrations.RunSQL(*ORGANISATIONS),
    ]
