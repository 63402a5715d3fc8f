"""Open data: the API, the CSV and the HTML list agree; JSON-LD, sitemap, robots, feed,
data·inclusion export and the OpenAPI document."""

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from openapi_spec_validator import validate

from actions.models import Action
from actors.models import Organisation, Status
from territories.models import Territory
from tests.seed import SIX_ACTORS

COMBINATIONS = {
    "/acteurs/": [
        {},
        {"departement": "14"},
        {"departement": "50", "famille": "association"},
        {"secteur": "aide-a-domicile", "departement": "61"},
        {"public": "aidants"},
        {"q": "mutualite"},
        {"q": "scop", "tri": "nom"},
        {"famille": "mutuelle", "departement": "61"},
    ],
    "/actions/": [
        {},
        {"departement": "14", "secteur": "petite-enfance"},
        {"annee": "2008"},
        {"acteur": "uriopss"},
        {"public": "demandeurs-d-emploi-en-insertion", "departement": "50"},
        {"q": "saint pierre sur dives"},
        {"q": "ehpad"},
    ],
}
API = {"/acteurs/": "/api/v1/acteurs/", "/actions/": "/api/v1/actions/"}


def html_slugs(client, path, params):
    response = client.get(path, params)
    return [item.slug for item in response.context["page_obj"].paginator.object_list]


def api_slugs(client, path, params):
    slugs, url, query = [], path, {**params, "page_size": 100}
    while url:
        data = client.get(url, query).json()
        slugs += [item["slug"] for item in data["results"]]
        url, query = data["next"], {}
    return slugs


def csv_rows(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff"), "UTF-8 byte-order mark for Excel"
    return list(csv.DictReader(io.StringIO(content[1:]), delimiter=";"))


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params"), [(p, c) for p, combos in COMBINATIONS.items() for c in combos])
def test_api_csv_and_html_return_the_same_items(directory, client, path, params):
    html = html_slugs(client, path, params)
    api = api_slugs(client, API[path], params)
    response = client.get(path, {**params, "format": "csv"})
    assert response.streaming
    rows = csv_rows(response)
    csv_slugs = [row["Fiche"].rstrip("/").rsplit("/", 1)[-1] for row in rows]
    assert html == api == csv_slugs
    assert len(html) == len(set(html))


@pytest.mark.django_db
def test_csv_with_accents_round_trips(directory, client):
    rows = csv_rows(client.get("/acteurs/", {"format": "csv", "famille": "mutuelle"}))
    assert rows[0]["Nom"] == "Mutualité Française du Calvados"
    assert rows[0]["Famille de l'ESS"] == "Mutuelle ou union mutualiste"
    assert "Personnes âgées et perte d'autonomie" in rows[0]["Secteurs"].split(" | ")
    actions = csv_rows(client.get("/actions/", {"format": "csv", "q": "halte garderie"}))
    halte = next(r for r in actions if r["Action"] == "Création d'une halte-garderie itinérante")
    assert "Hubert-Folie (commune déléguée, aujourd'hui Castine-en-Plaine)" in halte["Territoires"]
    assert (
        "Mairies de Frénouville, Hubert-Folie, Orbec, Livarot et Saint-Pierre-sur-Dives (Mise à disposition de locaux)"
        in halte["Partenaires"]
    )


@pytest.mark.django_db
def test_csv_of_an_invalid_filter_is_the_html_error(directory, client):
    response = client.get("/acteurs/", {"format": "csv", "secteur": "inconnu"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_csv_streams_in_chunks_without_loading_everything(directory, client, django_assert_max_num_queries):
    from tests.factories import bulk_actors

    bulk_actors(2500, places=Territory.objects.filter(key__in=["14", "50"]))
    response = client.get("/acteurs/", {"format": "csv"})
    assert response.streaming
    # 1 000-row chunks: a handful of queries per chunk, never one per row.
    with django_assert_max_num_queries(30):
        rows = csv_rows(response)
    assert len(rows) == Organisation.objects.actors().published().count()
    assert {row["Codes INSEE"] for row in rows if "/acteur-en-masse-" in row["Fiche"]} == {"14", "50"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/acteurs/?secteur=inconnu", 400),
        ("/api/v1/acteurs/?departement=75", 400),
        ("/api/v1/acteurs/?inconnu=1", 400),
        ("/api/v1/acteurs/?page=abc", 400),
        ("/api/v1/acteurs/?page_size=1000", 400),
        ("/api/v1/actions/?annee=deux-mille", 400),
        ("/api/v1/acteurs/?page=99", 404),
        ("/api/v1/acteurs/inconnu/", 404),
    ],
)
def test_api_bad_input_is_a_json_error_never_a_500(directory, client, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()


@pytest.mark.django_db
def test_api_serves_only_published_content(directory, client):
    Organisation.objects.filter(slug="uraf").update(status=Status.DRAFT)
    Action.objects.filter(slug="halte-garderie-itinerante").update(status=Status.DRAFT)
    assert "uraf" not in api_slugs(client, "/api/v1/acteurs/", {})
    assert client.get("/api/v1/acteurs/uraf/").status_code == 404
    assert "halte-garderie-itinerante" not in api_slugs(client, "/api/v1/actions/", {})
    assert "enquete-questionnaire-uraf" not in api_slugs(client, "/api/v1/actions/", {})


@pytest.mark.django_db
def test_api_dates_keep_their_precision(directory, client):
    data = client.get("/api/v1/actions/experimentation-passerelles-ai-asp/").json()
    assert data["periode"] == {
        "debut": "--12-14",
        "fin": None,
        "depuis": True,
        "texte": "depuis le 14 décembre",
    }
    assert {p["organisation"] for p in data["partenaires"]} == {
        "ddtefp-calvados",
        "ddtefp-manche",
        "ddtefp-orne",
    }


@pytest.mark.django_db
def test_openapi_document_validates(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    document = yaml.safe_load(response.content)
    validate(document)
    assert "/api/v1/acteurs/" in document["paths"]
    parameters = {p["name"] for p in document["paths"]["/api/v1/acteurs/"]["get"]["parameters"]}
    assert {"departement", "secteur", "famille", "public", "q", "page"} <= parameters
    # What a re-user needs before relying on it: the licence, whom to ask, where, what.
    info = document["info"]
    assert info["license"] == {"name": settings.DIRECTORY_DATA_LICENCE_NAME, "url": settings.DIRECTORY_DATA_LICENCE_URL}
    assert info["contact"]["url"].endswith("/contact/")
    assert document["servers"] == [{"url": "http://testserver", "description": "L'annuaire"}]
    declared = {tag["name"] for tag in document["tags"]}
    used = {tag for item in document["paths"].values() for operation in item.values() for tag in operation["tags"]}
    assert used == declared and all(tag["description"] for tag in document["tags"])
    # The headers of every answer, and the pages of a list.
    listing = document["paths"]["/api/v1/acteurs/"]["get"]["responses"]
    assert {"Cache-Control", "ETag", "Access-Control-Allow-Origin", "Link"} <= set(listing["200"]["headers"])
    assert {"304", "406"} <= set(listing)


@pytest.mark.django_db
def test_the_written_document_passes_spectral_without_a_warning(tmp_path):
    """Spectral's ``spectral:oas`` ruleset (.spectral.yaml; npm, pinned in package.json)
    on the document ``manage.py spectacular`` writes: no error, no warning."""
    from django.core.management import call_command

    spectral = Path(settings.BASE_DIR) / "node_modules" / ".bin" / "spectral"
    assert spectral.exists(), "npm ci (make install-test) installe Spectral dans node_modules"
    document = tmp_path / "openapi.yaml"
    call_command("spectacular", file=str(document))
    assert yaml.safe_load(document.read_text())["servers"] == [
        {"url": settings.DIRECTORY_SITE_URL, "description": "L'annuaire"}
    ]
    result = subprocess.run(
        [str(spectral), "lint", "--fail-severity=warn", "--ruleset", ".spectral.yaml", str(document)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No results with a severity of 'warn' or higher found" in result.stdout


def jsonld_blocks(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("slug", SIX_ACTORS)
def test_actor_jsonld(directory, client, slug):
    (block,) = jsonld_blocks(client.get(f"/acteurs/{slug}/").content.decode())
    assert block["@context"] == "https://schema.org"
    assert block["@type"] in {"Organization", "NGO"}
    assert block["name"] == Organisation.objects.get(slug=slug).name
    assert block["url"].endswith(f"/acteurs/{slug}/")
    assert block["areaServed"] and all("INSEE:" in a["identifier"] for a in block["areaServed"])


@pytest.mark.django_db
def test_actor_jsonld_network_and_alternate_names(directory, client):
    (block,) = jsonld_blocks(client.get("/acteurs/urscop/").content.decode())
    assert block["alternateName"] == ["URSCOP", "URSCOP Ouest"]
    assert block["parentOrganization"]["name"] == "Confédération Générale des SCOP"
    assert block["memberOf"]["name"] == "Confédération Générale des SCOP"
    assert {a["name"] for a in block["areaServed"]} == {"Basse-Normandie", "Bretagne", "Pays de la Loire"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/actions/halte-garderie-itinerante/", "Service"),
        ("/actions/programmes/coorace-programme-d-actions/", "CreativeWork"),
        ("/actions/evenements/journee-d-echanges-paris-29-novembre/", "Event"),
        ("/partenaires/drtefp/", "Organization"),
    ],
)
def test_other_jsonld(directory, client, url, kind):
    (block,) = jsonld_blocks(client.get(url).content.decode())
    assert block["@type"] == kind
    assert block["name"] and block["url"].endswith(url)


@pytest.mark.django_db
def test_event_jsonld_does_not_invent_a_year(directory, client):
    (block,) = jsonld_blocks(
        client.get("/actions/evenements/journee-d-echanges-paris-29-novembre/").content.decode()
    )
    assert "startDate" not in block
    assert block["location"]["name"] == "Paris"
    assert block["about"] == {"@type": "Thing", "name": "De l'émergence des projets à la structuration du développement"}


@pytest.mark.django_db
def test_pages_have_canonical_and_opengraph(directory, client):
    html = client.get("/acteurs/uraf/?page=2").content.decode()
    assert '<link rel="canonical" href="http://testserver/acteurs/uraf/">' in html
    assert '<meta property="og:title" content="Union Régionale des Associations Familiales">' in html
    assert 'property="og:description"' in html and 'name="description"' in html


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_pages(client):
    """The addresses of the sitemap pages the index lists."""
    index = ET.fromstring(client.get("/sitemap.xml").content)
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [
        s.find("s:loc", SITEMAP_NS).text.replace("http://testserver", "")
        for s in index.findall("s:sitemap", SITEMAP_NS)
    ]


def sitemap_urls(client):
    """{address: lastmod element} over every page of the sitemap."""
    urls = {}
    for page in sitemap_pages(client):
        root = ET.fromstring(client.get(page).content)
        urls |= {
            u.find("s:loc", SITEMAP_NS).text.replace("http://testserver", ""): u.find("s:lastmod", SITEMAP_NS)
            for u in root.findall("s:url", SITEMAP_NS)
        }
    return urls


@pytest.mark.django_db
def test_sitemap_lists_every_published_page_and_no_draft(directory, client):
    from actions.models import Event, Programme

    Action.objects.filter(slug="halte-garderie-itinerante").update(status=Status.DRAFT)
    urls = sitemap_urls(client)
    for model in (Organisation, Programme, Action, Event):
        for obj in model.objects.published():
            assert obj.get_absolute_url() in urls
            assert urls[obj.get_absolute_url()] is not None, "lastmod"
    assert "/actions/halte-garderie-itinerante/" not in urls
    assert "/territoires/14/" in urls and "/territoires/region-25/" in urls
    for path in urls:
        assert client.get(path).status_code == 200, path


@pytest.mark.django_db
def test_robots_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text


@pytest.mark.django_db
def test_atom_feed_of_latest_programmes_and_actions(directory, client):
    root = ET.fromstring(client.get("/flux/").content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    assert len(titles) == 20
    assert all(e.find("a:updated", ns) is not None for e in root.findall("a:entry", ns))
    assert 'type="application/atom+xml"' in client.get("/").content.decode()


@pytest.mark.django_db
def test_data_inclusion_export(directory, client):
    """The shape of the export (its validity under the v1 schema: test_datainclusion_v1.py)."""
    prefix = "cress-basse-normandie--"
    structures = client.get("/api/v1/data-inclusion/structures/?page_size=100").json()["results"]
    assert sorted(s["id"].removeprefix(prefix) for s in structures) == SIX_ACTORS
    mutualite = next(s for s in structures if s["id"] == prefix + "mutualite-francaise-du-calvados")
    assert mutualite["adresse"] is None and mutualite["source"] == "cress-basse-normandie"
    assert "typologie" not in mutualite, "a v0 field"
    services = {
        s["id"].removeprefix(prefix): s for s in client.get("/api/v1/data-inclusion/services/?page_size=100").json()["results"]
    }
    halte = services["halte-garderie-itinerante"]
    assert halte["structure_id"] == prefix + "mutualite-francaise-du-calvados"
    assert halte["thematiques"] == ["famille--garde-denfants"]
    assert "14371" in halte["zone_eligibilite"]
    assert services["pole-petite-enfance"]["zone_eligibilite"] == ["14"]
    assert services["enquete-questionnaire-uraf"]["zone_eligibilite"] == ["14", "50", "61"]
    assert services["appui-cahier-des-charges"]["zone_eligibilite"] == ["14", "50", "61"]


@pytest.mark.django_db
def test_open_data_page(directory, client):
    page = client.get("/donnees/").content.decode()
    assert "Licence Ouverte" in page and "/api/v1/schema/" in page and "format=csv" in page
    assert "<code>telephone</code>" in page
    # The GeoJSON, its filters and its pages, as the API answers them.
    assert "format=geojson" in page and "application/geo+json" in page
    for name in ("commune", "code_postal", "bbox", "page_size", "next", "zoom", "verifiee_le", "code_insee"):
        assert f"<code>{name}</code>" in page, name
    geojson = client.get("/api/v1/acteurs/", {"format": "geojson", "code_postal": "14290", "bbox": "-2,48,2,50"})
    assert geojson.status_code == 200 and {"count", "next", "previous"} <= set(geojson.json())


@pytest.mark.django_db
def test_sitemap_lists_communes_that_have_published_actions(directory, client):
    urls = sitemap_urls(client)
    assert "/territoires/14371-deleguee/" in urls and "/territoires/14287/" in urls
    assert "/territoires/50001/" not in urls


@pytest.mark.django_db
def test_sitemap_is_an_index_of_pages_of_bounded_size(directory, client, monkeypatch):
    from cress import sitemaps

    monkeypatch.setattr(sitemaps.ActionSitemap, "limit", 10)
    pages = sitemap_pages(client)
    action_pages = [p for p in pages if "sitemap-actions.xml" in p]
    published = Action.objects.published().count()
    assert len(action_pages) == -(-published // 10)
    for page in action_pages:
        assert len(ET.fromstring(client.get(page).content).findall("s:url", SITEMAP_NS)) <= 10
    assert sitemaps.LIMIT <= 50_000


@pytest.mark.django_db
def test_open_data_exports_leave_out_demonstration_data(directory, client):
    """Demonstration pages are marked as such (and listed in the sitemap like any page);
    the feed and the data·inclusion export never carry them; the API and CSV flag them."""
    from actions import demo_data

    demo_data.generate(3, seed=7, workers=1)
    assert "Fiche de démonstration" in client.get("/acteurs/demo-acteur-0/").content.decode()
    assert any("/acteurs/demo-acteur-0/" in url for url in sitemap_urls(client))
    assert "Démo" not in client.get("/flux/").content.decode()
    demo = client.get("/api/v1/acteurs/demo-acteur-0/").json()
    assert demo["demonstration"] is True and demo["name"].startswith("Démo · ")
    structures = client.get("/api/v1/data-inclusion/structures/?page_size=100").json()["results"]
    assert structures and not any(s["id"].startswith("cress-basse-normandie--demo-") for s in structures)
    assert not any(
        "demo-" in s["structure_id"] for s in client.get("/api/v1/data-inclusion/services/?page_size=100").json()["results"]
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [{}, {"departement": "14"}, {"departement": "50", "secteur": "petite-enfance"}, {"famille": "association"},
     {"q": "familles"}, {"commune": "14118"}],
)  # fmt: skip
def test_the_api_count_is_the_list_s_whether_read_or_counted(directory, client, params):
    """A list filtered on what the listing counts hold reads its count there; others count.
    Either way, the count is the number of items the pages hold."""
    from urllib.parse import urlencode

    data = client.get("/api/v1/acteurs/", {**params, "page_size": 100}).json()
    slugs = set()
    page = f"/api/v1/acteurs/?{urlencode({**params, 'page_size': 100})}"
    while page:
        body = client.get(page).json()
        slugs |= {item["slug"] for item in body["results"]}
        page = body["next"]
    assert data["count"] == len(slugs)
