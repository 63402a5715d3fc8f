"""« Me prévenir »: a search followed from the actor list, confirmed by its signed link
(double opt-in), receives one digest of what changed that matters, nothing when nothing
changed, and stops in one click (RFC 8058). Time is passed as ``now``; the forms' signed
stamps use the test clock (tests/clock.py)."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from actors.models import Organisation, Sector, Status
from follows import digests, links, searches
from follows.models import Frequency, SavedSearch
from territories.models import Territory
from tests.factories import OrganisationFactory
from tests.suggestions.test_contributions import stamp

QUERY = "departement=14&secteur=insertion-par-l-activite-economique"
WEEK = timedelta(days=7)


def follow(client, email="conseillere@example.org", query=QUERY, frequency=Frequency.WEEKLY, address="10.24.0.1"):
    return client.post("/suivre/", {"query": query, "email": email, "frequency": frequency,
                                    "stamp": stamp(), "website_confirmation": ""}, REMOTE_ADDR=address)  # fmt: skip


def link_in(body, kind):
    return urlsplit(re.search(rf"(https?://\S+/suivre/{kind}/\S+/)", body).group(1)).path


def new_actor(name="Atelier d'insertion de Lisieux"):
    return OrganisationFactory(
        name=name,
        territories=[Territory.objects.get(key="14")],
        sectors=[Sector.objects.get(slug="insertion-par-l-activite-economique")],
    )


@pytest.fixture
def subscribed(directory, client, django_capture_on_commit_callbacks):
    """A search followed and confirmed by its link: (search, the confirmation e-mail)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1, "the confirmation only"
    confirmation = mail.outbox[0]
    search = SavedSearch.objects.get(email="conseillere@example.org")
    assert search.confirmed_at is None and search.query == QUERY
    page = client.get(link_in(confirmation.body, "confirmer"))
    assert "Confirmer" in page.content.decode() and SavedSearch.objects.get().confirmed_at is None, (
        "opening the link (a mail scanner may) shows a button; it does not confirm"
    )
    client.post(link_in(confirmation.body, "confirmer"))
    search.refresh_from_db()
    assert search.confirmed_at is not None
    mail.outbox.clear()
    return search


def run(now, capture):
    with capture(execute=True):
        return digests.send_digests(now=now)


@pytest.mark.django_db
def test_a_confirmed_search_gets_one_digest_then_nothing_then_stops(subscribed, client,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    now = timezone.now()
    new_actor()
    OrganisationFactory(name="Crèche de Bayeux", territories=[Territory.objects.get(key="14")])  # another sector
    report = run(now + WEEK, django_capture_on_commit_callbacks)
    assert report.sent == 1 and len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["conseillere@example.org"]
    assert "Atelier d'insertion de Lisieux : nouvelle dans l'annuaire" in digest.body
    assert "Crèche de Bayeux" not in digest.body
    assert "Secteur : Insertion par l'activité économique" in digest.body
    html = digest.alternatives[0][0]
    assert "Atelier d&#x27;insertion de Lisieux" in html
    unsubscribe = digest.extra_headers["List-Unsubscribe"]
    assert digest.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.startswith("<http") and "/suivre/desabonner/" in unsubscribe
    assert unsubscribe.strip("<>") in digest.body

    # The next week, nothing changed: nothing is sent.
    mail.outbox.clear()
    assert run(now + 2 * WEEK, django_capture_on_commit_callbacks).sent == 0
    assert mail.outbox == []

    # One click from the mail client (RFC 8058): a POST without a CSRF token.
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(urlsplit(unsubscribe.strip("<>")).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not SavedSearch.objects.exists(), "the address is deleted"
    new_actor("Chantier d'insertion de Caen")
    assert run(now + 3 * WEEK, django_capture_on_commit_callbacks).sent == 0 and mail.outbox == []


@pytest.mark.django_db
def test_what_matters_changed_archived_new_address_new_contact(subscribed, django_capture_on_commit_callbacks):
    since = subscribed.confirmed_at
    actor = Organisation.objects.get(pk=new_actor().pk)
    subscribed.last_sent_at = timezone.now()  # the new actor was in an earlier digest
    subscribed.save()
    moved = Organisation.objects.get(pk=actor.pk)
    moved.street_address = "3 rue de la Gare"
    moved.save()
    found = {change.name: change.what for change in digests.changes(QUERY, subscribed.last_sent_at, timezone.now())}
    assert found == {actor.name: ["nouvelle adresse"]}
    moved.phone, moved.phone_public = "0231000000", False
    moved.save()
    later = timezone.now()
    assert digests.changes(QUERY, later - timedelta(microseconds=1), later) == [], "a private phone is not news"
    moved.status = Status.ARCHIVED
    moved.save()
    found = {c.name: (c.what, c.url) for c in digests.changes(QUERY, subscribed.last_sent_at, timezone.now())}
    assert found[actor.name][0][0].startswith("archivée") and found[actor.name][1] == ""
    assert since < subscribed.last_sent_at


@pytest.mark.django_db
def test_the_unconfirmed_get_nothing_and_are_deleted_after_the_period(directory, client, settings,
                                                                      django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, email="jamais@example.org")
    mail.outbox.clear()
    new_actor()
    now = timezone.now()
    assert run(now + WEEK, django_capture_on_commit_callbacks).sent == 0 and mail.outbox == []
    assert SavedSearch.objects.count() == 0, f"deleted after {settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS} days"


@pytest.mark.django_db
def test_a_daily_search_is_due_every_day_a_weekly_one_every_week(subscribed, django_capture_on_commit_callbacks):
    now = timezone.now()
    new_actor()
    assert run(now + timedelta(days=1), django_capture_on_commit_callbacks).sent == 0, "weekly: not yet"
    subscribed.frequency = Frequency.DAILY
    subscribed.save()
    assert run(now + timedelta(days=1), django_capture_on_commit_callbacks).sent == 1


@pytest.mark.django_db
def test_header_injection_is_impossible(directory, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = follow(client, email="a@example.org\r\nBcc: victime@example.org")
    assert response.status_code == 400 and mail.outbox == [] and not SavedSearch.objects.exists()
    # Filters typed by anyone reach no header: the subject is ours, the links are signed.
    query = "departement=14&q=insertion%0D%0ABcc:%20victime@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        follow(client, query=query, address="10.24.0.2")
    search = SavedSearch.objects.get()
    assert "\n" not in search.query and "\r" not in search.query
    subject, text, html, headers = digests.message(search, [digests.Change("Atelier", "https://x.example/", ["nouvelle"])])
    assert "victime" not in subject and all("victime" not in value for value in headers.values())
    assert len(mail.outbox) == 1, "the confirmation"
    for message in mail.outbox:
        sent = message.message()
        assert sent["Bcc"] is None and "victime" not in str(sent["Subject"])
        assert message.recipients() == [search.email]


@pytest.mark.django_db
def test_filters_are_checked_and_described_by_the_list_filters(directory, client):
    query, errors = searches.normalise("tri=nom&page=3&secteur=petite-enfance&departement=14&inconnu=1")
    assert (query, errors) == ("departement=14&secteur=petite-enfance", [])
    assert searches.describe(query) == [("Département", "Calvados"), ("Secteur", "Petite enfance")]
    query, errors = searches.normalise("departement=99")
    assert query == "" and errors and errors[0].startswith("Département")
    response = client.get("/suivre/?departement=99")
    assert response.status_code == 400 and "ne peut pas être suivie" in response.content.decode()


@pytest.mark.django_db
def test_me_prevenir_on_filtered_lists_and_commune_pages(directory, client):
    page = client.get("/acteurs/?departement=14&tri=nom").content.decode()
    assert 'href="/suivre/?departement=14"' in page
    assert "/suivre/" not in client.get("/acteurs/").content.decode(), "the whole list: nothing to follow"
    commune = client.get("/territoires/14118/").content.decode()
    assert 'href="/suivre/?commune=14118"' in commune
    form = client.get("/suivre/?commune=14118").content.decode()
    assert "Votre commune : <strong>Caen</strong>" in form


@pytest.mark.django_db
def test_staff_see_counts_never_addresses_and_only_administrators_export(subscribed, editor_client, admin_client):
    page = editor_client.get("/admin/follows/savedsearch/").content.decode()
    assert "Département : Calvados · Secteur : Insertion par l&#x27;activité économique" in page
    assert "conseillere@example.org" not in page
    assert editor_client.get("/admin/follows/savedsearch/adresses.csv").status_code == 403
    assert editor_client.get(f"/admin/follows/savedsearch/{subscribed.pk}/change/").status_code == 403
    export = admin_client.get("/admin/follows/savedsearch/adresses.csv")
    assert export.status_code == 200 and "conseillere@example.org" in export.content.decode()


@pytest.mark.django_db
def test_the_legal_page_says_what_is_kept_and_for_how_long(directory, client, settings):
    page = client.get("/mentions-legales/").content.decode()
    assert "Recherches suivies" in page
    assert f"effacées après {settings.DIRECTORY_FOLLOW_UNCONFIRMED_DAYS} jours" in page


@pytest.mark.django_db
def test_the_unsubscribe_page_asks_before_deleting(subscribed, client):
    path = f"/suivre/desabonner/{links.unsubscribe_token(subscribed)}/"
    page = client.get(path)
    assert page.status_code == 200 and "Arrêter et effacer mon adresse" in page.content.decode()
    assert SavedSearch.objects.filter(pk=subscribed.pk).exists(), "a GET (a mail scanner) deletes nothing"
    client.post(path)
    assert not SavedSearch.objects.exists()
    assert "n'est plus suivie" in client.get(path).content.decode()


@pytest.mark.django_db
def test_the_command_and_the_background_kind(subscribed, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    from jobs.registry import KINDS

    assert KINDS["digests"].permission == "follows.view_savedsearch"
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_digests", stdout=out)
    assert "0 résumé(s) envoyé(s)" in out.getvalue() and mail.outbox == []
