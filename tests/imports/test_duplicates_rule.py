"""One rule for likely duplicates (actors/duplicates.py): the trigrams the many-at-once path
of imports compares in Python are pg_trgm's, and that path finds what the one-by-one path
(the trigram index) finds."""

import pytest
from django.db import connection

from actors.duplicates import likely_duplicates, likely_duplicates_many, trigrams
from actors.models import Organisation
from imports.models import DuplicatePair
from territories.models import Territory
from tests.factories import OrganisationFactory

NAMES = [
    ("Association des Jardins Familiaux de Caen", "Association des Jardins Familiaux Caen"),
    ("Mutualité Française du Calvados", "Mutualite francaise Calvados"),
    ("Crèche parentale « Les Lilas »", "Creche parentale Les Lilas"),
    ("URSCOP Ouest", "Union régionale des SCOP de l'Ouest"),
    ("ADMR", "A.D.M.R."),
    ("Saint-Pierre-en-Auge Solidarité", "Solidarité Saint Pierre en Auge"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("pair", NAMES)
def test_python_trigrams_give_pg_trgm_similarity(pair):
    with connection.cursor() as cursor:
        cursor.execute("SELECT similarity(%s, %s)", pair)
        expected = cursor.fetchone()[0]
    left, right = trigrams(pair[0]), trigrams(pair[1])
    assert len(left & right) / len(left | right) == pytest.approx(expected, abs=1e-4)


@pytest.mark.django_db
def test_many_at_once_finds_what_one_by_one_finds(directory):
    caen = Territory.objects.get(kind="commune", code="14118")
    bayeux = Territory.objects.get(kind="commune", code="14047")
    made = [
        OrganisationFactory(name="Association des Jardins Familiaux de Caen", commune=caen),
        OrganisationFactory(name="Association des Jardins Familiaux Caen", commune=caen),
        OrganisationFactory(name="Association des jardins familiaux de Caen", commune=bayeux),
        OrganisationFactory(name="Épicerie solidaire du Bessin", commune=bayeux, rna="W142000001"),
        OrganisationFactory(name="Tout autre chose", commune=caen, rna="W142000001"),
    ]
    many = likely_duplicates_many(made)
    for organisation in made:
        one = likely_duplicates(organisation)
        assert [(d.organisation.pk, d.reason, round(d.score, 4)) for d in many[organisation.pk]] == [
            (d.organisation.pk, d.reason, round(d.score, 4)) for d in one
        ], organisation.name
    reasons = {d.reason for d in many[made[0].pk]}
    assert reasons == {"name_commune", "name_departement"}
    assert [d.reason for d in many[made[3].pk]] == ["rna"]


# --- organisations without a commune (issue 20, item 1) -----------------------------------

URAF_FILE_NAME = "Union régionale des associations familiales de Normandie"


def territory(key):
    return Territory.objects.get(key=key)


def found(organisation):
    """{other's name: reason} from both paths, which must agree."""
    one = {d.organisation.name: d.reason for d in likely_duplicates(organisation)}
    many = {d.organisation.name: d.reason for d in likely_duplicates_many([organisation])[organisation.pk]}
    assert one == many, organisation.name
    return one


@pytest.mark.django_db
def test_a_region_wide_organisation_is_compared_across_the_region(directory):
    """The directory's URAF works in the whole region and has no commune: a file's
    « … de Normandie » spelling of it, region-wide too, is its likely duplicate (they
    score 0.78), as is another spelling placed in Caen."""
    uraf = Organisation.objects.get(slug="uraf")
    assert uraf.commune_id is None and uraf.name == "Union Régionale des Associations Familiales"
    in_caen = OrganisationFactory(
        name="Union régionale des associations familiales (URAF) de Normandie", commune=territory("14118")
    )
    new = OrganisationFactory(name=URAF_FILE_NAME, territories=[territory("region-28")])
    assert found(new) == {uraf.name: "name_region", in_caen.name: "name_region"}
    # and from the other side: what is in Caen meets what covers its region
    assert found(in_caen)[new.name] == "name_region"
    assert DuplicatePair.objects.filter(first=min(uraf, new, key=lambda o: o.pk)).exists()
    labels = [d.message() for d in likely_duplicates(new)]
    assert any("nom très proche, même région" in label for label in labels), labels


@pytest.mark.django_db
def test_a_departemental_organisation_is_compared_within_its_departement_only(directory):
    """Without a commune, a federation covering the Manche meets the same name covering
    the Manche (or placed in one of its communes), never the same name in the Orne."""
    name = "Fédération départementale des familles rurales"
    manche = OrganisationFactory(name=name, territories=[territory("50")])
    orne = OrganisationFactory(name=name, territories=[territory("61")])
    in_bayeux = OrganisationFactory(name=name, commune=territory("14047"))
    assert found(orne) == {}
    assert found(in_bayeux) == {}
    saint_lo = OrganisationFactory(name=f"{name} de la Manche", commune=territory("50502"))
    twin = OrganisationFactory(name=name, territories=[territory("50")])
    assert found(manche) == {name: "name_departement", saint_lo.name: "name_departement"}  # the twin, Saint-Lô
    assert found(twin)[name] == "name_departement"
    assert orne.pk not in {d.organisation.pk for d in likely_duplicates(manche)}


@pytest.mark.django_db
def test_many_at_once_agrees_with_one_by_one_without_communes(directory):
    made = [
        OrganisationFactory(name=URAF_FILE_NAME, territories=[territory("region-28")]),
        OrganisationFactory(name=URAF_FILE_NAME + " (antenne)", territories=[territory("14")]),
        OrganisationFactory(name="Union régionale des associations familiales de Normandie", commune=territory("61001")),
        OrganisationFactory(name="Union régionale des associations familiales", territories=[territory("50502")]),
    ]
    many = likely_duplicates_many(made)
    for organisation in made:
        one = likely_duplicates(organisation)
        assert [(d.organisation.pk, d.reason, round(d.score, 4)) for d in many[organisation.pk]] == [
            (d.organisation.pk, d.reason, round(d.score, 4)) for d in one
        ], organisation.name
    assert {d.reason for d in many[made[0].pk]} == {"name_region"}
