"""A digest e-mail as a mail client shows it: its HTML part is readable, accessible (axe)
and carries its links; a screenshot goes to artifacts/screenshots/digest.png."""

import pytest
from django.utils import timezone

from follows import digests
from follows.models import SavedSearch

from .conftest import SCREENSHOTS, run_axe


@pytest.fixture
def digest(directory):
    """The digest's parts, built before the browser starts: the database is read outside
    Playwright's event loop (inside it, Django would open a second connection)."""
    search = SavedSearch.objects.create(
        email="conseillere@example.org", query="departement=14&secteur=insertion-par-l-activite-economique",
        created_at=timezone.now(), confirmed_at=timezone.now(),
    )  # fmt: skip
    found = [
        digests.Change("Atelier d'insertion du Pays d'Auge", "https://annuaire.example.org/acteurs/atelier/",
                       ["nouvelle dans l'annuaire"]),
        digests.Change("Chantier d'insertion de Lisieux", "https://annuaire.example.org/acteurs/chantier/",
                       ["nouvelle adresse", "nouveau contact"]),
        digests.Change("Régie de quartier de Caen", "", ["archivée (elle n'apparaît plus dans l'annuaire)"]),
    ]  # fmt: skip
    return digests.message(search, found)


@pytest.mark.django_db(transaction=True)
def test_a_digest_reads_well_as_html(digest, audit_page, axe_source):
    subject, text, html, headers = digest
    page = audit_page
    page.set_viewport_size({"width": 640, "height": 480})
    page.set_content(html)
    assert page.locator("h1").inner_text() == "Du nouveau dans votre recherche"
    assert page.get_by_role("link", name="Chantier d'insertion de Lisieux").get_attribute("href").endswith("/chantier/")
    assert page.get_by_role("link", name="Ne plus rien recevoir et effacer mon adresse").get_attribute(
        "href") == headers["List-Unsubscribe"].strip("<>")  # fmt: skip
    assert run_axe(page, axe_source)["violations"] == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "digest.png"), full_page=True)
