"""One client address behind the HTTPS proxy (common/client.py): every visitor reaches the
site through the same proxy (the same REMOTE_ADDR), yet the admin door, the contributions'
limit and the API throttle each count per visitor — and what a visitor writes in
X-Forwarded-For never changes whom they are counted as."""

import json

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

import cress.settings
from common.client import client_address
from suggestions.models import Suggestion
from tests.cress.test_settings import run
from tests.suggestions.test_contributions import correction

PROXY = "10.0.0.1"  # the HTTPS proxy, the only peer the site ever sees
INNER = "10.0.0.2"  # a second proxy, behind the first
ALICE = "203.0.113.7"
BOB = "198.51.100.23"


def via_proxy(visitor, forged=""):
    """The request's META after the trusted proxy: it appends the address it sees (the
    visitor's) to whatever X-Forwarded-For the visitor sent (``forged``)."""
    header = f"{forged}, {visitor}" if forged else visitor
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": header}


@pytest.fixture
def one_proxy(settings):
    settings.PROXY_COUNT = 1


# --- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "remote", "header", "expected"),
    [
        # no proxy: the peer is the visitor, the header is the visitor's own words
        (0, ALICE, None, ALICE),
        (0, ALICE, BOB, ALICE),
        # one proxy: the last entry, appended by the proxy
        (1, PROXY, ALICE, ALICE),
        (1, PROXY, f"{BOB}, {ALICE}", ALICE),  # forged entry prepended by Alice
        (1, PROXY, f"{BOB},{INNER},  {ALICE} ", ALICE),
        (1, PROXY, None, PROXY),  # the proxy itself (a health check), or reached directly
        (1, PROXY, "", PROXY),
        # two proxies: the second entry from the right, appended by the outer proxy
        (2, INNER, f"{ALICE}, {PROXY}", ALICE),
        (2, INNER, f"{BOB}, {ALICE}, {PROXY}", ALICE),
        (2, INNER, f"1.1.1.1, {BOB}, {ALICE}, {PROXY}", ALICE),
        # fewer entries than proxies: all were appended by trusted proxies, the leftmost counts
        (2, INNER, ALICE, ALICE),
        (3, INNER, f"{ALICE}, {PROXY}", ALICE),
        # IPv6, written in any form, counts as one address
        (1, PROXY, "2001:DB8:0:0::0001", "2001:db8::1"),
        (0, "2001:db8:0::1", None, "2001:db8::1"),
    ],
)
def test_the_visitor_is_the_entry_the_outermost_trusted_proxy_appended(
    rf, settings, proxies, remote, header, expected
):
    settings.PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if header is not None:
        meta["HTTP_X_FORWARDED_FOR"] = header
    assert client_address(rf.get("/", **meta)) == expected


@pytest.mark.parametrize(
    "header",
    [
        "pas-une-adresse",
        f"{ALICE}, unknown",
        f"{ALICE}, 999.1.1.1",
        f"{ALICE}, {ALICE}:4711",
        f"{ALICE}, ' OR 1=1 --",
        f"{ALICE},",
        ",,,",
    ],
)
def test_garbage_where_the_visitor_should_be_falls_back_to_the_peer(rf, one_proxy, header):
    assert client_address(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)) == PROXY


@pytest.mark.parametrize("forged", ["<script>", "pas-une-adresse", "999.999.999.999", BOB])
def test_garbage_or_lies_the_visitor_prepends_are_never_read(rf, one_proxy, forged):
    assert client_address(rf.get("/", **via_proxy(ALICE, forged=forged))) == ALICE


def test_without_a_valid_peer_address_the_answer_is_empty(rf, settings):
    settings.PROXY_COUNT = 0
    assert client_address(rf.get("/", REMOTE_ADDR="unix:/run/gunicorn.sock")) == ""


def proxy_settings(**env):
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.PROXY_COUNT, s.AXES_CLIENT_IP_CALLABLE, "
        "'common.client.ClientRateLimitMiddleware' in s.MIDDLEWARE, 'NUM_PROXIES' in s.REST_FRAMEWORK]))"
    )
    # The settings are only read, no database is reached.
    result = run(
        code, DJANGO_SECRET_KEY="k" * 60, DATABASE_URL="postgres://annuaire@127.0.0.1:5432/annuaire", **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_proxy_count_comes_from_the_environment_and_every_count_uses_it():
    wiring = ["common.client.client_address", True, False]
    assert proxy_settings() == [0, *wiring]
    assert proxy_settings(DJANGO_HTTPS="1", DJANGO_ALLOWED_HOSTS="annuaire.example.org") == [1, *wiring]
    assert proxy_settings(DJANGO_PROXY_COUNT="2") == [2, *wiring]
    assert not [name for name in vars(cress.settings) if name.startswith("AXES_IPWARE")], (
        "ipware is not installed"
    )


# --- the admin door ------------------------------------------------------------------------


def login(username, password, visitor, forged=""):
    return Client().post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        **via_proxy(visitor, forged),
    )


@pytest.mark.django_db
def test_two_visitors_behind_the_proxy_never_share_a_lockout(editor, one_proxy):
    for n in range(django_settings.AXES_FAILURE_LIMIT + 1):
        login(f"inconnu-{n}", "mauvais", ALICE)
    assert login("editrice", "mot-de-passe-de-test", ALICE).status_code == 429, "Alice is locked out"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ALICE}, "never the proxy"
    assert login("editrice", "mot-de-passe-de-test", BOB).status_code == 302, "Bob, behind the same proxy"


@pytest.mark.django_db
def test_a_forged_header_neither_unlocks_the_visitor_nor_locks_another(editor, one_proxy):
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        login(f"inconnu-{n}", "mauvais", ALICE, forged=BOB)  # Alice tries to pass for Bob
    for forged in (BOB, "192.0.2.99", f"192.0.2.99, {BOB}", "pas-une-adresse"):
        assert login("editrice", "mot-de-passe-de-test", ALICE, forged=forged).status_code == 429, forged
    assert login("editrice", "mot-de-passe-de-test", BOB).status_code == 302, "Bob was never blamed"


# --- the contributions' limit --------------------------------------------------------------


def contribute(visitor, forged=""):
    return Client().post("/acteurs/uraf/signaler/", correction(), **via_proxy(visitor, forged))


def refused(response):
    return response.status_code == 400 and "Trop d'envois" in response.content.decode().replace("&#x27;", "'")


@pytest.mark.django_db
def test_two_visitors_behind_the_proxy_never_share_the_contributions_limit(directory, one_proxy):
    for _ in range(5):
        assert contribute(ALICE).status_code == 302
    assert refused(contribute(ALICE)), "Alice's sixth in the hour"
    assert contribute(BOB).status_code == 302, "Bob, behind the same proxy, still may"
    for forged in (BOB, "192.0.2.99", "pas-une-adresse"):
        assert refused(contribute(ALICE, forged=forged)), f"a forged {forged!r} changes nothing"
    assert Suggestion.objects.count() == 6


@pytest.mark.django_db
def test_a_visitor_cannot_spend_another_visitors_contributions(directory, one_proxy):
    for _ in range(5):
        assert contribute(ALICE, forged=BOB).status_code == 302
    assert refused(contribute(ALICE, forged=BOB))
    for _ in range(5):
        assert contribute(BOB).status_code == 302


# --- the API throttle ----------------------------------------------------------------------


@pytest.fixture
def two_a_minute(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}


def api(visitor, forged=""):
    return Client().get("/api/v1/secteurs/", **via_proxy(visitor, forged)).status_code


@pytest.mark.django_db
def test_the_api_throttle_counts_per_visitor_behind_the_proxy(one_proxy, two_a_minute):
    assert [api(ALICE) for _ in range(3)] == [200, 200, 429]
    assert [api(BOB) for _ in range(3)] == [200, 200, 429], "Bob has his own two"
    assert [api(ALICE, forged=forged) for forged in (BOB, "192.0.2.99", "pas-une-adresse")] == [429] * 3
    assert api("192.0.2.99") == 200, "a third visitor is still served"


@pytest.mark.django_db
def test_without_a_proxy_the_api_throttle_ignores_the_header(settings, two_a_minute):
    settings.PROXY_COUNT = 0
    statuses = [
        Client().get("/api/v1/secteurs/", REMOTE_ADDR=ALICE, HTTP_X_FORWARDED_FOR=forged).status_code
        for forged in (BOB, "192.0.2.1", "192.0.2.2")
    ]
    assert statuses == [200, 200, 429], "every forged address is still Alice"
