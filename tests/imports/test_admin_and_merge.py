"""The admin's import in two steps, exports of a filtered list, the template, the list of
likely duplicates, and merges (administrators only) with every relation moved and the
old address redirected."""

import io

import pytest
import tablib
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from actions.models import KeyFigure, Partnership, Programme, Quote, Role
from actors.models import Organisation, Status
from imports.merge import merge
from imports.models import DuplicatePair, ImportRecord
from territories.models import Territory
from tests.cress.test_admin import organisation_form
from tests.factories import OrganisationFactory, ProgrammeFactory

CSV = "nom;commune;secteurs\nCrèche des Lilas;14118;Petite enfance\n".encode()


def upload(client, content=CSV, name="adherents.csv", **extra):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("admin:imports_importrecord_add"), {"file": file, **extra})


@pytest.fixture
def administrator_client(staff_groups):
    user = User.objects.create_user("admin-cress", password="x", is_staff=True)
    user.groups.add(staff_groups[1])
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_an_editor_simulates_then_imports_a_file(directory, editor_client):
    page = upload(editor_client)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Simulation : voici ce que l'import ferait" in html
    assert "Crèche des Lilas" in html and "création" in html
    assert not Organisation.objects.filter(name="Crèche des Lilas").exists()
    record = ImportRecord.objects.get()
    assert record.state == ImportRecord.State.SIMULATED

    done = editor_client.post(reverse("admin:imports_importrecord_confirm", args=[record.pk]), follow=True)
    assert done.status_code == 200
    created = Organisation.objects.get(name="Crèche des Lilas")
    assert created.status == Status.DRAFT
    record.refresh_from_db()
    assert (record.state, record.created) == (ImportRecord.State.IMPORTED, 1)
    assert created.history.latest().history_user.username == "editrice"
    # a record imports once
    again = editor_client.post(reverse("admin:imports_importrecord_confirm", args=[record.pk]))
    assert again.status_code == 404


@pytest.mark.django_db
def test_a_file_with_errors_shows_line_and_column_and_offers_no_import(directory, editor_client):
    page = upload(editor_client, b"nom;commune;secteurs\nJardin;Caen;Jardinage\n")
    html = page.content.decode()
    assert "Le fichier contient des erreurs" in html
    assert 'data-line="2"' in html and "<td>secteurs</td>" in html
    assert reverse("admin:imports_importrecord_confirm", args=[ImportRecord.objects.get().pk]) not in html
    assert ImportRecord.objects.get().state == ImportRecord.State.REFUSED


@pytest.mark.django_db
def test_a_wrong_file_type_is_refused_by_the_form(directory, editor_client):
    page = upload(editor_client, b"%PDF-1.4", name="liste.pdf")
    assert page.status_code == 200 and "Envoyez un fichier CSV, XLSX ou ODS." in page.content.decode()
    assert not ImportRecord.objects.exists()


@pytest.mark.django_db
def test_the_export_follows_the_changelist_filters(directory, editor_client):
    response = editor_client.get(
        reverse("admin:imports_export"), {"type": "organisations", "format": "csv", "kind__exact": "partenaire"}
    )
    assert response.status_code == 200
    rows = list(tablib.Dataset().load(response.content.decode("utf-8-sig"), format="csv").dict)
    partners = Organisation.objects.filter(kind="partenaire", is_demo=False)
    assert {r["adresse (slug)"] for r in rows} == set(partners.values_list("slug", flat=True))
    changelist = editor_client.get(reverse("admin:actors_organisation_changelist")).content.decode()
    assert "Exporter la liste (XLSX)" in changelist and "Importer un fichier" in changelist


@pytest.mark.django_db
def test_the_template_explains_every_column_and_lists_allowed_values(directory, editor_client):
    response = editor_client.get(reverse("admin:imports_template"))
    book = tablib.Databook()
    book.load(response.content, "xlsx")
    sheets = {sheet.title: sheet for sheet in book.sheets()}
    assert list(sheets) == ["Organisations", "Programmes", "Actions", "Colonnes", "Valeurs possibles"]
    assert len(sheets["Organisations"]) == 1  # one example row
    explained = {(row[0], row[1]) for row in sheets["Colonnes"]}
    assert all(("Organisations", header) in explained for header in sheets["Organisations"].headers)
    values = {row[1] for row in sheets["Valeurs possibles"]}
    assert {"Petite enfance", "Association"} <= values
    # the example organisation is a valid line
    from imports.service import run_import

    single = tablib.Databook()
    single.add_sheet(sheets["Organisations"])
    report = run_import("modele.xlsx", single.export("xlsx"), dry_run=True)
    assert not report.has_errors, report.as_text()


@pytest.mark.django_db
def test_saving_a_likely_duplicate_warns_and_a_same_siret_is_refused(directory, admin_client):
    caen = Territory.objects.get(kind="commune", code="14118")
    OrganisationFactory(name="Association des Jardins Familiaux de Caen", commune=caen, siret="73282932000074")
    add = reverse("admin:actors_organisation_add")
    data = organisation_form(name="Association des Jardins Familiaux Caen", slug="ajf-caen", commune=caen.pk)
    response = admin_client.post(add, data, follow=True)
    assert response.status_code == 200
    warnings = [str(m) for m in response.context["messages"]]
    assert any("nom très proche, même commune" in m for m in warnings), warnings
    assert DuplicatePair.objects.filter(reason="name_commune").exists()
    refused = admin_client.post(add, organisation_form(slug="autre", siret="73282932000074"))
    assert refused.status_code == 200
    assert "Une autre organisation a déjà ce SIRET." in refused.content.decode()


@pytest.mark.django_db
def test_a_merge_moves_every_relation_and_redirects_the_old_address(directory, administrator_client):
    caen = Territory.objects.get(kind="commune", code="14118")
    keep = Organisation.objects.get(slug="coorace-basse-normandie")
    other = OrganisationFactory(name="COORACE Basse Normandie", slug="coorace-bn", commune=caen,
                                phone="02 31 00 00 00", status=Status.PUBLISHED)  # fmt: skip
    other.sectors.add(*keep.sectors.all()[:1])
    programme = ProgrammeFactory(actor=other, title="Programme du doublon")
    partner_of = Programme.objects.exclude(actor=other).first()
    Partnership.objects.create(organisation=other, programme=partner_of, role=Role.PARTNER)
    quote = Quote.objects.create(actor=other, order=1, text="Une citation", person_name="Une personne")
    figure = KeyFigure.objects.create(actor=other, order=1, value=3, label="salariés")
    counts = {
        "programmes": keep.programmes.count() + 1,
        "quotes": Quote.objects.filter(actor=keep).count() + 1,
        "figures": KeyFigure.objects.filter(actor=keep).count() + 1,
    }
    first, second = sorted((keep.pk, other.pk))
    pair, _ = DuplicatePair.objects.get_or_create(
        first_id=first, second_id=second, defaults={"reason": "name_departement", "score": 0.9}
    )

    page = reverse("admin:imports_duplicatepair_merge", args=[pair.pk])
    compared = administrator_client.get(page)
    assert compared.status_code == 200 and "Prévisualiser la fusion" in compared.content.decode()
    # the rule's defaults: the preselected values (compare, preview, then confirm)
    preview = administrator_client.post(page, {"keep": keep.pk, "preview": "1"})
    assert "Aperçu de la fusion" in preview.content.decode()
    done = administrator_client.post(page, {"confirm": "1", "token": preview.context["token"]})
    assert done.status_code == 302

    other.refresh_from_db()
    keep.refresh_from_db()
    assert (other.merged_into, other.status) == (keep, Status.ARCHIVED)
    programme.refresh_from_db()
    assert programme.actor == keep and programme.actions.exclude(actor=keep).count() == 0
    assert keep.programmes.count() == counts["programmes"]
    assert Partnership.objects.filter(organisation=keep, programme=partner_of).exists()
    quote.refresh_from_db()
    figure.refresh_from_db()
    assert quote.actor == keep and figure.actor == keep
    assert Quote.objects.filter(actor=keep).count() == counts["quotes"]
    assert KeyFigure.objects.filter(actor=keep).count() == counts["figures"]
    assert keep.phone == "02 31 00 00 00"  # empty on the kept one: taken, not lost
    assert not DuplicatePair.objects.filter(pk=pair.pk).exists()
    assert "Fusion" in keep.history.latest().history_change_reason
    assert "Fusionnée dans" in other.history.latest().history_change_reason

    response = Client().get("/acteurs/coorace-bn/")
    assert response.status_code == 301 and response["Location"] == keep.get_absolute_url()


@pytest.mark.django_db
def test_an_editor_sees_duplicates_but_cannot_merge(directory, editor_client):
    a = OrganisationFactory(name="Les Jardins de Bayeux", siren="732829320")
    b = OrganisationFactory(name="Jardins de Bayeux (antenne)", siren="732829320")
    pair = DuplicatePair.objects.get()
    assert {pair.first, pair.second} == {a, b} and pair.reason == "siren"
    listing = editor_client.get(reverse("admin:imports_duplicatepair_changelist")).content.decode()
    assert "Les Jardins de Bayeux" in listing and "100 %" in listing
    refused = editor_client.post(reverse("admin:imports_duplicatepair_merge", args=[pair.pk]), {"keep": a.pk})
    assert refused.status_code == 403
    b.refresh_from_db()
    assert b.merged_into is None


@pytest.mark.django_db
def test_merging_an_organisation_into_itself_or_twice_is_refused(directory):
    a = OrganisationFactory(name="A")
    b = OrganisationFactory(name="B")
    with pytest.raises(ValueError):
        merge(a, a)
    merge(a, b)
    b.refresh_from_db()
    with pytest.raises(ValueError):
        merge(a, b)


@pytest.mark.django_db
def test_find_duplicates_fills_the_list_for_what_was_there_before(directory):
    a = OrganisationFactory(name="Les Jardins de Bayeux", rna="W141000002")
    b = OrganisationFactory(name="Jardins de Bayeux", rna="W141000002")
    DuplicatePair.objects.all().delete()  # as if saved before the list existed
    assert not DuplicatePair.objects.exists()
    out = io.StringIO()
    from django.core.management import call_command

    call_command("find_duplicates", stdout=out)
    pair = DuplicatePair.objects.get()
    assert {pair.first, pair.second} == {a, b} and pair.get_reason_display() == "même numéro RNA"
    assert "1 nouvelle(s) paire(s)" in out.getvalue()
