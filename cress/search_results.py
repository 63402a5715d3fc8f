"""The search page's results: for each kind (actors, programmes, actions, partners,
territories) how many match, and for the first ones what a visitor needs to choose: the
kind, the organisation behind it, where it works and a short extract with the words
found marked. A bounded number of queries: per kind, the count, the first rows and
their territories (narrowed to a département: one more, its key).

The page may be narrowed to a département (``?departement=14``: by the lists' rule, what
works there; for territories, the département and its communes) and to one kind
(``?type=programmes``); each group's « Voir les N … » leads to the list that applies the
same keywords and département, when that list has them."""

from dataclasses import dataclass, field

from django.http import QueryDict
from django.urls import reverse

from actions.models import Action, Programme
from actors.models import Organisation
from actors.nearby import where
from common.search import DOCUMENT_FIELDS, passage, query_stems
from common.search import search as search_documents
from territories.models import SCOPE_KINDS, Scope, Territory
from territories.region import DEPARTEMENT_CODES, DEPARTEMENTS

LIMIT = 10
# ``?type=``: the kinds of results, in the page's order, with their groups' labels.
KINDS = {"acteurs": "Acteurs", "programmes": "Programmes", "actions": "Actions",
         "partenaires": "Partenaires", "territoires": "Territoires"}  # fmt: skip


@dataclass
class Result:
    title: str
    url: str
    kind: str
    by: str = ""  # the organisation behind it
    by_url: str = ""
    where: str = ""
    excerpt: str = ""


@dataclass
class Group:
    label: str  # « Acteurs »
    count: int
    results: list = field(default_factory=list)
    more_url: str = ""  # the full list, when there is one
    key: str = ""  # its ``?type=``

    @property
    def more(self):
        return self.count > len(self.results)

    @property
    def counted(self):
        """« 1 acteur », « 4 partenaires »."""
        noun = self.label.lower()
        return f"{self.count} {noun if self.count > 1 else noun[:-1]}"


@dataclass
class Link:
    label: str
    url: str
    current: bool


class Results(list):
    """The groups found (a list: what the page reads), with the narrowing asked for —
    ``departement`` (its code) and ``kind`` (``KINDS``), ``None`` when not narrowed — and
    the links that change one while keeping the other and the query."""

    def __init__(self, groups, query, departement, kind, place=None):
        super().__init__(groups)
        self.departement, self.kind = departement, kind
        # « dans le département du Calvados »: where the results were narrowed to.
        self.where = f"dans le département {place.of_name}" if place is not None else ""
        self.departement_links = [
            Link(label, _search_url(query, code, kind), code == departement)
            for code, label in [(None, "Tous les départements"), *DEPARTEMENTS]
        ]
        self.kind_links = [
            Link(label, _search_url(query, departement, key), key == kind)
            for key, label in [(None, "Tout"), *KINDS.items()]
        ]

    @property
    def narrowed(self):
        return self.departement is not None or self.kind is not None


def run(query, departement=None, kind=None):
    """The groups of results for ``query``, narrowed to the département whose code is
    ``departement`` and to the kind ``kind`` (``KINDS``) when given; values the page does
    not offer are ignored."""
    departement = departement if departement in DEPARTEMENT_CODES else None
    kind = kind if kind in KINDS else None
    wanted = query_stems(query)
    place = None
    if departement is not None:
        place = Territory.objects.departements([departement]).defer(*DOCUMENT_FIELDS).first()
    finders = {"acteurs": _actors, "programmes": _programmes, "actions": _actions,
               "partenaires": _partners, "territoires": _territories}  # fmt: skip
    groups = [
        finders[key](query, wanted, departement, place) for key in KINDS if kind is None or key == kind
    ]
    return Results([group for group in groups if group.count], query, departement, kind, place)


def _in(queryset, departement, place):
    """``queryset`` (a coverage queryset) narrowed to what works in the département
    (``departement``: its code, ``place``: its territory), by the lists' rule."""
    if departement is None:
        return queryset
    return queryset.in_departements([place.pk] if place is not None else [])


def _first(queryset, query):
    matches = search_documents(queryset, query)
    count = matches.count()
    rows = list(matches.order_by("-search_rank", "pk")[:LIMIT]) if count else []
    return count, rows


def _actors(query, wanted, departement, place):
    queryset = _in(Organisation.objects.actors().published().defer(*DOCUMENT_FIELDS), departement, place)
    count, rows = _first(queryset.select_related("commune").defer("commune__search_vector"), query)
    where(rows, lambda o: o.commune, Organisation)  # as the cards say it (actors/nearby.py)
    results = [
        Result(
            title=o.name + (f" ({o.acronym})" if o.acronym and o.acronym not in o.name else ""),
            url=o.get_absolute_url(), kind=f"Acteur · {o.get_family_display()}" if o.family else "Acteur",
            where=o.where, excerpt=passage(wanted, o.summary, o.description),
        )
        for o in rows
    ]  # fmt: skip
    return Group("Acteurs", count, results, _list_url("actors:list", query, departement), "acteurs")


def _programmes(query, wanted, departement, place):
    queryset = _in(Programme.objects.published().select_related("actor").defer(*DOCUMENT_FIELDS), departement, place)
    count, rows = _first(queryset, query)
    where(rows, lambda p: None, Programme)
    results = [
        Result(
            title=p.title, url=p.get_absolute_url(), kind="Programme", by=p.actor.name,
            by_url=p.actor.get_absolute_url(), where=p.where,
            excerpt=passage(wanted, p.summary, p.description, p.source_text),
        )
        for p in rows
    ]  # fmt: skip
    return Group("Programmes", count, results, _list_url("actions:programmes", query, departement), "programmes")


def _actions(query, wanted, departement, place):
    queryset = _in(
        Action.objects.published().select_related("programme__actor").defer(*DOCUMENT_FIELDS), departement, place
    )
    count, rows = _first(queryset, query)
    where(rows, lambda a: None, Action)
    results = [
        Result(
            title=a.title, url=a.get_absolute_url(), kind=f"Action · programme « {a.programme.title} »",
            by=a.programme.actor.name, by_url=a.programme.actor.get_absolute_url(), where=a.where,
            excerpt=passage(wanted, a.description, a.source_text, a.editorial_note),
        )
        for a in rows
    ]  # fmt: skip
    return Group("Actions", count, results, _list_url("actions:list", query, departement), "actions")


def _partners(query, wanted, departement, place):
    queryset = _in(Organisation.objects.partners().published().defer(*DOCUMENT_FIELDS), departement, place)
    count, rows = _first(queryset.select_related("commune").defer("commune__search_vector"), query)
    where(rows, lambda o: o.commune, Organisation)
    results = [
        Result(title=o.name, url=o.get_absolute_url(), kind=f"Partenaire · {o.get_kind_display()}",
               where=o.where, excerpt=passage(wanted, o.summary, o.description))
        for o in rows
    ]  # fmt: skip
    # The partners' list has no keywords nor département: the whole list.
    return Group("Partenaires", count, results, reverse("partners:list") if count > LIMIT else "", "partenaires")


def _territories(query, wanted, departement, place):
    queryset = Territory.objects.select_related("current", "parent").defer(*DOCUMENT_FIELDS)
    if departement is not None:
        # The département and its communes (historic ones too): the territories whose
        # roll-up reaches it, its regions aside.
        queryset = queryset.filter(reach=place).exclude(kind__in=SCOPE_KINDS[Scope.REGION]) if place else queryset.none()
    count, rows = _first(queryset, query)
    results = [
        Result(title=t.display_name, url=t.get_absolute_url(), kind=t.get_kind_display(),
               where=f"{t.parent.name}" if t.parent_id else "")
        for t in rows
    ]  # fmt: skip
    return Group("Territoires", count, results, reverse("site:territories") if count > LIMIT else "", "territoires")


def _query_string(**params):
    data = QueryDict(mutable=True)
    for name, value in params.items():
        if value:
            data[name] = value
    return data.urlencode()


def _list_url(name, query, departement):
    """A list's address with the same keywords and département."""
    return f"{reverse(name)}?{_query_string(q=query, departement=departement)}"


def _search_url(query, departement, kind):
    """The search page narrowed: the query is read as words there (``lecture=mots``), as on
    the page it narrows — a place would have led to the list near it (cress/one_box.py)."""
    params = _query_string(q=query, departement=departement, type=kind, lecture="mots")
    return f"{reverse('site:search')}?{params}"
