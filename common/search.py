"""French, forgiving text search over **stored** search documents.

Case and accents never matter: « mutualite » finds « Mutualité », « saint pierre sur
dives » finds « Saint-Pierre-sur-Dives ». Every searchable row stores its document,
written by ``write_documents`` whenever the row or what it shows changes (content:
``actions/coverage.py``; territories: ``territories/loading.py``); no text vector is
built per request. The machinery lives here, under the apps, so that any app's rows can
be searchable (``Searchable``); it knows no model of theirs.

A document has three weights: A (the name), B (themes, publics, places, related titles),
C (descriptions). Every significant word of the query must be in the document; names
rank first. The document is a ``tsvector`` column (``search_vector``, the only column a
searchable row adds: ``DOCUMENT_FIELDS``) with a GIN index, built with the
``fr_unaccent`` configuration (``unaccent`` then the ``french`` stemmer, created by
migration ``actors/0002``), matched with ``plainto_tsquery`` and ranked by ``ts_rank``.

**Synonyms.** Staff keep groups of equivalent words in the admin (``actors.Synonym``:
« crèche, halte-garderie, multi-accueil »); the app that keeps them registers where they
are read (``register_synonyms``, at start-up), so that this module imports no app. A
query is expanded when it is read — documents are never rebuilt: a word (or several
words) of the query that belong to a group may be met by any member of the group. The
groups are read once per content version (the cache).

**Extracts.** ``extract`` cuts a short passage around the words found, marked with
``<mark>``, for the few results a page shows: Python, with the Snowball French stemmer
that PostgreSQL's ``french`` configuration uses, so that it marks what the query matched.
"""

import re
import unicodedata
from functools import lru_cache, reduce
from operator import and_, or_

import snowballstemmer
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, models
from django.db.models import F, FloatField, Value
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .cache import cached
from .iterables import batched

FTS_CONFIG = "fr_unaccent"
WRITE_BATCH = 1000

# PostgreSQL's French stop words (Snowball's list, as shipped in tsearch_data/french.stop).
STOP_WORDS_TEXT = """
au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes
toi ton tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante
étants étantes suis es est sommes êtes sont serai seras sera serons serez seront serais
serait serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes
furent sois soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant
ayante ayantes ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez
auront aurais aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes
eûtes eurent aie aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent
"""
_stemmer = snowballstemmer.stemmer("french")


def fold(text):
    """Lower case, no accents, apostrophes and dashes as spaces."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[\s'’\-–—_/.,;:!?«»()\"]+", " ", text).strip()


STOP_WORDS = frozenset(fold(STOP_WORDS_TEXT).split())


def terms(query):
    """The query's significant words, folded, without stop words (PostgreSQL's parser
    splits on the same characters; other characters are dropped)."""
    return [word for word in re.sub(r"[^\w ]+", " ", fold(query)).split() if word not in STOP_WORDS]


@lru_cache(maxsize=65536)
def stem(word):
    return _stemmer.stemWord(word)


# The columns of a stored document: what lists leave out (``defer``) and copies skip.
DOCUMENT_FIELDS = ("search_vector",)


class Searchable(models.Model):
    """The stored search document of a row (see this module)."""

    search_vector = SearchVectorField("document de recherche", null=True, editable=False)

    class Meta:
        abstract = True


def write_documents(model, documents, fields=(), values=None):
    """Stores ``documents`` — {pk: (text A, text B, text C)} — for rows of ``model``;
    ``fields`` and ``values`` ({pk: (value, …)}) set other columns of the same rows in the
    same statement (one new row version instead of two: bulk refreshes rewrite each row
    once)."""
    if not documents:
        return
    values = values or {}
    extra = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    weighted = " || ".join(
        f"setweight(to_tsvector('{FTS_CONFIG}', v.{part}), '{weight}')"
        for part, weight in (("a", "A"), ("b", "B"), ("c", "C"))
    )
    with connection.cursor() as cursor:
        for has_extra in (True, False):
            items = [(key, doc) for key, doc in documents.items() if (key in values) == has_extra]
            fields = extra if has_extra else []
            placeholder = (
                "("
                + ", ".join(
                    ["%s::bigint", "%s::text", "%s::text", "%s::text"]
                    + [f"%s::{f.db_type(connection)}" for f in fields]
                )
                + ")"
            )
            names = ["id", "a", "b", "c"] + [f"x{i}" for i in range(len(fields))]
            assignments = "".join(f", {quote(f.column)} = v.x{i}" for i, f in enumerate(fields))
            for batch in batched(items, WRITE_BATCH):
                params = [
                    value
                    for key, (a, b, c) in batch
                    for value in (
                        key,
                        a,
                        b,
                        c,
                        *(
                            f.get_db_prep_save(v, connection)
                            for f, v in zip(fields, values.get(key, ()), strict=False)
                        ),
                    )
                ]
                cursor.execute(
                    f"UPDATE {table} AS t SET search_vector = {weighted}{assignments} "
                    f"FROM (VALUES {', '.join([placeholder] * len(batch))}) AS v({', '.join(names)}) WHERE t.{pk} = v.id",
                    params,
                )


# Where the staff's groups of synonyms are read: a function giving their texts (« crèche,
# halte-garderie, multi-accueil »), registered by the app that keeps them.
_synonym_source = None


def register_synonyms(source):
    """``source()`` gives the texts of the synonym groups (comma-separated terms): called
    once, by the app that keeps them (``actors``, at start-up)."""
    global _synonym_source
    _synonym_source = source


def synonym_groups():
    """The staff's groups of equivalent terms, each a tuple of terms, each term a tuple of
    significant words: (((« creche »,), (« halte », « garderie »)), …). Read once per
    content version; none until an app registers where they are kept."""

    def read():
        groups = []
        for text in _synonym_source() if _synonym_source is not None else ():
            group = tuple(dict.fromkeys(tuple(terms(term)) for term in text.split(",") if terms(term)))
            if len(group) > 1:
                groups.append(group)
        return groups

    return cached("recherche:synonymes", read)


def expand(words, groups):
    """The query as clauses that must all be met; a clause is met by any of its
    alternatives, an alternative by all of its words. Without synonyms: one clause of one
    word per word. A group applies when all the words of one of its terms are in the
    query (compared by stem: « crèches » meets « crèche »)."""
    remaining = list(words)
    clauses = []
    for group in groups:
        for term in sorted(group, key=len, reverse=True):
            stems_left = [stem(w) for w in remaining]
            wanted = [stem(w) for w in term]
            if wanted and all(stems_left.count(s) >= wanted.count(s) for s in set(wanted)):
                for s in wanted:
                    del remaining[stems_left.index(s)]
                    stems_left.remove(s)
                clauses.append(list(group))
                break
    return clauses + [[(word,)] for word in remaining]


def query_stems(query):
    """Every stem a match may contain for ``query`` (synonyms included): what ``extract``
    marks."""
    return {
        stem(word) for clause in expand(terms(query), synonym_groups()) for term in clause for word in term
    }


def search(queryset, query):
    """``queryset`` narrowed to the rows whose stored document holds every significant
    word of ``query`` (or a synonym of it), annotated with ``search_rank`` (higher
    first). A query with no significant word (« le », « ' ») finds nothing."""
    words = terms(query)
    if not words:
        return queryset.none().annotate(search_rank=Value(0.0, output_field=FloatField()))
    clauses = expand(words, synonym_groups())

    def alternative(term):
        return SearchQuery(" ".join(term), config=FTS_CONFIG, search_type="plain")

    search_query = reduce(and_, (reduce(or_, map(alternative, clause)) for clause in clauses))
    return queryset.filter(search_vector=search_query).annotate(
        search_rank=SearchRank(F("search_vector"), search_query)
    )


WORD = re.compile(r"(\w+)")


def extract(text, wanted_stems, words_before=10, words_after=22):
    """A short passage of ``text`` around the first words whose stem is wanted, those
    words marked with ``<mark>`` (safe HTML); the start of the text when none is."""
    if not text:
        return ""
    tokens = WORD.split(text)  # separators and words alternate: even = separator, odd = word
    words = tokens[1::2]
    hits = [i for i, word in enumerate(words) if stem(fold(word)) in wanted_stems]
    first = max((hits[0] if hits else 0) - words_before, 0)
    last = min(first + words_before + words_after, len(words))
    parts = ["… " if first else ""]
    for i in range(first, last):
        word = escape(words[i])
        parts.append(f"<mark>{word}</mark>" if i in hits else word)
        if i < last - 1:
            parts.append(escape(tokens[2 * i + 2]))
    if last < len(words):
        parts.append(" …")
    return mark_safe("".join(parts).strip())


def passage(wanted_stems, *texts):
    """Why a result matched: the first of ``texts`` holding a wanted word, as a short
    marked ``extract``; else the start of the first non-empty one."""
    texts = [text for text in texts if text]
    for text in texts:
        if "<mark>" in (found := extract(text, wanted_stems)):
            return found
    return extract(texts[0], wanted_stems) if texts else ""


def mark(text, wanted_stems):
    """``text`` whole, the words whose stem is wanted marked with ``<mark>`` (safe HTML)."""
    tokens = WORD.split(text or "")  # separators and words alternate: odd = word
    return mark_safe("".join(
        f"<mark>{escape(token)}</mark>" if i % 2 and stem(fold(token)) in wanted_stems else escape(token)
        for i, token in enumerate(tokens)
    ))  # fmt: skip
