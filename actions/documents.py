"""What the search documents of organisations, programmes and actions say (the
mechanism that stores them is ``common/search.py``). Written by ``coverage.refresh``,
the one code path that runs on every save, inline save, import and generation.

- An **actor**: its names (A); its sectors, publics and territories, and the titles of
  its published programmes and actions (B); its presentation, and the descriptions of
  those programmes and actions (C) — so that the actor list's keyword search finds an
  actor through what it does, names still ranking first. Drafts never enter a document
  that visitors search.
- A **partner**: its names (A), territories (B), presentation (C).
- A **programme** or an **action**: its title (A); its coverage (territories, sectors,
  publics: own, else inherited), its actor, and an action's programme (B); its texts (C).
"""

from actors.models import Organisation, Public, Sector
from common.search import write_documents
from territories.models import Territory

from .models import Action, Programme


def _join(*parts):
    return " ".join(part for part in parts if part)


def _vocabulary_text(coverage, names):
    """{pk: names of its territories, sectors and publics} from ``coverage``
    ({pk: {"territories": ids, "sectors": ids, "publics": ids}})."""
    return {
        pk: _join(
            *(names[dimension][target] for dimension, targets in dimensions.items() for target in targets)
        )
        for pk, dimensions in coverage.items()
    }


def store(actor_ids, coverage, columns, public):
    """Writes the documents of these organisations and of their programmes and actions.
    ``coverage``: {Organisation: {pk: own values}, Programme: {pk: effective values},
    Action: {pk: effective values}}, as ``coverage.refresh`` just computed them;
    ``columns``: {model: (field names, {pk: values})}, stored coverage columns written
    in the same statements as the documents; ``public``: {Programme: pks, Action: pks},
    those a visitor may see (as just computed: what an actor's document says it does)."""
    actor_ids = list(actor_ids)
    organisations = {
        o["pk"]: o
        for o in Organisation.objects.filter(pk__in=actor_ids).values(
            "pk", "kind", "name", "acronym", "alternate_name", "summary", "description"
        )
    }
    programmes = {
        p["pk"]: p
        for p in Programme.objects.filter(actor_id__in=actor_ids).values(
            "pk", "actor_id", "title", "summary", "description", "source_text"
        )
    }
    actions = {
        a["pk"]: a
        for a in Action.objects.filter(programme_id__in=list(programmes)).values(
            "pk", "programme_id", "title", "description", "source_text", "editorial_note"
        )
    }
    public_programmes, public_actions = public[Programme], public[Action]

    territory_ids = {
        t for items in coverage.values() for values in items.values() for t in values["territories"]
    }
    names = {
        "territories": dict(Territory.objects.filter(pk__in=territory_ids).values_list("pk", "name")),
        "sectors": dict(Sector.objects.values_list("pk", "name")),  # small tables, read whole
        "publics": dict(Public.objects.values_list("pk", "name")),
    }
    organisation_vocabulary = _vocabulary_text(coverage[Organisation], names)
    programme_vocabulary = _vocabulary_text(coverage[Programme], names)
    action_vocabulary = _vocabulary_text(coverage[Action], names)

    what_they_do = {pk: ([], []) for pk in organisations}  # titles (B), texts (C)
    for pk, programme in programmes.items():
        if pk in public_programmes:
            titles, texts = what_they_do[programme["actor_id"]]
            titles.append(programme["title"])
            texts.append(_join(programme["summary"], programme["description"]))
    for pk, action in actions.items():
        if pk in public_actions:
            titles, texts = what_they_do[programmes[action["programme_id"]]["actor_id"]]
            titles.append(action["title"])
            texts.append(action["description"])

    def organisation_names(o):
        return _join(o["name"], o["acronym"], o["alternate_name"])

    write_documents(
        Organisation,
        {
            pk: (
                organisation_names(o),
                _join(organisation_vocabulary[pk], *what_they_do[pk][0]),
                _join(o["summary"], o["description"], *what_they_do[pk][1]),
            )
            for pk, o in organisations.items()
        },
        *columns[Organisation],
    )
    write_documents(
        Programme,
        {
            pk: (
                p["title"],
                _join(programme_vocabulary[pk], organisation_names(organisations[p["actor_id"]])),
                _join(p["summary"], p["description"], p["source_text"]),
            )
            for pk, p in programmes.items()
        },
        *columns[Programme],
    )
    write_documents(
        Action,
        {
            pk: (
                a["title"],
                _join(
                    action_vocabulary[pk],
                    programmes[a["programme_id"]]["title"],
                    organisation_names(organisations[programmes[a["programme_id"]]["actor_id"]]),
                ),
                _join(a["description"], a["source_text"], a["editorial_note"]),
            )
            for pk, a in actions.items()
        },
        *columns[Action],
    )
