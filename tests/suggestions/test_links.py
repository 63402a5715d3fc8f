"""What suggestions adds to the pages below it comes through their extension points
(suggestions/links.py), and its own pages lead home through the site's context
(``home_url``): no page of a lower app names a URL of suggestions, none of suggestions
names one of the site (tests/test_architecture.py)."""

import pytest

from actions import extensions as action_pages
from actors import extensions as actor_pages


@pytest.fixture
def without_report_links():
    """The pages' sections without what suggestions registered (changed in place: the views
    hold these very lists)."""
    lists = [actor_pages.actor_sections, action_pages.action_sections, action_pages.programme_sections]
    saved = [list(sections) for sections in lists]
    for sections in lists:
        sections[:] = [section for section in sections if section.__module__ != "suggestions.links"]
    yield
    for sections, kept in zip(lists, saved, strict=True):
        sections[:] = kept


@pytest.mark.django_db
def test_the_report_link_is_what_suggestions_registered(directory, client, without_report_links):
    for url in ("/acteurs/uraf/", "/actions/enquete-questionnaire-uraf/",
                "/actions/programmes/uraf-enquete-perte-d-autonomie/"):  # fmt: skip
        page = client.get(url).content.decode()
        assert "/signaler/" not in page and "Signaler une erreur" not in page


@pytest.mark.django_db
def test_the_thanks_and_invalid_link_pages_lead_home(client):
    for response in (client.get("/merci/"), client.get("/verifier/pas-un-jeton/")):
        assert 'href="/">Revenir à l\'accueil</a>' in response.content.decode()
