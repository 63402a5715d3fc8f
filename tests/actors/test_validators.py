import pytest
from django.core.exceptions import ValidationError

from actors.validators import validate_rna, validate_siren, validate_siret
from tests.factories import OrganisationFactory


@pytest.mark.parametrize("value", ["732829320", "552100554"])
def test_valid_siren(value):
    validate_siren(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [("732829321", "clé de contrôle"), ("12345", "9 chiffres"), ("abcdefghi", "9 chiffres")],
)
def test_invalid_siren(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_siren(value)


@pytest.mark.parametrize("value", ["73282932000074", "35600000000010"])
def test_valid_siret_including_la_poste(value):
    validate_siret(value)


@pytest.mark.parametrize(
    ("value", "message"), [("73282932000075", "clé de contrôle"), ("7328293200007", "14 chiffres")]
)
def test_invalid_siret(value, message):
    with pytest.raises(ValidationError, match=message):
        validate_siret(value)


def test_rna_format():
    validate_rna("W141234567")
    with pytest.raises(ValidationError, match="W suivi de 9 chiffres"):
        validate_rna("141234567")


@pytest.mark.django_db
def test_siret_must_start_with_siren():
    organisation = OrganisationFactory.build(siren="552100554", siret="73282932000074")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert "SIREN" in error.value.message_dict["siret"][0]
