"""The coverage rule, in one place — and the one code path that keeps every derived
value current: coverage, then search documents (``actions/documents.py``).

An item works where its own territories say; without any, where its programme works;
without any either, where its actor works. Its sectors, publics and years follow the
same rule (own, else the programme's, else the actor's — an actor has no years).

``refresh(actor_ids)`` computes that rule for every programme and action of those
actors and stores the result:

- ``effective_territories``, ``effective_sectors``, ``effective_publics``;
- ``territories_from``, ``sectors_from``, ``publics_from`` (``Inheritance``: own, the
  programme's, the actor's, none), so that a page can say « territoire du programme »;
- an action's ``first_year`` and ``last_year`` (``last_year`` empty: still running);
- ``listed``: whether a visitor may see it (published, and so are its programme, its
  actor and, for a sub-item, its parent action — ``visible``);
- the listing columns (``actors.models.Listing``) of the organisations, programmes and
  actions: territories, the départements they reach, sectors and publics, as arrays that
  the lists' filters and facets read with an index.

Pages, filters, facet counts, the API, CSV, data·inclusion, JSON-LD, the sitemap,
territory pages and search all read these stored values (``CoverageQuerySet``), and
nothing else re-implements the rule.

**When it runs.** ``follow`` is the first follower of the unit of work
(``common/changes.py``): at the end of every unit it refreshes the actors of every
organisation, programme and action saved, deleted or re-related in it — once, whatever
the number of rows and relations (admin forms and inlines, bulk actions, imports, merges,
the loader, the generator). ``manage.py rebuild_coverage`` recomputes everything; after
``migrate``, items never computed are computed.

Only the differences are written, and ``updated_at`` (« modifié le ») is never touched:
recomputing coverage is not an edit.
"""

from contextlib import nullcontext

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_migrate

from actors.models import LISTING_FIELDS, ListingCount, Organisation, Public, Sector, Status, scope_keys
from common.bulk import insert_rows
from common.changes import follower
from common.iterables import batched
from territories.models import SCOPE_KINDS, Territory, TerritoryKind

from . import documents
from .models import Action, Inheritance, Programme

DIMENSIONS = ("territories", "sectors", "publics")
BATCH = 500
# Past this many organisations, the lists are counted again once at the end instead of by
# the triggers at each statement (``ListingCount.recounted``).
RECOUNT = 2000


# --- the rule --------------------------------------------------------------------------


def inherit(own, programme, actor):
    """(values, origin) for one dimension: own if any, else the programme's, else the
    actor's. ``programme`` is ``None`` for a programme itself."""
    if own:
        return own, Inheritance.OWN
    if programme:
        return programme, Inheritance.PROGRAMME
    if actor:
        return actor, Inheritance.ACTOR
    return frozenset(), Inheritance.NONE


def years(item):
    """(first_year, last_year) of a dated item: ``last_year`` is ``None`` for an open
    start (« depuis 2001 »); a start with no end is one year; no start year, no years."""
    if item["start_year"] is None:
        return None, None
    if item["since"]:
        return item["start_year"], None
    return item["start_year"], item["end_year"] or item["start_year"]


def visible(status, *parents):
    """Whether a visitor may see an item: it is published, and so is each of its parents
    (``None``: no such parent, as an action without a parent action)."""
    return status == Status.PUBLISHED and all(p is None or p == Status.PUBLISHED for p in parents)


def listing(values, places):
    """The listing columns (``LISTING_FIELDS``) of an item whose territories, sectors and
    publics are ``values`` ({dimension: ids}); ``places``: {territory: (its level, the
    départements its reach holds)}."""
    territories = values["territories"]
    departements = {d for t in territories for d in places.get(t, (None, ()))[1]}
    return [
        sorted(territories),
        sorted(departements),
        sorted(values["sectors"]),
        sorted(values["publics"]),
        scope_keys(territories, places),
    ]


def places_reached(territory_ids):
    """{territory id: (its ``Scope``, {ids of the départements in its reach})} for these
    territories: two small queries over the territories and their roll-up."""
    ids = list(territory_ids)
    levels = {kind: scope for scope, kinds in SCOPE_KINDS.items() for kind in kinds}
    result = {pk: (levels[kind], set()) for pk, kind in Territory.objects.filter(pk__in=ids).values_list("pk", "kind")}
    rows = Territory.reach.through.objects.filter(
        from_territory__in=ids, to_territory__kind=TerritoryKind.DEPARTEMENT
    ).values_list("from_territory_id", "to_territory_id")
    for territory, departement in rows:
        result[territory][1].add(departement)
    return result


# --- storage ---------------------------------------------------------------------------


def _own(model, ids):
    """{pk: {dimension: frozenset of ids}} of the items' own territories, sectors, publics."""
    result = {pk: dict.fromkeys(DIMENSIONS, frozenset()) for pk in ids}
    for dimension in DIMENSIONS:
        field = model._meta.get_field(dimension)
        through = field.remote_field.through
        item, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = {}
        for chunk in batched(ids, 2000):
            for pk, value in through.objects.filter(**{f"{item}__in": chunk}).values_list(item, target):
                rows.setdefault(pk, set()).add(value)
        for pk, values in rows.items():
            result[pk][dimension] = frozenset(values)
    return result


COLUMNS = {
    Organisation: list(LISTING_FIELDS),
    Programme: [f"{dimension}_from" for dimension in DIMENSIONS] + ["listed", *LISTING_FIELDS],
    Action: [f"{dimension}_from" for dimension in DIMENSIONS]
    + ["listed", *LISTING_FIELDS, "first_year", "last_year", "actor"],
}


def _store_links(model, computed):
    """Writes the coverage-table links of ``computed`` ({pk: {dimension: (ids, origin)}})
    for ``model`` where they differ from what is stored."""
    ids = list(computed)
    for dimension in DIMENSIONS:
        field = model._meta.get_field(f"effective_{dimension}")
        through = field.remote_field.through
        item, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        stored = set()
        for chunk in batched(ids, 2000):
            stored |= set(through.objects.filter(**{f"{item}__in": chunk}).values_list(item, target))
        wanted = {(pk, value) for pk, values in computed.items() for value in values[dimension][0]}
        stale = stored - wanted
        for pk in {pk for pk, _ in stale}:
            through.objects.filter(
                **{item: pk, f"{target}__in": [value for p, value in stale if p == pk]}
            ).delete()
        insert_rows(through, [item, target], sorted(wanted - stored))


def _changed_columns(model, columns):
    """{pk: values} of the rows of ``model`` whose ``COLUMNS[model]`` differ from
    ``columns`` ({pk: values in that order}): written with their search documents, in
    one statement."""
    changed = {}
    names = [f"{name}_id" if name == "actor" else name for name in COLUMNS[model]]
    for chunk in batched(list(columns), 2000):
        for pk, *stored_values in model.objects.filter(pk__in=chunk).values_list("pk", *names):
            new = list(columns[pk])
            if stored_values != new:
                changed[pk] = tuple(new)
    return changed


def _refresh_batch(actor_ids):
    actors = _own(Organisation, actor_ids)
    statuses = dict(Organisation.objects.filter(pk__in=actor_ids).values_list("pk", "status"))
    programmes = {
        p["pk"]: p
        for p in Programme.objects.filter(actor_id__in=actor_ids).values(
            "pk", "actor_id", "status", "start_year", "end_year", "since"
        )
    }
    programme_own = _own(Programme, list(programmes))
    actions = {
        a["pk"]: a
        for a in Action.objects.filter(programme_id__in=list(programmes)).values(
            "pk", "programme_id", "parent_id", "status", "start_year", "end_year", "since"
        )
    }
    action_own = _own(Action, list(actions))
    # A parent action is in the same programme (``Action.clean``); read any other's status.
    parents = {a["parent_id"] for a in actions.values() if a["parent_id"] and a["parent_id"] not in actions}
    parent_status = {pk: a["status"] for pk, a in actions.items()}
    parent_status.update(Action.objects.filter(pk__in=parents).values_list("pk", "status"))

    programme_values = {}
    for pk, programme in programmes.items():
        actor = actors.get(programme["actor_id"], dict.fromkeys(DIMENSIONS, frozenset()))
        programme_values[pk] = {
            dimension: inherit(programme_own[pk][dimension], None, actor[dimension])
            for dimension in DIMENSIONS
        }
        programme_values[pk]["listed"] = visible(programme["status"], statuses.get(programme["actor_id"]))
    action_values = {}
    for pk, action in actions.items():
        programme = programmes[action["programme_id"]]
        actor = actors.get(programme["actor_id"], dict.fromkeys(DIMENSIONS, frozenset()))
        own_programme = programme_own[programme["pk"]]
        action_values[pk] = {
            dimension: inherit(action_own[pk][dimension], own_programme[dimension], actor[dimension])
            for dimension in DIMENSIONS
        }
        action_values[pk]["years"] = years(action) if action["start_year"] is not None else years(programme)
        action_values[pk]["actor"] = programme["actor_id"]
        action_values[pk]["listed"] = programme_values[programme["pk"]]["listed"] and visible(
            action["status"], parent_status.get(action["parent_id"]) if action["parent_id"] else None
        )
    _store_links(Programme, programme_values)
    _store_links(Action, action_values)
    # Every effective territory is someone's own: the places of the batch's own territories.
    places = places_reached(
        {t for own in (actors, programme_own, action_own) for values in own.values() for t in values["territories"]}
    )

    def effective(values):
        return {dimension: values[dimension][0] for dimension in DIMENSIONS}

    columns = {
        Organisation: {pk: listing(own, places) for pk, own in actors.items()},
        Programme: {
            pk: [
                *(values[d][1] for d in DIMENSIONS),
                values["listed"],
                *listing(effective(values), places),
            ]
            for pk, values in programme_values.items()
        },
        Action: {
            pk: [
                *(values[d][1] for d in DIMENSIONS),
                values["listed"],
                *listing(effective(values), places),
                *values["years"],
                values["actor"],
            ]
            for pk, values in action_values.items()
        },
    }
    documents.store(
        actor_ids,
        {
            Organisation: actors,
            Programme: {pk: effective(values) for pk, values in programme_values.items()},
            Action: {pk: effective(values) for pk, values in action_values.items()},
        },
        {model: (COLUMNS[model], _changed_columns(model, values)) for model, values in columns.items()},
        public={
            Programme: {pk for pk, values in programme_values.items() if values["listed"]},
            Action: {pk for pk, values in action_values.items() if values["listed"]},
        },
    )


def refresh(actor_ids):
    """Computes and stores the coverage of every programme and action of these actors."""
    ids = sorted({pk for pk in actor_ids if pk is not None})
    if not ids:
        return
    with transaction.atomic(), (ListingCount.recounted() if len(ids) > RECOUNT else nullcontext()):
        for batch in batched(ids, BATCH):
            _refresh_batch(list(batch))


def rebuild():
    """Recomputes the coverage and search documents of every organisation, programme
    and action."""
    refresh(Organisation.objects.order_by("pk").values_list("pk", flat=True))


def refresh_never_computed():
    """Computes what was never computed (after a migration that added or reset a derived
    value); returns how many organisations were refreshed."""
    never = Q(search_vector__isnull=True) | Q(territory_ids__isnull=True)
    actor_ids = set(Organisation.objects.filter(never).values_list("pk", flat=True))
    actor_ids |= set(
        Programme.objects.filter(Q(territories_from__isnull=True) | never).values_list("actor_id", flat=True)
    )
    actor_ids |= set(
        Action.objects.filter(Q(territories_from__isnull=True) | never).values_list(
            "programme__actor_id", flat=True
        )
    )
    refresh(actor_ids)
    return len(actor_ids)


# --- when it runs ----------------------------------------------------------------------


@follower("couverture et documents de recherche", order=10)
def follow(changes):
    """The follower of a unit of work: refreshes the actors its changes touch."""
    if changes.rebuild:
        rebuild()
        return
    if any(changes.deleted.get(model) for model in (Sector, Public)):
        rebuild()  # the relations went with the term: who had it is no longer known (rare: administrators only)
        return
    actor_ids = set(changes.pks(Organisation))
    for vocabulary, relation in ((Sector, "sectors"), (Public, "publics")):  # a renamed term: documents
        if terms := changes.pks(vocabulary):
            actor_ids |= _actors_with(relation, terms)
    programmes, actions = changes.pks(Programme), changes.pks(Action)
    if programmes:
        actor_ids |= set(Programme.objects.filter(pk__in=programmes).values_list("actor_id", flat=True))
    if actions:
        actor_ids |= set(Action.objects.filter(pk__in=actions).values_list("programme__actor_id", flat=True))
    for model in (Programme, Action):  # deleted: their actor, as the row said
        actor_ids |= {instance.actor_id for instance in changes.deleted.get(model, ())}
    deleted = {instance.pk for instance in changes.deleted.get(Organisation, ())}
    refresh(actor_ids - deleted)


def _actors_with(relation, terms):
    """The actors whose organisation, programmes or actions have one of ``terms`` as their own."""
    lookup = {f"{relation}__in": terms}
    return (
        set(Organisation.objects.filter(**lookup).values_list("pk", flat=True))
        | set(Programme.objects.filter(**lookup).values_list("actor_id", flat=True))
        | set(Action.objects.filter(**lookup).values_list("actor_id", flat=True))
    )


def _after_migrate(sender, using, **kwargs):
    if sender.name == "actions":
        refresh_never_computed()


def connect():
    post_migrate.connect(_after_migrate, dispatch_uid="coverage-after-migrate")
