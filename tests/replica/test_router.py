"""Reads from a real streaming replica, writes to the primary (common/db_router.py).

The replica is proven by making it lag: its replay paused, a row written on the primary is
missing from what an anonymous visitor reads, and present for staff and for a client that
has just sent a form; once replayed, everyone reads it. With the primary refusing writes
(read-only, as in a maintenance), the public pages still answer from the replica and a
form sent answers a French 503, never a 500."""

import uuid

from django.contrib.auth.models import User
from django.db import connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Organisation
from common import db_router
from common.staff import sync_staff_groups
from tests.cress.test_history import PROFILE_FORM, form_data
from tests.suggestions.test_contributions import correction

PROFILE = "/acteurs/uraf/"


def staff_client():
    """An editor, created on the primary (committed: the rows of these tests are)."""
    editors, _ = sync_staff_groups()
    user = User.objects.create_user(f"editrice-{uuid.uuid4().hex[:8]}", password="mot-de-passe-de-test", is_staff=True)
    user.groups.add(editors)
    client = Client()
    client.force_login(user)
    return client


def staff_writes_summary(client, summary):
    """The editor saves the organisation's summary in the admin, as in a browser."""
    url = reverse(PROFILE_FORM, args=[Organisation.objects.get(slug="uraf").pk])
    data = form_data(client.get(url))
    data["summary"] = summary
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def new_summary():
    return f"Résumé écrit sur le primaire {uuid.uuid4().hex[:8]}."


def test_the_replica_is_a_real_streaming_standby_started_in_seconds(replicated):
    """The harness: another port of this machine, in recovery, streaming from the primary;
    started (initdb, copy of the test database, pg_basebackup -R, standby) in seconds."""
    assert replicated.standby_port != replicated.primary_port
    assert replicated.sql(replicated.standby_port, "SELECT pg_is_in_recovery()")[0] is True
    assert replicated.sql(replicated.primary_port, "SELECT count(*) FROM pg_stat_replication")[0] == 1
    assert replicated.set_up_seconds < 20


def test_the_rules_outside_a_request(replicated):
    """No request (the worker, a command): the primary; writes and migrations: the primary."""
    assert router.db_for_read(Organisation) == "default"
    assert router.db_for_write(Organisation) == "default"
    assert router.allow_migrate("default", "actors") and not router.allow_migrate("replica", "actors")
    token = db_router._reads.set(db_router.ReplicaReads())
    try:
        assert router.db_for_read(Organisation) == "replica"
        with transaction.atomic():
            assert router.db_for_read(Organisation) == "default"
        assert router.db_for_write(Organisation) == "default"
    finally:
        db_router._reads.reset(token)


def test_anonymous_reads_come_from_the_replica_staff_and_recent_writers_from_the_primary(replicated):
    anonymous, contributor, staff = Client(), Client(), staff_client()
    before = Organisation.objects.get(slug="uraf").summary
    replicated.wait_replayed()
    replicated.pause_replay()

    summary = new_summary()
    staff_writes_summary(staff, summary)
    assert Organisation.objects.get(slug="uraf").summary == summary  # no request: the primary

    # Staff read their own save (the primary); an anonymous visitor reads the replica,
    # which has not replayed it.
    assert summary in staff.get(PROFILE).content.decode()
    with CaptureQueriesContext(connections["default"]) as on_primary:
        with CaptureQueriesContext(connections["replica"]) as on_replica:
            page = anonymous.get(PROFILE)
    assert page.status_code == 200 and summary not in page.content.decode()
    assert before in page.content.decode()
    assert len(on_primary) == 0 and len(on_replica) > 1  # the replica's position, then the page

    # A visitor who sends a form reads the primary for the next seconds: a short cookie.
    sent = contributor.post(f"{PROFILE}signaler/", correction(), REMOTE_ADDR="10.22.0.1")
    assert sent.status_code == 302
    assert sent.cookies[db_router.STICKY_COOKIE]["max-age"] == 10
    assert summary in contributor.get(PROFILE).content.decode()
    assert summary not in anonymous.get(PROFILE).content.decode()

    replicated.resume_replay()
    replicated.wait_replayed()
    assert summary in anonymous.get(PROFILE).content.decode()


def test_a_page_read_on_a_lagging_replica_is_not_cached_under_the_new_version(replicated, settings):
    """The content version is bumped when the save commits; a page read on a replica that
    has not replayed it is served (a page as old as the lag) but not cached, else it would
    stay old until the next edit."""
    settings.DIRECTORY_PAGE_CACHE = True
    anonymous, staff = Client(), staff_client()
    replicated.wait_replayed()
    assert anonymous.get(PROFILE)["X-Cache"] == "miss"
    assert anonymous.get(PROFILE)["X-Cache"] == "hit"

    replicated.pause_replay()
    summary = new_summary()
    staff_writes_summary(staff, summary)
    for _ in range(2):
        page = anonymous.get(PROFILE)
        assert "X-Cache" not in page, page["X-Cache"]  # neither served from the cache nor kept
        assert summary not in page.content.decode()
    # A visitor who has just sent a form: the primary, never a cached page.
    contributor = Client()
    contributor.post(f"{PROFILE}signaler/", correction(), REMOTE_ADDR="10.22.0.4")
    page = contributor.get(PROFILE)
    assert "X-Cache" not in page and summary in page.content.decode()

    replicated.resume_replay()
    replicated.wait_replayed()
    page = anonymous.get(PROFILE)
    assert summary in page.content.decode() and page["X-Cache"] == "miss"
    page = anonymous.get(PROFILE)
    assert summary in page.content.decode() and page["X-Cache"] == "hit"


def test_public_pages_are_served_while_the_primary_refuses_writes(replicated):
    anonymous, staff = Client(), staff_client()
    uraf = Organisation.objects.get(slug="uraf")
    replicated.wait_replayed()
    replicated.primary_read_only(True)
    connections["default"].close()

    for url in ("/", "/acteurs/", PROFILE):
        response = anonymous.get(url)
        assert response.status_code == 200, url
    assert uraf.name in anonymous.get(PROFILE).content.decode()

    # A contribution sent meanwhile: a French 503 that says nothing was saved.
    refused = anonymous.post(f"{PROFILE}signaler/", correction(), REMOTE_ADDR="10.22.0.2")
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    page = refused.content.decode()
    assert "Les modifications sont suspendues" in page and "n'a pas été enregistré" in page

    # A staff save: the same answer, the record unchanged.
    url = reverse(PROFILE_FORM, args=[uraf.pk])
    data = form_data(staff.get(url))
    data["summary"] = new_summary()
    assert staff.post(url, data).status_code == 503
    replicated.primary_read_only(False)
    assert Organisation.objects.get(pk=uraf.pk).summary == uraf.summary


def test_public_pages_are_served_while_the_primary_is_down(replicated):
    """The primary stopped (a failure, a restart): the replica still serves the public
    pages; a form sent answers the same French 503."""
    anonymous = Client()
    replicated.wait_replayed()
    connections["default"].close()
    replicated.stop(replicated.primary_dir)
    try:
        for url in ("/", "/acteurs/", PROFILE):
            assert anonymous.get(url).status_code == 200, url
        refused = anonymous.post(f"{PROFILE}signaler/", correction(), REMOTE_ADDR="10.22.0.3")
        assert refused.status_code == 503
        assert "Les modifications sont suspendues" in refused.content.decode()
    finally:
        connections["default"].close()
        replicated.start(replicated.primary_dir, replicated.primary_port)
    replicated.wait_replayed()  # the standby streams again


def test_a_replica_that_does_not_answer_leaves_the_pages_to_the_primary(replicated, caplog):
    anonymous = Client()
    replicated.wait_replayed()
    connections["replica"].close()
    replicated.stop(replicated.standby_dir)
    try:
        for url in ("/", PROFILE):
            assert anonymous.get(url).status_code == 200, url
        assert "La réplique (DATABASE_REPLICA_URL) ne répond pas : lecture sur le primaire." in caplog.messages
    finally:
        replicated.start(replicated.standby_dir, replicated.standby_port)
    replicated.wait_replayed()
