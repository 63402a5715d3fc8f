"""The one search box (home page, header, /recherche/ — cress/one_box.py): a name or
words, a SIREN/SIRET/RNA, a commune as people type it, a postcode or a département."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from territories.models import Territory
from territories.resolver import Catalogue
from tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def fresh_catalogue():
    Catalogue.forget()
    yield
    Catalogue.forget()


def leads_to(client, query, **extra):
    response = client.get("/recherche/", {"q": query, **extra})
    assert response.status_code in (200, 302), response.content[:300]
    if response.status_code == 200:
        return None
    url = urlsplit(response["Location"])
    return url.path, {name: values[0] for name, values in parse_qs(url.query).items()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "place", "words"),
    [
        ("14100", "14100", None),
        ("St-Lô", "St-Lô", None),
        ("Calvados", "Calvados", None),
        ("crèche Caen", "Caen", "crèche"),
        ("aide à domicile à Lisieux", "Lisieux", "aide à domicile"),
        ("Caen insertion", "Caen", "insertion"),
        ("insertion dans la Manche", "la Manche", "insertion"),
        ("Saint-Pierre", "Saint-Pierre", None),  # several communes: the list offers them
    ],
)
def test_a_place_leads_to_what_works_there(directory, client, typed, place, words):
    path, params = leads_to(client, typed)
    assert path == "/acteurs/" and params.get("commune") == place and params.get("q") == words


@pytest.mark.django_db
def test_words_stay_on_the_search_page_and_the_other_reading_is_words(directory, client):
    assert leads_to(client, "mutualité") is None
    assert leads_to(client, "Caen", lecture="mots") is None, "the other reading: words only"
    page = client.get("/recherche/", {"q": "Caen", "lecture": "mots"}).content.decode()
    assert "est cherché ici comme mot-clé" in page


@pytest.mark.django_db
def test_a_typo_of_a_place_asks_did_you_mean(directory, client):
    response = client.get("/recherche/", {"q": "Sant-Lo"})
    assert response.status_code == 200
    assert "Saint-Lô" in [c.name for c in response.context["place_choices"]]
    page = response.content.decode()
    assert "Vouliez-vous dire <a" in page and "commune=Saint-L%C3%B4%20(50502)" in page
    listed = client.get("/acteurs/", {"commune": "Saint-Lô (50502)"})
    assert [c.name for c in listed.context["near"].communes] == ["Saint-Lô"]


@pytest.mark.django_db
def test_an_identifier_leads_to_its_organisation(directory, client):
    actor = OrganisationFactory(slug="avec-siren", siren="123456782", siret="12345678200017", rna="W141000001")
    for typed in ("123456782", "123 456 782", "12345678200017", "w141000001", "12345678200025"):
        assert leads_to(client, typed) == (actor.get_absolute_url(), {}), typed
    response = client.get("/recherche/", {"q": "999999999"})
    assert response.status_code == 200 and "Aucune organisation publiée n'a le numéro 999999999" in (
        response.content.decode().replace("&#x27;", "'")
    )


@pytest.mark.django_db
def test_from_the_home_box_a_postcode_reaches_an_organisation_working_there(directory, client):
    lisieux = Territory.objects.get(code="14366", kind="commune")
    actor = OrganisationFactory(slug="a-lisieux", name="Épicerie solidaire", territories=[lisieux], commune=lisieux,
                                latitude=Decimal("49.146"), longitude=Decimal("0.226"))  # fmt: skip
    response = client.get("/recherche/", {"q": "14100"}, follow=True)
    assert response.status_code == 200
    first = response.context["page_obj"].object_list[0]
    assert first.slug == actor.slug, "what works in the commune comes first"
    page = response.content.decode()
    assert "« 14100 » est lu comme le code postal de" in page
    assert 'data-where><span class="visually-hidden">Où : </span>Lisieux' in page
