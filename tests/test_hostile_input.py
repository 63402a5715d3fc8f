"""Hostile text is inert everywhere: script, event-handler, ``javascript:`` and ``data:``
payloads in every text field of every model never come out as markup or links, on the
public pages, the admin lists, the JSON-LD, the feed, the API or the CSV; CSV cells that
a spreadsheet would run are neutralised; random and hostile query strings, headers and
path segments never give a 5xx (hypothesis, on both databases)."""

import csv
import io
import json
import re

import pytest
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action, Event, KeyFigure, Partnership, Programme, Quote
from actors.models import Organisation, Public, Sector
from common.csv import safe_cell

PAYLOADS = [
    '<script>alert("x")</script>',
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(document.cookie)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "</script><script>alert(2)</script>",
    '=HYPERLINK("http://evil.example")',
]
DANGEROUS = [
    re.compile(r"<script>alert", re.I),
    re.compile(r"<img src=x onerror", re.I),
    re.compile(r"href=\"(javascript|data):", re.I),
    re.compile(r"</script><script>", re.I),
]


def poison(obj, payload):
    """Every editable text field of ``obj`` set to the payload (within its length)."""
    for field in obj._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)) and field.editable and not field.choices:
            if field.name in ("slug", "siren", "siret", "rna", "website", "code", "key", "postcodes"):
                continue
            setattr(obj, field.name, payload[: field.max_length] if field.max_length else payload)
    obj.save()


@pytest.fixture
def poisoned(directory):
    payload = " ".join(PAYLOADS)
    for model, lookup in (
        (Organisation, {"slug": "uraf"}), (Organisation, {"slug": "caisse-d-allocations-familiales"}),
        (Programme, {"slug": "uraf-enquete-perte-d-autonomie"}), (Action, {"slug": "enquete-questionnaire-uraf"}),
        (Event, {"slug": "journee-d-echanges-paris-29-novembre"}), (Sector, {"slug": "famille"}),
        (Public, {"slug": "familles"}),
    ):  # fmt: skip
        poison(model.objects.get(**lookup), payload)
    for model in (Partnership, Quote, KeyFigure):
        for obj in model.objects.all()[:3]:
            poison(obj, payload)
    return payload


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8")


@pytest.mark.django_db
def test_hostile_text_is_inert_on_every_output(poisoned, client, editor_client):
    urls = [
        "/", "/acteurs/", "/acteurs/uraf/", "/acteurs/mutualite-francaise-du-calvados/", "/actions/",
        "/actions/enquete-questionnaire-uraf/", "/actions/programmes/uraf-enquete-perte-d-autonomie/",
        "/actions/evenements/journee-d-echanges-paris-29-novembre/", "/partenaires/caisse-d-allocations-familiales/",
        "/secteurs/famille/", "/territoires/region-25/", "/recherche/?q=alert", "/flux/",
        "/integrer/?secteur=famille&public=familles", "/integrer/liste/?nombre=50", "/integrer/carte/?nombre=50",
    ]  # fmt: skip
    for url in urls:
        text = body(client.get(url))
        for pattern in DANGEROUS:
            assert not pattern.search(text), (url, pattern.pattern)
    # JSON answers carry the text as data: a JSON type that no browser sniffs into HTML.
    for url in ("/api/v1/acteurs/", "/api/v1/actions/", "/api/v1/programmes/", "/api/v1/data-inclusion/structures/?page_size=100",
                "/api/v1/data-inclusion/services/?page_size=100"):  # fmt: skip
        response = client.get(url)
        assert (
            response["Content-Type"].startswith("application/json")
            and response["X-Content-Type-Options"] == "nosniff"
        )
        assert poisoned.split()[0] in repr(response.json()), url
    for url in ("/admin/actors/organisation/", "/admin/actions/programme/", "/admin/actions/action/",
                "/admin/actions/quote/", "/admin/actions/keyfigure/", "/admin/actions/partnership/"):  # fmt: skip
        text = body(editor_client.get(url))
        assert not any(p.search(text) for p in DANGEROUS), url


@pytest.mark.django_db
def test_json_ld_keeps_the_payload_as_data(poisoned, client):
    page = body(client.get("/acteurs/uraf/"))
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in block, "no markup can close the data block"
    assert '<script>alert("x")</script>' in json.loads(block)["name"]


@pytest.mark.django_db
def test_csv_cells_are_neutralised_for_spreadsheets(poisoned, client):
    content = body(client.get("/acteurs/", {"format": "csv"}))[1:]
    rows = list(csv.DictReader(io.StringIO(content), delimiter=";"))
    uraf = next(r for r in rows if r["Fiche"].endswith("/acteurs/uraf/"))
    assert "=HYPERLINK" in uraf["Présentation"]
    from actors.exports import COLUMNS

    free_text = {column.header for column in COLUMNS if column.type == "string"}
    for header, value in uraf.items():
        # Free text never starts a formula; typed cells (numbers, dates) are plain values.
        assert header not in free_text or not value.startswith(("=", "+", "-", "@", "\t", "\r")), header


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), ("+33 2 31", "'+33 2 31"), ("-5", "'-5"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Mutualité", "Mutualité"), ("", ""), (None, ""), (2008, "2008")],
)  # fmt: skip
def test_safe_cell_follows_owasp(value, expected):
    assert safe_cell(value) == expected


# --- bad input never gives a 5xx ---------------------------------------------------------

ADDRESSES = ["/", "/acteurs/", "/actions/", "/recherche/", "/territoires/", "/partenaires/", "/api/v1/acteurs/",
             "/api/v1/actions/", "/api/v1/programmes/", "/api/v1/territoires/", "/sitemap.xml", "/flux/",
             "/integrer/", "/integrer/liste/", "/integrer/carte/"]  # fmt: skip
PARAMETERS = ["q", "departement", "commune", "secteur", "public", "famille", "acteur", "annee", "tri", "page",
              "page_size", "format", "p", "nombre", "vue"]  # fmt: skip
HOSTILE = st.sampled_from([
    "'", '"', "\x00", "le", "de la", "%", "%%", "\\", "'; DROP TABLE actors_organisation; --", "<script>", "🙂" * 50,
    "9" * 400, "-1", "0", "1e999", "NaN", "../../etc/passwd", "a" * 3000, "\u202e", "\ud7ff", "nom,recent,-nom",
])  # fmt: skip
VALUES = st.one_of(HOSTILE, st.text(max_size=60))


@pytest.mark.django_db
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    address=st.sampled_from(ADDRESSES), query=st.dictionaries(st.sampled_from(PARAMETERS), VALUES, max_size=4)
)
def test_random_and_hostile_query_strings_never_give_a_5xx(directory, client, address, query):
    response = client.get(address, query)
    assert response.status_code < 500, (address, query, response.status_code)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(segment=VALUES, prefix=st.sampled_from(["/acteurs/", "/actions/", "/actions/programmes/", "/territoires/",
                                                "/partenaires/", "/secteurs/", "/api/v1/acteurs/", "/api/v1/actions/"]))  # fmt: skip
def test_random_path_segments_never_give_a_5xx(directory, client, segment, prefix):
    from urllib.parse import quote

    response = client.get(prefix + quote(segment.replace("\x00", ""), safe="") + "/")
    assert response.status_code < 500, (prefix, segment, response.status_code)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headers=st.dictionaries(
    st.sampled_from(["accept", "accept-language", "user-agent", "referer", "if-none-match", "x-forwarded-for", "cookie"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200), max_size=4,
))  # fmt: skip
def test_random_headers_never_give_a_5xx(directory, client, headers):
    for address in ("/acteurs/", "/api/v1/acteurs/", "/integrer/liste/"):  # the embed reads the Referer
        assert client.get(address, headers=headers).status_code < 500, (address, headers)
