"""What a person types to name a place (``territories.resolver.read``): a postcode first,
names as people spell them, a département; machines keep the INSEE code exact
(``Resolver.communes``, tests/territories/test_resolver.py)."""

import pytest

from territories.resolver import Catalogue, name_key, read


@pytest.fixture(autouse=True)
def fresh_catalogue():
    Catalogue.forget()
    yield
    Catalogue.forget()


def names(communes):
    return [commune.name for commune in communes]


def test_names_are_compared_as_people_type_them():
    assert name_key("St-Lô") == name_key("saint lo") == name_key("ST LO") == "saint lo"
    assert name_key("Le Mont-Saint-Michel") == name_key("mont st michel") == "mont saint michel"
    assert name_key("Ste-Mère-Église") == name_key("Sainte-Mère-Église")
    assert name_key("Pont-l'Évêque") == name_key("pont l eveque")
    assert name_key("Le") == "le", "a lone article is kept: it is not a place"


@pytest.mark.django_db
def test_five_digits_are_a_postcode_first_serving_all_its_communes_largest_first(directory):
    reading = read("14100")
    assert reading.kind == "postcode"
    assert reading.communes[0].name == "Lisieux", "the largest commune of the postcode first"
    assert len(reading.communes) > 1 and all("14100" in c.postcodes.split() for c in reading.communes)
    populations = [c.population or 0 for c in reading.communes]
    assert populations == sorted(populations, reverse=True)
    assert reading.label == f"14100 — Lisieux et {len(reading.communes) - 1} autres communes"
    # The INSEE code 14100 is Bretteville-sur-Laize's: the other reading, one click away.
    assert reading.other.communes[0].name == "Bretteville-sur-Laize"
    assert read(reading.other.value).communes[0].code == "14100"


@pytest.mark.django_db
def test_a_postcode_of_one_commune_and_a_code_no_postcode_has(directory):
    assert read("14000").label == "Caen (14000)"
    # 14118 is Caen's INSEE code and no postcode: the code.
    reading = read("14118")
    assert (reading.kind, names(reading.communes)) == ("code", ["Caen"])
    assert read("99999").kind == "unknown" and not read("99999").found


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["St-Lô", "St Lo", "saint-lo", "SAINT LÔ", "Saint-Lô"])
def test_saint_lo_however_it_is_typed(directory, typed):
    reading = read(typed)
    assert (reading.kind, names(reading.communes)) == ("commune", ["Saint-Lô"])


@pytest.mark.django_db
def test_articles_historic_and_merged_names(directory):
    assert names(read("mont st michel").communes) == ["Le Mont-Saint-Michel"]
    assert names(read("Livarot").communes) == ["Livarot-Pays-d'Auge"], "a commune déléguée gives today's"
    assert names(read("Cherbourg-Octeville").communes) == ["Cherbourg-en-Cotentin"]
    assert names(read("Vire").communes) == ["Vire Normandie"]


@pytest.mark.django_db
def test_a_name_several_communes_start_with_lists_them(directory):
    reading = read("Saint-Pierre")
    assert reading.kind == "ambiguous" and not reading.found
    assert len(reading.choices) > 3
    assert all(c.name.startswith("Saint-Pierre") for c in reading.choices), "as named"
    assert "Saint-Pierre-en-Auge" in names(reading.choices)
    # A historic commune is offered by the name its people know, saying what it is today.
    historic = [c for c in reading.choices if c.is_historic]
    assert historic and all("aujourd'hui" in c.display_name for c in historic)
    assert "Saint-Pierre-sur-Dives" in names(reading.choices)
    assert len(read("Cherbourg").communes) == 1, "a historic name and today's: one commune"


@pytest.mark.django_db
def test_a_typo_gets_the_closest_names(directory):
    reading = read("Sant-Lo")
    assert reading.kind == "unknown" and "Saint-Lô" in names(reading.choices)
    assert "Lisieux" in names(read("Lisieu").choices)
    assert read("Lisieu", guess=False).choices == []
    assert read("Atlantide").choices == []


@pytest.mark.django_db
def test_a_departement_by_its_name_or_code(directory):
    for typed in ("Calvados", "calvados", "14", "le Calvados"):
        reading = read(typed)
        assert (reading.kind, reading.departement.code) == ("departement", "14"), typed
    assert read("la Manche").departement.code == "50"
    assert read("Orne").label == "Orne (61)"
    assert read("Calvados (14)").departement.code == "14", "its label reads back"
