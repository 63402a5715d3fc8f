"""Identifiers of French organisations: SIREN, SIRET (Luhn checksum) and RNA."""

import re

from django.core.exceptions import ValidationError

LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def validate_siren(value: str):
    if not re.fullmatch(r"\d{9}", value or ""):
        raise ValidationError("Le SIREN doit comporter exactement 9 chiffres.", code="format")
    if not luhn_valid(value):
        raise ValidationError(
            "Ce SIREN n'est pas valide : la clé de contrôle (Luhn) ne correspond pas.",
            code="checksum",
        )


def validate_siret(value: str):
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="format")
    if value.startswith(LA_POSTE_SIREN):
        # La Poste's establishments follow their own rule: the digits add up to a multiple of 5.
        if sum(int(c) for c in value) % 5 == 0:
            return
    elif luhn_valid(value):
        return
    raise ValidationError(
        "Ce SIRET n'est pas valide : la clé de contrôle (Luhn) ne correspond pas.",
        code="checksum",
    )


def validate_rna(value: str):
    if not re.fullmatch(r"W\d{9}", value or ""):
        raise ValidationError(
            "Le numéro RNA doit commencer par W suivi de 9 chiffres (ex. W141234567).",
            code="format",
        )


def validate_postcode(value: str):
    if not re.fullmatch(r"\d{5}", value or ""):
        raise ValidationError("Le code postal doit comporter 5 chiffres.", code="format")


def validate_phone(value: str):
    """A French phone number: 10 digits starting with 0, or +33 then 9 digits; spaces,
    dots and dashes allowed."""
    digits = re.sub(r"[\s.\-]", "", value or "")
    if not re.fullmatch(r"(0\d{9}|\+33\d{9})", digits):
        raise ValidationError(
            "Le numéro de téléphone doit comporter 10 chiffres (02 31 00 00 00) ou commencer par +33.",
            code="format",
        )
