"""French, forgiving search: accents, case, stems, synonyms and ranking, on the stored documents."""

import pytest

from actions.models import Action
from actors.models import Organisation
from common.search import search

ACTORS = Organisation.objects.actors
ACTOR_QUERIES = [
    ("mutualite", {"mutualite-francaise-du-calvados"}),
    ("Mutualité", {"mutualite-francaise-du-calvados"}),
    ("MUTUALITÉ FRANÇAISE", {"mutualite-francaise-du-calvados"}),
    ("epargne", {"fondation-caisse-d-epargne"}),
    ("caisse d'épargne", {"fondation-caisse-d-epargne"}),
    ("coorace", {"coorace-basse-normandie"}),
    ("uriopss", {"uriopss"}),
    ("scop", {"urscop"}),
    ("ouest", {"urscop"}),
    ("familles", {"uraf", "mutualite-francaise-du-calvados"}),
    ("handicapées", {"mutualite-francaise-du-calvados"}),
    ("insertion", {"coorace-basse-normandie"}),
    ("aide a domicile", {"uriopss", "uraf", "fondation-caisse-d-epargne"}),  # « aidants » shares the stem
    ("bretagne", {"urscop"}),
    ("pays de la loire", {"urscop"}),
    ("zzz introuvable", set()),
    # through what the actor does: the titles and descriptions of its programmes and actions
    ("halte garderie", {"mutualite-francaise-du-calvados"}),
    ("veille juridique", {"uriopss"}),
    ("proxim'services", {"coorace-basse-normandie"}),
    ("alzheimer", {"mutualite-francaise-du-calvados"}),
    ("questionnaire", {"uraf"}),
]
ACTION_QUERIES = [
    ("Saint-Pierre-sur-Dives", {"halte-garderie-itinerante", "pole-petite-enfance"}),
    ("saint pierre sur dives", {"halte-garderie-itinerante", "pole-petite-enfance"}),
    ("halte garderie", {"halte-garderie-itinerante", "pole-petite-enfance"}),
    ("frenouville", {"halte-garderie-itinerante", "pole-petite-enfance"}),
    ("alzheimer", {"unite-de-vie-alzheimer", "pole-personnes-agees"}),
    ("ehpad", {"gestion-d-un-ehpad", "pole-personnes-agees"}),
    ("veille juridique", {"veille-juridique-mensuelle"}),
    ("cèdre", {"dossier-d-agrement-et-demarche-qualite-cedre"}),
    ("proxim'services", {"creation-de-structures-proxim-services"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), ACTOR_QUERIES)
def test_actor_search(directory, query, expected):
    found = set(search(ACTORS().published(), query).values_list("slug", flat=True))
    assert found == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), ACTION_QUERIES)
def test_action_search(directory, query, expected):
    found = set(search(Action.objects.published(), query).values_list("slug", flat=True))
    assert found == expected


@pytest.mark.django_db
def test_name_ranks_before_description(directory):
    ranked = list(
        search(ACTORS().published(), "calvados")
        .order_by("-search_rank", "name")
        .values_list("slug", flat=True)
    )
    assert ranked[0] == "mutualite-francaise-du-calvados"


@pytest.mark.django_db
def test_search_page_groups_results_by_kind(directory, client):
    # A place's name leads to what works there; read as words (the other reading), it is
    # searched in the texts.
    assert client.get("/recherche/", {"q": "saint pierre sur dives"})["Location"].startswith("/acteurs/?commune=")
    page = client.get("/recherche/", {"q": "saint pierre sur dives", "lecture": "mots"}).content.decode()
    assert "Actions (" in page
    assert "Création d&#x27;une halte-garderie itinérante" in page
    assert "Territoires (" in page
    assert "Saint-Pierre-sur-Dives (commune déléguée, aujourd&#x27;hui Saint-Pierre-en-Auge)" in page


@pytest.mark.django_db
def test_search_page_without_results_says_so(directory, client):
    response = client.get("/recherche/", {"q": "xylophone"})
    assert response.status_code == 200
    assert "Aucun résultat pour « xylophone »" in response.content.decode()


@pytest.mark.django_db
def test_list_search_filter_uses_the_same_search(directory, client):
    response = client.get("/acteurs/", {"q": "epargne"})
    assert [a.slug for a in response.context["page"].object_list] == ["fondation-caisse-d-epargne"]


@pytest.mark.django_db
def test_documents_follow_every_edit_and_names_rank_first(directory):
    from actors.models import Status
    from tests.factories import ActionFactory, OrganisationFactory, ProgrammeFactory

    OrganisationFactory(name="Atelier Zinzolin", slug="atelier-zinzolin")
    doer = OrganisationFactory(name="Association du quartier", slug="association-du-quartier")
    action = ActionFactory(programme=ProgrammeFactory(actor=doer), title="Chantier zinzolin")

    def found(query):
        return list(
            search(ACTORS().published(), query)
            .order_by("-search_rank", "name")
            .values_list("slug", flat=True)
        )

    assert found("zinzolin") == ["atelier-zinzolin", "association-du-quartier"]
    action.title = "Chantier vermillon"
    action.save()
    assert found("zinzolin") == ["atelier-zinzolin"]
    assert found("vermillon") == ["association-du-quartier"]
    action.status = Status.DRAFT
    action.save()
    assert found("vermillon") == [], "a draft never enters the document visitors search"


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["le", "'", "de la", "", "\x00"])
def test_a_query_without_significant_words_finds_nothing_and_fails_nowhere(directory, query):
    assert list(search(ACTORS().published(), query).order_by("-search_rank")) == []


# --- synonyms kept by staff, and results with their context ---------------------------

SYNONYM_QUERIES = [
    # « crèche » is not in the source; the staff's group says it means a halte-garderie.
    ("crèche", {"halte-garderie-itinerante", "pole-petite-enfance"}),
    ("creches", {"halte-garderie-itinerante", "pole-petite-enfance"}),
    ("maison de retraite", {"gestion-d-un-ehpad", "pole-personnes-agees"}),
    ("centre d'aide par le travail", {"creation-d-un-cat", "pole-personnes-handicapees"}),
    ("crèche frénouville", {"halte-garderie-itinerante", "pole-petite-enfance"}),
    ("crèche alzheimer", set()),  # every clause must be met
]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected"), SYNONYM_QUERIES)
def test_synonyms_apply_on_both_databases(directory, query, expected):
    assert set(search(Action.objects.published(), query).values_list("slug", flat=True)) == expected


@pytest.mark.django_db
def test_staff_edit_the_synonyms_and_the_next_search_uses_them(
    directory, admin_client, django_capture_on_commit_callbacks
):
    from actors.models import Synonym

    assert not search(Action.objects.published(), "accueil temporaire").exists()
    with django_capture_on_commit_callbacks(execute=True):  # the new version once committed
        response = admin_client.post(
            "/admin/actors/synonym/add/", {"terms": "accueil temporaire, halte-garderie", "note": ""}
        )
    assert response.status_code == 302, response.content.decode()[:500]
    assert Synonym.objects.filter(terms="accueil temporaire, halte-garderie").exists()
    found = set(search(Action.objects.published(), "accueil temporaire").values_list("slug", flat=True))
    assert found == {"halte-garderie-itinerante", "pole-petite-enfance"}
    refused = admin_client.post("/admin/actors/synonym/add/", {"terms": "crèche", "note": ""})
    assert "au moins deux mots" in refused.content.decode()


@pytest.mark.django_db
def test_search_results_say_what_who_where_and_why(directory, client):
    import re

    response = client.get("/recherche/", {"q": "crèche"})
    page = response.content.decode()
    assert page.count('type="search"') == 1, "one search box on the search page"
    actions = next(g for g in response.context["groups"] if g.label == "Actions")
    result = next(r for r in actions.results if r.title == "Création d'une halte-garderie itinérante")
    assert result.kind.startswith("Action") and result.by == "Mutualité Française du Calvados"
    assert "Frénouville" in result.where
    assert "<mark>halte</mark>-<mark>garderie</mark>" in str(result.excerpt)
    status = re.search(r'id="nombre-resultats"[^>]*>(.*?)</p>', page, re.S).group(1)
    total = sum(g.count for g in response.context["groups"])
    assert status.startswith(f"{total} résultats")
    for group in response.context["groups"]:
        assert f"{group.label} ({group.count})</h2>" in page
