"""Every « retour » / « next » stays on the site (issue 23): common/redirects.py ``back_to``
(Django's ``url_has_allowed_host_and_scheme``), and the admin login lands on the admin."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from common.redirects import back_to

ELSEWHERE = ["/%5Cevil.example%2Fphish", "/%09/evil.example", "%2F%2Fevil.example", "https://evil.example/",
             "javascript:alert(1)", "/%5C%5Cevil.example", "%5C%5Cevil.example", "/%0D%0A/evil.example",
             "http:/evil.example"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("retour", ELSEWHERE)
def test_the_thank_you_page_never_links_to_another_site(client, retour):
    page = client.get("/merci/?retour=" + retour).content.decode()
    # (the page's own address, og:url, quotes the query string, encoded: no link)
    assert "Revenir à la page" not in page and "Revenir à l'accueil" in page


@pytest.mark.django_db
def test_the_thank_you_page_links_back_to_the_page(client):
    page = client.get("/merci/", {"retour": "/acteurs/uraf/?tri=nom"}).content.decode()
    assert 'href="/acteurs/uraf/?tri=nom"' in page and "Revenir à la page" in page


@pytest.mark.parametrize("url", ["/\\evil.example/phish", "/\t/evil.example", "//evil.example", "\\\\evil.example",
                                 "https://evil.example", "relative/path", "", None])  # fmt: skip
def test_back_to_refuses_what_leaves_the_site(url):
    assert back_to(url, "/") == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("next_url", ["//evil.example", "https://evil.example/", "/\\evil.example", ""])
def test_the_admin_login_lands_on_the_admin(client, editor, next_url):
    login = reverse("admin:login")
    response = client.post(login + "?" + urlencode({"next": next_url}),
                           {"username": "editrice", "password": "mot-de-passe-de-test", "next": next_url})  # fmt: skip
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200
