"""Import of the official territories (INSEE Code officiel géographique) as published
by Etalab in the npm package ``@etalab/decoupage-administratif``, and the territory
roll-up rule.

**Roll-up (one rule, both ways).** Something that covers a territory counts in it, in
every territory that contains it, and in every territory it contains:

- a commune is contained in its département, whose current region (Normandie) and former
  region (Basse-Normandie) contain it too; a historic commune (déléguée or associée) is
  contained in its current commune;
- a former region and the region that succeeded it count for each other.

So what covers Livarot (commune déléguée) counts in Livarot-Pays-d'Auge, the Calvados,
Normandie and Basse-Normandie; what covers the whole region counts in Caen. ``reach``
stores, for each territory, every territory where what covers it counts (itself
included): filters, facets and territory pages read it (``actors.models.CoverageQuerySet``).

The committed reference file ``fixtures/territories.json`` is a subset of that package
(all régions and départements, the communes of chosen départements) with its source and
version, so that no set-up step needs npm. ``import_territories`` reads either that file
or an unpacked package and upserts by ``key``: running it twice changes nothing.
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from common import changes
from common.search import write_documents

from .models import COMMUNE_KINDS, Territory, TerritoryKind
from .region import historic_regions

PACKAGE = "@etalab/decoupage-administratif"
PACKAGE_VERSION = "6.0.0"
FIXTURE_PATH = Path(settings.BASE_DIR) / "fixtures" / "territories.json"

COMMUNE_TYPES = {
    "commune-actuelle": TerritoryKind.COMMUNE,
    "commune-deleguee": TerritoryKind.COMMUNE_DELEGUEE,
    "commune-associee": TerritoryKind.COMMUNE_ASSOCIEE,
}


def read_package(data_dir, departements):
    """Read the package's ``data/`` folder and keep the communes of ``departements``."""
    data_dir = Path(data_dir)

    def load(name):
        return json.loads((data_dir / name).read_text(encoding="utf-8"))

    return {
        "source": f"npm {PACKAGE}@{PACKAGE_VERSION} (données INSEE, Code officiel géographique)",
        "licence": "MIT (paquet) ; données INSEE sous Licence Ouverte",
        "version": PACKAGE_VERSION,
        "departements_with_communes": list(departements),
        "regions": load("regions.json"),
        "historic_regions": historic_regions(),
        "departements": load("departements.json"),
        "communes": [
            commune
            for commune in load("communes.json")
            if commune.get("departement") in departements and commune["type"] in COMMUNE_TYPES
        ],
    }


def read_fixture(path=FIXTURE_PATH):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_fixture(data, path=FIXTURE_PATH):
    Path(path).write_text(
        json.dumps(data, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8"
    )


class _Upserter:
    """Creates missing territories and updates changed ones, by ``key``, in bulk."""

    FIELDS = ["kind", "code", "name", "parent", "current", "former_region", "is_current",
              "population", "postcodes", "liaison"]  # fmt: skip

    def __init__(self):
        self.by_key = {t.key: t for t in Territory.objects.all()}
        self.created = 0
        self.updated = 0

    def upsert(self, batch):
        """``batch``: list of (key, values) dicts; parents must already exist."""
        to_create, to_update = [], []
        for key, values in batch:
            territory = self.by_key.get(key)
            if territory is None:
                territory = Territory(key=key, **values)
                to_create.append(territory)
                self.by_key[key] = territory
                continue
            changed = False
            for field, value in values.items():
                current = getattr(territory, field)
                if field in {"parent", "current", "former_region"}:
                    current = getattr(territory, f"{field}_id")
                    value = value.pk if value is not None else None
                    if current != value:
                        setattr(territory, f"{field}_id", value)
                        changed = True
                elif current != value:
                    setattr(territory, field, value)
                    changed = True
            if changed:
                to_update.append(territory)
        Territory.objects.bulk_create(to_create, batch_size=500)
        if to_update:
            Territory.objects.bulk_update(to_update, self.FIELDS, batch_size=500)
        changes.saved(Territory, [t.pk for t in to_create + to_update])  # bulk writes send no signal
        self.created += len(to_create)
        self.updated += len(to_update)

    def get(self, kind, code):
        return self.by_key.get(Territory.make_key(kind, code))


@transaction.atomic
def import_territories(data):
    up = _Upserter()
    region, dep = TerritoryKind.REGION, TerritoryKind.DEPARTEMENT

    up.upsert([
        (Territory.make_key(region, r["code"]),
         {"kind": region, "code": r["code"], "name": r["nom"], "parent": None, "current": None,
          "former_region": None, "is_current": True, "population": None, "postcodes": "",
          "liaison": r.get("typeLiaison")})
        for r in data["regions"]
    ])  # fmt: skip
    up.upsert([
        (Territory.make_key(region, r["code"]),
         {"kind": region, "code": r["code"], "name": r["nom"], "parent": None,
          "current": up.get(region, r["successeur"]), "former_region": None,
          "is_current": False, "population": None, "postcodes": "", "liaison": r.get("typeLiaison")})
        for r in data.get("historic_regions", [])
    ])  # fmt: skip
    former = {
        d: up.get(region, r["code"]) for r in data.get("historic_regions", []) for d in r["departements"]
    }
    up.upsert([
        (Territory.make_key(dep, d["code"]),
         {"kind": dep, "code": d["code"], "name": d["nom"], "parent": up.get(region, d.get("region", "")),
          "current": None, "former_region": former.get(d["code"]), "is_current": True,
          "population": None, "postcodes": "", "liaison": d.get("typeLiaison")})
        for d in data["departements"]
    ])  # fmt: skip

    def commune_values(c, current):
        kind = COMMUNE_TYPES[c["type"]]
        return (
            Territory.make_key(kind, c["code"]),
            {"kind": kind, "code": c["code"], "name": c["nom"], "parent": up.get(dep, c["departement"]),
             "current": current, "former_region": None, "is_current": current is None,
             "population": c.get("population"), "postcodes": " ".join(c.get("codesPostaux", [])),
             "liaison": c.get("typeLiaison")},
        )  # fmt: skip

    actuelles = [c for c in data["communes"] if c["type"] == "commune-actuelle"]
    historic = [c for c in data["communes"] if c["type"] != "commune-actuelle"]
    up.upsert([commune_values(c, None) for c in actuelles])
    up.upsert([commune_values(c, up.get(TerritoryKind.COMMUNE, c["chefLieu"])) for c in historic])
    store_reach()
    store_documents()
    return up.created, up.updated


def store_documents(territories=None):
    """The search documents of territories: the name (A), the INSEE code and postcodes (B)."""
    territories = Territory.objects.all() if territories is None else territories
    write_documents(Territory, {pk: (name, f"{code} {postcodes}", "") for pk, name, code, postcodes in
                                territories.values_list("pk", "name", "code", "postcodes")})  # fmt: skip


def containers(territories):
    """{territory id: ids of the territories that contain it, itself included}."""
    by_id = {t.pk: t for t in territories}
    result = {}
    for territory in territories:
        found = {territory.pk}
        if territory.current_id:  # a historic commune's current commune, a former region's successor
            found.add(territory.current_id)
        departement = by_id.get(territory.parent_id) if territory.kind in COMMUNE_KINDS else None
        if territory.kind == TerritoryKind.DEPARTEMENT:
            departement = territory
        if departement is not None:
            found.add(departement.pk)
            found |= {pk for pk in (departement.parent_id, departement.former_region_id) if pk}
        for region_id in [pk for pk in found if by_id[pk].kind == TerritoryKind.REGION]:
            if by_id[region_id].current_id:
                found.add(by_id[region_id].current_id)
        result[territory.pk] = found
    return result


def store_reach():
    """Writes ``Territory.reach``: for each territory, what contains it and what it
    contains. Only the differences are written, so a second run changes nothing."""
    territories = list(Territory.objects.only("pk", "kind", "parent_id", "current_id", "former_region_id"))
    wanted = set()
    for territory, found in containers(territories).items():
        for other in found:
            wanted.add((territory, other))
            wanted.add((other, territory))
    through = Territory.reach.through
    existing = set(through.objects.values_list("from_territory_id", "to_territory_id"))
    stale = existing - wanted
    if stale:
        for from_id, to_id in stale:
            through.objects.filter(from_territory_id=from_id, to_territory_id=to_id).delete()
    through.objects.bulk_create(
        [through(from_territory_id=a, to_territory_id=b) for a, b in sorted(wanted - existing)],
        batch_size=2000,
    )


def store_reach_after_migrate(sender, **kwargs):
    """After ``migrate``: territories imported before ``reach`` or their search document
    existed get them."""
    if Territory.objects.exists() and not Territory.reach.through.objects.exists():
        store_reach()
    never = Territory.objects.filter(search_vector__isnull=True)
    if never.exists():
        store_documents(never)
