"""Settings for the CRESS Basse-Normandie ESS directory.

Everything that differs between a laptop and production is read from the environment:

- ``DATABASE_URL``: ``postgres://user:pass@host:5432/name`` -> PostgreSQL through psycopg 3,
  the only engine; unset, ``manage.py`` and the tests start a private one first
  (``common/localdb.py``).
- ``DJANGO_SECRET_KEY``: required whenever ``DEBUG`` is off (the start stops with a clear
  message otherwise: a key drawn per process would break sessions and CSRF tokens across
  gunicorn workers); in debug (``make run``) a random key is drawn.
- ``DJANGO_DEBUG``: off unless set to ``1``.
- ``DJANGO_ADMIN_PATH``: the administration's address (default ``admin/``).
- ``DJANGO_PROXY_COUNT``: how many trusted proxies add ``X-Forwarded-For`` before the site
  (default 1 with ``DJANGO_HTTPS``, else 0): the visitor's address (``common/client.py``)
  that the admin door, the contributions' limit and the API throttle count.
- ``DJANGO_SESSION_HOURS``: how long a staff session lasts (default 8).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated; defaults to localhost, 127.0.0.1, [::1].
- ``DJANGO_HTTPS``: ``1`` behind an HTTPS proxy in production: SSL redirect, HSTS,
  secure cookies, trusted ``X-Forwarded-Proto``.
- ``DJANGO_CSRF_TRUSTED_ORIGINS``: comma-separated origins (https://annuaire.example).
- ``DATABASE_REPLICA_URL``: a streaming replica of ``DATABASE_URL``'s database (optional):
  anonymous visitors' public reads go to it (``common/db_router.py``).
- ``REDIS_URL``: ``redis://host:6379/0`` -> the shared cache (pages, content version);
  unset -> this process's memory (fine for one process, wrong for several).
- ``DJANGO_CACHE_PREFIX``: prefix of the cache keys (several sites on one Redis).
- ``DIRECTORY_DATA_LICENCE_NAME`` / ``DIRECTORY_DATA_LICENCE_URL``: the open-data licence.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# Commands that build or inspect the project and never sign anything (a session, a CSRF
# token, a link): they run without a key, e.g. `manage.py makemigrations --check` in CI
# or `collectstatic` while building an image. The key stays empty: Django refuses any use
# of an empty key, so nothing can be signed with it by mistake.
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "collectstatic", "help"}


def management_command():
    """The command of ``manage.py <command>`` this process runs, or "" (a server, a script)."""
    if len(sys.argv) > 1 and os.path.basename(sys.argv[0]) in {"manage.py", "django-admin"}:
        return sys.argv[1]
    return ""


DEBUG = env_flag("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "").strip()
if not SECRET_KEY and not (not DEBUG and management_command() in KEYLESS_COMMANDS):
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY n'est pas défini. Hors mode debug, la clé secrète est obligatoire et doit "
            "être la même pour tous les processus (sinon sessions et jetons CSRF échouent au hasard). "
            'Créez-en une avec : python3 -c "import secrets; print(secrets.token_urlsafe(50))" puis '
            "exportez DJANGO_SECRET_KEY=… (ou lancez « make run », qui tourne en mode debug)."
        )
    SECRET_KEY = get_random_secret_key()  # debug only: a throw-away key for this process
SECRET_KEY_FROM_ENVIRONMENT = bool(os.environ.get("DJANGO_SECRET_KEY", "").strip())
# The laptop's local.env, when manage.py read it (common/localenv.py): `check --deploy` refuses it.
LOCAL_ENV_READ = os.environ.get("DIRECTORY_LOCAL_ENV", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # The admin without its automatic discovery: cress/apps.py registers every app's admin
    # but the task queue's own table (English, and not for staff: « Tâches de fond » is).
    "django.contrib.admin.apps.SimpleAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "simple_history",
    "common.apps.AdminDoorConfig",  # django-axes, named in French
    "common",
    "territories",
    "actors",
    "actions",
    "suggestions",
    # Prescribers follow a search: saved searches, their digests (follows/).
    "follows",
    # Spreadsheets in and out of the admin (imports/): django-import-export's resources.
    "import_export",
    "imports",
    # Background work: the queue (a table of PostgreSQL), run by `manage.py db_worker`.
    "django_tasks",
    "django_tasks_db",
    "jobs",
    # Other sites show the directory in a frame (/integrer/), counted per site.
    "embeds",
    "cress",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "common.staticfiles.StaticFilesMiddleware",  # whitenoise, the manifest kept private
    # --- HTTP for the open data (issue 21) ---------------------------------------------
    # Brotli or gzip for data answers (API, CSV, sitemaps, feed), never for HTML. Outside
    # the page cache (it stores plain answers) and above everything that reads the body.
    "common.compression.CompressionMiddleware",
    # Cross-origin reading of the API and the CSV exports (any origin, GET/HEAD/OPTIONS,
    # no credentials); answers preflights before anything else runs.
    "common.cors.OpenDataCORSMiddleware",
    # --- end of the open-data block -----------------------------------------------------
    # Above the page cache: what must be on every answer, served from the cache or not.
    "common.security.SecurityHeadersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # ETag of every buffered answer, 304 on If-None-Match / If-Modified-Since.
    # The limits per client of the API and the CSV exports (common/client.py): above the
    # page cache, so that its answers count too; and above the 304s (ConditionalGet), so that an
    # export a 304 replaced is seen as one that streams nothing (its slot freed at once).
    "common.client.ClientRateLimitMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # (Issue 21) Cache-Control on every answer, an ETag for the streamed CSV, Vary: Accept
    # on the API (common/http_cache.py): below ConditionalGet (its 304 copies them), above
    # the page cache (cached answers get them too).
    "common.http_cache.CachingHeadersMiddleware",
    # Reads from the replica or the primary (DATABASE_REPLICA_URL), a 503 when the primary
    # refuses a write (common/db_router.py). Above the page cache: it asks whether the
    # replica lagged before keeping a page.
    "common.db_router.ReplicaMiddleware",
    # Anonymous visitors' public pages, from the shared cache (common/cache.py); it checks
    # the Host header first, on every address.
    "common.cache.PublicPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Every request that may write is one unit of work (common/changes.py): what follows its
    # changes runs once, after the view, with the user and the reason in the history.
    "common.changes.ContentChangesMiddleware",
    # Last: counts failed admin logins (the admin door).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cress.urls"
WSGI_APPLICATION = "cress.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cress.context_processors.site",
            ],
        },
    },
]

# PostgreSQL, the only engine. ``manage.py`` and the test suite start a private server
# when DATABASE_URL is unset (common/localdb.py); a server process (gunicorn) must be given
# one.
_database_url = os.environ.get("DATABASE_URL", "").strip()
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL n'est pas défini : indiquez la base PostgreSQL "
        "(postgres://utilisateur:motdepasse@hôte:5432/base). En local, « make run » et « .venv/bin/python "
        "manage.py … » démarrent un PostgreSQL privé tout seuls."
    )
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL doit désigner une base PostgreSQL (postgres://…).")
# Short queries: PostgreSQL's JIT compiles for 80 ms to save less than that.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# A streaming replica of that database (optional): anonymous visitors' public reads go to
# it, everything else to the primary (common/db_router.py: the rules and the lag); a client
# reads the primary for this many seconds after it wrote.
_replica_url = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(_replica_url, conn_max_age=60, conn_health_checks=True)
    if DATABASES["replica"]["ENGINE"] != DATABASES["default"]["ENGINE"]:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL doit désigner une base PostgreSQL (postgres://…).")
    DATABASES["replica"]["OPTIONS"] = {**DATABASES["default"]["OPTIONS"], **DATABASES["replica"].get("OPTIONS", {})}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # the tests' database has no replica
    DATABASE_ROUTERS = ["common.db_router.ReplicaRouter"]
DATABASE_REPLICA_STICKY_SECONDS = int(os.environ.get("DATABASE_REPLICA_STICKY_SECONDS", "10"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache: Redis when REDIS_URL is set (shared by every worker and machine: the page
# cache and the content version must be), else this process's memory (one process only).
# Redis itself runs with a memory limit and evicts the least recently used keys (README,
# « Production »): every key has a timeout or is cheap to lose.
REDIS_URL = os.environ.get("REDIS_URL", "").strip()


def redis_cache(location, prefix):
    """The shared cache on Redis at ``location`` (the tests' too): Django's RedisCache with
    a circuit breaker, so that Redis down, the site serves its pages uncached instead of
    failing (common/cache_backend.py). A Redis that does not answer costs a request one
    second at most, once per RETRY_SECONDS and process."""
    return {
        "BACKEND": "common.cache_backend.ResilientRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        "RETRY_SECONDS": 30,
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL, os.environ.get("DJANGO_CACHE_PREFIX", "annuaire"))}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr-fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
# Our corrections and additions to the libraries' French (locale/fr/LC_MESSAGES/django.po):
# read before theirs.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# What staff upload (organisations' logos, actors/logos.py): served by the web server in
# production (README, « Production »), by Django in debug (cress/urls.py); backed up.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "").strip() or BASE_DIR / "media")
MEDIA_URL = "/media/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # In production (DEBUG off) run ``collectstatic``: whitenoise serves the compressed,
    # fingerprinted files. The test suite swaps in the plain storage (tests/conftest.py).
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"
# Where a login lands when its « next » is missing or leads elsewhere (Django would say
# /accounts/profile/, a 404 here): staff log in to the admin.
LOGIN_REDIRECT_URL = "admin:index"
CSRF_FAILURE_VIEW = "cress.views.csrf_failure"
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip().strip("/") + "/"

# Staff sessions: stored in the database (shared by every worker), ending after a working
# day and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_HOURS", "8")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# The admin door (django-axes, its database handler: one count for every worker): after 5
# failed logins for an account or from an address, 15 minutes of lockout; an
# « Administrateur » unlocks in the admin (« Connexions à l'administration » › « Tentatives de
# connexion ») or with ``manage.py axes_reset``.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "errors/locked_out.html"
AXES_RESET_ON_SUCCESS = True
# The visitor's address, behind PROXY_COUNT trusted proxies that append X-Forwarded-For:
# one rule (common/client.py) for the admin door, the contributions' limit and the API.
PROXY_COUNT = int(os.environ.get("DJANGO_PROXY_COUNT", "1" if env_flag("DJANGO_HTTPS") else "0"))
AXES_CLIENT_IP_CALLABLE = "common.client.client_address"

# History of staff edits (django-simple-history).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# HTTPS hardening, for production behind a TLS-terminating proxy.
if env_flag("DJANGO_HTTPS"):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): nothing inline on public pages, nothing from
# elsewhere but the map tiles; never framed, but the views marked ``frameable`` (the
# embeds, /integrer/liste/ and /integrer/carte/: ``frame-ancestors *``, no
# X-Frame-Options). The admin also allows inline styles (common/security.py). The map's tile address is configurable (DIRECTORY_TILE_URL).
DIRECTORY_TILE_URL = os.environ.get("DIRECTORY_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
_tile_origin = "/".join(DIRECTORY_TILE_URL.split("/")[:3]).replace("{s}.", "*.")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _tile_origin],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features the site never uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)

# One line per event: Django's own loggers write through the root's console handler only
# (its default configuration adds a second console handler in debug); errors also go to
# ADMINS by e-mail when debug is off. The development server's request lines
# (« django.server ») keep their own single handler.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
        },
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO", "propagate": True}},
}

# The directory itself. The apps whose models are the published content: a change of one
# goes through the unit of work (common/changes.py: coverage, search documents,
# duplicates, the cache version, the history's reason).
DIRECTORY_CONTENT_APPS = ("territories", "actors", "actions")
# The apps whose models staff edit in the admin: « Éditeurs » may view, add and change them
# (common/staff.py, synced after every migrate), « recent changes » list their history.
DIRECTORY_STAFF_APPS = ("territories", "actors", "actions", "suggestions", "follows", "imports", "jobs", "embeds")
# The directory's region: no code names a region or a département, all read this
# (territories/region.py). The former Basse-Normandie (INSEE 25), part of Normandie (28)
# since 2016; « liaison »: INSEE's « typeLiaison » of its name (3: « de la Basse-Normandie »);
# its départements in the order the lists' « Département » filter offers them.
DIRECTORY_REGION = {
    "code": "25",
    "name": "Basse-Normandie",
    "liaison": 3,
    "current_region": "28",
    "departements": {"14": "Calvados", "50": "Manche", "61": "Orne"},
}
# What the site and its publisher are called: the region's name, never written elsewhere.
DIRECTORY_SITE_NAME = f"Annuaire de l'ESS en {DIRECTORY_REGION['name']}"
DIRECTORY_CRESS_NAME = os.environ.get("DIRECTORY_CRESS_NAME", f"CRESS {DIRECTORY_REGION['name']}")
# One page size for every list, page and API answer.
DIRECTORY_PAGE_SIZE = 20
# Anonymous visitors' pages from the shared cache (common/cache.py); the test suite turns it
# off except in the tests of the cache itself.
DIRECTORY_PAGE_CACHE = True
# The site's own address, for links in e-mails (verification, moderation).
DIRECTORY_SITE_URL = os.environ.get("DIRECTORY_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long a re-user's cache may keep an open-data answer (API, CSV, feed, sitemaps) before
# revalidating it (common/http_cache.py); HTML pages are revalidated on every visit.
DIRECTORY_OPEN_DATA_MAX_AGE = int(os.environ.get("DIRECTORY_OPEN_DATA_MAX_AGE", "300"))
# Freshness: a published profile is « à revoir » when not verified for this many months;
# the link sent to an organisation to confirm its listing lasts this many days.
DIRECTORY_REVERIFY_MONTHS = int(os.environ.get("DIRECTORY_REVERIFY_MONTHS", "12"))
DIRECTORY_VERIFICATION_DAYS = int(os.environ.get("DIRECTORY_VERIFICATION_DAYS", "30"))
# A search followed but never confirmed (« Me prévenir ») is deleted after this many days
# (send_digests); its address is kept for nothing else.
DIRECTORY_FOLLOW_UNCONFIRMED_DAYS = int(os.environ.get("DIRECTORY_FOLLOW_UNCONFIRMED_DAYS", "7"))
# The national address base, for « geocode » (reachable in production only).
DIRECTORY_GEOCODER_URL = os.environ.get("DIRECTORY_GEOCODER_URL", "https://api-adresse.data.gouv.fr/search/")

# Background work (jobs/): the queue is a table of the database (django-tasks-db), run by
# `manage.py db_worker` (started by `make run` beside the site; a service in production).
# An import of more rows than this, and an export of more rows than that, go to the worker
# with a progress bar; smaller ones answer at once. E-mails are always sent by the worker,
# retried this many times, this many seconds apart (doubling).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
JOBS_IMPORT_ROWS = int(os.environ.get("JOBS_IMPORT_ROWS", "1000"))
JOBS_EXPORT_ROWS = int(os.environ.get("JOBS_EXPORT_ROWS", "5000"))
JOBS_EMAIL_ATTEMPTS = 5
JOBS_EMAIL_RETRY_SECONDS = 60
# A job waiting longer than this while no worker took it: the page says so.
JOBS_WORKER_SILENCE_SECONDS = 60

# E-mail: moderators are told of each contribution (DJANGO_MODERATORS: addresses separated
# by commas); senders of the outcome. Console in debug when no server is set.
MANAGERS = [("Modération", address) for address in env_list("DJANGO_MODERATORS", [])]
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_flag("DJANGO_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_EMAIL_FROM", "annuaire@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = "[Annuaire ESS] "
if not EMAIL_HOST and DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DIRECTORY_DATA_LICENCE_NAME = os.environ.get(
    "DIRECTORY_DATA_LICENCE_NAME", "Licence Ouverte / Open Licence version 2.0 (Etalab)"
)
DIRECTORY_DATA_LICENCE_URL = os.environ.get(
    "DIRECTORY_DATA_LICENCE_URL", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
)
# The legal notice (« Mentions légales », required of a French public site) and the contact
# page: who publishes the site, who answers, who hosts it. `check --deploy` warns while
# one is missing (cress/checks.py).
DIRECTORY_PUBLISHER = os.environ.get(
    "DIRECTORY_PUBLISHER", f"{DIRECTORY_CRESS_NAME} (Chambre régionale de l'économie sociale et solidaire)"
)
DIRECTORY_PUBLISHER_ADDRESS = os.environ.get("DIRECTORY_PUBLISHER_ADDRESS", "")
DIRECTORY_PUBLICATION_DIRECTOR = os.environ.get("DIRECTORY_PUBLICATION_DIRECTOR", "")
DIRECTORY_CONTACT_EMAIL = os.environ.get("DIRECTORY_CONTACT_EMAIL", "")
DIRECTORY_HOST_DETAILS = os.environ.get("DIRECTORY_HOST_DETAILS", "")
DIRECTORY_SOURCE_TITLE = f"{DIRECTORY_CRESS_NAME} — « Les acteurs de l'Economie Sociale et Solidaire »"

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # A 406 that names the formats served (issue 21).
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "common.negotiation.DirectoryContentNegotiation",
    "DEFAULT_FILTER_BACKENDS": ["common.api_filters.DirectoryFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "common.pagination.DirectoryPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Per client (common.client.client_address), counted in the shared cache, for every
    # answer, from the page cache or not: ``common.client.ClientRateLimitMiddleware`` (not
    # DRF's throttle classes, which only see what the page cache did not serve). « anon »:
    # the API; « export »: the CSV exports. A 429 carries Retry-After.
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DIRECTORY_API_RATE", "600/minute"),
        "export": os.environ.get("DIRECTORY_EXPORT_RATE", "6/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"API de l'annuaire ESS {DIRECTORY_REGION['name']}",
    "DESCRIPTION": "API en lecture seule des acteurs, programmes, actions, partenaires, "
    f"territoires et secteurs publiés par la {DIRECTORY_CRESS_NAME}.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # What a re-user needs to know before relying on it (Spectral's spectral:oas, run by CI):
    # the data's licence, whom to ask, where it is served, what each group of addresses is.
    "LICENSE": {"name": DIRECTORY_DATA_LICENCE_NAME, "url": DIRECTORY_DATA_LICENCE_URL},
    "CONTACT": {
        "name": DIRECTORY_CRESS_NAME,
        "url": f"{DIRECTORY_SITE_URL}/contact/",
        **({"email": DIRECTORY_CONTACT_EMAIL} if DIRECTORY_CONTACT_EMAIL else {}),
    },
    # The site's own address; the document served by the site names the address it was
    # asked at (common.api.servers_of_the_request).
    "SERVERS": [{"url": DIRECTORY_SITE_URL, "description": "L'annuaire"}],
    "TAGS": [
        {"name": "racine", "description": "Les points d'accès de l'API."},
        {"name": "acteurs", "description": "Les acteurs de l'ESS publiés, en JSON ou en GeoJSON (la carte)."},
        {"name": "actions", "description": "Les actions publiées, avec leurs territoires, secteurs et publics."},
        {"name": "programmes", "description": "Les programmes qui regroupent des actions."},
        {"name": "organisations", "description": "Les organisations partenaires (organismes publics, réseaux, collectivités)."},
        {"name": "territoires", "description": "Régions, départements et communes (Code officiel géographique de l'INSEE)."},
        {"name": "secteurs", "description": "Les secteurs et thèmes."},
        {
            "name": "data-inclusion",
            "description": "Les acteurs et leurs actions au format du schéma data·inclusion v1 (structures, services).",
        },
    ],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.servers_of_the_request",
    ],
    # GeoJSON's « type » takes three fixed values: one named enum each.
    "ENUM_NAME_OVERRIDES": {
        "TypeGeometrieEnum": ["Point"],
        "TypeElementEnum": ["Feature"],
        "TypeCollectionEnum": ["FeatureCollection"],
    },
}

# Whole-list CSV exports streamed at once on the whole site (common/client.py): beyond, a 429
# with Retry-After, so that downloads never take every worker from the pages.
DIRECTORY_EXPORT_SLOTS = int(os.environ.get("DIRECTORY_EXPORT_SLOTS", "1"))
