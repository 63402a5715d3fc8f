"""Settings read from the environment, safe by default; the production check passes."""

import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings

PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'debug': s.DEBUG, "
    "'hosts': s.ALLOWED_HOSTS, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def run(code_or_args, **env):
    """A fresh process with the given environment (no DJANGO_* variable of this run's),
    on this run's PostgreSQL unless ``DATABASE_URL`` is given."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(DJANGO_SETTINGS_MODULE="cress.settings", **env)
    args = (
        [sys.executable, "-c", code_or_args]
        if isinstance(code_or_args, str)
        else [sys.executable, *code_or_args]
    )
    return subprocess.run(
        args, cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_defaults_are_safe_and_french():
    result = run(PRINT_SETTINGS, DJANGO_SECRET_KEY="k" * 60)
    values = json.loads(result.stdout)
    assert values == {
        "engine": "django.db.backends.postgresql",
        "debug": False,
        "hosts": ["localhost", "127.0.0.1", "[::1]"],
        "lang": "fr-fr",
        "tz": "Europe/Paris",
    }


@pytest.mark.parametrize("address", ["", "sqlite:///db.sqlite3", "mysql://u:p@127.0.0.1/x"])
def test_a_server_process_needs_a_postgresql_address(address):
    """PostgreSQL is the only engine: settings read without one (gunicorn, say) stop with
    a French sentence, never fall back to another engine."""
    result = run(PRINT_SETTINGS, DATABASE_URL=address, DJANGO_SECRET_KEY="k" * 60)
    assert result.returncode != 0 and not result.stdout
    assert "DATABASE_URL" in result.stderr and "PostgreSQL" in result.stderr


def test_the_database_address_and_hosts_are_read():
    result = run(
        PRINT_SETTINGS,
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/x",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="a.example, b.example",
        DJANGO_DEBUG="1",
    )
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["hosts"] == ["a.example", "b.example"]
    assert values["debug"] is True


def test_production_deploy_check_passes():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="annuaire.example.org",
        DJANGO_HTTPS="1",
        **LEGAL,
    )
    assert result.returncode == 0, result.stdout + result.stderr


LEGAL = {
    "DIRECTORY_PUBLISHER_ADDRESS": "1 rue de l'Exemple, 14000 Caen",
    "DIRECTORY_PUBLICATION_DIRECTOR": "La présidence de la CRESS",
    "DIRECTORY_CONTACT_EMAIL": "contact@example.org",
    "DIRECTORY_HOST_DETAILS": "Hébergeur Exemple, Paris",
    "DIRECTORY_SITE_URL": "https://annuaire.example.org",
}


def test_deploy_check_asks_for_the_legal_notice():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="annuaire.example.org",
        DJANGO_HTTPS="1",
        **{**LEGAL, "DIRECTORY_HOST_DETAILS": ""},
    )
    assert result.returncode != 0
    assert (
        "cress.W002" in result.stdout + result.stderr
        and "DIRECTORY_HOST_DETAILS" in result.stdout + result.stderr
    )


def test_deploy_check_asks_for_the_public_site_address():
    """Every absolute link is made of DIRECTORY_SITE_URL (common/site.py), never of the
    request's Host: left at its default, they would all lead to 127.0.0.1."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="annuaire.example.org",
        DJANGO_HTTPS="1",
        **{**LEGAL, "DIRECTORY_SITE_URL": "http://127.0.0.1:8000"},
    )
    assert result.returncode != 0
    assert "cress.W003" in result.stdout + result.stderr


def test_deploy_check_warns_without_a_secret_key_in_debug():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_HTTPS="1", DJANGO_DEBUG="1"
    )
    assert result.returncode != 0
    assert "cress.W001" in result.stdout + result.stderr


LOG_ONE_404 = """
import django
django.setup()
from django.test import Client
Client().get("/nulle-part/")
"""


def test_one_log_line_per_event_in_debug():
    result = run(LOG_ONE_404, DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="testserver")
    assert result.stderr.count("Not Found: /nulle-part/") == 1, result.stderr


def test_manage_py_without_the_virtual_environment_says_how_to_get_it():
    # « -S »: this Python without its site-packages, as a Python without the project's.
    result = subprocess.run(
        [sys.executable, "-S", "manage.py", "check"], cwd=settings.BASE_DIR, capture_output=True, text=True,
        timeout=60, env={"PATH": os.environ.get("PATH", "")},
    )  # fmt: skip
    assert result.returncode != 0
    assert "Django n'est pas installé pour ce Python" in result.stderr
    assert ".venv/bin/python manage.py check" in result.stderr


@pytest.mark.django_db
def test_create_staff_without_questions(monkeypatch):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from common.staff import EDITORS

    out = io.StringIO()
    call_command("create_staff", "camille", "--email", "camille@example.org", stdout=out)
    password = out.getvalue().split("Mot de passe (affiché une seule fois) : ")[1].strip()
    user = get_user_model().objects.get(username="camille")
    assert user.check_password(password) and user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS]
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "une phrase de passe assez longue")
    call_command("create_staff", "camille", "--groupe", "administrateur", stdout=io.StringIO())
    user = get_user_model().objects.get(username="camille")
    assert user.check_password("une phrase de passe assez longue") and user.is_superuser
    monkeypatch.setenv("DJANGO_STAFF_PASSWORD", "court")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Mot de passe refusé"):
        call_command("create_staff", "dominique", stdout=io.StringIO())
