import io
import os
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

import cress.settings
from actors.models import Organisation
from common.staff import sync_staff_groups


class InvalidTemplateVariable(str):
    """Makes an unknown variable in one of our templates fail the test that renders it."""

    def __mod__(self, name):
        raise AssertionError(f"Variable de gabarit inconnue : {name!r}")


REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    from django.core.cache import cache

    # Each test starts with an empty cache of its own process (counts, facets, the content
    # version): the suite's workers never share one; the tests of the shared cache ask for
    # Redis under keys of their own (``redis_cache``).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    settings.DIRECTORY_PAGE_CACHE = False
    # Django's test client never closes an answer the test did not read to its end, as a
    # server does: an export's slot would stay taken. The slots have their own test
    # (tests/cress/test_rate_limits.py).
    settings.DIRECTORY_EXPORT_SLOTS = 1000
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded files (logos) never land in the checkout
    # Background tasks (jobs/) run when they are queued, after the commit: a test sees
    # their effect (an e-mail, a job's end) without a worker. The worker's own path, the
    # database queue and `db_worker`, has its tests (tests/jobs/).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    for engine in settings.TEMPLATES:
        engine["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")


def load_directory():
    call_command("load_directory", stdout=io.StringIO())


def pytest_collection_modifyitems(items):
    """Browser tests use a live server, whose database flush empties the tables: run them
    last so the other tests keep the real content loaded once at set-up."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_directory()


def migration_data():
    """What migrations write (the first synonym groups): a flush (a transactional or
    live-server test) removes it, and pages count on it."""
    import importlib

    from django.apps import apps as registry

    importlib.import_module("actors.migrations.0009_synonyms").add_first_groups(registry, None)


@pytest.fixture
def directory(db):
    """The real content, loaded by ``load_directory`` (the same command a user runs).

    Loaded once per database: later tests see it through their transaction rollback; a
    flush (live-server tests) empties the database, and the next use loads it again, with
    what the migrations wrote."""
    if not Organisation.objects.filter(slug="coorace-basse-normandie").exists():
        migration_data()
        load_directory()


@pytest.fixture
def staff_groups(db):
    """(Éditeurs, Administrateurs), synced as after a migrate (a flush empties them)."""
    return sync_staff_groups()


@pytest.fixture
def editor(staff_groups):
    user = User.objects.create_user("editrice", "editrice@example.org", "mot-de-passe-de-test", is_staff=True)
    user.groups.add(staff_groups[0])
    return user


@pytest.fixture
def editor_client(editor):
    """A client logged in as an editor (separate from the anonymous ``client``)."""
    staff_client = Client()
    staff_client.force_login(editor)
    return staff_client


@pytest.fixture
def redis_cache(settings):
    """The shared Redis cache, as in production, under keys of this test alone; fails
    (never skips) when Redis does not answer."""
    import redis
    from django.core.cache import caches

    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(
            f"Redis ne répond pas à {REDIS_URL} ({error}) : lancez redis-server ou indiquez REDIS_URL."
        )
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": cress.settings.redis_cache(REDIS_URL, prefix)}  # production's
    settings.DIRECTORY_PAGE_CACHE = True
    yield caches["default"]
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
