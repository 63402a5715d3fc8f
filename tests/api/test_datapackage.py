"""The CSVs are described (/donnees/datapackage.json) and valid under that description,
as ``frictionless`` (5.x) reads them: types, formats, patterns, primary and foreign keys —
at the seed's six actors and at a few thousand rows of demo data. The description is
made from the columns the files are written with; the DCAT-AP catalogue lists them."""

import json
import time
import warnings

import pytest
from frictionless import Package, system

from actions import exports as action_exports
from actions.dates import PartialDate
from actions.models import Action
from actors import exports as actor_exports
from actors.models import Organisation
from common.csv import safe_cell
from tests.seed import SIX_ACTORS

DATAPACKAGE = "/donnees/datapackage.json"
CATALOGUE = "/donnees/catalogue.jsonld"


def validate_package(client, tmp_path):
    """Downloads every CSV the package names, next to the package, and validates the
    whole (foreign keys across files included). Returns (report, rows frictionless read
    per resource)."""
    descriptor = client.get(DATAPACKAGE).json()
    for resource in descriptor["resources"]:
        response = client.get(resource["path"].removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        content = b"".join(response.streaming_content)
        (tmp_path / f"{resource['name']}.csv").write_bytes(content)
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    return report, {task.name: task.stats["rows"] for task in report.tasks}


def errors_of(report):
    return [(task.name, error.type, error.note) for task in report.tasks for error in task.errors][:20]


@pytest.mark.django_db
def test_every_csv_is_valid_under_its_table_schema(directory, client, tmp_path):
    Organisation.objects.filter(slug="uraf").update(
        siret="07756998800024", siren="077569988", latitude="49.182863", longitude="-0.370679",
        postcode="14000", website="https://www.uraf-normandie.fr/",
    )  # fmt: skip
    # A day and month without a year: the CSV's form needs no neutralising.
    Action.objects.filter(slug="halte-garderie-itinerante").update(start_year=None, start_month=12, start_day=14)
    report, rows = validate_package(client, tmp_path)
    assert report.valid, errors_of(report)
    assert rows == {"acteurs": len(SIX_ACTORS), "actions": Action.objects.published().count()}
    actors = (tmp_path / "acteurs.csv").read_text(encoding="utf-8-sig")
    assert ";07756998800024;" in actors and ";077569988;" in actors, "identifiers keep their leading zero"
    assert ";-0.370679;" in actors, "a number is written as is"
    actions = (tmp_path / "actions.csv").read_text(encoding="utf-8-sig")
    assert ";XXXX-12-14;" in actions and "'" + "--12-14" not in actions


@pytest.mark.django_db
def test_thousands_of_rows_are_valid_too(directory, client, tmp_path):
    from actions import demo_data

    start = time.monotonic()
    demo_data.generate(1000, seed=3, workers=1)
    report, rows = validate_package(client, tmp_path)
    assert report.valid, errors_of(report)
    print("frictionless:", rows, "rows,", len(errors_of(report)), "errors")  # the figures, with -s
    assert rows["acteurs"] >= 1000 and rows["actions"] >= 2000, rows
    assert time.monotonic() - start < 120


@pytest.mark.django_db
def test_a_broken_file_is_caught(directory, client, tmp_path):
    """The validation is not vacuous: an action whose actor is not in the actors' file, a
    duplicated key and a SIRET of 13 digits are refused."""
    descriptor = client.get(DATAPACKAGE).json()
    for resource in descriptor["resources"]:
        content = b"".join(client.get(resource["path"].removeprefix("http://testserver")).streaming_content)
        text = content.decode("utf-8-sig")
        if resource["name"] == "actions":
            text = text.replace(";mutualite-francaise-du-calvados\r\n", ";inconnu\r\n", 1)
        else:
            lines = text.split("\r\n")
            text = "\r\n".join([*lines[:-1], lines[1], ""])  # the first actor twice
        (tmp_path / f"{resource['name']}.csv").write_text(text, encoding="utf-8-sig")
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    with system.use_context(trusted=True):
        report = Package(str(tmp_path / "datapackage.json")).validate()
    types = {error.type for task in report.tasks for error in task.errors}
    assert {"foreign-key", "primary-key"} <= types, types


@pytest.mark.django_db
def test_the_schemas_are_the_columns_the_files_are_written_with(directory, client):
    descriptor = client.get(DATAPACKAGE).json()
    resources = {r["name"]: r for r in descriptor["resources"]}
    for name, columns in (("acteurs", actor_exports.COLUMNS), ("actions", action_exports.COLUMNS)):
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == [c.header for c in columns]
        assert [f["type"] for f in fields] == [c.type for c in columns]
        assert resources[name]["schema"]["primaryKey"] == "Identifiant"
        assert resources[name]["dialect"]["delimiter"] == ";"
        assert resources[name]["licenses"] == descriptor["licenses"]
    types = {f["name"]: f for f in resources["acteurs"]["schema"]["fields"]}
    assert types["SIRET"]["type"] == types["SIREN"]["type"] == types["Code INSEE (commune)"]["type"] == "string"
    assert types["Latitude"]["type"] == "number" and types["Vérifiée le"]["type"] == "date"
    assert resources["actions"]["schema"]["foreignKeys"] == [
        {"fields": "Identifiant de l'acteur", "reference": {"resource": "acteurs", "fields": "Identifiant"}}
    ]
    from django.conf import settings

    assert descriptor["licenses"] == [
        {"title": settings.DIRECTORY_DATA_LICENCE_NAME, "path": settings.DIRECTORY_DATA_LICENCE_URL}
    ]


@pytest.mark.parametrize(
    ("value", "type", "expected"),
    [("-0.370679", "number", "-0.370679"), ("49.18", "number", "49.18"), ("2026-12-07", "date", "2026-12-07"),
     ("-1+cmd|' /C calc'!A0", "number", "'-1+cmd|' /C calc'!A0"), ("=1+1", "date", "'=1+1"),
     ("-0.370679", "string", "'-0.370679"), ("=HYPERLINK(\"x\")", "string", "'=HYPERLINK(\"x\")")],
)  # fmt: skip
def test_typed_cells_are_written_as_values_free_text_is_neutralised(value, type, expected):
    """One rule: a cell that is a value of its column's type is that value; any other
    cell starting with a formula trigger is neutralised, whatever its column."""
    assert safe_cell(value, type) == expected


def test_a_year_less_date_is_edtf_in_the_csv():
    assert PartialDate(None, 12, 14).edtf() == "XXXX-12-14" and PartialDate(None, 12, 14).iso() == "--12-14"
    assert PartialDate(2006, 1, 17).edtf() == "2006-01-17" and PartialDate(2006, None, None).edtf() == "2006"


@pytest.mark.django_db
def test_the_dcat_catalogue_lists_every_download(directory, client):
    response = client.get(CATALOGUE)
    assert response["Content-Type"].startswith("application/ld+json")
    catalogue = response.json()
    assert catalogue["@type"] == "dcat:Catalog"
    for key in ("dct:title", "dct:description", "dct:publisher", "dct:license", "dcat:dataset"):
        assert catalogue[key], key
    downloads = []
    for dataset in catalogue["dcat:dataset"]:
        assert dataset["@type"] == "dcat:Dataset"
        for key in ("dct:title", "dct:description", "dct:identifier", "dct:publisher", "dcat:distribution"):
            assert dataset[key], (dataset["@id"], key)
        for distribution in dataset["dcat:distribution"]:
            assert distribution["@type"] == "dcat:Distribution" and distribution["dcat:accessURL"]["@id"]
            downloads.append(distribution["dcat:downloadURL"]["@id"])
    assert len(downloads) == 7
    for url in downloads:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


@pytest.mark.django_db
def test_the_dcat_catalogue_reads_as_rdf(directory, client):
    """Read as RDF (rdflib's JSON-LD parser, the context inline: nothing fetched), every
    statement is there: a key the context did not map would be dropped silently."""
    import rdflib
    from django.conf import settings
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

    with warnings.catch_warnings():  # rdflib 7.6's JSON-LD parser uses its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        graph = rdflib.Graph().parse(data=client.get(CATALOGUE).content, format="json-ld")
    catalogues = list(graph.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogues) == 1
    catalogue = catalogues[0]
    assert str(graph.value(catalogue, DCTERMS.license)) == settings.DIRECTORY_DATA_LICENCE_URL
    assert graph.value(graph.value(catalogue, DCTERMS.publisher), FOAF.name) is not None
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert datasets == set(graph.subjects(RDF.type, DCAT.Dataset)) and len(datasets) == 3
    distributions = set(graph.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == 7
    for distribution in distributions:
        assert graph.value(distribution, DCAT.accessURL) and graph.value(distribution, DCAT.mediaType)
        assert str(graph.value(distribution, DCTERMS.license)) == settings.DIRECTORY_DATA_LICENCE_URL
    for dataset in datasets:
        for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.identifier, DCTERMS.publisher,
                          DCTERMS.modified, DCAT.distribution, DCAT.landingPage):  # fmt: skip
            assert graph.value(dataset, predicate) is not None, (dataset, predicate)
    csv = {str(d) for d in distributions if str(graph.value(d, DCAT.mediaType)).endswith("text/csv")}
    assert csv and all(
        str(graph.value(rdflib.URIRef(d), DCTERMS.conformsTo)).endswith("/donnees/datapackage.json") for d in csv
    ), "the CSVs point at their description"


@pytest.mark.django_db
def test_the_open_data_page_links_the_descriptions(directory, client):
    page = client.get("/donnees/").content.decode()
    assert 'href="http://testserver/donnees/datapackage.json"' in page
    assert 'href="http://testserver/donnees/catalogue.jsonld"' in page
