"""Safe by default: settings that cannot be half-set, headers on every answer, the admin
door, French error pages, API throttling, the health endpoint."""

import re
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tests.cress.test_settings import run

PUBLIC = [
    "/",
    "/acteurs/",
    "/acteurs/uraf/",
    "/actions/",
    "/api/v1/acteurs/",
    "/recherche/?q=scop",
    "/sitemap.xml",
]


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_without_a_secret_key_the_start_stops_with_a_clear_message():
    result = run(["manage.py", "check"], DJANGO_DEBUG="")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY n'est pas défini" in result.stderr
    assert run(["manage.py", "check"], DJANGO_DEBUG="1").returncode == 0, "make run works in debug"


def test_commands_that_sign_nothing_run_without_a_key():
    """CI checks migrations and an image build collects static files without the secret."""
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], DJANGO_DEBUG="")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_admin_path_is_configurable():
    code = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    result = run(code, DJANGO_DEBUG="1", DJANGO_ADMIN_PATH="gestion-cress")
    assert result.stdout.strip() == "/gestion-cress/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC)
def test_every_public_answer_carries_the_security_headers(directory, client, url):
    response = client.get(url)
    assert response.status_code == 200
    policy = directives(response)
    for directive in ("script-src", "style-src"):
        assert policy[directive] == ["'self'"], (directive, policy[directive])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert (
        "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    )
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_cached_answers_carry_the_headers_too(directory, client, redis_cache):
    client.get("/acteurs/")
    cached = client.get("/acteurs/")
    assert cached["X-Cache"] == "hit"
    assert "frame-ancestors 'none'" in cached["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_admin_allows_inline_styles_but_never_inline_scripts(client):
    policy = directives(client.get(reverse("admin:login")))
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in policy["style-src"]


def test_hsts_behind_https():
    code = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/robots.txt', secure=True, headers={'host': 'annuaire.example.org'}); "
        "print(r['Strict-Transport-Security'])"
    )
    result = run(
        code, DJANGO_HTTPS="1", DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="annuaire.example.org"
    )
    assert result.stdout.strip() == "max-age=31536000; includeSubDomains; preload", result.stderr


# --- the admin door -------------------------------------------------------------------


def login(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )  # fmt: skip


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_with_a_french_message(editor):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "editrice", "mauvais").status_code == 200
    assert login(client, "editrice", "mauvais").status_code == 429, "the fifth failure locks"
    locked = login(client, "editrice", "mot-de-passe-de-test")
    assert locked.status_code == 429
    assert "Connexion temporairement bloquée" in locked.content.decode()
    assert login(Client(), "editrice", "mot-de-passe-de-test", address="10.0.0.2").status_code == 429, (
        "per account"
    )
    call_command("axes_reset", verbosity=0)  # an administrator lifts it
    assert login(Client(), "editrice", "mot-de-passe-de-test").status_code == 302


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_address(editor):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"inconnu-{n}", "mauvais", address="10.0.0.9")
    assert login(Client(), "editrice", "mot-de-passe-de-test", address="10.0.0.9").status_code == 429
    assert login(Client(), "editrice", "mot-de-passe-de-test", address="10.0.0.10").status_code == 302


def admin_urls():
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add"))
    return urls


@pytest.mark.django_db
def test_anonymous_and_non_staff_users_reach_nothing_of_the_admin(client):
    member = User.objects.create_user("visiteur", password="un-mot-de-passe-solide-1")
    other = Client()
    other.force_login(member)
    for url in admin_urls():
        for who in (client, other):
            response = who.get(url)
            assert response.status_code == 302 and reverse("admin:login") in response["Location"], url


@pytest.mark.django_db
def test_an_editor_cannot_manage_accounts_or_lift_a_lockout(editor_client):
    for name in ("auth_user", "auth_group", "axes_accessattempt"):
        assert editor_client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name


def test_staff_sessions_expire():
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db", "shared by every worker"


def test_password_validators_are_on():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("12345678")


# --- error pages, throttling, health ----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "status", "title"), [
    ("/acteurs/?q=" + "x" * 300, 400, "Le formulaire contient 1 erreur"),
    ("/nulle-part/", 404, "Page introuvable"),
])  # fmt: skip
def test_bad_input_gets_a_styled_french_page(directory, client, url, status, title):
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert title in page and 'lang="fr"' in page and "site.css" in page


@pytest.mark.django_db
def test_403_and_csrf_failures_are_french(client, editor_client):
    page = editor_client.get(reverse("admin:auth_user_changelist"))
    assert page.status_code == 403
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("admin:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formulaire expiré" in response.content.decode()


@pytest.mark.django_db
def test_the_error_handlers_answer_in_french(rf):
    from django.core.exceptions import PermissionDenied, SuspiciousOperation

    from cress import views

    for handler, exception, status, text in (
        (views.bad_request, SuspiciousOperation(), 400, "Demande incorrecte"),
        (views.permission_denied, PermissionDenied(), 403, "Accès refusé"),
    ):
        response = handler(rf.get("/"), exception)
        assert response.status_code == status and text in response.content.decode()
    assert "Une erreur est survenue" in views.server_error(rf.get("/")).content.decode()


@pytest.mark.django_db
def test_the_api_throttles_anonymous_clients_with_retry_after(directory, client, monkeypatch, redis_cache):
    """Counted in the shared cache (Redis here): every worker sees the same count. (Answers
    the page cache already holds are served before the throttle: they cost nothing.)"""
    from rest_framework.throttling import AnonRateThrottle

    monkeypatch.setattr(AnonRateThrottle, "rate", "3/minute", raising=False)
    statuses = [
        client.get("/api/v1/secteurs/", {"page_size": n}, REMOTE_ADDR="10.1.1.1").status_code
        for n in range(1, 5)
    ]
    assert statuses == [200, 200, 200, 429]
    limited = client.get("/api/v1/secteurs/", {"page_size": 9}, REMOTE_ADDR="10.1.1.1")
    assert int(limited["Retry-After"]) > 0
    assert "json" in limited["Content-Type"]
    assert client.get("/api/v1/secteurs/", REMOTE_ADDR="10.1.1.2").status_code == 200, "per address"


@pytest.mark.django_db
def test_health_endpoint(client, settings):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"etat": "ok", "base_de_donnees": "ok", "cache": "ok"}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    # Redis down: the node still serves every page, uncached (tests/cress/test_degraded.py),
    # so the load balancer keeps it; the state says so.
    broken = client.get("/sante/")
    assert broken.status_code == 200
    assert broken.json()["etat"] == "dégradé"
    assert broken.json()["cache"].startswith("dégradé")


def test_no_secret_or_database_is_tracked():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=settings.BASE_DIR, capture_output=True, text=True
    ).stdout
    assert not re.search(r"(^|/)(\.env|db\.sqlite3|.*\.sqlite3)$", tracked, re.M)
