"""Texts that read right: each defect fixed at its cause (the figure's unit, the quote's
signature, nested parentheses, a repeated description, French numbers, titles without
codes, « recent » that is true)."""

import html
import re

import pytest


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def visible(page):
    """The text of the page's main content, without tags, on one line."""
    main = re.search(r"<main.*?</main>", page, flags=re.S)
    page = main.group(0) if main else page
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)).replace(" .", ".").replace(" ,", ",")


@pytest.mark.django_db
def test_key_figures_say_their_unit_once(directory, client):
    page = visible(text_of(client, "/acteurs/fondation-caisse-d-epargne/"))
    assert "pas moins de 650 courriers reçus suite à l'appel à projets" in page
    assert "courriers courriers" not in page
    assert "une douzaine de projets retenus" in page
    assert "36 dossiers présentés au comité de la fondation" in page


@pytest.mark.django_db
def test_quotes_are_signed_without_repeating_the_speaker(directory, client):
    page = visible(text_of(client, "/acteurs/fondation-caisse-d-epargne/"))
    assert "— Michel Marchand, Fondation Caisse d'Epargne" in page
    assert "affirme Michel Marchand" not in page and "souligne Michel Marchand" not in page
    page = visible(text_of(client, "/acteurs/urscop/"))
    assert "— Laurent Hénart, Président de l'ANSP, saluant le modèle coopératif, lors de l'événement" in page
    assert "comme étant )" not in page and "comme étant)" not in page


@pytest.mark.django_db
def test_partnerships_read_without_nested_parentheses(directory, client):
    page = visible(text_of(client, "/acteurs/uriopss/"))
    assert "DRTEFP (aujourd'hui : DREETS Normandie" in page  # today's body beside the old name
    assert (
        "— partenaire, 2008. Plan d'action mené avec la DRTEFP, dans le prolongement de l'action menée en 2007"
        in page
    )
    assert "))" not in page


@pytest.mark.django_db
def test_a_programme_says_its_description_once_and_quotes_the_source_whole(directory, client):
    page = text_of(client, "/actions/programmes/mutualite-secteur-d-actions-sociales/")
    outside_source = re.sub(r'<details class="source">.*?</details>', "", page, flags=re.S)
    assert visible(outside_source).count("trois pôles") == 1
    source = re.search(r'<details class="source">.*?</details>', page, flags=re.S).group(0)
    assert "menées en direction :" in source and "– De la petite enfance : […]" in visible(source)
    assert not visible(source).strip().endswith("direction : D'après")


@pytest.mark.django_db
def test_numbers_are_written_the_french_way_and_titles_carry_no_code(directory, client):
    page = text_of(client, "/territoires/14118/")
    assert "109\u202f400 habitants" in page
    assert "<h1>Caen</h1>" in page and "14118" not in visible(
        re.sub(r"<head>.*?</head>", "", page, flags=re.S)
    )
    title = re.search(r"<title>(.*?)</title>", text_of(client, "/acteurs/?commune=14118")).group(1)
    assert title.startswith("Acteurs : Caen") and "14118" not in title


@pytest.mark.django_db
def test_the_home_page_calls_recent_what_is_recent_by_its_dates(directory, client):
    page = visible(text_of(client, "/"))
    assert "Derniers programmes" not in page
    section = page[
        page.index("Les programmes les plus récents") : page.index("Les actions les plus récentes")
    ]
    years = [int(y) for y in re.findall(r"\b(20\d\d)\b", section.split("2001 à 2008", 1)[1])]
    assert years and years == sorted(years, reverse=True)
