"""Issue 24, part 1: partners embed the directory on their own sites.

/integrer/ reads what a person types and writes the code of an ``<iframe>``; the embedded
pages are the actor list's, filtered by the same filter set, framed by any site (only
they), set no cookie, link each actor to its page on the directory outside the frame, and
count each display per referring site."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from embeds.models import EmbedUse
from tests.cress.test_security import directives

SITE = "https://annuaire.example.org"


@pytest.fixture(autouse=True)
def _site_address(settings):
    settings.DIRECTORY_SITE_URL = SITE


def snippet(response):
    """The code of the page's text area, as a person copies it."""
    found = re.search(r'<textarea id="code-integration"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    assert found, "no code to copy"
    return unescape(found.group(1))


def frame_src(code):
    return unescape(re.search(r'<iframe src="([^"]+)"', code).group(1))


def names(response):
    return [actor.name for actor in response.context["page_obj"].object_list]


# --- the builder --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_builder_reads_a_commune_as_people_type_it_and_writes_the_code(directory, client):
    response = client.get("/integrer/", {"commune": "St-Lô", "secteur": "insertion-par-l-activite-economique",
                                         "vue": "liste", "nombre": "5"})  # fmt: skip
    assert response.status_code == 200
    code = snippet(response)
    src = frame_src(code)
    assert src.startswith(f"{SITE}/integrer/liste/?")
    assert "commune=50502" in src, "the commune by its INSEE code: what the embed reads exactly"
    assert "secteur=insertion-par-l-activite-economique" in src and "nombre=5" in src
    assert 'title="Acteurs de l\'ESS : Saint-Lô, Insertion par l\'activité économique — Annuaire de l\'ESS en ' \
           'Basse-Normandie"' in code  # fmt: skip
    assert 'loading="lazy"' in code and 'height="600"' in code
    # For when frames are blocked: the same list on the directory, under the frame.
    link = unescape(re.search(r'<a href="([^"]+)">Voir ces acteurs', code).group(1))
    assert link.startswith(f"{SITE}/acteurs/?") and "commune=Saint-L%C3%B4+%2850502%29" in link
    # The preview is the embed itself, on this site.
    assert f'src="{response.context["preview_url"]}"'.replace("&", "&amp;") in response.content.decode()
    assert response.context["preview_url"] == src.removeprefix(SITE)


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "expected"), [
    ("14100", "code_postal=14100"),  # five digits: a postcode first, all its communes
    ("la Manche", "departement=50"),
    ("Orbec", "commune=14478"),
])  # fmt: skip
def test_the_builder_writes_what_the_place_was_read_as(directory, client, typed, expected):
    src = frame_src(snippet(client.get("/integrer/", {"commune": typed, "vue": "carte"})))
    assert src.startswith(f"{SITE}/integrer/carte/?") and expected in src, src


@pytest.mark.django_db
def test_the_builder_offers_the_communes_a_name_may_mean_and_says_what_is_wrong(directory, client):
    ambiguous = client.get("/integrer/", {"commune": "Saint-Pierre", "vue": "liste"})
    assert ambiguous.status_code == 400
    page = ambiguous.content.decode()
    assert "Plusieurs communes correspondent à « Saint-Pierre »" in page
    assert "Choisissez la commune" in page and "commune=Saint-Pierre-" in page
    assert "code-integration" not in page
    too_many = client.get("/integrer/", {"nombre": "500"})
    assert too_many.status_code == 400
    assert "Affichez au plus 50 acteurs." in too_many.content.decode()
    assert client.get("/integrer/", {"nombre": "dix"}).status_code == 400, "never a 500"


# --- the embedded pages: the actor list's filters, light, framed, no cookie -----------------


@pytest.mark.django_db
@pytest.mark.parametrize("filters", [
    {},
    {"departement": "50"},
    {"commune": "14366"},
    {"code_postal": "14100"},
    {"secteur": "insertion-par-l-activite-economique", "departement": "14"},
    {"public": "demandeurs-d-emploi-en-insertion"},
])  # fmt: skip
def test_an_embed_shows_the_first_actors_of_the_same_list(directory, client, filters):
    listed = client.get("/api/v1/acteurs/", filters)  # the machines' reading, as the embed's
    expected = [item["name"] for item in listed.json()["results"]]
    embedded = client.get("/integrer/liste/", {**filters, "nombre": 3})
    assert embedded.status_code == 200
    assert names(embedded) == expected[:3]
    assert embedded.context["page_obj"].paginator.count == listed.json()["count"]
    on_the_map = client.get("/integrer/carte/", {**filters, "nombre": 3})
    assert names(on_the_map) == expected[:3]


@pytest.mark.django_db
def test_the_embed_is_light_and_links_out_of_the_frame(directory, client):
    page = client.get("/integrer/liste/", {"departement": "14", "nombre": 2}).content.decode()
    assert "site-header" not in page and "site-footer" not in page and "main-nav" not in page
    assert 'name="robots" content="noindex"' in page
    links = re.findall(r'<a href="([^"]+)"([^>]*)>', page)
    assert links and all(url.startswith(SITE) for url, _ in links), links
    assert all('target="_top"' in rest for _, rest in links)
    actors = [url for url, _ in links if "/acteurs/" in url and "?" not in url]
    assert len(actors) == 2 and all(re.fullmatch(rf"{SITE}/acteurs/[\w-]+/", url) for url in actors)
    assert f"{SITE}/acteurs/?departement=14" in [unescape(url) for url, _ in links], "all of them, on the site"
    assert "<form" not in page and "csrfmiddlewaretoken" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/integrer/liste/?commune=14366", "/integrer/carte/?departement=14",
                                 "/integrer/liste/?secteur=inconnu"])  # fmt: skip
def test_only_the_embeds_may_be_framed_by_any_site_and_they_set_no_cookie(directory, client, url):
    response = client.get(url, HTTP_REFERER="https://www.example.net/")
    assert response.status_code in (200, 400)
    assert directives(response)["frame-ancestors"] == ["*"]
    assert "X-Frame-Options" not in response
    assert not response.cookies and "Set-Cookie" not in response
    assert "private" in response["Cache-Control"], "never from a shared cache: each display is counted"
    others = [client.get(address) for address in ("/acteurs/", "/acteurs/carte/", "/integrer/", "/")]
    for other in others:
        assert directives(other)["frame-ancestors"] == ["'none'"] and other["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_revalidated_embed_stays_frameable(directory, client):
    """A browser updates the headers it keeps with those of a 304: the 304 must not say
    « DENY » (a mark on the answer would be lost: ConditionalGetMiddleware makes a new one)."""
    first = client.get("/integrer/liste/?departement=14")
    again = client.get("/integrer/liste/?departement=14", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert "X-Frame-Options" not in again
    assert directives(again)["frame-ancestors"] == ["*"]
    assert client.get("/acteurs/", HTTP_IF_NONE_MATCH=client.get("/acteurs/")["ETag"])["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_a_logged_in_editor_gets_no_cookie_from_an_embed_either(directory, editor_client):
    response = editor_client.get("/integrer/liste/")
    assert response.status_code == 200 and not response.cookies


# --- counted per referring site ------------------------------------------------------------


def uses():
    return {(use.host, use.kind): use.count for use in EmbedUse.objects.all()}


@pytest.mark.django_db
def test_each_display_is_counted_for_the_site_that_shows_it(directory, client):
    for _ in range(2):
        client.get("/integrer/liste/?departement=14", HTTP_REFERER="https://www.lisieux.fr/vivre/ess?x=1#haut")
    client.get("/integrer/carte/?departement=14", HTTP_REFERER="https://www.lisieux.fr/carte")
    client.get("/integrer/liste/", HTTP_REFERER="http://agglo-lisieux.fr:8080/")
    client.get("/integrer/liste/")  # no Referer: the browser did not say
    client.get("/integrer/liste/", HTTP_REFERER="nimporte quoi <script>")
    client.get("/integrer/liste/?secteur=inconnu", HTTP_REFERER="https://www.lisieux.fr/")  # a 400: nothing shown
    assert uses() == {
        ("www.lisieux.fr", "liste"): 2,
        ("www.lisieux.fr", "carte"): 1,
        ("agglo-lisieux.fr", "liste"): 1,  # the host alone: never a path, a query or a port
        ("", "liste"): 2,
    }
    assert set(EmbedUse.objects.values_list("day", flat=True)) == {EmbedUse.objects.first().day}


@pytest.mark.django_db
def test_the_directory_own_pages_are_not_counted(directory, client):
    client.get("/integrer/liste/", HTTP_REFERER="http://testserver/integrer/?commune=Lisieux")  # the preview
    client.get("/integrer/liste/", HTTP_REFERER=f"{SITE}/integrer/")
    assert uses() == {}


@pytest.mark.django_db
def test_embeds_are_counted_even_with_the_page_cache_on(directory, client, redis_cache):
    """The page cache never keeps an embed (its answer is private): each display runs the
    view, and is counted; the builder itself is cached as any page."""
    for _ in range(3):
        response = client.get("/integrer/liste/?departement=50", HTTP_REFERER="https://www.manche.fr/")
        assert response.get("X-Cache") is None and directives(response)["frame-ancestors"] == ["*"]
    assert uses() == {("www.manche.fr", "liste"): 3}
    client.get("/integrer/")
    assert client.get("/integrer/")["X-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_the_count_is_one_statement_that_loses_nothing_between_workers(directory):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def display(_):
        try:
            EmbedUse.record("www.calvados.fr", EmbedUse.Kind.MAP)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(display, range(20)))
    assert uses() == {("www.calvados.fr", "carte"): 20}


# --- staff read the counts -----------------------------------------------------------------


@pytest.mark.django_db
def test_staff_read_the_counts_in_french_and_cannot_change_them(directory, editor_client, client):
    client.get("/integrer/liste/", HTTP_REFERER="https://www.bayeux.fr/")
    url = reverse("admin:embeds_embeduse_changelist")
    page = editor_client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Affichages de l&#x27;annuaire intégré" in text and "www.bayeux.fr" in text and "Liste" in text
    use = EmbedUse.objects.get()
    assert editor_client.get(reverse("admin:embeds_embeduse_add")).status_code == 403
    assert editor_client.post(reverse("admin:embeds_embeduse_change", args=[use.pk]), {"count": 99}).status_code == 403
    admin = User.objects.create_superuser("admin-essai", "a@example.org", "mot-de-passe-de-test")
    superuser = Client()
    superuser.force_login(admin)
    assert superuser.get(reverse("admin:embeds_embeduse_delete", args=[use.pk])).status_code == 403
    assert EmbedUse.objects.get().count == 1


@pytest.mark.django_db
def test_the_embedded_map_reads_its_points_from_the_api_with_the_same_filters(directory, client):
    page = client.get("/integrer/carte/", {"departement": "14", "secteur": "petite-enfance", "nombre": 3})
    geojson = unescape(re.search(r'data-geojson="([^"]+)"', page.content.decode()).group(1))
    assert "nombre" not in geojson and "departement=14" in geojson and "secteur=petite-enfance" in geojson
    assert client.get(geojson).status_code == 200
    assert "geolocation=()" in page["Permissions-Policy"], "no « Autour de moi » in a frame"


@pytest.mark.django_db
def test_the_admin_home_says_how_many_sites_showed_the_directory_lately(directory, editor_client, client):
    for site in ("https://www.bayeux.fr/", "https://www.bayeux.fr/ess", "https://www.orne.fr/"):
        client.get("/integrer/liste/", HTTP_REFERER=site)
    client.get("/integrer/liste/")  # an unknown site is not a site
    home = editor_client.get(reverse("admin:index")).content.decode()
    assert "Annuaire intégré ailleurs" in home and "2 sites l&#x27;ont affiché ces 30 derniers jours" in home
    listed = editor_client.get(re.search(r'href="([^"]*embeduse/\?day__gte=[^"]+)"', home).group(1).replace("&amp;", "&"))
    assert listed.status_code == 200 and "www.orne.fr" in listed.content.decode()
