"""The search page's results: for each kind (actors, programmes, actions, partners,
territories) how many match, and for the first ones what a visitor needs to choose: the
kind, the organisation behind it, where it works and a short extract with the words
found marked. A bounded number of queries: per kind, the count, the first rows and
their territories."""

from dataclasses import dataclass, field

from django.urls import reverse

from actions.models import Action, Programme
from actors.models import Organisation
from common.search import DOCUMENT_FIELDS, extract, query_stems
from common.search import search as search_documents
from territories.models import Territory

LIMIT = 10


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

    @property
    def more(self):
        return self.count > len(self.results)

    @property
    def counted(self):
        """« 1 acteur », « 4 partenaires »."""
        noun = self.label.lower()
        return f"{self.count} {noun if self.count > 1 else noun[:-1]}"


def where(territories, limit=3):
    """« Calvados (14), Manche (50) et 2 autres territoires »."""
    names = [name for name, _ in territories]
    if len(names) <= limit:
        return ", ".join(names)
    rest = len(names) - limit
    return ", ".join(names[:limit]) + f" et {rest} autre{'s' if rest > 1 else ''} territoire{'s' if rest > 1 else ''}"


def first_text(wanted, *texts):
    """The first text holding a word found, else the first non-empty one."""
    texts = [t for t in texts if t]
    for text in texts:
        if "<mark>" in (passage := extract(text, wanted)):
            return passage
    return extract(texts[0], wanted) if texts else ""


def run(query):
    wanted = query_stems(query)
    groups = [_actors(query, wanted), _programmes(query, wanted), _actions(query, wanted),
              _partners(query, wanted), _territories(query)]  # fmt: skip
    return [group for group in groups if group.count]


def _first(queryset, query):
    matches = search_documents(queryset, query)
    count = matches.count()
    rows = list(matches.order_by("-search_rank", "pk")[:LIMIT]) if count else []
    return count, rows


def _actors(query, wanted):
    queryset = Organisation.objects.actors().published().defer(*DOCUMENT_FIELDS)
    count, rows = _first(queryset, query)
    places = Organisation.objects.territory_texts([o.pk for o in rows])
    results = [
        Result(
            title=o.name + (f" ({o.acronym})" if o.acronym and o.acronym not in o.name else ""),
            url=o.get_absolute_url(), kind=f"Acteur · {o.get_family_display()}" if o.family else "Acteur",
            where=where(places[o.pk]), excerpt=first_text(wanted, o.summary, o.description),
        )
        for o in rows
    ]  # fmt: skip
    return Group("Acteurs", count, results, f"{reverse('actors:list')}?{_q(query)}")


def _programmes(query, wanted):
    queryset = Programme.objects.published().select_related("actor").defer(*DOCUMENT_FIELDS)
    count, rows = _first(queryset, query)
    places = Programme.objects.territory_texts([p.pk for p in rows])
    results = [
        Result(
            title=p.title, url=p.get_absolute_url(), kind="Programme", by=p.actor.name,
            by_url=p.actor.get_absolute_url(), where=where(places[p.pk]),
            excerpt=first_text(wanted, p.summary, p.description, p.source_text),
        )
        for p in rows
    ]  # fmt: skip
    return Group("Programmes", count, results, reverse("actions:programmes") if count > LIMIT else "")


def _actions(query, wanted):
    queryset = Action.objects.published().select_related("programme__actor").defer(*DOCUMENT_FIELDS)
    count, rows = _first(queryset, query)
    places = Action.objects.territory_texts([a.pk for a in rows])
    results = [
        Result(
            title=a.title, url=a.get_absolute_url(), kind=f"Action · programme « {a.programme.title} »",
            by=a.programme.actor.name, by_url=a.programme.actor.get_absolute_url(), where=where(places[a.pk]),
            excerpt=first_text(wanted, a.description, a.source_text, a.editorial_note),
        )
        for a in rows
    ]  # fmt: skip
    return Group("Actions", count, results, f"{reverse('actions:list')}?{_q(query)}")


def _partners(query, wanted):
    queryset = Organisation.objects.partners().published().defer(*DOCUMENT_FIELDS)
    count, rows = _first(queryset, query)
    places = Organisation.objects.territory_texts([o.pk for o in rows])
    results = [
        Result(title=o.name, url=o.get_absolute_url(), kind=f"Partenaire · {o.get_kind_display()}",
               where=where(places[o.pk]), excerpt=first_text(wanted, o.summary, o.description))
        for o in rows
    ]  # fmt: skip
    return Group("Partenaires", count, results, reverse("partners:list") if count > LIMIT else "")


def _territories(query):
    queryset = Territory.objects.select_related("current", "parent").defer(*DOCUMENT_FIELDS)
    count, rows = _first(queryset, query)
    results = [
        Result(title=t.display_name, url=t.get_absolute_url(), kind=t.get_kind_display(),
               where=f"{t.parent.name}" if t.parent_id else "")
        for t in rows
    ]  # fmt: skip
    return Group("Territoires", count, results, reverse("site:territories") if count > LIMIT else "")


def _q(query):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data["q"] = query
    return data.urlencode()
