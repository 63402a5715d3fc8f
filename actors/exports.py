"""The CSV export of the actors (/acteurs/?format=csv): its columns, declared once
(``COLUMNS``: header, value, Table Schema type, description), and its rows, read as plain
values a chunk of keys at a time (``rows``). The public record's columns are
``actors.public_record.FIELDS``, in the same words as the API and the GeoJSON."""

from django.urls import reverse

from common.csv import Column, row_of

from . import public_record
from .models import Organisation

# What a row reads beside the public record (``public_record.SOURCE``).
VALUES = ("name", "acronym", "alternate_name", "summary", "parent__name", "slug", "updated_at", "is_demo")


def join_texts(texts):
    """Several values in one CSV cell."""
    return " | ".join(texts)


# What the public record's identifiers and codes look like (Table Schema ``pattern``).
PATTERNS = {"siren": r"\d{9}", "siret": r"\d{14}", "rna": r"W\d{9}", "code_postal": r"\d{5}", "code_insee": r"\w{5}"}


def record_column(field):
    constraints = {"pattern": PATTERNS[field.key]} if field.key in PATTERNS else {}
    return Column(field.header, lambda row: row["record"][field.key], field.type, field.description, field.format,
                  constraints)  # fmt: skip



COLUMNS = [
    Column("Nom", lambda row: row["name"], description="Nom de l'organisation."),
    Column("Sigle", lambda row: row["acronym"]),
    Column("Autre nom", lambda row: row["alternate_name"]),
    Column("Présentation", lambda row: row["summary"], description="Présentation courte."),
    Column("Réseau", lambda row: row["parent__name"], description="Réseau ou organisation mère."),
    *(record_column(field) for field in public_record.FIELDS),
    Column("Territoires", lambda row: join_texts(name for name, _ in row["coverage"]["territories"]),
           description="Territoires où elle intervient, séparés par « | »."),
    Column("Codes INSEE", lambda row: join_texts(code for _, code in row["coverage"]["territories"]),
           description="Codes INSEE de ces territoires, dans le même ordre, séparés par « | »."),
    Column("Secteurs", lambda row: join_texts(row["coverage"]["sectors"]), description="Séparés par « | »."),
    Column("Publics", lambda row: join_texts(row["coverage"]["publics"]), description="Séparés par « | »."),
    Column("Fiche", lambda row: row["url"], format="uri", description="Adresse de sa fiche dans l'annuaire."),
    Column("Mise à jour", lambda row: row["updated_at"].date().isoformat(), "date",
           "Dernière modification de la fiche (≠ « Vérifiée le »)."),
    Column("Démonstration (fictif)", lambda row: "oui" if row["is_demo"] else "",
           description="« oui » pour une fiche fictive de démonstration."),
    Column("Identifiant", lambda row: row["slug"], constraints={"required": True, "unique": True},
           description="Identifiant stable de l'acteur (celui de /api/v1/acteurs/<identifiant>/) : la clé du fichier."),
]  # fmt: skip
KEY = "Identifiant"  # the primary key of the file (datapackage.json)


def rows(ids, site_url):
    """The CSV rows of the actors ``ids`` (in that order): three flat queries, no model
    object built per row."""
    values = Organisation.objects.filter(pk__in=ids).values("pk", *VALUES, *public_record.SOURCE)
    found = {row["pk"]: row for row in values}
    coverage = Organisation.objects.coverage_texts(ids)
    address = site_url + reverse("actors:detail", args=["SLUG"])  # one reverse(), not one per row
    for pk in ids:
        row = found[pk]
        row.update(record=public_record.record(row), coverage=coverage[pk], url=address.replace("SLUG", row["slug"]))
        yield row_of(COLUMNS, row)
