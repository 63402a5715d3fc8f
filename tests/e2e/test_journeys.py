"""A visitor, a keyboard user, a phone user and a CRESS editor, in a real browser."""

import re
import secrets

from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from common.staff import EDITORS, sync_staff_groups
from suggestions.forms import MINIMUM_SECONDS
from tests.clock import signing_clock

from .conftest import SCREENSHOTS

NO_OVERFLOW_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def visitor_journey(page, site, check_overflow=False):
    def settled():
        if check_overflow:
            assert page.evaluate(NO_OVERFLOW_JS), f"débordement horizontal sur {page.url}"

    page.goto(site + "/")
    settled()
    page.get_by_role("link", name="Calvados (14)").first.click()
    expect(page.locator("h1")).to_contain_text("Calvados")
    settled()
    page.get_by_role("link", name="Filtrer les acteurs de ce département").click()
    expect(page).to_have_url(re.compile(r"/acteurs/\?departement=14$"))
    if check_overflow:  # a phone: the filters are folded behind « Filtres (1) »
        expect(page.get_by_label("Secteur", exact=True)).to_be_hidden()
        page.locator(".filters-panel > summary", has_text="Filtres (1)").click()
    page.get_by_label("Secteur", exact=True).select_option("petite-enfance")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"departement=14.*secteur=petite-enfance"))
    expect(page.locator("#nombre-resultats")).to_contain_text("1 acteur")
    settled()
    list_url = page.url
    page.get_by_role("link", name="Mutualité Française du Calvados").click()
    expect(page.locator("h1")).to_have_text("Mutualité Française du Calvados")
    settled()
    page.get_by_role("link", name="Création d'une halte-garderie itinérante").click()
    expect(page.locator("h1")).to_have_text("Création d'une halte-garderie itinérante")
    expect(page.locator("main")).to_contain_text(
        "Livarot (commune déléguée, aujourd'hui Livarot-Pays-d'Auge)"
    )
    settled()
    page.go_back()
    page.go_back()
    assert page.url == list_url
    expect(page.get_by_label("Département", exact=True)).to_have_value("14")
    expect(page.get_by_label("Secteur", exact=True)).to_have_value("petite-enfance")


def test_visitor_journey(site, page):
    violations = csp_violations(page)
    visitor_journey(page, site)
    assert violations == []


def test_visitor_journey_on_a_phone(site, page):
    page.set_viewport_size({"width": 375, "height": 812})
    visitor_journey(page, site, check_overflow=True)
    for url in (
        "/actions/",
        "/territoires/",
        "/partenaires/caisse-d-allocations-familiales/",
        "/donnees/",
        "/recherche/?q=scop",
    ):
        page.goto(site + url)
        assert page.evaluate(NO_OVERFLOW_JS), url


def test_search_from_the_header_with_and_without_accents(site, page):
    for query in ("Mutualité", "mutualite", "MUTUALITE"):
        page.goto(site + "/acteurs/")
        page.get_by_label("Rechercher dans l'annuaire").fill(query)
        page.get_by_role("button", name="Rechercher", exact=True).click()
        expect(page.locator("main")).to_contain_text("Mutualité Française du Calvados")
        # The search page has one search box, its own, holding the query.
        expect(page.get_by_role("searchbox")).to_have_count(1)
        expect(page.get_by_role("searchbox")).to_have_value(query)
    # A commune's name (here a historic one) leads to what works there…
    page.get_by_role("searchbox").fill("saint pierre sur dives")
    page.keyboard.press("Enter")
    expect(page.locator("[data-near-reading]")).to_contain_text("la commune Saint-Pierre-en-Auge")
    # …and the other reading, one click away, searches the words.
    page.get_by_role("link", name="Chercher plutôt « saint pierre sur dives » comme mot-clé").click()
    expect(page.locator("main")).to_contain_text("Création d'une halte-garderie itinérante")


def tab_to(page, expression, expected, limit):
    """Presses Tab until ``expression`` (JavaScript) gives ``expected``; fails otherwise."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {expression}") == expected:
            return
    raise AssertionError(f"{expected!r} jamais atteint au clavier en {limit} tabulations")


def test_keyboard_only(site, page):
    from tests.factories import OrganisationFactory

    OrganisationFactory.create_batch(25, territories=[], sectors=[])
    page.goto(site + "/acteurs/")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Aller au contenu principal")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "contenu"
    # Tab into the filter form, choose a family with the arrow key, submit with Enter.
    tab_to(page, "document.activeElement.id", "id_famille", 20)
    page.keyboard.press("ArrowDown")  # « Association »
    tab_to(page, "document.activeElement.textContent.trim()", "Filtrer", 5)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"famille=association"))
    expect(page.locator("#nombre-resultats")).to_contain_text("28 acteurs")
    # Pagination: reach « Page suivante » with Tab and follow it with Enter.
    tab_to(page, "document.activeElement.textContent.trim()", "Page suivante", 120)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"famille=association.*page=2|page=2.*famille=association"))
    expect(page.locator("#nombre-resultats")).to_contain_text("page 2 sur 2")


def test_screenshots(site, page):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (375, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in (
            ("accueil", "/"),
            ("liste", "/acteurs/?departement=14"),
            ("fiche", "/acteurs/coorace-basse-normandie/"),
        ):
            page.goto(site + url)
            path = SCREENSHOTS / f"{name}-{width}.png"
            page.screenshot(path=str(path), full_page=True)
            assert path.stat().st_size > 10_000


def select2(page, field_id, text, option):
    """Picks ``option`` in the admin's autocomplete for ``field_id`` by typing ``text``."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=option).first.click()


def csp_violations(page):
    """Collects what the browser refuses under the Content-Security-Policy."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def test_editor_publishes_an_actor_that_appears_on_the_public_list(site, page):
    violations = csp_violations(page)
    sync_staff_groups()
    password = secrets.token_urlsafe(16)
    editor = User.objects.create_user("editrice", password=password, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))

    page.goto(site + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("editrice")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("#site-name")).to_contain_text("administration")

    # The actor, in a commune of the Calvados, in the « Petite enfance » sector.
    page.goto(site + "/admin/actors/organisation/add/")
    page.locator("#id_name").press_sequentially("Crèche coopérative d'Orbec")
    expect(page.locator("#id_slug")).to_have_value("creche-cooperative-dorbec")
    page.locator("#id_family").select_option("cooperative")
    page.locator("#id_summary").fill("Une crèche gérée en coopérative.")
    select2(page, "id_territories", "Orbec", "Orbec (commune 14478)")
    select2(page, "id_sectors", "enfance", "Petite enfance")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté")

    # Its programme, with an action in a commune found through autocomplete.
    page.goto(site + "/admin/actions/programme/add/")
    select2(page, "id_actor", "Crèche", "Crèche coopérative d'Orbec")
    page.locator("#id_title").press_sequentially("Accueil des tout-petits")
    page.locator("#id_period_start").fill("Depuis janvier 2024")  # one French field for the date
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté")

    page.goto(site + "/admin/actions/action/add/")
    select2(page, "id_programme", "tout-petits", "Accueil des tout-petits")
    page.locator("#id_title").press_sequentially("Halte-garderie à Livarot")
    select2(page, "id_territories", "Livarot", "Livarot (commune déléguée 14371)")
    # A partner with a role, in the partnerships inline.
    page.locator("#partnerships-group .add-row a").click()
    select2(page, "id_partnerships-0-organisation", "allocations", "Caisse d'allocations familiales")
    page.locator("#id_partnerships-0-role").select_option("cofinanceur")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".messagelist")).to_contain_text("a été ajouté")

    # Publish all three with the bulk action.
    for changelist, label in (("actors/organisation", "Crèche coopérative d'Orbec"), ("actions/programme", "Accueil des tout-petits"),
                              ("actions/action", "Halte-garderie à Livarot")):  # fmt: skip
        page.goto(site + f"/admin/{changelist}/?q=" + label.split()[0])
        if changelist == "actions/programme":
            expect(page.locator("tr", has_text=label)).to_contain_text("depuis janvier 2024")
        page.locator("tr", has_text=label).locator("input.action-select").check()
        page.locator("select[name=action]").select_option("publish")
        page.locator("button[name=index]").click()
        expect(page.locator(".messagelist")).to_contain_text("publié")

    # The public list, under the right département and sector.
    page.goto(site + "/acteurs/?departement=14&secteur=petite-enfance")
    expect(page.locator("main")).to_contain_text("Crèche coopérative d'Orbec")
    page.goto(site + "/acteurs/?departement=50&secteur=petite-enfance")
    expect(page.locator("main")).not_to_contain_text("Crèche coopérative d'Orbec")
    page.goto(site + "/actions/?departement=14&acteur=creche-cooperative-dorbec")
    expect(page.locator("main")).to_contain_text("Halte-garderie à Livarot")

    # The editor cannot delete it.
    page.goto(site + "/admin/actors/organisation/?q=Crèche")
    page.get_by_role("link", name="Crèche coopérative d'Orbec").first.click()
    expect(page.locator("a.deletelink")).to_have_count(0)
    options = (
        page.locator("select[name=action] option").all_inner_texts()
        if page.locator("select[name=action]").count()
        else []
    )
    assert not any("Supprimer" in o for o in options)
    response = page.goto(page.url.rstrip("/").rsplit("/", 1)[0] + "/delete/")
    assert response.status == 403
    # The history of what she did, and no script or style the policy had to refuse.
    page.goto(site + "/admin/actors/organisation/?q=Crèche")
    page.get_by_role("link", name="Crèche coopérative d'Orbec").first.click()
    page.get_by_role("link", name="Historique").click()
    expect(page.locator("#content")).to_contain_text("editrice")
    assert violations == []


def no_tiles(page):
    """The map's tiles come from OpenStreetMap, out of reach in tests: answered empty."""
    page.route(
        re.compile(r"^https?://[^/]*tile\.openstreetmap\.org/"), lambda route: route.fulfill(status=204)
    )


def log_in_as(page, site, username, group):
    """A staff account of ``group`` (« Éditeurs », « Administrateurs »), logged in through
    the admin's own form."""
    sync_staff_groups()
    password = secrets.token_urlsafe(16)
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    page.goto(site + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()
    expect(page.locator("#site-name")).to_contain_text("administration")


def log_in_as_editor(page, site):
    log_in_as(page, site, "moderatrice", EDITORS)


def test_a_visitor_near_orbec_finds_reports_and_an_editor_moderates(site, page):
    from decimal import Decimal

    from territories.models import Territory
    from tests.factories import OrganisationFactory

    violations = csp_violations(page)
    no_tiles(page)
    OrganisationFactory(name="Épicerie solidaire d'Orbec", slug="epicerie-solidaire-orbec",
                        territories=[Territory.objects.get(key="14478")], street_address="3 rue Grande",
                        postcode="14290", commune=Territory.objects.get(key="14478"),
                        latitude=Decimal("49.0255"), longitude=Decimal("0.4040"))  # fmt: skip

    # The visitor in Orbec: the map, with « Votre commune ».
    page.goto(site + "/acteurs/carte/")
    page.get_by_label("Votre commune").fill("Orbec")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"/acteurs/carte/\?.*commune=Orbec"))
    expect(page.locator("#carte-etat")).to_contain_text("placé")
    marker = page.locator('.leaflet-marker-icon[title="Épicerie solidaire d\'Orbec"]')
    if not marker.count():  # clustered with others: zoom in on the cluster first
        page.locator(".marker-cluster").first.click()
    marker.click()
    page.locator(".leaflet-popup-content a", has_text="Épicerie solidaire d'Orbec").click()
    expect(page.locator("h1")).to_have_text("Épicerie solidaire d'Orbec")
    expect(page.locator(".summary-box")).to_contain_text("3 rue Grande, 14290 Orbec")

    # The list holds the same, in the commune first.
    page.goto(site + "/acteurs/carte/?commune=Orbec")
    page.get_by_role("link", name="Voir en liste").click()
    expect(page).to_have_url(re.compile(r"/acteurs/\?commune=Orbec$"))
    expect(page.locator(".card").first).to_contain_text("Épicerie solidaire d'Orbec")

    # It reports a mistake, without an account.
    page.goto(site + "/acteurs/epicerie-solidaire-orbec/")
    page.get_by_role("link", name="Signaler une erreur ou proposer une modification").click()
    page.get_by_label("Qu'est-ce qui est inexact ou manque ?").fill("L'épicerie a déménagé.")
    page.get_by_label("Ce que vous proposez à la place (facultatif)").fill("8 place Foch, 14290 Orbec")
    page.get_by_label("Votre e-mail, pour recevoir la réponse (facultatif)").fill("voisine@example.org")
    with signing_clock(MINIMUM_SECONDS + 1):  # a person's pace: faster is refused as a robot's
        page.get_by_role("button", name="Envoyer").click()
        expect(page.locator("h1")).to_have_text("Merci, votre message est bien arrivé")

    # An editor moderates it: the count on the admin home, the proposal beside the form.
    log_in_as_editor(page, site)
    expect(page.locator("#a-faire")).to_contain_text("1 contribution en attente")
    page.get_by_role("link", name="1 contribution en attente").click()
    page.get_by_role("link", name=re.compile("Épicerie solidaire d'Orbec")).first.click()
    page.get_by_role("button", name="Accepter : ouvrir la fiche avec la proposition").click()
    expect(page.locator(".contribution-beside")).to_contain_text("8 place Foch, 14290 Orbec")
    page.locator("#id_street_address").fill("8 place Foch")
    page.locator("input[name=_save]").first.click()  # Save is at the top too
    expect(page.locator(".messagelist")).to_contain_text("a été modifié")
    page.goto(site + "/acteurs/epicerie-solidaire-orbec/")
    expect(page.locator(".summary-box")).to_contain_text("8 place Foch, 14290 Orbec")
    assert violations == []


def test_an_editor_imports_a_spreadsheet_after_a_dry_run(site, page, tmp_path):
    """The CRESS's list of new members: upload, read the simulation (an error to fix, then
    a clean file), import, and find the new organisation — a draft — in the admin."""
    sync_staff_groups()
    password = secrets.token_urlsafe(16)
    editor = User.objects.create_user("importatrice", password=password, is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS))
    page.goto(site + "/admin/")
    page.get_by_label("Nom d’utilisateur").fill("importatrice")
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()

    wrong = tmp_path / "adherents.csv"
    wrong.write_text("nom;commune;secteurs\nJardin des Lilas;Livarot;Jardinage\n", encoding="utf-8")
    page.goto(site + "/admin/actors/organisation/")
    page.get_by_role("link", name="Importer un fichier").click()
    page.locator("#id_file").set_input_files(str(wrong))
    page.get_by_role("button", name="Simuler l'import").click()
    expect(page.locator("h2#report-title")).to_have_text("Le fichier contient des erreurs")
    expect(page.locator("tr[data-line='2']")).to_contain_text("secteurs")
    expect(page.get_by_role("button", name=re.compile("Importer «"))).to_have_count(0)

    right = tmp_path / "adherents-corrige.csv"
    right.write_text("nom;commune;secteurs\nJardin des Lilas;Livarot;Petite enfance\n", encoding="utf-8")
    page.locator("#id_file").set_input_files(str(right))
    page.get_by_role("button", name="Simuler l'import").click()
    expect(page.locator("h2#report-title")).to_contain_text("Simulation")
    # a historic commune becomes today's
    expect(page.locator("tr[data-line='2']")).to_contain_text("Livarot-Pays-d'Auge")
    page.get_by_role("button", name="Importer « adherents-corrige.csv »").click()
    expect(page.locator(".messagelist")).to_contain_text("Import enregistré")

    page.goto(site + "/admin/actors/organisation/?q=Lilas")
    expect(page.locator("#result_list")).to_contain_text("Jardin des Lilas")
    expect(page.locator("#result_list")).to_contain_text("Brouillon")
