"""The data·inclusion export is valid under the schema v1, as the official Python package
``data-inclusion-schema`` defines it: every structure and every service, unknown fields
refused, warnings raised as errors; and nothing is published that the directory does not
know or may not publish."""

from importlib.metadata import version

import pydantic
import pytest
from data_inclusion.schema import v1

from actions.models import Action, Programme
from actors.models import Organisation, Public, Sector
from cress import datainclusion
from territories.models import Territory
from tests.seed import SIX_ACTORS

STRUCTURES = "/api/v1/data-inclusion/structures/"
SERVICES = "/api/v1/data-inclusion/services/"


class StrictStructure(v1.Structure):
    model_config = pydantic.ConfigDict(extra="forbid")


class StrictService(v1.Service):
    model_config = pydantic.ConfigDict(extra="forbid")


# The package's warnings (a name ending with a full stop…) are errors here.
STRICT = {"ignore_warnings": False}


def exported(client, url, page_size=100):
    """Every item of the export, page by page, following ``next`` to ``null``."""
    items, address = [], f"{url}?page_size={page_size}"
    while address:
        data = client.get(address).json()
        assert data["count"] >= len(data["results"])
        items += data["results"]
        address = data["next"]
    return items


def test_the_installed_package_is_the_version_the_export_names():
    assert version(datainclusion.SCHEMA_PACKAGE) == datainclusion.SCHEMA_PACKAGE_VERSION
    assert v1.Structure.model_config.get("extra", "ignore") != "forbid", "hence the strict subclasses"
    assert StrictStructure.model_config["extra"] == StrictService.model_config["extra"] == "forbid"


@pytest.mark.django_db
def test_every_structure_and_service_is_valid_under_v1(directory, client):
    structures = exported(client, STRUCTURES)
    services = exported(client, SERVICES)
    assert len(structures) == len(SIX_ACTORS)
    assert len(services) == Action.objects.published().real().count() > 20
    for item in structures:
        StrictStructure.model_validate(item, context=STRICT)
        assert set(item) == set(v1.Structure.model_fields), "every v1 field, and no other"
    for item in services:
        StrictService.model_validate(item, context=STRICT)
        assert set(item) == set(v1.Service.model_fields)
    assert {s["structure_id"] for s in services} <= {s["id"] for s in structures}
    assert len({s["id"] for s in services}) == len(services)


@pytest.mark.django_db
def test_the_exports_are_paged_as_every_list_of_the_api(directory, client):
    """``page`` and ``page_size`` (up to 100), ``count``/``next``/``previous``/``results``:
    walking ``next`` by pages of 5 gives each item once, in the order of one whole page."""
    for url in (STRUCTURES, SERVICES):
        whole = exported(client, url)
        assert [item["id"] for item in exported(client, url, page_size=5)] == [item["id"] for item in whole]
        first = client.get(url).json()
        assert first["count"] == len(whole) and first["previous"] is None
        assert len(first["results"]) == min(len(whole), 20), "20 a page, as the other lists"
        assert client.get(f"{url}?page=99").status_code == 404
        assert client.get(f"{url}?page_size=101").status_code == 400
        assert client.get(f"{url}?departement=14").status_code == 400, "no filter: an unknown parameter"
    last = client.get(f"{SERVICES}?page_size=5&page=2").json()
    assert last["previous"].endswith("page_size=5") and "page=3" in last["next"]


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("02 31 00 00 00", "+33231000000"),
        ("02.31.00.00.00", "+33231000000"),
        ("0231000000", "+33231000000"),
        ("+33 (0)2 31 00 00 00", "+33231000000"),
        ("+33 2 31 00 00 00", "+33231000000"),
        ("Tél. : 06 12 34 56 78", "+33612345678"),
        ("0800 12 34 56", "+33800123456"),
        ("02 31 00 00", None),  # a digit pair short
        ("02 31 00 00 00 / 06 12 34 56 78", None),  # two numbers: the schema takes one
        ("0262 12 34 56", None),  # La Réunion: not +33 262…
        ("3949", None),  # a short service number, not callable from abroad
        ("sur rendez-vous", None),
        ("", None),
    ],
)
def test_telephones_are_e164_or_left_out(text, e164):
    assert datainclusion.telephone(text) == e164


@pytest.mark.django_db
def test_codes_are_todays_official_codes(directory, client):
    """Every INSEE code is one of today's Code officiel géographique: communes and
    départements in force (a commune déléguée as its commune nouvelle), never a region's
    code (v1 has none: a region is its départements) — Basse-Normandie, named by the
    content, keeps its own three départements, not today's Normandie's five."""
    from territories.models import TerritoryKind

    Organisation.objects.filter(slug="uriopss").update(commune=Territory.objects.get(key="14371-deleguee"))
    current = set(
        Territory.objects.filter(
            is_current=True, kind__in=[TerritoryKind.COMMUNE, TerritoryKind.DEPARTEMENT]
        ).values_list("code", flat=True)
    )
    structures = exported(client, STRUCTURES)
    services = exported(client, SERVICES)
    codes = {s["code_insee"] for s in structures if s["code_insee"]}
    zones = {code for s in services for code in s["zone_eligibilite"] or []}
    assert codes and zones and codes | zones <= current
    assert "14371" in codes
    # A region's code would read as a département's: 25 (Basse-Normandie) is the Doubs,
    # 28 (Normandie) the Eure-et-Loir: neither is in the content.
    assert not {"25", "28"} & zones, "no region code"
    assert {"14", "50", "61"} <= zones and not {"27", "76"} & zones, "Basse-Normandie, not Normandie"


@pytest.mark.django_db
def test_the_strict_models_refuse_what_v1_does_not_define(directory, client):
    structure = exported(client, STRUCTURES)[0]
    service = exported(client, SERVICES)[0]
    for model, item, extra in (
        (StrictStructure, structure, {"typologie": "ASSO"}),
        (StrictService, service, {"zone_diffusion_type": "departement"}),
        (StrictService, service, {"thematiques": ["handicap"]}),  # a v0 value
        (StrictService, {**service, "description": None}, {}),
    ):
        with pytest.raises(pydantic.ValidationError):
            model.model_validate({**item, **extra}, context=STRICT)


@pytest.mark.django_db
def test_what_the_directory_knows_is_published_and_only_with_consent(directory, client):
    caen = Territory.objects.get(key="14118")
    livarot = Territory.objects.get(key="14371-deleguee")
    Organisation.objects.filter(slug="uraf").update(
        street_address="12 rue des Lilas", postcode="14000", commune=caen, latitude="49.182863",
        longitude="-0.370679", phone="02 31 00 00 00", phone_public=True, email="contact@uraf-normandie.fr",
        email_public=False, website="https://www.uraf-normandie.fr/", siret="77569988200024",
        opening_hours="du lundi au vendredi, 9 h – 12 h et 14 h – 17 h",
    )  # fmt: skip
    Organisation.objects.filter(slug="uriopss").update(
        phone="02 31 11 11 11", phone_public=False, email="accueil@uriopss.fr", email_public=True,
        opening_hours="sur rendez-vous", commune=livarot, website="ftp://fichiers.uriopss.fr/",
    )  # fmt: skip
    structures = {s["id"]: s for s in exported(client, STRUCTURES)}
    for item in structures.values():
        StrictStructure.model_validate(item, context=STRICT)
    uraf = structures["cress-basse-normandie--uraf"]
    assert (uraf["adresse"], uraf["code_postal"], uraf["commune"], uraf["code_insee"]) == (
        "12 rue des Lilas", "14000", "Caen", "14118",
    )  # fmt: skip
    assert (uraf["latitude"], uraf["longitude"]) == (49.182863, -0.370679)
    assert uraf["telephone"] == "+33231000000" and uraf["courriel"] is None, "E.164; the e-mail is not public"
    assert uraf["site_web"] == "https://www.uraf-normandie.fr/" and uraf["siret"] == "77569988200024"
    assert uraf["horaires_accueil"] == "Mo-Fr 09:00-12:00,14:00-17:00"
    uriopss = structures["cress-basse-normandie--uriopss"]
    assert uriopss["telephone"] is None and uriopss["courriel"] == "accueil@uriopss.fr"
    assert uriopss["horaires_accueil"] is None, "free text is not OpenStreetMap syntax: left out"
    assert uriopss["site_web"] is None, "v1 takes http(s) addresses only"
    assert (uriopss["commune"], uriopss["code_insee"]) == ("Livarot-Pays-d'Auge", "14371"), "today's commune"
    coorace = structures["cress-basse-normandie--coorace-basse-normandie"]
    assert coorace["reseaux_porteurs"] == ["coorace"]
    assert structures["cress-basse-normandie--urscop"]["reseaux_porteurs"] is None, "CG SCOP: not in v1"
    assert coorace["description"] == Organisation.objects.get(slug="coorace-basse-normandie").description


@pytest.mark.django_db
def test_services_read_the_stored_coverage(directory, client):
    services = {s["id"].removeprefix("cress-basse-normandie--"): s for s in exported(client, SERVICES)}
    halte = services["halte-garderie-itinerante"]
    assert halte["structure_id"] == "cress-basse-normandie--mutualite-francaise-du-calvados"
    assert halte["thematiques"] == ["famille--garde-denfants"]
    assert halte["publics"] == ["familles"] and halte["publics_precisions"] == "Jeunes enfants et familles"
    # Livarot and Saint-Pierre-sur-Dives (communes déléguées) as today's communes.
    assert halte["zone_eligibilite"] == ["14287", "14371", "14478", "14538", "14654"]
    assert halte["description"] == Action.objects.get(slug="halte-garderie-itinerante").description
    # Basse-Normandie (a former region): its own three départements, not Normandie's five.
    assert services["appui-cahier-des-charges"]["zone_eligibilite"] == ["14", "50", "61"]
    assert services["enquete-questionnaire-uraf"]["zone_eligibilite"] == ["14", "50", "61"]
    urscop = services["niches-nouveaux-metiers"]
    assert urscop["zone_eligibilite"] == sorted(
        ["14", "50", "61", "22", "29", "35", "56", "44", "49", "53", "72", "85"]
    ), "Basse-Normandie, Bretagne, Pays de la Loire"
    # A public without a v1 equivalent: no list that would exclude the people it names.
    psy = services["psychologues-a-domicile-pour-les-accompagnants"]
    assert psy["publics"] is None and psy["publics_precisions"] == "Aidants naturels et accompagnants"
    cat = services["creation-d-un-cat"]
    assert cat["description"] == Action.objects.get(slug="creation-d-un-cat").source_text, (
        "the source's words"
    )
    assert cat["thematiques"] is None, "handicap: no v1 theme means the same"
    for service in services.values():
        action = Action.objects.get(slug=service["id"].removeprefix("cress-basse-normandie--"))
        sectors = set(action.effective_sectors.values_list("slug", flat=True))
        expected = {datainclusion.SECTOR_THEMATIQUES[s] for s in sectors} - {None}
        assert set(service["thematiques"] or []) == expected


@pytest.mark.django_db
def test_every_sector_public_and_network_has_a_reviewed_mapping(directory):
    """A new sector, public or network must be reviewed: mapped to a v1 value or to None."""
    assert set(Sector.objects.values_list("slug", flat=True)) <= set(datainclusion.SECTOR_THEMATIQUES)
    assert set(Public.objects.values_list("slug", flat=True)) <= set(datainclusion.PUBLICS)
    networks = Organisation.objects.filter(members__isnull=False).values_list("slug", flat=True)
    assert set(networks) <= set(datainclusion.NETWORK_RESEAUX_PORTEURS)
    assert set(datainclusion.SECTOR_THEMATIQUES.values()) - {None} <= {t.value for t in v1.Thematique}
    assert set(datainclusion.PUBLICS.values()) - {None} <= {p.value for p in v1.Public}
    assert set(datainclusion.NETWORK_RESEAUX_PORTEURS.values()) - {None} <= {
        r.value for r in v1.ReseauPorteur
    }


@pytest.mark.django_db
def test_a_service_without_any_text_still_has_a_description(directory, client):
    Action.objects.filter(slug="creation-d-un-cat").update(description="", source_text="")
    Programme.objects.filter(actions__slug="creation-d-un-cat").update(description="", summary="")
    services = {s["id"]: s for s in exported(client, SERVICES)}
    cat = services["cress-basse-normandie--creation-d-un-cat"]
    StrictService.model_validate(cat, context=STRICT)
    assert cat["description"].startswith("Création d'un CAT")


@pytest.mark.parametrize(
    ("text", "osm"),
    [
        ("du lundi au vendredi, 9 h – 17 h", "Mo-Fr 09:00-17:00"),
        ("Du lundi au vendredi de 9h à 12h et de 14h à 17h30", "Mo-Fr 09:00-12:00,14:00-17:30"),
        ("Lundi, mardi et jeudi : 9 h 30 - 12 h ; samedi : fermé", "Mo,Tu,Th 09:30-12:00; Sa off"),
        ("le mercredi 14:00-18:00", "We 14:00-18:00"),
        ("Lundi : 9 h - 12 h\nMardi : 14 h - 17 h", "Mo 09:00-12:00; Tu 14:00-17:00"),
        ("Tous les jours, 8 h - 20 h.", "Mo-Su 08:00-20:00"),
        ("Mo-Fr 08:30-12:30; PH off", "Mo-Fr 08:30-12:30; PH off"),
        ("sur rendez-vous", None),
        ("du lundi au vendredi, le matin", None),
        ("du lundi au vendredi, 9 h – 17 h, sauf l'été", None),
        ("lundi 25 h - 26 h", None),
        ("", None),
    ],
)
def test_opening_hours_are_openstreetmap_or_nothing(text, osm):
    assert datainclusion.opening_hours(text) == osm


@pytest.mark.django_db
def test_the_open_data_page_names_the_schema_version(directory, client):
    page = client.get("/donnees/").content.decode()
    assert "data·inclusion v1" in page
    assert f"{datainclusion.SCHEMA_PACKAGE} {version(datainclusion.SCHEMA_PACKAGE)}" in page
    for field in datainclusion.UNFILLED_SERVICE_FIELDS:
        assert f"<code>{field}</code>" in page


def test_the_application_does_not_import_the_test_only_packages():
    """``data-inclusion-schema`` and ``openapi-core`` are test dependencies only."""
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.BASE_DIR)
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {"tests", ".venv", "node_modules", "staticfiles"}:
            continue
        text = path.read_text(encoding="utf-8")
        assert "import data_inclusion" not in text and "from data_inclusion" not in text, path
        assert "openapi_core" not in text, path
