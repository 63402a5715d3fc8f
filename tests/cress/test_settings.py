"""Settings read from the environment, safe by default; the production check passes."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'debug': s.DEBUG, "
    "'hosts': s.ALLOWED_HOSTS, 'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def run(code_or_args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
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
    result = run(PRINT_SETTINGS, DATABASE_URL="", DJANGO_SECRET_KEY="k" * 60)
    values = json.loads(result.stdout)
    assert values == {
        "engine": "django.db.backends.sqlite3",
        "debug": False,
        "hosts": ["localhost", "127.0.0.1", "[::1]"],
        "lang": "fr-fr",
        "tz": "Europe/Paris",
    }


def test_database_url_switches_to_postgresql_and_hosts_are_read():
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
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_warns_without_a_secret_key_in_debug():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], DJANGO_HTTPS="1", DJANGO_DEBUG="1"
    )
    assert result.returncode != 0
    assert "cress.W001" in result.stdout + result.stderr
