"""What a person or a file types to name a territory, read by one resolver
(territories/resolver.py): the same answers from the database (a form, the API) and from
the in-memory index (an import), and one message when a text names several."""

import pytest

from territories.models import Territory, TerritoryKind
from territories.resolver import Resolver, Unresolved, ambiguous_message, looks_like_code


@pytest.fixture(params=["database", "file"])
def resolver(request, directory):
    return Resolver() if request.param == "database" else Resolver.for_file()


def codes(communes):
    return [commune.code for commune in communes]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("14118", "14118"),  # an INSEE code
        ("14000", "14118"),  # a postcode: Caen
        (" 50100 ", "50487"),  # a former INSEE code (today Saint-James) wins over Cherbourg's postcode
        ("Orbec", "14478"),
        ("ORBEC", "14478"),
        ("saint pierre en auge", "14654"),  # hyphens, case
        ("LIVAROT PAYS D AUGE", "14371"),  # apostrophe
        ("livarot-pays-d’auge", "14371"),  # typographic apostrophe
        ("Épinay-sur-Odon", "14241"),
        ("epinay sur odon", "14241"),  # no accent on the first letter either
        ("Livarot", "14371"),  # a historic commune (déléguée): today's
        ("Hubert-Folie", "14538"),  # a historic name, today Castine-en-Plaine
        ("14339", "14538"),  # a historic commune's own INSEE code
    ],
)
def test_a_commune_is_read_from_a_code_a_postcode_or_a_name(resolver, typed, code):
    assert resolver.commune(typed).code == code
    assert resolver.commune(typed).kind == TerritoryKind.COMMUNE


@pytest.mark.django_db
def test_a_five_digit_number_is_an_insee_code_first(resolver):
    # 14290: Fresney-le-Puceux's INSEE code, and the postcode of Orbec and seven others.
    assert codes(resolver.communes("14290")) == ["14290"]
    assert "14478" in codes(resolver.postcode_communes("14290"))
    assert "14290" not in codes(resolver.postcode_communes("14290"))


@pytest.mark.django_db
def test_a_postcode_gives_today_s_communes_in_french_order(resolver):
    served = resolver.postcode_communes("14860")
    assert [c.name for c in served] == ["Amfreville", "Bavent", "Bréville-les-Monts", "Ranville"]
    assert all(c.parent.name == "Calvados" for c in served)
    assert resolver.postcode_communes("1486") == [] and resolver.postcode_communes("abcde") == []


@pytest.mark.django_db
def test_an_ambiguous_postcode_says_which_communes_in_one_message(resolver):
    with pytest.raises(Unresolved) as raised:
        resolver.commune("14860")
    error = raised.value
    assert error.code == "ambiguous" and len(error.candidates) == 4
    assert error.message == (
        "Plusieurs communes correspondent à « 14860 » : Amfreville (commune 14009, Calvados), "
        "Bavent (commune 14046, Calvados), Bréville-les-Monts (commune 14106, Calvados), "
        "Ranville (commune 14530, Calvados). Indiquez le code INSEE voulu (entre parenthèses)."
    )


@pytest.mark.django_db
def test_an_ambiguous_name_says_which_communes_in_the_same_message(resolver):
    # Two current communes of the Calvados are called Canapville.
    with pytest.raises(Unresolved) as raised:
        resolver.commune("canapville")
    error = raised.value
    assert error.code == "ambiguous"
    assert sorted(codes(error.candidates)) == sorted(
        Territory.objects.filter(name="Canapville", kind=TerritoryKind.COMMUNE).values_list("code", flat=True)
    )
    assert error.message == ambiguous_message("canapville", error.candidates)
    assert error.message.startswith("Plusieurs communes correspondent à « canapville » : Canapville (commune 14")
    # An import's cell gets the same sentence (« territoires » when not all are communes).
    with pytest.raises(Unresolved) as from_a_file:
        resolver.territory("canapville")
    assert from_a_file.value.message == error.message


@pytest.mark.django_db
def test_an_unknown_commune_says_what_to_type(resolver):
    with pytest.raises(Unresolved) as raised:
        resolver.commune("Paris")
    assert raised.value.code == "unknown" and raised.value.candidates == []
    assert raised.value.message.startswith("Commune introuvable : indiquez son nom, son code postal ou son code INSEE")
    assert resolver.communes("") == [] and resolver.communes("'") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Calvados", "14"),  # a département by its name…
        ("14", "14"),  # …or its code
        ("region-25", "region-25"),  # a key
        ("Orbec (14478)", "14478"),  # « Nom (clé) », as exports write it
        ("Livarot (14371-deleguee)", "14371-deleguee"),  # a key names exactly that territory
        ("Livarot", "14371"),  # a name gives today's commune
        ("14000", "14118"),  # a postcode served by one commune
    ],
)
def test_a_file_names_any_territory(resolver, typed, key):
    assert resolver.territory(typed).key == key


@pytest.mark.django_db
def test_a_file_gets_the_one_message_for_several_territories(resolver):
    with pytest.raises(Unresolved) as raised:
        resolver.territory("Saint-Martin")  # the département and the region 978
    assert raised.value.message.startswith("Plusieurs territoires correspondent à « Saint-Martin » : ")
    assert "Saint-Martin (département 978)" in raised.value.message
    with pytest.raises(Unresolved, match="Plusieurs communes correspondent à « 14860 »"):
        resolver.territory("14860")
    with pytest.raises(Unresolved, match="ni code INSEE, ni code postal connu"):
        resolver.territory("99999")
    with pytest.raises(Unresolved, match="Territoire inconnu : « Atlantide »"):
        resolver.territory("Atlantide")


@pytest.mark.django_db
def test_the_database_and_the_index_agree(directory):
    database, index = Resolver(), Resolver.for_file()
    for typed in ["14478", "14000", "14290", "50100", "14860", "Orbec", "hubert folie", "Canapville", "le mesnil",
                  "saint-martin", "Paris", "2A004"]:  # fmt: skip
        assert codes(database.communes(typed)) == codes(index.communes(typed)), typed


def test_what_looks_like_an_insee_code():
    assert looks_like_code("14118") and looks_like_code("2A004") and looks_like_code("2b033")
    assert not looks_like_code("1411") and not looks_like_code("Caen") and not looks_like_code("14 11")


@pytest.mark.django_db
def test_suggestions_for_the_autocomplete_read_names_codes_and_postcodes(directory):
    resolver = Resolver()

    def names(text):
        return [t.name for t in resolver.suggestions(text)]

    assert "Éterville" in names("eter"), "accents and case aside"
    assert "Éterville" in names("ÉTER")
    assert names("14118")[0] == "Caen", "an INSEE code"
    caen_postcode = [t.name for t in resolver.suggestions("1400")]
    assert "Caen" in caen_postcode, "the start of a postcode"
    assert all(
        t.code.startswith("1400") or any(p.startswith("1400") for p in t.postcodes.split())
        for t in resolver.suggestions("1400")
    )
    assert resolver.suggestions("x") == [] and resolver.suggestions("") == []
    assert resolver.suggestions("000") == [], "a postcode or a code is read from its start, never inside"
    livarot = resolver.suggestions("Livar")
    assert [t.is_current for t in livarot] == sorted((t.is_current for t in livarot), reverse=True), "today's first"
