"""What an organisation publishes about itself, and under which rule: the one place that
the API (detail and list), the CSV export, the GeoJSON and the JSON-LD all read.

- ``FIELDS``: the public fields of a record, each with its key (the API's and the
  GeoJSON's property name), its CSV header, its type (a Table Schema type) and what it
  means — declared once, for the exports and their future description;
- ``record(row)``: the values, from a row of plain values (``SOURCE`` names them: what a
  ``values()`` query reads, so that an export of 100,000 rows builds no model object) or
  from an organisation (``of(organisation)``);
- the consent rule: a phone number or an e-mail address may name a person, so they are
  published only when the organisation agreed (``phone_public``, ``email_public``, ticked
  by staff; the history keeps who and when). ``public_phone`` and ``public_email`` are
  that rule; ``Organisation.public_phone`` and the page call them too.

A value that is not known is ``None`` (``null`` in JSON, an empty cell in the CSV), never
an empty string. This module imports no model: ``actors.models`` imports it.
"""

from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise


@dataclass(frozen=True)
class Field:
    key: str  # its name in the API and the GeoJSON properties
    header: str  # its CSV header (French)
    type: str  # Table Schema type: string, number, date
    description: str
    format: str = "default"  # Table Schema format: default, uri, email


FIELDS = (
    Field("adresse", "Adresse", "string", "Numéro et voie, complément (une ligne)."),
    Field("code_postal", "Code postal", "string", "Code postal de l'adresse (5 chiffres ; ce n'est pas le code INSEE)."),
    Field("commune", "Commune", "string", "Commune de l'adresse, telle qu'enregistrée (une commune déléguée garde son nom)."),
    Field("code_insee", "Code INSEE (commune)", "string", "Code officiel géographique de la commune de l'adresse."),
    Field("latitude", "Latitude", "number", "Latitude de l'adresse (WGS 84, degrés décimaux)."),
    Field("longitude", "Longitude", "number", "Longitude de l'adresse (WGS 84, degrés décimaux)."),
    Field("website", "Site web", "string", "Adresse du site web.", "uri"),
    Field("telephone", "Téléphone", "string", "Téléphone public, publié seulement avec l'accord de l'organisation."),
    Field("courriel", "E-mail", "string", "E-mail public, publié seulement avec l'accord de l'organisation.", "email"),
    Field("horaires", "Horaires d'accueil", "string", "Horaires d'accueil, en clair (« du lundi au vendredi, 9 h – 17 h »)."),
    Field("famille", "Famille de l'ESS (code)", "string", "Famille (statut) de l'ESS : association, cooperative, "
          "mutuelle, fondation, entreprise-ess ; vide pour un organisme public."),
    Field("famille_libelle", "Famille de l'ESS", "string", "La famille de l'ESS en toutes lettres."),
    Field("siren", "SIREN", "string", "Numéro SIREN (9 chiffres)."),
    Field("siret", "SIRET", "string", "Numéro SIRET du siège (14 chiffres)."),
    Field("rna", "RNA", "string", "Numéro du Répertoire national des associations (W suivi de 9 chiffres)."),
    Field("verifiee_le", "Vérifiée le", "date", "Date à laquelle quelqu'un a confirmé que la fiche est toujours "
          "exacte (≠ date de modification)."),
)  # fmt: skip
KEYS = tuple(field.key for field in FIELDS)

# What a record is made of, as ``values()`` names it on an Organisation queryset.
SOURCE = (
    "street_address", "postcode", "commune__name", "commune__code", "latitude", "longitude", "website",
    "phone", "phone_public", "email", "email_public", "opening_hours", "family", "siren", "siret", "rna",
    "verified_at",
)  # fmt: skip


def public_phone(phone, consent):
    """The phone a visitor may see: only with the organisation's agreement."""
    return phone if consent and phone else ""


def public_email(email, consent):
    """The e-mail a visitor may see: only with the organisation's agreement."""
    return email if consent and email else ""


@cache
def _families():
    from .models import EssFamily  # the labels only; the models import this module

    return {value: str(label) if isinstance(label, Promise) else label for value, label in EssFamily.choices}


def _coordinate(value):
    return round(float(value), 6) if value is not None else None


def record(row):
    """The public record of one organisation, from a mapping of ``SOURCE`` values:
    {key of ``FIELDS``: value or ``None``}."""
    known = lambda value: value or None  # noqa: E731 — "" is not known
    return {
        "adresse": known(row["street_address"]),
        "code_postal": known(row["postcode"]),
        "commune": known(row["commune__name"]),
        "code_insee": known(row["commune__code"]),
        "latitude": _coordinate(row["latitude"]),
        "longitude": _coordinate(row["longitude"]),
        "website": known(row["website"]),
        "telephone": known(public_phone(row["phone"], row["phone_public"])),
        "courriel": known(public_email(row["email"], row["email_public"])),
        "horaires": known((row["opening_hours"] or "").strip()),
        "famille": known(row["family"]),
        "famille_libelle": _families().get(row["family"]),
        "siren": known(row["siren"]),
        "siret": known(row["siret"]),
        "rna": known(row["rna"]),
        "verifiee_le": row["verified_at"],
    }


def source_of(organisation):
    """The ``SOURCE`` values of an organisation (its commune read if not already)."""
    commune = organisation.commune if organisation.commune_id else None
    row = {name: getattr(organisation, name) for name in SOURCE if "__" not in name}
    row["commune__name"] = commune.name if commune else None
    row["commune__code"] = commune.code if commune else None
    return row


def of(organisation):
    """The public record of an organisation (an instance; ``select_related("commune")``
    spares a query)."""
    return record(source_of(organisation))
