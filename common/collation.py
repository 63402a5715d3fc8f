"""French alphabetical order, one mechanism on every PostgreSQL (with or without ICU) and
in Python.

« Caisse » comes before « COORACE » and « État » among the E: a name sorts by its
**French key** — lower case, without accents, « œ » read « oe » — then by itself to
separate otherwise equal names. PostgreSQL computes the key with ``french_key(text)``,
an immutable SQL function made by migration ``actors/0011`` (``unaccent`` then
``lower``), so that it can be indexed, and compares keys byte by byte (``COLLATE "C"``,
written by ``FrenchKey`` around every use, indexes included: a collation inside the
function would not survive it): the order needs no ICU and no French locale on the
server, and does not depend on the database's own collation (``.ci/run`` checks it on a
database whose collation is ICU's French, which ignores spaces).

- In queries: ``order_by(*french("name"))`` (or ``french("actor__name")``,
  ``french("title", descending=True)``); the models' ``Meta.ordering`` and the admin use
  the same expressions, and functional indexes on ``french_key(name)`` serve the long lists.
- In Python (facets sorted by label, lists built in memory): ``key=french_key``.
"""

import unicodedata

from django.db.models import F, Func, TextField
from django.db.models.functions import Collate

SQL_FUNCTION = "french_key"
CREATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {SQL_FUNCTION}(value text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
"""
DROP_FUNCTION = f"DROP FUNCTION IF EXISTS {SQL_FUNCTION}(text);"


class FrenchKey(Func):
    """``french_key(field) COLLATE "C"``: what a name sorts by."""

    function = SQL_FUNCTION
    arity = 1
    output_field = TextField()
    template = '(%(function)s(%(expressions)s) COLLATE "C")'


def french(field, descending=False):
    """The ``order_by`` terms that sort ``field`` (a name or a path) in French order."""
    key, value = FrenchKey(F(field)), Collate(F(field), "C")
    if descending:
        return (key.desc(), value.desc())
    return (key.asc(), value.asc())


def french_key(text):
    """The same order in Python: letters first (without case or accents), then accents,
    then case."""
    text = text or ""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    letters = letters.replace("œ", "oe").replace("æ", "ae").replace("’", "'")  # as unaccent reads them
    return (letters, text.casefold(), text.swapcase())
