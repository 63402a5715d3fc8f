"""Old names lead to today's: the successions of public bodies are loaded as data, never
over staff's work; a partner's page shows its line, pages naming an old body link to
today's, the partner list and the API read by today's bodies (actors/successors.py)."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from actors import successors
from actors.models import Organisation, Status, Succession, SuccessionKind

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "successions.json"


def load():
    out = io.StringIO()
    call_command("load_directory", stdout=out)
    return out.getvalue()


def text(response):
    """The page's text, tags removed, spaces folded."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&#x27;", "'").replace("&amp;", "&")


@pytest.mark.django_db
def test_the_reference_facts_are_loaded_with_their_sources(directory):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert Succession.objects.count() == len(data["successions"]) == 8
    step = Succession.objects.get(predecessor__slug="direccte-normandie")
    assert (step.successor.slug, step.year, step.month, step.day) == ("dreets-normandie", 2021, 4, 1)
    assert step.source == "décret n° 2020-1545 du 9 décembre 2020"
    dreets = Organisation.objects.get(slug="dreets-normandie")
    assert dreets.status == Status.PUBLISHED and not dreets.is_actor
    renamed = Succession.objects.get(predecessor__slug="conseil-general-du-calvados")
    assert renamed.kind == SuccessionKind.RENAMED and str(renamed.date) == "mars 2015"


@pytest.mark.django_db
def test_loading_twice_creates_nothing_new(directory):
    before = (Organisation.objects.count(), Succession.objects.count())
    output = load()
    assert "Contenu : 0 créés" in output
    assert (Organisation.objects.count(), Succession.objects.count()) == before


@pytest.mark.django_db
def test_staff_edits_to_successions_and_new_bodies_are_kept(directory):
    Succession.objects.filter(predecessor__slug="drtefp").update(note="Précision de l'équipe", year=2009)
    Organisation.objects.filter(slug="dreets-normandie").update(name="DREETS de Normandie", status=Status.DRAFT)
    removed = Succession.objects.get(predecessor__slug="ddtefp-orne")
    removed.delete()
    load()
    kept = Succession.objects.get(predecessor__slug="drtefp")
    assert (kept.note, kept.year) == ("Précision de l'équipe", 2009)
    dreets = Organisation.objects.get(slug="dreets-normandie")
    assert (dreets.name, dreets.status) == ("DREETS de Normandie", Status.DRAFT)
    # A deleted succession comes back (a normal load creates what is missing), as any
    # fact of the source would.
    assert Succession.objects.filter(predecessor__slug="ddtefp-orne").exists()


@pytest.mark.django_db
def test_today_follows_the_line_to_its_end(directory):
    drtefp = Organisation.objects.get(slug="drtefp")
    assert successors.today(drtefp).slug == "dreets-normandie"
    assert successors.today(Organisation.objects.get(slug="ddtefp-manche")).slug == "ddets-manche"
    assert successors.today(Organisation.objects.get(slug="dreets-normandie")) is None
    assert successors.today(Organisation.objects.get(slug="caisse-d-allocations-familiales")) is None


@pytest.mark.django_db
def test_a_draft_successor_is_not_shown_to_the_public(directory, client):
    Organisation.objects.filter(slug="dreets-normandie").update(status=Status.DRAFT)
    assert successors.today(Organisation.objects.get(slug="drtefp")).slug == "direccte-normandie"
    assert "DREETS" not in text(client.get("/partenaires/drtefp/"))


@pytest.mark.django_db
def test_the_drtefp_page_shows_its_successors_in_order_with_years(directory, client):
    page = text(client.get("/partenaires/drtefp/"))
    assert "DRTEFP → DIRECCTE de Basse-Normandie (2010) → DIRECCTE Normandie (2016) → DREETS Normandie (2021)" in page
    assert "Aujourd'hui : DREETS Normandie" in page
    assert "1er avril 2021 : DIRECCTE Normandie → DREETS Normandie (remplacement)" in page
    assert "décret n° 2009-1377 du 10 novembre 2009" in page
    # Today's body shows the same line, itself marked as the page.
    response = client.get("/partenaires/dreets-normandie/")
    assert "DRTEFP → DIRECCTE de Basse-Normandie (2010)" in text(response)
    assert '<strong aria-current="page">DREETS Normandie</strong>' in response.content.decode()


@pytest.mark.django_db
def test_a_page_quoting_an_old_name_links_to_today_without_altering_the_quote(directory, client):
    response = client.get("/actions/programmes/uriopss-plan-d-action-2008/")
    page = text(response)
    assert "Pour l’année 2008, l’URIOPSS poursuit avec la DRTEFP son plan d’action" in page
    assert "aujourd'hui : DREETS Normandie" in page
    assert 'href="/partenaires/dreets-normandie/"' in response.content.decode()
    actor = text(client.get("/acteurs/coorace-basse-normandie/"))
    assert "DDTEFP du Calvados (aujourd'hui : DDETS du Calvados)" in actor


@pytest.mark.django_db
def test_the_partner_list_reads_by_todays_bodies(directory, client):
    everything = text(client.get("/partenaires/"))
    assert "DRTEFP" in everything and "aujourd'hui : DREETS Normandie" in everything
    today = text(client.get("/partenaires/?aujourdhui=1"))
    assert "— anciens noms : DRTEFP, DIRECCTE de Basse-Normandie, DIRECCTE Normandie." in today
    assert "Conseil départemental du Calvados" in today
    names = re.findall(r'<li><a href="/partenaires/([^/]+)/">', client.get("/partenaires/?aujourdhui=1").content.decode())
    assert "drtefp" not in names and "conseil-general-du-calvados" not in names
    assert "caisse-d-allocations-familiales" in names  # keeps its name


@pytest.mark.django_db
def test_the_api_names_todays_body(directory, client):
    rows = {row["slug"]: row for row in client.get("/api/v1/organisations/?page_size=100").json()["results"]}
    assert rows["drtefp"]["aujourdhui"] == "dreets-normandie"
    assert rows["dreets-normandie"]["aujourdhui"] is None


@pytest.mark.django_db
def test_a_line_cannot_turn_round(directory):
    loop = Succession(
        predecessor=Organisation.objects.get(slug="dreets-normandie"),
        successor=Organisation.objects.get(slug="drtefp"),
        year=2022,
        source="essai",
    )
    with pytest.raises(ValidationError, match="tournerait en rond"):
        loop.full_clean()


@pytest.mark.django_db
def test_staff_edit_successions_inline_with_history(directory, admin_client):
    from django.urls import reverse

    drtefp = Organisation.objects.get(slug="drtefp")
    page = admin_client.get(reverse("admin:actors_organisation_change", args=[drtefp.pk])).content.decode()
    assert "ce que cet organisme est devenu" in page.lower()
    step = Succession.objects.get(predecessor=drtefp)
    step.note = "Vérifié par l'équipe"
    step.save()
    assert step.history.count() >= 2


@pytest.mark.django_db
def test_an_editor_adds_a_succession_inline_and_the_history_keeps_it(directory, editor, editor_client):
    from django.urls import reverse

    from tests.cress.test_admin import organisation_form

    data = organisation_form(kind="organisme-public", family="", name="Mission locale", slug="mission-locale")
    assert editor_client.post(reverse("admin:actors_organisation_add"), data).status_code == 302
    old = Organisation.objects.get(slug="mission-locale")
    today = Organisation.objects.get(slug="dreets-normandie")
    management = {f"{prefix}-{name}": value for prefix in ("successions", "predecessions")
                  for name, value in (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))}  # fmt: skip
    row = {"successions-TOTAL_FORMS": "1", "successions-0-successor": today.pk, "successions-0-kind": "fusionne",
           "successions-0-year": "2021", "successions-0-month": "4", "successions-0-day": "31",
           "successions-0-note": "", "successions-0-source": "Arrêté d'essai", "successions-0-source_url": ""}  # fmt: skip
    url = reverse("admin:actors_organisation_change", args=[old.pk])
    refused = editor_client.post(url, {**data, **management, **row})
    assert refused.status_code == 200 and "pas de jour 31" in refused.content.decode(), refused.context["errors"]
    saved = editor_client.post(url, {**data, **management, **row, "successions-0-day": "1"})
    assert saved.status_code == 302
    step = Succession.objects.get(predecessor=old)
    assert (step.successor, str(step.date), step.get_kind_display()) == (today, "1er avril 2021", "fusionné dans")
    assert step.history.count() == 1
    assert successors.today(old) is None, "a draft is not shown to the public"
    assert successors.today(old, editor) == today, "staff see it"


@pytest.mark.django_db
def test_a_body_and_its_successor_are_never_a_likely_duplicate(directory):
    """« Conseil régional de Basse-Normandie » → « Conseil régional de Normandie »: names
    alike (0.83), one region, but two bodies that staff linked; an unlinked look-alike is
    still found, one by one and by the whole-directory scan."""
    import io

    from django.core.management import call_command

    from actors.duplicates import likely_duplicates, likely_duplicates_many
    from actors.models import Organisation
    from imports.models import DuplicatePair

    old = Organisation.objects.get(name="Conseil régional de Basse-Normandie")
    new = Organisation.objects.get(name="Conseil régional de Normandie")
    assert new.pk not in {d.organisation.pk for d in likely_duplicates(old)}
    assert old.pk not in {d.organisation.pk for d in likely_duplicates_many([new])[new.pk]}
    DuplicatePair.objects.all().delete()
    call_command("find_duplicates", stdout=io.StringIO())
    assert not DuplicatePair.objects.filter(first__in=[old, new], second__in=[old, new]).exists()

    twin = Organisation.objects.create(name="Conseil régional de Normandie.", slug="cr-normandie-bis", kind=new.kind)
    twin.territories.set(new.territories.all())
    assert twin.pk in {d.organisation.pk for d in likely_duplicates(new)}
