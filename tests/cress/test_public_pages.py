"""The public directory: filters and facets, profiles, territories, bad input, drafts."""

import pytest

from actions.models import Action, Programme
from actors.models import Organisation, Status
from tests.seed import SIX_ACTORS


def slugs(response):
    return sorted(item.slug for item in response.context["page"].object_list)


def facet(response, name):
    return {c.value: c.count for f in response.context["facets"] if f.name == name for c in f.choices}


ALL_ACTORS = SIX_ACTORS


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ALL_ACTORS),
        ({"departement": "14"}, ALL_ACTORS),
        ({"departement": "50"}, sorted(set(ALL_ACTORS) - {"mutualite-francaise-du-calvados"})),
        ({"famille": "mutuelle"}, ["mutualite-francaise-du-calvados"]),
        ({"famille": "cooperative"}, ["urscop"]),
        ({"secteur": "petite-enfance"}, ["mutualite-francaise-du-calvados"]),
        ({"secteur": "aide-a-domicile", "departement": "61"}, ["uraf", "uriopss"]),
        ({"public": "aidants"}, ["fondation-caisse-d-epargne"]),
        ({"departement": "61", "famille": "mutuelle"}, []),
    ],
)
def test_actor_filters(directory, client, params, expected):
    response = client.get("/acteurs/", params)
    assert response.status_code == 200
    assert slugs(response) == expected


@pytest.mark.django_db
def test_facet_counts_apply_the_other_filters(directory, client):
    response = client.get("/acteurs/", {"departement": "50"})
    assert facet(response, "departement") == {"14": 6, "50": 5, "61": 5}
    assert facet(response, "famille")["mutuelle"] == 0
    assert facet(response, "famille")["association"] == 3
    assert facet(response, "secteur")["petite-enfance"] == 0
    page = response.content.decode()
    assert "5 acteurs" in page
    assert "Retirer le filtre Département : Manche" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "expected_in", "expected_out"),
    [
        ({"departement": "14"}, {"halte-garderie-itinerante", "gestion-d-un-ehpad"}, set()),
        (
            {"departement": "50"},
            {"experimentation-passerelles-ai-asp", "veille-juridique-mensuelle"},
            {"halte-garderie-itinerante"},
        ),
        ({"acteur": "uriopss"}, {"veille-juridique-mensuelle"}, {"halte-garderie-itinerante"}),
        (
            {"annee": "2008"},
            {"veille-juridique-mensuelle", "halte-garderie-itinerante"},
            {"enquete-questionnaire-uraf"},
        ),
        (
            {"annee": "2006"},
            {"enquete-questionnaire-uraf", "accueils-de-jour-perte-d-autonomie"},
            {"veille-juridique-mensuelle"},
        ),
        (
            {"secteur": "petite-enfance"},
            {"halte-garderie-itinerante", "pole-petite-enfance"},
            {"gestion-d-un-ehpad"},
        ),
        (
            {"public": "demandeurs-d-emploi-en-insertion"},
            {"experimentation-passerelles-ai-asp"},
            {"halte-garderie-itinerante"},
        ),
    ],
)
def test_action_filters(directory, client, params, expected_in, expected_out):
    found = set(slugs(client.get("/actions/", params)))
    assert expected_in <= found
    assert not (expected_out & found)


@pytest.mark.django_db
def test_action_without_a_year_is_not_placed_in_any_year(directory, client):
    found = set()
    for year in range(1999, 2027):
        found |= set(slugs(client.get("/actions/", {"annee": str(year)})))
    assert "experimentation-passerelles-ai-asp" not in found


@pytest.mark.django_db
def test_pagination_20_per_page_and_past_the_end(directory, client):
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(30)
    first = client.get("/acteurs/")
    assert len(first.context["page"].object_list) == 20
    last = client.get("/acteurs/", {"page": "99"})
    assert last.status_code == 200
    assert last.context["page"].number == 2
    assert client.get("/acteurs/", {"page": "deux"}).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{"secteur": "inconnu"}, {"departement": "75"}, {"famille": "sarl"}, {"tri": "prix"}, {"public": "x"}],
)
def test_unknown_filter_value_shows_a_message_and_no_results(directory, client, params):
    response = client.get("/acteurs/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Un filtre n'est pas valide" in page
    assert response.context["page"].object_list == [] or not list(response.context["page"].object_list)


@pytest.mark.django_db
def test_unknown_action_filter_and_year(directory, client):
    assert client.get("/actions/", {"annee": "1789"}).status_code == 400
    assert client.get("/actions/", {"acteur": "inconnu"}).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/acteurs/inconnu/",
        "/actions/inconnue/",
        "/territoires/99999/",
        "/secteurs/x/",
        "/partenaires/x/",
        "/nulle-part/",
    ],
)
def test_unknown_address_gives_the_french_404(directory, client, url):
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page
    assert 'lang="fr"' in page


@pytest.mark.django_db
def test_500_page_looks_like_the_site(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Une erreur est survenue" in html and 'lang="fr"' in html


@pytest.mark.django_db
def test_drafts_are_hidden_from_the_public_and_shown_to_staff_with_a_banner(directory, client, editor_client):
    Organisation.objects.filter(slug="uraf").update(status=Status.DRAFT)
    assert client.get("/acteurs/uraf/").status_code == 404
    assert "uraf" not in slugs(client.get("/acteurs/"))
    assert client.get("/actions/programmes/uraf-enquete-perte-d-autonomie/").status_code == 404
    assert client.get("/actions/enquete-questionnaire-uraf/").status_code == 404
    response = editor_client.get("/acteurs/uraf/")
    assert response.status_code == 200
    assert "cette page n'est pas visible du public" in response.content.decode()


@pytest.mark.django_db
def test_draft_action_is_not_listed(directory, client):
    Action.objects.filter(slug="halte-garderie-itinerante").update(status=Status.DRAFT)
    assert "halte-garderie-itinerante" not in slugs(client.get("/actions/"))
    assert (
        "halte-garderie-itinerante"
        not in client.get("/acteurs/mutualite-francaise-du-calvados/").content.decode()
    )


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
        "Source",
    ]:
        assert text in page, text
    fondation = client.get("/acteurs/fondation-caisse-d-epargne/").content.decode()
    assert (
        "— Michel Marchand <span" in fondation
        or "— Michel Marchand (" in fondation
        or "Michel Marchand" in fondation
    )
    assert "pas moins de 650 courriers" in fondation
    assert "plus de 900\u202f000\u00a0€" in fondation
    assert "depuis 1999" in fondation


@pytest.mark.django_db
def test_action_page_shows_historic_and_current_communes(directory, client):
    page = client.get("/actions/halte-garderie-itinerante/").content.decode()
    assert "Hubert-Folie (commune déléguée, aujourd&#x27;hui Castine-en-Plaine)" in page
    assert "Livarot (commune déléguée, aujourd&#x27;hui Livarot-Pays-d&#x27;Auge)" in page
    assert "Orbec" in page
    assert "Mise à disposition de locaux".lower() in page.lower()


@pytest.mark.django_db
def test_event_shows_day_and_month_without_year(directory, client):
    page = client.get("/actions/evenements/journee-d-echanges-paris-29-novembre/").content.decode()
    assert "29 novembre (la source ne donne pas l'année)" in page
    assert "De l&#x27;émergence des projets à la structuration du développement" in page


@pytest.mark.django_db
def test_departement_page_counts_actors_of_the_whole_region(directory, client):
    response = client.get("/territoires/50/")
    names = {a.slug for a in response.context["actors"]}
    assert "coorace-basse-normandie" in names and "mutualite-francaise-du-calvados" not in names


@pytest.mark.django_db
def test_home_has_counts_and_entry_points(directory, client):
    response = client.get("/")
    page = response.content.decode()
    assert "6</strong> acteurs" in page
    assert "/territoires/14/" in page and "/secteurs/petite-enfance/" in page
    assert Programme.objects.published().count() == response.context["programme_count"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/", "/acteurs/", "/acteurs/urscop/", "/actions/", "/territoires/", "/recherche/?q=scop"]
)
def test_pages_have_one_h1_a_skip_link_and_landmarks(directory, client, url):
    page = client.get(url).content.decode()
    assert page.count("<h1") == 1
    assert 'href="#contenu"' in page and 'id="contenu"' in page
    assert "<main" in page and "<header" in page and "<footer" in page and "<nav" in page


@pytest.mark.django_db
def test_invalid_filter_message_names_the_filter_in_french(directory, client):
    page = client.get("/acteurs/", {"secteur": "inconnu"}).content.decode()
    assert "<li>Secteur : " in page


@pytest.mark.django_db
def test_event_of_a_draft_actor_is_not_public(directory, client):
    Organisation.objects.filter(slug="urscop").update(status=Status.DRAFT)
    assert client.get("/actions/evenements/journee-d-echanges-paris-29-novembre/").status_code == 404
