"""The public directory: filters and facets, pagination, bad input, profiles and pages.

Logic tests build their own data with the factories, under a sector of their own
(``secteur-d-essai``) so that the real content never changes their expected results;
the real content's facts are checked in tests/test_fidelity.py and in the few page
tests below that quote the source."""

import html

import pytest

from actors.models import Sector, Status
from territories.models import Territory
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    ProgrammeFactory,
    SectorFactory,
    bulk_actors,
)


def slugs(response):
    return sorted(item.slug for item in response.context["page_obj"].paginator.object_list)


def facet(response, name):
    return {c.value: c.count for f in response.context["facets"] if f.name == name for c in f.choices}


@pytest.fixture
def trial(directory):
    """Four actors in a sector of their own: a commune of the Calvados, the Manche, the
    former region, Brittany; different families and publics."""
    sector = SectorFactory(slug="secteur-d-essai", name="Secteur d'essai")
    other = Sector.objects.get(slug="handicap")
    places = {key: Territory.objects.get(key=key) for key in ("14478", "50", "region-25", "region-53")}
    actors = {
        "orbec": OrganisationFactory(slug="essai-orbec", family="association", territories=[places["14478"]],
                                     sectors=[sector, other]),
        "manche": OrganisationFactory(slug="essai-manche", family="cooperative", territories=[places["50"]],
                                      sectors=[sector]),
        "region": OrganisationFactory(slug="essai-region", family="mutuelle", territories=[places["region-25"]],
                                      sectors=[sector, other]),
        "bretagne": OrganisationFactory(slug="essai-bretagne", family="association",
                                        territories=[places["region-53"]], sectors=[sector]),
    }  # fmt: skip
    return actors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["essai-bretagne", "essai-manche", "essai-orbec", "essai-region"]),
        ({"departement": "14"}, ["essai-orbec", "essai-region"]),
        ({"departement": "50"}, ["essai-manche", "essai-region"]),
        ({"departement": "61"}, ["essai-region"]),
        ({"famille": "association"}, ["essai-bretagne", "essai-orbec"]),
        ({"famille": "association", "departement": "14"}, ["essai-orbec"]),
        ({"commune": "14478"}, ["essai-orbec", "essai-region"]),
        ({"commune": "50129"}, ["essai-manche", "essai-region"]),
        ({"departement": "61", "famille": "cooperative"}, []),
    ],
)
def test_actor_filters(trial, client, params, expected):
    response = client.get("/acteurs/", {"secteur": "secteur-d-essai", **params})
    assert response.status_code == 200
    assert slugs(response) == expected


@pytest.mark.django_db
def test_facet_counts_apply_the_other_filters(trial, client):
    response = client.get("/acteurs/", {"secteur": "secteur-d-essai", "departement": "50"})
    assert facet(response, "departement") == {"14": 2, "50": 2, "61": 1}
    assert facet(response, "famille") == {"association": 0, "cooperative": 1, "mutuelle": 1, "fondation": 0,
                                          "entreprise-ess": 0}  # fmt: skip
    assert facet(response, "secteur")["handicap"] == 1
    assert facet(response, "secteur")["secteur-d-essai"] == 2
    page = response.content.decode()
    assert "2 acteurs" in page
    assert "Retirer le filtre Département : Manche" in page


@pytest.mark.django_db
def test_action_filters_and_the_actor_facet(trial, client):
    programme = ProgrammeFactory(actor=trial["orbec"], start_year=2006)
    first = ActionFactory(programme=programme, territories=[Territory.objects.get(key="50")])
    second = ActionFactory(programme=programme)
    ActionFactory(programme=ProgrammeFactory(actor=trial["manche"], start_year=2010))
    response = client.get("/actions/", {"secteur": "secteur-d-essai"})
    assert facet(response, "acteur") == {"essai-orbec": 2, "essai-manche": 1}
    assert facet(response, "annee") == {"2010": 1, "2006": 2}
    assert slugs(client.get("/actions/", {"secteur": "secteur-d-essai", "departement": "50"})) == sorted(
        [first.slug, ActionFactory._meta.model.objects.get(programme__actor=trial["manche"]).slug]
    )
    assert slugs(client.get("/actions/", {"acteur": "essai-orbec", "departement": "14"})) == [second.slug]


@pytest.mark.django_db
def test_the_actor_facet_of_a_broad_list_asks_to_narrow_it(trial, client, monkeypatch):
    from actions import filters

    programme = ProgrammeFactory(actor=trial["orbec"], start_year=2006)
    ActionFactory(programme=programme), ActionFactory(programme=programme)
    ActionFactory(programme=ProgrammeFactory(actor=trial["manche"], start_year=2010))
    monkeypatch.setattr(filters, "ACTOR_FACET_LIMIT", 2)
    broad = client.get("/actions/", {"secteur": "secteur-d-essai"})
    assert facet(broad, "acteur") == {}
    assert "choisissez d'abord un département" in broad.content.decode().replace("&#x27;", "'")
    narrow = client.get("/actions/", {"secteur": "secteur-d-essai", "departement": "50"})
    assert facet(narrow, "acteur") == {"essai-manche": 1}
    chosen = client.get("/actions/", {"secteur": "secteur-d-essai", "acteur": "essai-orbec"})
    assert facet(chosen, "acteur") == {"essai-orbec": 2}


@pytest.mark.django_db
def test_action_list_answers_with_thousands_of_actors(directory, client, django_assert_max_num_queries):
    """The actor facet used to make one SQL column per actor: PostgreSQL refuses more
    than 1,664 and /actions/ answered 500."""
    bulk_actors(2000)
    with django_assert_max_num_queries(15):
        response = client.get("/actions/")
    assert response.status_code == 200
    assert len(facet(response, "acteur")) == 10


@pytest.mark.django_db
def test_an_action_without_a_year_is_in_no_year(trial, client):
    ActionFactory(programme=ProgrammeFactory(actor=trial["orbec"], start_year=None), slug="sans-annee")
    found = set()
    for year in range(1999, 2027):
        found |= set(slugs(client.get("/actions/", {"annee": str(year), "acteur": "essai-orbec"})))
    assert found == set()


@pytest.mark.django_db
def test_pagination_pages_past_the_end_and_bad_numbers(trial, client, settings):
    OrganisationFactory.create_batch(
        2 * settings.DIRECTORY_PAGE_SIZE, sectors=[Sector.objects.get(slug="secteur-d-essai")]
    )
    first = client.get("/acteurs/", {"secteur": "secteur-d-essai"})
    assert len(first.context["page_obj"].object_list) == settings.DIRECTORY_PAGE_SIZE
    last = client.get("/acteurs/", {"secteur": "secteur-d-essai", "page": "99"})
    assert last.status_code == 200
    assert last.context["page_obj"].number == 3
    assert 'href="?secteur=secteur-d-essai&amp;page=2"' in last.content.decode()
    assert client.get("/acteurs/", {"page": "deux"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"secteur": "inconnu"}, {"departement": "75"}, {"famille": "sarl"}, {"tri": "prix"}, {"public": "x"},
     {"commune": "99999"}, {"q": "x" * 201}],
)  # fmt: skip
def test_unknown_filter_value_shows_a_message_and_no_results(directory, client, params):
    response = client.get("/acteurs/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Le formulaire contient 1 erreur" in page and "<title>Erreur : Acteurs" in page
    name = next(iter(params))
    assert f'<a href="#id_{name}">' in page, "the summary links to the field"
    assert list(response.context["page_obj"].object_list) == []


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"annee": "1789"}, {"acteur": "inconnu"}, {"q": "a\x00b"}])
def test_unknown_action_filter_and_year(directory, client, params):
    assert client.get("/actions/", params).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["'", "le", "de la", "  "])
def test_a_query_without_any_searchable_word_is_not_an_error(directory, client, query):
    for url in ("/acteurs/", "/actions/"):
        assert client.get(url, {"q": query}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/acteurs/inconnu/", "/actions/inconnue/", "/territoires/99999/", "/secteurs/x/", "/partenaires/x/",
     "/nulle-part/", "/partenaires/uraf/"],
)  # fmt: skip
def test_unknown_address_gives_the_french_404(directory, client, url):
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert 'lang="fr"' in page


@pytest.mark.django_db
def test_partner_pages_are_for_partners_only(trial, client):
    partner = PartnerFactory(slug="partenaire-d-essai", name="Partenaire d'essai")
    PartnershipFactory(organisation=partner, programme=ProgrammeFactory(actor=trial["orbec"]))
    assert client.get("/partenaires/partenaire-d-essai/").status_code == 200
    assert client.get(f"/partenaires/{trial['orbec'].slug}/").status_code == 404
    listing = client.get("/partenaires/")
    assert listing.status_code == 200
    pages = [client.get(f"/partenaires/?page={n}").content.decode()
             for n in range(1, listing.context["page_obj"].paginator.num_pages + 1)]  # fmt: skip
    assert any("Partenaire d&#x27;essai" in page for page in pages)
    assert not any(trial["orbec"].name in page for page in pages)


@pytest.mark.django_db
def test_500_page_looks_like_the_site(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Une erreur est survenue" in html and 'lang="fr"' in html


@pytest.mark.django_db
def test_drafts_are_hidden_from_the_public_and_shown_to_staff_with_a_banner(trial, client, editor_client):
    actor = trial["orbec"]
    programme = ProgrammeFactory(actor=actor)
    action = ActionFactory(programme=programme)
    type(actor).objects.filter(pk=actor.pk).update(status=Status.DRAFT)
    for url in (actor.get_absolute_url(), programme.get_absolute_url(), action.get_absolute_url()):
        assert client.get(url).status_code == 404, url
    assert actor.slug not in slugs(client.get("/acteurs/", {"secteur": "secteur-d-essai"}))
    response = editor_client.get(actor.get_absolute_url())
    assert response.status_code == 200
    assert "cette page n'est pas visible du public" in response.content.decode()


@pytest.mark.django_db
def test_profile_tells_what_the_source_says(directory, client):
    page = client.get("/acteurs/coorace-basse-normandie/").content.decode()
    for text in [
        "Programme d&#x27;actions du COORACE Basse-Normandie",
        "action phare",
        "depuis le 14 décembre",
        "Fédération COORACE",
        "signataire",
        "17 janvier 2006",
        "DDTEFP du Calvados",
        "Basse-Normandie (ancienne région, aujourd&#x27;hui Normandie)",
    ]:
        assert text in page, text
    fondation = client.get("/acteurs/fondation-caisse-d-epargne/").content.decode()
    assert "— Michel Marchand" in fondation
    assert "pas moins de 650 courriers" in fondation
    assert "plus de 900\u202f000\u00a0€" in fondation
    assert "depuis 1999" in fondation


@pytest.mark.django_db
def test_action_page_shows_historic_and_current_communes(directory, client):
    page = client.get("/actions/halte-garderie-itinerante/").content.decode()
    assert "Hubert-Folie (commune déléguée, aujourd&#x27;hui Castine-en-Plaine)" in page
    assert "Livarot (commune déléguée, aujourd&#x27;hui Livarot-Pays-d&#x27;Auge)" in page
    assert "Orbec" in page
    assert "mise à disposition de locaux" in page


@pytest.mark.django_db
def test_action_page_says_when_its_territory_is_inherited(trial, client):
    programme = ProgrammeFactory(actor=trial["manche"])
    action = ActionFactory(programme=programme)
    page = html.unescape(client.get(action.get_absolute_url()).content.decode())
    assert "Territoires de l'acteur : ni l'action ni son programme n'en précisent d'autres." in page
    assert "Manche" in page


@pytest.mark.django_db
def test_event_shows_day_and_month_without_year(directory, client):
    page = client.get("/actions/evenements/journee-d-echanges-paris-29-novembre/").content.decode()
    assert "29 novembre (la source ne donne pas l'année)" in page
    assert "De l&#x27;émergence des projets à la structuration du développement" in page


@pytest.mark.django_db
def test_home_counts_published_actors_by_departement(trial, client):
    before = client.get("/").context
    counts = {d["code"]: d["actors"] for d in before["departements"]}
    OrganisationFactory(territories=[Territory.objects.get(key="61")])
    OrganisationFactory(territories=[Territory.objects.get(key="61")], status=Status.DRAFT)
    after = client.get("/")
    assert after.context["actor_count"] == before["actor_count"] + 1
    assert {d["code"]: d["actors"] for d in after.context["departements"]} == {
        **counts,
        "61": counts["61"] + 1,
    }
    page = after.content.decode()
    assert "/territoires/14/" in page and "/acteurs/?secteur=secteur-d-essai" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/acteurs/",
        "/acteurs/urscop/",
        "/actions/",
        "/territoires/",
        "/recherche/?q=scop",
        "/partenaires/",
    ],
)
def test_pages_have_one_h1_a_skip_link_and_landmarks(directory, client, url):
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert 'href="#contenu"' in page and 'id="contenu"' in page
    assert "<main" in page and "<header" in page and "<footer" in page and "<nav" in page


@pytest.mark.django_db
def test_invalid_filter_message_names_the_filter_in_french(directory, client):
    page = client.get("/acteurs/", {"secteur": "inconnu"}).content.decode()
    assert '<a href="#id_secteur">Secteur : ' in page
    page = client.get("/acteurs/", {"commune": "99999"}).content.decode()
    assert "Commune introuvable" in page
