"""Visibility in one place: a draft at every level — actor, programme, action, sub-action,
partner organisation, and what hangs from them (partnerships, events, quotes, key
figures) — each carrying a unique marker word; no anonymous request to any public
output shows any marker."""

import pytest

from actions.models import Event, KeyFigure, Quote, Role
from actors.models import Sector, Status
from cress.sitemaps import SITEMAPS
from territories.models import Territory
from tests.api.test_open_data import sitemap_urls
from tests.factories import (
    ActionFactory,
    OrganisationFactory,
    PartnerFactory,
    PartnershipFactory,
    ProgrammeFactory,
)

DRAFT = Status.DRAFT
SITEMAP_SECTIONS = [f"/sitemap-{section}.xml" for section in SITEMAPS]
MARKERS = [
    "zorglubprogramme", "zorglubactionsousprogramme", "zorglubpartenariatprogramme", "zorglubchiffreprogramme",
    "zorglubevenementprogramme", "zorglubactionbrouillon", "zorglubpartenariataction", "zorglubsousaction",
    "zorglubpartenaire", "zorglubacteur", "zorglubprogrammeacteur", "zorglubactionacteur", "zorglubcitation",
    "zorglubchiffreacteur", "zorglubevenementacteur", "zorglubarchive",
]  # fmt: skip


@pytest.fixture
def drafts(directory):
    cherbourg = Territory.objects.get(key="50129")
    saint_lo = Territory.objects.get(key="50502")  # only drafts work there
    sector = Sector.objects.get(slug="handicap")
    public = OrganisationFactory(
        slug="acteur-public", name="Acteur public", territories=[cherbourg], sectors=[sector]
    )
    partner = PartnerFactory(slug="partenaire-public")

    draft_programme = ProgrammeFactory(
        actor=public, status=DRAFT, title="Plan zorglubprogramme", sectors=[sector]
    )
    ActionFactory(
        programme=draft_programme, title="Action zorglubactionsousprogramme", territories=[saint_lo]
    )
    PartnershipFactory(organisation=partner, programme=draft_programme, detail="zorglubpartenariatprogramme")
    KeyFigure.objects.create(
        actor=public, programme=draft_programme, value=1, label="zorglubchiffreprogramme"
    )
    Event.objects.create(actor=public, programme=draft_programme, title="Journée zorglubevenementprogramme",
                         slug="evenement-programme-brouillon", status=Status.PUBLISHED)  # fmt: skip

    programme = ProgrammeFactory(actor=public, title="Programme public", sectors=[sector])
    draft_action = ActionFactory(programme=programme, status=DRAFT, title="Action zorglubactionbrouillon")
    PartnershipFactory(
        organisation=partner, programme=None, action=draft_action, detail="zorglubpartenariataction"
    )
    ActionFactory(programme=programme, parent=draft_action, title="Sous-action zorglubsousaction")
    action = ActionFactory(programme=programme, title="Action publique", territories=[cherbourg])
    draft_partner = PartnerFactory(status=DRAFT, name="Mairie zorglubpartenaire", slug="mairie-brouillon")
    PartnershipFactory(organisation=draft_partner, programme=None, action=action, role=Role.COFUNDER)

    draft_actor = OrganisationFactory(status=DRAFT, name="Association zorglubacteur", slug="acteur-brouillon",
                                      territories=[saint_lo], sectors=[sector])  # fmt: skip
    hidden_programme = ProgrammeFactory(actor=draft_actor, title="Programme zorglubprogrammeacteur")
    ActionFactory(programme=hidden_programme, title="Action zorglubactionacteur", territories=[saint_lo])
    Quote.objects.create(actor=draft_actor, text="zorglubcitation", person_name="Personne")
    KeyFigure.objects.create(actor=draft_actor, value=2, label="zorglubchiffreacteur")
    Event.objects.create(actor=draft_actor, title="Journée zorglubevenementacteur", slug="evenement-acteur-brouillon",
                         status=Status.PUBLISHED)  # fmt: skip
    OrganisationFactory(status=Status.ARCHIVED, name="Ancienne zorglubarchive", slug="acteur-archive")
    return {"actor": public, "programme": programme, "action": action, "partner": partner}


def public_urls(drafts):
    actor, programme, action, partner = (drafts[k] for k in ("actor", "programme", "action", "partner"))
    return [
        "/", "/acteurs/", "/acteurs/?page=2", "/actions/", "/actions/?page=2", "/actions/?page=3",
        f"/actions/?acteur={actor.slug}", "/actions/?secteur=handicap", "/partenaires/", actor.get_absolute_url(),
        programme.get_absolute_url(), action.get_absolute_url(), partner.get_absolute_url(), "/territoires/",
        "/territoires/50129/", "/territoires/50502/", "/territoires/50/", "/territoires/region-25/", "/territoires/region-28/",
        "/secteurs/handicap/", "/flux/", "/sitemap.xml", *SITEMAP_SECTIONS, "/acteurs/?format=csv", "/actions/?format=csv",
        "/api/v1/acteurs/?page_size=100", "/api/v1/actions/?page_size=100", "/api/v1/programmes/?page_size=100",
        "/api/v1/organisations/?page_size=100", f"/api/v1/acteurs/{actor.slug}/",
        f"/api/v1/actions/{action.slug}/", f"/api/v1/programmes/{programme.slug}/",
        "/api/v1/data-inclusion/structures/?page_size=100", "/api/v1/data-inclusion/services/?page_size=100",
        # the drafts' own addresses must answer 404 and say nothing
        "/acteurs/acteur-brouillon/", "/acteurs/acteur-archive/", "/partenaires/mairie-brouillon/",
        "/actions/evenements/evenement-programme-brouillon/", "/actions/evenements/evenement-acteur-brouillon/",
        "/api/v1/acteurs/acteur-brouillon/",
    ]  # fmt: skip


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8").lower()


@pytest.mark.django_db
def test_no_public_output_shows_a_draft(drafts, client):
    checked = 0
    for url in public_urls(drafts):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        text = body(response)
        leaked = [marker for marker in MARKERS if marker in text]
        assert leaked == [], f"{url} montre {leaked}"
        checked += 1
    assert checked == len(public_urls(drafts))
    sitemap = sitemap_urls(client)
    assert "/territoires/50502/" not in sitemap, "a commune whose only content is a draft"
    assert "/territoires/50129/" in sitemap
    listed = {c.key for c in client.get("/territoires/").context["page_obj"].paginator.object_list}
    assert "50129" in listed and "50502" not in listed


@pytest.mark.django_db
@pytest.mark.parametrize("marker", MARKERS)
def test_no_search_finds_a_draft(drafts, client, marker):
    search = client.get("/recherche/", {"q": marker})
    assert search.context["total"] == 0
    for url in ("/acteurs/", "/actions/", "/api/v1/acteurs/", "/api/v1/actions/"):
        response = client.get(url, {"q": marker})
        if url.startswith("/api/"):
            assert response.json()["count"] == 0, url
        else:
            assert response.context["page_obj"].paginator.count == 0, url


@pytest.mark.django_db
def test_staff_see_drafts_with_a_banner(drafts, editor_client):
    page = body(editor_client.get("/acteurs/acteur-brouillon/"))
    assert "zorglubacteur" in page and "zorglubprogrammeacteur" in page
    assert "cette page n'est pas visible du public" in page
    profile = body(editor_client.get(drafts["actor"].get_absolute_url()))
    assert "zorglubprogramme" in profile and "zorglubpartenaire" in profile
