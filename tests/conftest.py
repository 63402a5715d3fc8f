import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from actions.staff_groups import ADMINISTRATORS, EDITORS, sync_staff_groups
from actors.models import Organisation


class InvalidTemplateVariable(str):
    """Makes an unknown variable in one of our templates fail the test that renders it."""

    def __mod__(self, name):
        raise AssertionError(f"Variable de gabarit inconnue : {name!r}")


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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


@pytest.fixture
def directory(db):
    """The real content, loaded by ``load_directory`` (the same command a user runs).

    Loaded once per database: later tests see it through their transaction rollback; a
    flush (live-server tests) empties the database, and the next use loads it again."""
    if not Organisation.objects.filter(slug="coorace-basse-normandie").exists():
        load_directory()


@pytest.fixture
def staff_groups(db):
    sync_staff_groups(apps)
    return Group.objects.get(name=EDITORS), Group.objects.get(name=ADMINISTRATORS)


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
