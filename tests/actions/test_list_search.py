"""Keywords on the lists of programmes, actions and events: what is found, in which order,
with which other filters, why (a marked excerpt), and the same search in the other lists
(the « Rechercher dans » tabs)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Event, Programme
from actors.models import Status
from common.search import mark, stem
from territories.models import Territory
from tests.factories import ActionFactory, OrganisationFactory, ProgrammeFactory, bulk_actors


def titles(response):
    return [item.title for item in response.context["page_obj"].object_list]


@pytest.fixture
def zinzolin(directory):
    """Programmes that say « zinzolin »: in the title of one (Calvados), in the description
    only of two (Calvados, Manche, the first one ahead by title), and one that does not."""
    calvados, manche = Territory.objects.get(key="14"), Territory.objects.get(key="50")
    actor = OrganisationFactory(name="Atelier des couleurs")
    return {
        "title": ProgrammeFactory(actor=actor, title="Teinture zinzolin", territories=[calvados]),
        "description": ProgrammeFactory(
            actor=actor, title="Atelier de couleurs", territories=[calvados],
            description="Des étoffes teintes en zinzolin, un violet rougeâtre.",
        ),
        "manche": ProgrammeFactory(
            actor=actor, title="Atelier de la Manche", territories=[manche],
            description="Le zinzolin, couleur du XVIIe siècle.",
        ),
        "other": ProgrammeFactory(actor=actor, title="Atelier de peinture", territories=[calvados]),
    }  # fmt: skip


@pytest.mark.django_db
def test_programme_list_finds_by_word_and_ranks_titles_first(zinzolin, client):
    response = client.get("/actions/programmes/", {"q": "Zinzolin"})
    assert response.status_code == 200
    # By title alone « Atelier de couleurs » would come first: relevance puts the title match ahead.
    assert titles(response) == ["Teinture zinzolin", "Atelier de couleurs", "Atelier de la Manche"]
    assert response.context["page_obj"].paginator.count == 3


@pytest.mark.django_db
def test_programme_list_without_keywords_keeps_the_order_by_title(zinzolin, client):
    found = titles(client.get("/actions/programmes/"))
    assert found.index("Atelier de couleurs") < found.index("Atelier de la Manche") < found.index("Teinture zinzolin")
    assert client.get("/actions/programmes/").context["page_obj"].paginator.count == (
        Programme.objects.published().count()
    )


@pytest.mark.django_db
def test_programme_list_keywords_keep_the_other_filters(zinzolin, client):
    response = client.get("/actions/programmes/", {"q": "zinzolin", "departement": "50"})
    assert titles(response) == ["Atelier de la Manche"]
    response = client.get("/actions/programmes/", {"q": "zinzolin", "departement": "14", "tri": "nom"})
    assert titles(response) == ["Atelier de couleurs", "Teinture zinzolin"]
    facet = next(f for f in response.context["facets"] if f.name == "departement")
    assert {c.value: c.count for c in facet.choices}["50"] == 1, "the facet counts with the keywords"
    chips = {chip["name"]: chip["value"] for chip in response.context["chips"]}
    assert chips == {"q": "zinzolin", "departement": "Calvados"}


@pytest.mark.django_db
def test_programme_list_filters_without_keywords_count_from_the_listing_counts(zinzolin, client):
    calvados = Programme.objects.published().in_departement("14").count()
    response = client.get("/actions/programmes/", {"departement": "14"})
    assert response.context["page_obj"].paginator.count == calvados
    assert response.context["view"].filterset.listing_counts() is not None, "no COUNT over the programmes"
    assert client.get("/actions/programmes/", {"departement": "99"}).status_code == 400


@pytest.fixture
def events(directory):
    caen = Territory.objects.get(key="14118")
    actor = OrganisationFactory(name="Réseau des fêtes")

    def event(slug, **fields):
        return Event.objects.create(slug=slug, actor=actor, status=Status.PUBLISHED, **fields)

    return [
        event("bal-zinzolin", title="Bal zinzolin", start_year=2005),
        event("fete-caen", title="Fête de printemps", place=caen, description="Costumes zinzolin de rigueur.",
              start_year=2007),
        event("fete-sans-mot", title="Fête d'automne", place=caen, start_year=2006),
    ]  # fmt: skip


@pytest.mark.django_db
def test_event_list_finds_by_word_and_narrows_to_a_departement(events, client):
    response = client.get("/actions/evenements/", {"q": "zinzolin"})
    assert response.status_code == 200
    # Without keywords the most recent first (« Fête de printemps », 2007): the title match ranks first.
    assert titles(response) == ["Bal zinzolin", "Fête de printemps"]
    assert titles(client.get("/actions/evenements/", {"q": "zinzolin", "departement": "14"})) == ["Fête de printemps"]
    assert titles(client.get("/actions/evenements/", {"q": "zinzolin", "departement": "50"})) == []
    every = titles(client.get("/actions/evenements/"))
    assert every.index("Fête de printemps") < every.index("Fête d'automne") < every.index("Bal zinzolin")
    assert client.get("/actions/evenements/", {"departement": "99"}).status_code == 400


EVIL = "<script>alert('x')</script> <b>gras</b>"


@pytest.mark.django_db
def test_excerpts_mark_the_words_found_and_escape_the_data(directory, client):
    actor = OrganisationFactory(name="Atelier <i>zinzolin</i>")
    programme = ProgrammeFactory(
        actor=actor, title="Programme <em>teinture</em>", description=f"Avant. {EVIL} Des étoffes zinzolin & autres."
    )
    ActionFactory(programme=programme, title="Action <u>bleue</u>", description=f"{EVIL} Un zinzolin profond.")
    Event.objects.create(slug="bal", title="Bal <s>masqué</s>", actor=actor, status=Status.PUBLISHED,
                         description=f"{EVIL} Robe zinzolin.")  # fmt: skip
    for url in ("/actions/programmes/", "/actions/", "/actions/evenements/"):
        page = client.get(url, {"q": "zinzolin"}).content.decode()
        cards = "".join(re.findall(r'<article class="card".*?</article>', page, re.S))
        assert cards, url
        assert '<p class="card-excerpt">' in cards, url
        assert "<mark>zinzolin</mark>" in cards, url
        assert "alert(&#x27;x&#x27;)&lt;/script&gt; &lt;b&gt;gras&lt;/b&gt;" in cards, url
        assert "<script" not in cards and "<b>" not in cards, url
        assert "&lt;i&gt;<mark>zinzolin</mark>&lt;/i&gt;" in cards, f"{url}: the actor's name, marked and escaped"
    page = client.get("/actions/", {"q": "zinzolin"}).content.decode()
    assert "Action &lt;u&gt;bleue&lt;/u&gt;" in page
    without = client.get("/actions/programmes/").content.decode()
    assert "<mark>" not in without and '<p class="card-excerpt">' not in without


def test_mark_keeps_the_whole_text_and_escapes_it():
    wanted = {stem("garderie")}
    assert mark("« Halte-garderies » <b>", wanted) == "« Halte-<mark>garderies</mark> » &lt;b&gt;"
    assert mark("", wanted) == ""


@pytest.mark.django_db
def test_search_tabs_keep_the_keywords_and_the_departement(zinzolin, client):
    page = client.get(
        "/actions/programmes/", {"q": "zinzolin & co", "departement": "14", "secteur": "petite-enfance"}
    ).content.decode()
    nav = re.search(r'<nav class="search-tabs" aria-label="Rechercher dans">(.*?)</nav>', page, re.S).group(1)
    links = re.findall(r'<a href="([^"]*)"( aria-current="page")?>([^<]*)</a>', nav)
    assert [(href, bool(current), label) for href, current, label in links] == [
        ("/acteurs/?q=zinzolin%20%26%20co&amp;departement=14", False, "Acteurs"),
        ("/actions/programmes/?q=zinzolin%20%26%20co&amp;departement=14", True, "Programmes"),
        ("/actions/?q=zinzolin%20%26%20co&amp;departement=14", False, "Actions"),
        ("/actions/evenements/?q=zinzolin%20%26%20co&amp;departement=14", False, "Événements"),
    ]
    for url, current in (("/actions/", "Actions"), ("/actions/evenements/", "Événements")):
        page = client.get(url, {"q": "zinzolin"}).content.decode()
        assert 'href="/actions/programmes/?q=zinzolin">Programmes</a>' in page
        assert f'aria-current="page">{current}</a>' in page
    page = client.get("/actions/evenements/").content.decode()
    assert 'href="/acteurs/">Acteurs</a>' in page


def queries(client, url):
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


LISTS = [
    "/actions/programmes/",
    "/actions/programmes/?q=programme&departement=14",
    "/actions/programmes/?departement=14&secteur=petite-enfance",
    "/actions/?q=action",
    "/actions/evenements/",
    "/actions/evenements/?q=journee&departement=14",
]


@pytest.mark.django_db
def test_list_queries_do_not_grow_with_the_data(directory, client):
    """Guards a query per card (the actor, the place, an excerpt's text read late) and a
    facet or count per choice: the second size must cost what the first does."""
    places = list(Territory.objects.filter(key__in=["14", "14118"]))

    def grow(count, prefix):
        actors = bulk_actors(count, prefix=prefix, places=places, actions_per_actor=2)
        Event.objects.bulk_create(
            Event(slug=f"journee-{a.slug}", title=f"Journée {a.name}", actor=a, place=places[1],
                  status=Status.PUBLISHED, start_year=2008)
            for a in actors
        )  # fmt: skip

    grow(3, "petit")
    small = {url: queries(client, url) for url in LISTS}
    grow(60, "grand")
    large = {url: queries(client, url) for url in LISTS}
    assert small == dict(zip(LISTS, [6, 10, 5, 15, 2, 3], strict=True))
    assert large == small
