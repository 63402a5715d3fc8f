"""Loads the directory's real content (``fixtures/directory.json``, transcribed from the
CRESS Basse-Normandie source page) into the database — without ever undoing staff work.

Every object is matched by its natural key, the one the database keeps unique: the slug
(organisations, programmes, actions, events, sectors, publics); the organisation, the
programme or action and the role (partnerships); the actor and the order (quotes, key
figures).

The successions of the public bodies the source names (``fixtures/successions.json``:
the bodies of today, created as partners, and each change with its source) are loaded
the same way, after the content.

- **A normal load** creates what is missing and leaves alone what exists: its status,
  its texts, its relations, and every row staff added. Objects it creates are published.
- **A reset** (``reset=True``) restores the source's facts on the objects of the source
  (fields and relations; never the publication status, which is an editorial choice),
  after listing every change. Rows staff added are kept.

Every object is validated (``full_clean``) before it is saved; the coverage of what was
loaded is computed once, at the end (one unit of work: ``common/changes.py``).
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from actors.models import Organisation, Public, Sector, Status, Succession
from common.changes import content_changes
from territories.models import Territory

from .models import Action, Event, KeyFigure, Partnership, Programme, Quote

CONTENT_PATH = Path(settings.BASE_DIR) / "fixtures" / "directory.json"
# The public bodies named by the source and what they became (``actors/successors.py``).
SUCCESSIONS_PATH = Path(settings.BASE_DIR) / "fixtures" / "successions.json"


class Cancelled(Exception):
    """Raised to roll a reset back when it is not confirmed."""


def period(item):
    start, end = item.get("start", {}), item.get("end", {})
    return {
        "start_year": start.get("year"),
        "start_month": start.get("month"),
        "start_day": start.get("day"),
        "end_year": end.get("year"),
        "end_month": end.get("month"),
        "end_day": end.get("day"),
        "since": bool(item.get("since", False)),
    }


@dataclass
class Report:
    created: list = field(default_factory=list)  # labels
    kept: int = 0
    changed: list = field(default_factory=list)  # (label, [(field, old, new)])

    def summary(self):
        return (
            f"{len(self.created)} créés, {len(self.changed)} remis aux faits de la source, "
            f"{self.kept} laissés tels quels"
        )


def _shown(value):
    if isinstance(value, (set, frozenset, list)):
        return ", ".join(sorted(map(str, value))) or "(aucun)"
    return "(vide)" if value in (None, "") else str(value)


class ContentLoader:
    def __init__(self, data, reset=False, successions=None):
        self.data = data
        self.successions = successions
        self.reset = reset
        # What the history of each object says about this change.
        self.reason = (
            "Faits de la source remis (load_directory --reset)"
            if reset
            else "Chargement du contenu source (load_directory)"
        )
        self.report = Report()
        self._territories = {}

    # --- helpers
    def territory(self, key):
        if key not in self._territories:
            self._territories[key] = Territory.objects.get(key=key)
        return self._territories[key]

    def organisation(self, slug):
        return Organisation.objects.get(slug=slug) if slug else None

    def vocabularies(self, item):
        return {
            "territories": {self.territory(key).pk for key in item.get("territories", [])},
            "sectors": set(
                Sector.objects.filter(slug__in=item.get("sectors", [])).values_list("pk", flat=True)
            ),
            "publics": set(
                Public.objects.filter(slug__in=item.get("publics", [])).values_list("pk", flat=True)
            ),
        }

    def sync(self, model, lookup, values, m2m=None, label=None, on_create=None):
        """Creates the object if missing (published, when it has a status); on a reset,
        restores ``values`` and ``m2m`` where they differ; otherwise leaves it alone."""
        m2m = m2m or {}
        label = label or f"{model._meta.verbose_name} « {lookup} »"
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values, **(on_create or {}))
            if hasattr(obj, "status"):
                obj.status = Status.PUBLISHED
            obj.full_clean()
            obj._change_reason = self.reason
            obj.save()
            for name, ids in m2m.items():
                getattr(obj, name).set(ids)
            self.report.created.append(label)
            return obj
        if not self.reset:
            self.report.kept += 1
            return obj
        changes = []
        for name, value in values.items():
            current = (
                getattr(obj, f"{name}_id") if model._meta.get_field(name).is_relation else getattr(obj, name)
            )
            wanted = value.pk if hasattr(value, "pk") else value
            if current != wanted:
                changes.append((name, current, wanted))
                setattr(obj, name, value)
        if changes:
            obj.full_clean()
            obj._change_reason = self.reason
            obj.save()
        for name, ids in m2m.items():
            current = set(getattr(obj, name).values_list("pk", flat=True))
            if current != set(ids):
                changes.append((name, current, set(ids)))
                getattr(obj, name).set(ids)
        if changes:
            self.report.changed.append((label, changes))
        else:
            self.report.kept += 1
        return obj

    # --- content
    @transaction.atomic
    def load(self, confirm=None):
        """Loads (or resets) everything; ``confirm(report)`` is asked before a reset is
        kept: when it returns False, nothing is written."""
        with content_changes(reason=self.reason):
            for model, key in ((Sector, "sectors"), (Public, "publics")):
                for item in self.data[key]:
                    self.sync(model, {"slug": item["slug"]}, {"name": item["name"]}, label=item["name"])
            self.load_organisations()
            for item in self.data["programmes"]:
                self.load_programme(item)
            for item in self.data["events"]:
                self.load_event(item)
            for item in self.data["quotes"]:
                self.load_quote(item)
            if self.successions:
                self.load_successions(self.successions)
            if confirm is not None and not confirm(self.report):
                raise Cancelled  # leaves the unit of work: nothing follows, all is rolled back
        return self.report

    def load_organisations(self):
        source = self.data["source"]
        # Networks first, so that a member's network exists when the member is created.
        items = sorted(self.data["organisations"], key=lambda item: bool(item.get("parent")))
        for item in items:
            self.sync(
                Organisation,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "acronym": item.get("acronym", ""),
                    "alternate_name": item.get("alternate_name", ""),
                    "kind": item["kind"],
                    "family": item.get("family", ""),
                    "summary": item.get("summary", ""),
                    "description": item.get("description", ""),
                    "website": item.get("website", ""),
                    "source": source,
                    "source_period": self.data.get("source_period", ""),
                    "parent": self.organisation(item.get("parent")),
                },
                self.vocabularies(item),
                label=item["name"],
            )

    def load_partnerships(self, items, **target):
        for item in items:
            organisation = self.organisation(item["organisation"])
            target_label = next(iter(target.values()))
            self.sync(
                Partnership,
                {"organisation": organisation, "role": item["role"], **target},
                {"detail": item.get("detail", ""), **period(item)},
                label=f"partenariat {organisation.name} — {item['role']} — {target_label}",
            )

    def load_programme(self, item):
        programme = self.sync(
            Programme,
            {"slug": item["slug"]},
            {
                "actor": self.organisation(item["actor"]),
                "kind": item["kind"],
                "title": item["title"],
                "summary": item.get("summary", ""),
                "description": item.get("description", ""),
                "source_text": item.get("source_text", ""),
                **period(item),
            },
            self.vocabularies(item),
            label=item["title"],
        )
        self.load_partnerships(item.get("partnerships", []), programme=programme)
        for order, action in enumerate(item.get("actions", []), start=1):
            self.load_action(action, programme, None, order)
        for figure in item.get("key_figures", []):
            self.sync(
                KeyFigure,
                {"actor": programme.actor, "order": figure["order"]},
                {
                    "programme": programme,
                    "value": Decimal(figure["value"]),
                    "value_text": figure.get("value_text", ""),
                    "qualifier": figure.get("qualifier", ""),
                    "unit": figure.get("unit", ""),
                    "label": figure["label"],
                    "frequency": figure.get("frequency", ""),
                    **period(figure),
                },
                label=f"chiffre clé « {figure['label']} »",
            )

    def load_action(self, item, programme, parent, order):
        action = self.sync(
            Action,
            {"slug": item["slug"]},
            {
                "programme": programme,
                "parent": parent,
                "order": order,
                "title": item["title"],
                "description": item.get("description", ""),
                "source_text": item.get("source_text", ""),
                "editorial_note": item.get("editorial_note", ""),
                "is_flagship": item.get("is_flagship", False),
                **period(item),
            },
            self.vocabularies(item),
            label=item["title"],
        )
        self.load_partnerships(item.get("partnerships", []), action=action)
        for sub_order, sub in enumerate(item.get("sub_actions", []), start=1):
            self.load_action(sub, programme, action, sub_order)

    def load_event(self, item):
        self.sync(
            Event,
            {"slug": item["slug"]},
            {
                "title": item["title"],
                "theme": item.get("theme", ""),
                "description": item.get("description", ""),
                "source_text": item.get("source_text", ""),
                "place": self.territory(item["place"]) if item.get("place") else None,
                "actor": self.organisation(item["actor"]),
                "programme": Programme.objects.filter(slug=item.get("programme")).first(),
                **period(item),
            },
            {
                "organisers": set(
                    Organisation.objects.filter(slug__in=item.get("organisers", [])).values_list(
                        "pk", flat=True
                    )
                )
            },
            label=item["title"],
        )

    def load_successions(self, data):
        """The bodies that followed those of the source (created as partners when missing)
        and each change, with its date at its precision and its source: as data, from
        ``fixtures/successions.json``. The source's texts are never touched."""
        for item in data["organisations"]:
            self.sync(
                Organisation,
                {"slug": item["slug"]},
                {
                    "name": item["name"],
                    "acronym": item.get("acronym", ""),
                    "kind": item["kind"],
                    "summary": item.get("summary", ""),
                    "source": data["source"],
                },
                self.vocabularies(item),
                label=item["name"],
            )
        for item in data["successions"]:
            predecessor, successor = (
                Organisation.objects.filter(slug=item[end]).first() for end in ("predecessor", "successor")
            )
            if predecessor is None or successor is None:  # staff renamed or removed a body: theirs to link
                continue
            self.sync(
                Succession,
                {"predecessor": predecessor, "successor": successor},
                {
                    "kind": item["kind"],
                    "year": item["year"],
                    "month": item.get("month"),
                    "day": item.get("day"),
                    "note": item.get("note", ""),
                    "source": item["source"],
                    "source_url": item.get("source_url", ""),
                },
                label=f"succession {predecessor.name} → {successor.name}",
            )

    def load_quote(self, item):
        self.sync(
            Quote,
            {"actor": self.organisation(item["actor"]), "order": item["order"]},
            {
                "text": item["text"],
                "context": item.get("context", ""),
                "person_name": item["person_name"],
                "person_role": item.get("person_role", ""),
                "person_organisation": self.organisation(item.get("person_organisation")),
                "event": Event.objects.filter(slug=item.get("event")).first(),
            },
            label=f"citation de {item['person_name']} ({item['actor']}, n° {item['order']})",
        )


def read_content(path=CONTENT_PATH):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_content(path=CONTENT_PATH, reset=False, confirm=None, successions_path=SUCCESSIONS_PATH):
    """Loads the content, then the successions of the public bodies it names; returns the
    ``Report``. A reset not confirmed raises ``Cancelled`` and writes nothing."""
    successions = read_content(successions_path) if successions_path else None
    return ContentLoader(read_content(path), reset=reset, successions=successions).load(confirm=confirm)


def describe(report):
    """The reset's changes, one line per field, in French."""
    lines = []
    for label in report.created:
        lines.append(f"+ créé : {label}")
    for label, changes in report.changed:
        lines.append(f"~ {label}")
        for name, old, new in changes:
            lines.append(f"    {name} : {_shown(old)} → {_shown(new)}")
    return lines
