"""An editor updates organisations from a partial spreadsheet: the file names a few
columns, most cells empty. The simulation shows the one real change and no erasure; the
import keeps every field the file left empty (imports/resources.py: an empty cell keeps
the value; « (effacer) » erases)."""

from playwright.sync_api import expect

from actors.models import Organisation

from .test_journeys import log_in_as_editor

# The template's columns, as staff download them: a partial update leaves most empty.
COLUMNS = ["adresse (slug)", "nom", "sigle", "présentation courte", "site web", "adresse", "code postal", "commune",
           "téléphone", "e-mail", "territoires couverts", "secteurs", "publics", "source", "vérifiée le"]  # fmt: skip


def kept(organisation):
    organisation.refresh_from_db()
    return {
        "summary": organisation.summary, "website": organisation.website, "email": organisation.email,
        "commune": organisation.commune_id, "source": organisation.source, "verified_at": organisation.verified_at,
        "territories": sorted(organisation.territories.values_list("pk", flat=True)),
        "sectors": sorted(organisation.sectors.values_list("pk", flat=True)),
    }  # fmt: skip


def test_an_editor_imports_a_partial_update_and_keeps_every_untouched_field(site, page, tmp_path):
    Organisation.objects.filter(slug="uraf").update(website="https://uraf.example.org", email="contact@uraf.example.org",
                                                    summary="Union des associations familiales.")  # fmt: skip
    uraf = Organisation.objects.get(slug="uraf")
    before = kept(uraf)
    assert before["website"] and before["territories"] and before["sectors"], "there is something to lose"

    row = {"adresse (slug)": "uraf", "nom": uraf.name, "téléphone": "02 31 54 54 54"}
    update = tmp_path / "mise-a-jour-telephones.csv"
    update.write_text(";".join(COLUMNS) + "\n" + ";".join(row.get(c, "") for c in COLUMNS) + "\n", encoding="utf-8")

    log_in_as_editor(page, site)
    page.goto(site + "/admin/actors/organisation/")
    page.get_by_role("link", name="Importer un fichier").click()
    page.locator("#id_file").set_input_files(str(update))
    page.get_by_role("button", name="Simuler l'import").click()
    expect(page.locator("h2#report-title")).to_contain_text("Simulation")
    expect(page.locator("[data-clearings]")).to_have_count(0)
    changes = page.locator("tr[data-line='2'] .import-changes li")
    expect(changes).to_have_count(1)
    expect(changes).to_contain_text("téléphone")

    page.get_by_role("button", name="Importer « mise-a-jour-telephones.csv »").click()
    expect(page.locator(".messagelist")).to_contain_text("Import enregistré")
    assert kept(uraf) == before, "every field the file left empty is kept"
    assert uraf.phone == "02 31 54 54 54"

    page.goto(site + f"/admin/actors/organisation/{uraf.pk}/change/")
    expect(page.locator("#id_website")).to_have_value("https://uraf.example.org")
    expect(page.locator("#id_phone")).to_have_value("02 31 54 54 54")
