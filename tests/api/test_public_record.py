"""One public record (actors/public_record.py), published the same everywhere: the API
detail and list, the CSV, the GeoJSON and the JSON-LD carry the same values for the same
organisation, and a phone or an e-mail the organisation did not agree to publish appears
in none of them — nor on its page."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest

from actors import public_record
from territories.models import Territory
from tests.factories import OrganisationFactory

SECRET_PHONE, SECRET_EMAIL = "02 31 99 99 99", "directrice.privee@example.org"


def jsonld(html):
    (block,) = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)]
    return block


def csv_row(client, slug):
    response = client.get("/acteurs/", {"format": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(content[1:]), delimiter=";"))
    return next(row for row in rows if row["Fiche"].endswith(f"/acteurs/{slug}/")), content


def geojson_feature(client, slug):
    response = client.get("/api/v1/acteurs/", {"format": "geojson", "page_size": 2000})
    return next(f for f in response.json()["features"] if f["id"] == slug), response.content.decode()


def api_list_item(client, slug):
    data = client.get("/api/v1/acteurs/", {"page_size": 100}).json()
    items = list(data["results"])
    while data["next"]:
        data = client.get(data["next"]).json()
        items += data["results"]
    return next(item for item in items if item["slug"] == slug)


def cell(field, value):
    """What the CSV writes for a record's value."""
    if value is None:
        return ""
    if field.type == "date":
        return value.isoformat() if hasattr(value, "isoformat") else value
    return str(value)


@pytest.fixture
def orbec(directory):
    return Territory.objects.get(key="14478")


@pytest.mark.django_db
@pytest.mark.parametrize("consent", [True, False])
def test_the_four_outputs_carry_the_same_record(orbec, client, consent):
    OrganisationFactory(
        name="Épicerie solidaire d'Orbec", slug="epicerie-solidaire-orbec", family="association",
        street_address="12 rue Grande", postcode="14290", commune=orbec, territories=[orbec],
        latitude=Decimal("49.025012"), longitude=Decimal("0.404321"), website="https://epicerie.example.org/",
        phone=SECRET_PHONE, phone_public=consent, email=SECRET_EMAIL, email_public=consent,
        opening_hours="du lundi au vendredi, 9 h – 17 h", siren="123456782", siret="12345678200017",
        rna="W141234567", verified_at=date(2026, 3, 2),
    )  # fmt: skip
    slug = "epicerie-solidaire-orbec"
    detail = client.get(f"/api/v1/acteurs/{slug}/").json()
    expected = {key: detail[key] for key in public_record.KEYS}
    assert expected["commune"] == "Orbec" and expected["code_insee"] == "14478"
    assert expected["latitude"] == 49.025012 and expected["verifiee_le"] == "2026-03-02"
    assert (expected["telephone"], expected["courriel"]) == ((SECRET_PHONE, SECRET_EMAIL) if consent else (None, None))

    listed = api_list_item(client, slug)
    assert {key: listed[key] for key in public_record.KEYS} == expected, "the list says what the detail says"

    feature, geojson_text = geojson_feature(client, slug)
    assert {key: feature["properties"][key] for key in public_record.KEYS} == expected, "the GeoJSON too"
    assert feature["geometry"]["coordinates"] == [expected["longitude"], expected["latitude"]]

    row, csv_text = csv_row(client, slug)
    assert {f.header: row[f.header] for f in public_record.FIELDS} == {
        f.header: cell(f, expected[f.key]) for f in public_record.FIELDS
    }, "the CSV too, one column per field"

    page = client.get(f"/acteurs/{slug}/").content.decode()
    block = jsonld(page)
    assert block["address"] == {"@type": "PostalAddress", "streetAddress": expected["adresse"],
                                "postalCode": expected["code_postal"], "addressLocality": expected["commune"],
                                "addressCountry": "FR"}  # fmt: skip
    assert block["location"]["address"] == block["address"]
    assert block["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": expected["latitude"],
                                        "longitude": expected["longitude"]}  # fmt: skip
    assert block["sameAs"] == [expected["website"]]
    assert {i["propertyID"]: i["value"] for i in block["identifier"]} == {
        "SIREN": expected["siren"], "SIRET": expected["siret"], "RNA": expected["rna"]
    }  # fmt: skip
    assert block["location"]["openingHoursSpecification"]["description"] == expected["horaires"]
    assert block["mainEntityOfPage"]["lastReviewed"] == expected["verifiee_le"]
    assert (block.get("telephone"), block.get("email")) == (expected["telephone"], expected["courriel"])
    assert (block.get("contactPoint", {}).get("telephone"), block.get("contactPoint", {}).get("email")) == (
        expected["telephone"], expected["courriel"]
    )  # fmt: skip

    if not consent:
        for name, text in [("API detail", json.dumps(detail, ensure_ascii=False)),
                           ("API list", json.dumps(listed, ensure_ascii=False)), ("GeoJSON", geojson_text),
                           ("CSV", csv_text), ("page and JSON-LD", page)]:  # fmt: skip
            assert SECRET_PHONE not in text and SECRET_EMAIL not in text, f"{name} publishes what was not agreed"


@pytest.mark.django_db
def test_an_unknown_value_is_null_never_an_empty_string(directory, client):
    OrganisationFactory(slug="sans-rien", family="", latitude=Decimal("49.1"), longitude=Decimal("-0.3"))
    detail = client.get("/api/v1/acteurs/sans-rien/").json()
    feature, _ = geojson_feature(client, "sans-rien")
    for key in public_record.KEYS:
        if key not in ("latitude", "longitude"):
            assert detail[key] is None and feature["properties"][key] is None, key


def test_the_csv_declares_each_record_field_once():
    from actors.exports import COLUMNS

    headers = [column.header for column in COLUMNS]
    assert len(headers) == len(set(headers))
    assert [f.header for f in public_record.FIELDS] == [h for h in headers if h in {f.header for f in public_record.FIELDS}]
    assert all(column.type in {"string", "number", "date", "boolean"} for column in COLUMNS)
