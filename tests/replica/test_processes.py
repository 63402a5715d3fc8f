"""Several web processes on one PostgreSQL (with its replica) and one Redis, as in
production: two gunicorn processes started with the real settings (``DATABASE_URL``,
``DATABASE_REPLICA_URL``, ``REDIS_URL``), nothing shared but those. A staff session opened
anywhere is known by both (sessions in the database), a page one process cached is served
by the other (Redis); with the primary refusing writes the public pages still answer while
a form sent answers the French 503, and with the primary stopped the replica alone serves
them."""

import http.client
import os
import re
import subprocess
import time
import uuid
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client

from tests.conftest import REDIS_URL
from tests.replica.conftest import DATABASE, WAIT_SECONDS, free_port
from tests.suggestions.test_contributions import correction

PROFILE = "/acteurs/uraf/"


class WebProcess:
    def __init__(self, port, environment, log):
        self.port = port
        self.process = subprocess.Popen(
            [str(settings.BASE_DIR / ".venv" / "bin" / "gunicorn"), "cress.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--access-logfile", "-"],  # fmt: skip
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()

    def wait_ready(self, log_path):
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            try:
                return self.request("GET", "/sante/")
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn n'a pas démarré sur le port {self.port} :\n{log_path.read_text()[-3000:]}")
                time.sleep(0.05)  # polling a real process


@pytest.fixture
def web_processes(replicated, tmp_path):
    """Two gunicorn processes on the harness's primary and replica, and Redis (under keys
    of this test alone); fails (never skips) when Redis does not answer."""
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis ne répond pas à {REDIS_URL} ({error}) : lancez redis-server ou indiquez REDIS_URL.")
    prefix = f"test-{uuid.uuid4().hex}"
    address = "postgres://postgres@127.0.0.1:{}/" + DATABASE
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "cress.settings",
        "DATABASE_URL": address.format(replicated.primary_port),
        "DATABASE_REPLICA_URL": address.format(replicated.standby_port) + "?connect_timeout=2",
        "REDIS_URL": REDIS_URL,
        "DJANGO_CACHE_PREFIX": prefix,
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,  # the same in every process
        "DJANGO_DEBUG": "1",  # static files without collectstatic
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("w") as log:
        processes = [WebProcess(free_port(), environment, log) for _ in range(2)]
        try:
            for process in processes:
                process.wait_ready(log_path)
            yield processes
        finally:
            for process in processes:
                process.process.terminate()
            for process in processes:
                process.process.wait(timeout=WAIT_SECONDS)
            keys = redis.Redis.from_url(REDIS_URL)
            for key in keys.scan_iter(f"{prefix}:*"):
                keys.delete(key)


def test_two_processes_share_sessions_and_pages_and_read_the_replica(replicated, web_processes):
    first, second = web_processes
    # A staff session, opened here (on the primary): both processes know it.
    user = User.objects.create_user(f"equipe-{uuid.uuid4().hex[:8]}", password="mot-de-passe-de-test", is_staff=True)
    staff = Client()
    staff.force_login(user)
    cookie = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={staff.cookies[settings.SESSION_COOKIE_NAME].value}"}
    for process in web_processes:
        status, _, page = process.request("GET", f"/{settings.ADMIN_PATH}", headers=cookie)
        assert status == 200 and user.username in page

    # A page one process computed and cached is served by the other.
    replicated.wait_replayed()
    assert first.request("GET", PROFILE)[1]["X-Cache"] == "miss"
    assert second.request("GET", PROFILE)[1]["X-Cache"] == "hit"

    # The primary refuses writes: the public pages answer (from the replica), a form sent
    # answers the French 503.
    replicated.primary_read_only(True)
    for path in ("/", "/acteurs/", "/actions/"):
        status, _, _ = second.request("GET", path)
        assert status == 200, path
    status, headers, form = first.request("GET", f"{PROFILE}signaler/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
    status, headers, page = second.request(
        "POST",
        f"{PROFILE}signaler/",
        body=urlencode({**correction(), "csrfmiddlewaretoken": token}),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie}"},
    )
    assert status == 503, page[:3000]
    assert "Les modifications sont suspendues" in page and headers["Retry-After"] == "60"

    # The primary stopped: only the replica can answer, and does.
    replicated.stop(replicated.primary_dir)
    try:
        for process in web_processes:
            for path in ("/", "/acteurs/", PROFILE, "/api/v1/acteurs/"):
                status, _, _ = process.request("GET", path)
                assert status == 200, path
    finally:
        replicated.start(replicated.primary_dir, replicated.primary_port)
