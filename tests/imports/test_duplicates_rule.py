"""One rule for likely duplicates (actors/duplicates.py): the trigrams the many-at-once path
of imports compares in Python are pg_trgm's, and that path finds what the one-by-one path
(the trigram index) finds."""

import pytest
from django.db import connection

from actors.duplicates import likely_duplicates, likely_duplicates_many, trigrams
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
