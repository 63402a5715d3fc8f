"""French, forgiving text search shared by every list of the directory.

Case and accents never matter: « mutualite » finds « Mutualité », « saint pierre sur
dives » finds « Saint-Pierre-sur-Dives ».

- On PostgreSQL: full-text search with the ``fr_unaccent`` configuration (the ``french``
  stemmer after ``unaccent``, created by migration ``actors/0002``), weighted — the name
  (A) over themes, publics and places (B) over descriptions (C) — and ranked.
- On SQLite: the same French Snowball stemmer (``snowballstemmer``) and stop words as
  PostgreSQL's ``french`` configuration, through a SQL function ``cress_stems()``: every
  significant word of the query must be a word of one of the same fields; results are
  ranked by where the words were found (name first).

Both give the same results on the directory's real content (``tests/test_search.py``).
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce

FTS_CONFIG = "fr_unaccent"
SQLITE_FUNCTION = "cress_stems"

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
    """The query's words, folded, without stop words."""
    return [word for word in fold(query).split(" ") if word and word not in STOP_WORDS]


@lru_cache(maxsize=4096)
def stem(word):
    return _stemmer.stemWord(word)


def stems(text):
    """`` w1 w2 … `` : the stems of every folded word, space-delimited on both ends."""
    return " " + " ".join(stem(word) for word in fold(text).split(" ") if word) + " "


def register_sqlite_function(sender, connection, **kwargs):
    """``connection_created`` receiver: gives SQLite the ``cress_stems()`` function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, stems, deterministic=True)


class Stems(Func):
    function = SQLITE_FUNCTION
    output_field = TextField()


class SearchSpec:
    """What to search on a model, by weight.

    ``a``/``b``/``c``: lists of field paths. A path through a many-to-many relation
    (``sectors__name``) is searched with a subquery so results never repeat.
    """

    def __init__(self, a, b=(), c=()):
        self.weights = {"A": list(a), "B": list(b), "C": list(c)}

    def _split(self, model, path):
        """('sectors', 'name') for a to-many path, (None, path) for a local field."""
        head, _, rest = path.partition("__")
        field = model._meta.get_field(head)
        if rest and (field.many_to_many or field.one_to_many):
            return field, rest
        return None, path

    @staticmethod
    def _back_path(relation):
        """The lookup from the related model back to the searched model."""
        if relation.many_to_many and not relation.auto_created:
            return relation.related_query_name()
        return relation.field.name

    def _text(self, model, path):
        relation, rest = self._split(model, path)
        if relation is None:
            return Coalesce(F(path), Value(""), output_field=TextField())
        back = self._back_path(relation)
        sub = (
            relation.related_model.objects.filter(**{back: OuterRef("pk")})
            .order_by()
            .values(back)
            .annotate(text=StringAgg(rest, " "))
            .values("text")
        )
        return Coalesce(Subquery(sub, output_field=TextField()), Value(""), output_field=TextField())

    def apply(self, queryset, query):
        words = terms(query)
        if not words:
            return queryset.none()
        if connection.vendor == "postgresql":
            return self._postgres(queryset, query)
        return self._sqlite(queryset, words)

    def _postgres(self, queryset, query):
        model = queryset.model
        vector = None
        for weight, paths in self.weights.items():
            for path in paths:
                part = SearchVector(self._text(model, path), weight=weight, config=FTS_CONFIG)
                vector = part if vector is None else vector + part
        search_query = SearchQuery(" ".join(terms(query)), config=FTS_CONFIG, search_type="plain")
        return (
            queryset.annotate(search_vector=vector)
            .filter(search_vector=search_query)
            .annotate(search_rank=SearchRank(F("search_vector"), search_query))
        )

    def _sqlite(self, queryset, words):
        model = queryset.model
        condition = Q()
        rank = []
        for word in words:
            word = f" {stem(word)} "
            any_field = Q()
            for weight, paths in self.weights.items():
                for path in paths:
                    relation, rest = self._split(model, path)
                    if relation is None:
                        match = Q(**{f"_stems_{path}__contains": word})
                    else:
                        match = Q(
                            Exists(
                                relation.related_model.objects.annotate(_stemmed=Stems(rest)).filter(
                                    **{self._back_path(relation): OuterRef("pk"), "_stemmed__contains": word}
                                )
                            )
                        )
                    any_field |= match
                    if weight == "A":
                        rank.append(When(match, then=Value(1.0)))
            condition &= any_field
        local = {
            path for paths in self.weights.values() for path in paths if self._split(model, path)[0] is None
        }
        queryset = queryset.annotate(**{f"_stems_{path}": Stems(path) for path in local})
        return queryset.filter(condition).annotate(
            search_rank=Case(*rank, default=Value(0.5), output_field=FloatField())
        )
