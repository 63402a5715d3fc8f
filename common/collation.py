"""French alphabetical order, the same on both databases and in Python.

« Caisse » comes before « COORACE » and « État » among the E: case and accents count only
to separate otherwise equal words (« Ecole » < « école »). Names and titles are declared
with ``db_collation=FRENCH``:

- on PostgreSQL, ``fr_icu`` is a copy of ``fr-x-icu``, the ICU French collation
  PostgreSQL ships, made by migration ``actors/0008`` (SQLite's DDL does not quote a
  collation's name, so it cannot contain a dash); the columns use it, so ``ORDER BY
  name`` and its index are French;
- on SQLite, a collation of the same name is registered on every connection (below), from
  ``french_key``;
- in Python (facets sorted by label, lists built in memory), sort with ``key=french_key``.
"""

import unicodedata

from django.db.backends.signals import connection_created

FRENCH = "fr_icu"


def french_key(text):
    """A sort key close to ICU's French order: letters first (without case or accents),
    then accents, then lower case before upper case."""
    text = text or ""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    letters = letters.replace("œ", "oe").replace("æ", "ae")
    return (letters, text.casefold(), text.swapcase())


def _compare(a, b):
    key_a, key_b = french_key(a), french_key(b)
    return (key_a > key_b) - (key_a < key_b)


def register_on_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(FRENCH, _compare)


def install():
    connection_created.connect(register_on_sqlite, dispatch_uid="common.collation.french")
