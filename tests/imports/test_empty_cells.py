"""An empty cell keeps the value staff entered; erasing is explicit, « (effacer) »
(imports/resources.py ``CLEAR``). A template-shaped row for URAF once would have wiped 14
of its fields."""

import csv
import io

import pytest

from actors.models import Organisation
from imports.resources import CLEAR, OrganisationResource
from imports.service import run_import


def template_file(values):
    """A file with every column of the organisations' template, all empty but ``values``
    ({column: text})."""
    header = [f.column_name for f in OrganisationResource().get_import_fields() if not f.readonly]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerow([values.get(column, "") for column in header])
    return out.getvalue().encode("utf-8")


def snapshot(organisation):
    organisation.refresh_from_db()
    return {
        "fields": {f.attname: getattr(organisation, f.attname) for f in Organisation._meta.concrete_fields
                   if f.editable and f.attname not in ("updated_at",)},
        "territories": sorted(organisation.territories.values_list("pk", flat=True)),
        "sectors": sorted(organisation.sectors.values_list("pk", flat=True)),
        "publics": sorted(organisation.publics.values_list("pk", flat=True)),
    }  # fmt: skip


@pytest.fixture
def uraf(directory):
    """URAF with what staff entered since the load."""
    Organisation.objects.filter(slug="uraf").update(website="https://uraf.example.org", phone="02 31 00 00 00",
                                                    summary="Union des associations familiales.")  # fmt: skip
    return Organisation.objects.get(slug="uraf")


@pytest.mark.django_db
def test_a_template_shaped_row_with_empty_cells_erases_nothing(uraf):
    before = snapshot(uraf)
    assert before["fields"]["website"] and before["territories"] and before["sectors"], "there is something to lose"
    content = template_file({"nom": uraf.name, "adresse (slug)": "uraf", "sigle": "URAF-BN"})
    report = run_import("uraf.csv", content, dry_run=True)
    (line,) = report.sheets[0].lines
    assert [change[0] for change in line.changes] == ["sigle"], "the dry run shows the one real change"
    report = run_import("uraf.csv", content, dry_run=False)
    assert report.written and not report.has_errors
    after = snapshot(uraf)
    assert after["fields"].pop("acronym") == "URAF-BN"
    before["fields"].pop("acronym")
    assert after == before


@pytest.mark.django_db
def test_erasing_is_explicit(uraf):
    content = template_file({"adresse (slug)": "uraf", "site web": CLEAR, "secteurs": " (Effacer) "})
    report = run_import("uraf.csv", content, dry_run=True)
    (line,) = report.sheets[0].lines
    assert {change[0] for change in line.changes} == {"site web", "secteurs"}
    run_import("uraf.csv", content, dry_run=False)
    uraf.refresh_from_db()
    assert uraf.website == "" and not uraf.sectors.exists()
    assert uraf.name == "Union Régionale des Associations Familiales", "an empty cell still keeps"


@pytest.mark.django_db
def test_a_new_organisation_s_empty_cells_are_simply_empty(directory):
    content = template_file({"nom": "Épicerie solidaire des Lilas", "site web": CLEAR})
    report = run_import("nouveau.csv", content, dry_run=False)
    assert report.written and not report.has_errors
    created = Organisation.objects.get(name="Épicerie solidaire des Lilas")
    assert created.website == "" and created.summary == ""


@pytest.mark.django_db
def test_the_dry_run_shows_every_erasure_first_in_its_own_section(uraf, editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    content = template_file({"adresse (slug)": "uraf", "site web": CLEAR, "téléphone": CLEAR, "sigle": "URAF-BN"})
    report = run_import("uraf.csv", content, dry_run=True)
    assert [(column, before) for _, column, before in report.sheets[0].clearings()] == [
        ("site web", "https://uraf.example.org"), ("téléphone", "02 31 00 00 00")
    ]  # fmt: skip
    response = editor_client.post(
        reverse("admin:imports_importrecord_add"),
        {"file": SimpleUploadedFile("uraf.csv", content, content_type="text/csv")},
        follow=True,
    )
    page = response.content.decode()
    assert "2 valeurs à effacer (cellules « (effacer) »)" in page
    assert page.index("data-clearings") < page.index("Ce qui serait enregistré"), "erasures come first"
