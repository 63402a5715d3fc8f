"""Loads the directory's real content (``fixtures/directory.json``, transcribed from the
CRESS Basse-Normandie source page) into the database.

Every object is upserted by its natural key (slug; for partnerships the organisation,
target and role; for quotes and key figures the actor and order), so loading twice gives
the same database. Objects loaded here are published.
"""

import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from actors.models import Organisation, Public, Sector, Status, Territory

from .models import Action, Event, KeyFigure, Partnership, Programme, Quote

CONTENT_PATH = Path(settings.BASE_DIR) / "fixtures" / "directory.json"

PERIOD_FIELDS = ["start_year", "start_month", "start_day", "end_year", "end_month", "end_day", "since"]


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


class ContentLoader:
    def __init__(self, data):
        self.data = data
        self.territories = {}
        self.counts = {}

    def territory(self, key):
        if key not in self.territories:
            self.territories[key] = Territory.objects.get(key=key)
        return self.territories[key]

    def set_vocabularies(self, obj, item):
        obj.territories.set([self.territory(k) for k in item.get("territories", [])])
        obj.sectors.set(Sector.objects.filter(slug__in=item.get("sectors", [])))
        obj.publics.set(Public.objects.filter(slug__in=item.get("publics", [])))

    def count(self, label):
        self.counts[label] = self.counts.get(label, 0) + 1

    @transaction.atomic
    def load(self):
        for model, key in ((Sector, "sectors"), (Public, "publics")):
            for item in self.data[key]:
                model.objects.update_or_create(slug=item["slug"], defaults={"name": item["name"]})
                self.count(key)
        self.load_organisations()
        for item in self.data["programmes"]:
            self.load_programme(item)
        for item in self.data["events"]:
            self.load_event(item)
        for item in self.data["quotes"]:
            self.load_quote(item)
        return self.counts

    def load_organisations(self):
        source = self.data["source"]
        for item in self.data["organisations"]:
            organisation, _ = Organisation.objects.update_or_create(
                slug=item["slug"],
                defaults={
                    "name": item["name"],
                    "acronym": item.get("acronym", ""),
                    "alternate_name": item.get("alternate_name", ""),
                    "kind": item["kind"],
                    "family": item.get("family", ""),
                    "summary": item.get("summary", ""),
                    "description": item.get("description", ""),
                    "website": item.get("website", ""),
                    "source": source,
                    "status": Status.PUBLISHED,
                },
            )
            self.set_vocabularies(organisation, item)
            self.count("organisations")
        for item in self.data["organisations"]:
            parent = Organisation.objects.get(slug=item["parent"]) if item.get("parent") else None
            Organisation.objects.filter(slug=item["slug"]).update(parent=parent)

    def load_partnerships(self, items, **target):
        kept = []
        for item in items:
            partnership, _ = Partnership.objects.update_or_create(
                organisation=Organisation.objects.get(slug=item["organisation"]),
                role=item["role"],
                **target,
                defaults={"detail": item.get("detail", ""), **period(item)},
            )
            kept.append(partnership.pk)
            self.count("partnerships")
        Partnership.objects.filter(**target).exclude(pk__in=kept).delete()

    def load_programme(self, item):
        programme, _ = Programme.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "actor": Organisation.objects.get(slug=item["actor"]),
                "kind": item["kind"],
                "title": item["title"],
                "summary": item.get("summary", ""),
                "description": item.get("description", ""),
                "source_text": item.get("source_text", ""),
                "status": Status.PUBLISHED,
                **period(item),
            },
        )
        self.set_vocabularies(programme, item)
        self.load_partnerships(item.get("partnerships", []), programme=programme)
        for order, action in enumerate(item.get("actions", []), start=1):
            self.load_action(action, programme, None, order)
        for figure in item.get("key_figures", []):
            KeyFigure.objects.update_or_create(
                actor=programme.actor,
                order=figure["order"],
                defaults={
                    "programme": programme,
                    "value": Decimal(figure["value"]),
                    "value_text": figure.get("value_text", ""),
                    "qualifier": figure.get("qualifier", ""),
                    "unit": figure.get("unit", ""),
                    "label": figure["label"],
                    "frequency": figure.get("frequency", ""),
                    **period(figure),
                },
            )
            self.count("key_figures")
        self.count("programmes")

    def load_action(self, item, programme, parent, order):
        action, _ = Action.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "programme": programme,
                "parent": parent,
                "order": order,
                "title": item["title"],
                "description": item.get("description", ""),
                "source_text": item.get("source_text", ""),
                "editorial_note": item.get("editorial_note", ""),
                "is_flagship": item.get("is_flagship", False),
                "status": Status.PUBLISHED,
                **period(item),
            },
        )
        self.set_vocabularies(action, item)
        self.load_partnerships(item.get("partnerships", []), action=action)
        self.count("actions")
        for sub_order, sub in enumerate(item.get("sub_actions", []), start=1):
            self.load_action(sub, programme, action, sub_order)

    def load_event(self, item):
        event, _ = Event.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "title": item["title"],
                "theme": item.get("theme", ""),
                "description": item.get("description", ""),
                "source_text": item.get("source_text", ""),
                "place": self.territory(item["place"]) if item.get("place") else None,
                "actor": Organisation.objects.get(slug=item["actor"]),
                "programme": Programme.objects.filter(slug=item.get("programme")).first(),
                "status": Status.PUBLISHED,
                **period(item),
            },
        )
        event.organisers.set(Organisation.objects.filter(slug__in=item.get("organisers", [])))
        self.count("events")

    def load_quote(self, item):
        Quote.objects.update_or_create(
            actor=Organisation.objects.get(slug=item["actor"]),
            order=item["order"],
            defaults={
                "text": item["text"],
                "context": item.get("context", ""),
                "person_name": item["person_name"],
                "person_role": item.get("person_role", ""),
                "person_organisation": Organisation.objects.filter(
                    slug=item.get("person_organisation")
                ).first(),
                "event": Event.objects.filter(slug=item.get("event")).first(),
            },
        )
        self.count("quotes")


def load_content(path=CONTENT_PATH):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return ContentLoader(data).load()
