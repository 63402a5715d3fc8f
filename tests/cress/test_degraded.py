"""Degrade, don't die (issue 23). Redis out of reach: every page is served, uncached; the
limits go on counting in each process; the error is logged once per interval; ``/sante/``
says « dégradé » with a 200 (the node still serves). PostgreSQL out of reach: a French 503
page, never a 500. Tested with the cache on a closed port, and with a private Redis
stopped in the middle of a run."""

import logging
import shutil
import socket
import subprocess
import uuid
from types import SimpleNamespace

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

import cress.settings
from actors.models import Organisation
from common import cache_backend
from suggestions.forms import PER_ADDRESS_PER_HOUR, Defended
from tests.cress.test_settings import run

PAGES = ["/", "/acteurs/", "/acteurs/uraf/", "/actions/", "/territoires/", "/api/v1/secteurs/", "/flux/",
         "/sitemap.xml", "/referencer/", "/recherche/?q=insertion"]  # fmt: skip
DOWN = "Redis ne répond pas"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def resilient_cache(settings, port):
    """The production configuration of the cache (``cress.settings.redis_cache``), on
    ``port``, with the page cache on."""
    prefix = f"degrade-{uuid.uuid4().hex}"  # the process's fallback memory: this test's alone
    settings.CACHES = {"default": cress.settings.redis_cache(f"redis://127.0.0.1:{port}/0", prefix)}
    settings.DIRECTORY_PAGE_CACHE = True


class Clock:
    """The breaker's clock, moved by the test (no real sleep)."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(cache_backend, "monotonic", clock)
    monkeypatch.setattr(cache_backend, "_breakers", {})  # none left open by another test
    return clock


@pytest.fixture
def dead_redis(settings, clock):
    """The cache on a port where nothing listens."""
    resilient_cache(settings, free_port())


def down_lines(caplog):
    return [r for r in caplog.records if r.name == "common.cache" and DOWN in r.getMessage()]


def test_production_settings_use_the_breaker_and_keep_sessions_out_of_the_cache():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CACHES['default']['BACKEND'], s.SESSION_ENGINE]))"
    )
    result = run(code, DJANGO_SECRET_KEY="k" * 60, REDIS_URL="redis://cache.interne:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == '["common.cache_backend.ResilientRedisCache", "django.contrib.sessions.backends.db"]'


@pytest.mark.django_db
def test_with_redis_unreachable_every_page_answers_uncached_and_the_error_is_logged_once(
    directory, dead_redis, clock, caplog
):
    caplog.set_level(logging.WARNING, logger="common.cache")
    for _ in range(3):
        for page in PAGES:
            response = Client().get(page)
            assert response.status_code == 200, page
            assert not response.has_header("X-Cache"), page
    assert len(down_lines(caplog)) == 1, "once per interval, not once per request"
    clock.now += cache_backend.RETRY_SECONDS + 1
    assert Client().get("/").status_code == 200
    assert len(down_lines(caplog)) == 2, "still down after the interval: one more line"


@pytest.mark.django_db
def test_with_redis_unreachable_health_says_degraded_with_a_200(dead_redis):
    response = Client().get("/sante/")
    assert response.status_code == 200, "the node still serves: the load balancer keeps it"
    assert response.json()["etat"] == "dégradé"
    assert response.json()["base_de_donnees"] == "ok"
    assert response.json()["cache"].startswith("dégradé")


@pytest.mark.django_db
def test_with_redis_unreachable_edits_save_and_limits_still_count(
    directory, dead_redis, settings, django_capture_on_commit_callbacks
):
    uraf = Organisation.objects.get(slug="uraf")
    uraf.name = "URAF — pendant la panne"
    with django_capture_on_commit_callbacks(execute=True):  # the content version's bump
        uraf.save()
    assert "pendant la panne" in Client().get("/acteurs/uraf/").content.decode()
    visitor = SimpleNamespace(client_address="10.9.9.9")
    allowed = [Defended.check_rate(visitor) for _ in range(PER_ADDRESS_PER_HOUR + 1)]
    assert allowed == [True] * PER_ADDRESS_PER_HOUR + [False], "the contributions' limit, per process"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    statuses = [Client().get("/api/v1/secteurs/", REMOTE_ADDR="10.9.9.8").status_code for _ in range(3)]
    assert statuses == [200, 200, 429], "the API's limit, per process"


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test alone, on a free port; ``start()`` and ``stop()``."""
    port = free_port()

    class Server:
        process = None

        def start(self):
            if shutil.which("redis-server") is None:
                pytest.fail("redis-server est introuvable : installez-le (README, « Les deux commandes »).")
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no", "--dir", str(tmp_path)],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            for line in self.process.stdout:  # its log says when it listens
                if "Ready to accept connections" in line:
                    return
            pytest.fail(f"redis-server n'a pas démarré sur le port {port} (code {self.process.wait()})")

        def stop(self):
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process.stdout.close()

    server = Server()
    server.port = port
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.mark.django_db
def test_a_redis_stopped_mid_run_then_back(directory, private_redis, settings, clock, caplog):
    caplog.set_level(logging.WARNING, logger="common.cache")
    resilient_cache(settings, private_redis.port)
    for page in PAGES:
        Client().get(page)
    assert Client().get("/acteurs/")["X-Cache"] == "hit"

    private_redis.stop()
    statuses = [Client().get(page).status_code for _ in range(5) for page in PAGES]
    assert statuses == [200] * len(statuses)
    assert Client().get("/sante/").json()["etat"] == "dégradé"
    assert len(down_lines(caplog)) == 1

    private_redis.start()  # empty: every page is computed again, then kept
    clock.now += cache_backend.RETRY_SECONDS + 1
    assert Client().get("/acteurs/")["X-Cache"] == "miss"
    assert Client().get("/acteurs/")["X-Cache"] == "hit"
    assert Client().get("/sante/").json()["etat"] == "ok"
    assert any("de nouveau" in r.getMessage() for r in caplog.records if r.name == "common.cache")


# --- PostgreSQL out of reach ----------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(CursorWrapper, "execute", refused)
    monkeypatch.setattr(CursorWrapper, "executemany", refused)


@pytest.mark.django_db
def test_with_the_database_unreachable_a_french_503_page(directory, database_down):
    visitor = Client(raise_request_exception=False)
    for page in ["/", "/acteurs/", "/acteurs/uraf/", "/recherche/?q=insertion"]:
        response = visitor.get(page)
        assert response.status_code == 503, page
        assert "Service momentanément indisponible" in response.content.decode(), page
        assert response["Retry-After"] == "60"
    health = visitor.get("/sante/")
    assert health.status_code == 503
    assert health.json()["etat"] == "hors service"
