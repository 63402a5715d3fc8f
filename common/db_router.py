"""Reads from a streaming replica of PostgreSQL (``DATABASE_REPLICA_URL``), writes to the
primary.

Without ``DATABASE_REPLICA_URL`` there is no ``replica`` database, no router, and the
middleware only turns a primary that refuses writes into a French 503: nothing else
changes. With it, the rules, in one place:

- every write goes to ``default`` (the primary): the replica refuses them anyway;
- a read goes to ``replica`` only in a request of an **anonymous visitor** (no session
  cookie) **reading** (GET, HEAD, OPTIONS) a **public** page (not the admin, not ``/sante/``),
  who has **not written** in the last ``DATABASE_REPLICA_STICKY_SECONDS`` (any other method
  leaves a short cookie, ``ecriture_recente``, that sends the next requests to the
  primary: a contributor who sent a form reads what they wrote), and **outside an atomic
  block**;
- every other read goes to ``default``: staff (they have a session cookie), the admin, a
  POST, inside ``transaction.atomic()``, the background worker and management commands
  (no request: the context variable is unset), the test suite's transactions.

**The lag.** A replica replays the primary's changes a moment later (milliseconds on a
healthy network): an anonymous visitor may see a page as old as that lag. What must not
happen is a page read on a replica that lags being kept by the page cache under the new
content version (``common/cache.py``): it would stay wrong until the next edit. So each
unit of work that changed content records the primary's WAL position once committed,
before the version is bumped (follower ``position du primaire``, order 89, before the
cache's 90); a request that reads the replica compares, once, before its first read,
the replica's replayed position with it, and if the replica is behind, its answer and
its computed values are not cached (``lagging()``): the visitor gets the replica's
slightly older page, the next visitor after the replay gets — and caches — the new one.
The position is only raised, never lowered; two commits in two processes within the same
instant may still record it a little low (a read-then-write of the cache): a page may then
be cached a few milliseconds old, until the next edit or the page's hour.

In the test suite (no ``DATABASE_REPLICA_URL``) none of this runs; with it set, the replica
is a test mirror of ``default`` and a test's transaction keeps every read on ``default``.
The replica's own tests start a real one (``tests/replica/``).

A replica that does not answer sends the request to the primary (a warning in the log):
the site stays up, on the primary alone, until the replica is back.

The per-request decision lives in a context variable set by ``ReplicaMiddleware``
(gunicorn's sync workers and threads each have their own context).
"""

import logging
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InternalError, OperationalError, connections, transaction
from django.shortcuts import render

from .changes import follower

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
STICKY_COOKIE = "ecriture_recente"
POSITION_KEY = "contenu:position-primaire"
READING_METHODS = ("GET", "HEAD", "OPTIONS")
PRIMARY_ONLY_PREFIXES = ("/sante/",)  # and the admin (settings.ADMIN_PATH)
RETRY_AFTER_SECONDS = 60


def replica_configured():
    return REPLICA in settings.DATABASES


class ReplicaReads:
    """One request's reads on the replica, checked once before the first: ``behind``, the
    replica had not replayed the last change of content (one short query on it);
    ``unreachable``, it did not answer: this request reads the primary instead."""

    def __init__(self):
        self.checked = False
        self.behind = False
        self.unreachable = False

    def check(self):
        self.checked = True
        target = cache.get(POSITION_KEY) or "0/0"
        try:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_replay_lsn() < %s::pg_lsn", [target])
                self.behind = bool(cursor.fetchone()[0])  # NULL (not a standby): not behind
        except OperationalError:
            logger.warning("La réplique (DATABASE_REPLICA_URL) ne répond pas : lecture sur le primaire.")
            connections[REPLICA].close()
            self.unreachable = True

    @property
    def alias(self):
        return PRIMARY if self.unreachable else REPLICA


_reads = ContextVar("replica_reads", default=None)


def lagging():
    """True when this request read a replica that had not replayed the last change of
    content: what it computed must not be cached under the current content version."""
    reads = _reads.get()
    return bool(reads and reads.behind)


class ReplicaRouter:
    """``DATABASE_ROUTERS`` when ``DATABASE_REPLICA_URL`` is set (cress/settings.py)."""

    def db_for_read(self, model, **hints):
        reads = _reads.get()
        if reads is None or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        if not reads.checked:
            reads.check()
        return reads.alias

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def lsn_number(position):
    high, _, low = position.partition("/")
    return (int(high, 16) << 32) + int(low, 16)


def record_primary_position():
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        position = cursor.fetchone()[0]
    known = cache.get(POSITION_KEY)
    # Never backwards: two workers' commits may record their positions out of order.
    if not known or lsn_number(position) > lsn_number(known):
        cache.set(POSITION_KEY, position, timeout=None)


@follower("position du primaire", order=89)
def follow(changes):
    """Once the changes are committed, and before the cache version is bumped (order 90):
    the position a replica must have replayed to serve the new version."""
    if replica_configured():
        transaction.on_commit(record_primary_position, using=PRIMARY)


def recently_wrote(request):
    """The client sent a form (or any write) in the last seconds: it reads the primary,
    and no cached page either (``common/cache.py``)."""
    return STICKY_COOKIE in request.COOKIES


def public_read(request):
    return (
        request.method in READING_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not recently_wrote(request)
        and not request.path.startswith((*PRIMARY_ONLY_PREFIXES, "/" + settings.ADMIN_PATH))
    )


def refused_write(request, error):
    """The primary refuses writes (read-only: a maintenance, a failover; SQLSTATE 25006),
    or, the site being read from a replica, a request that may write (not GET, HEAD) finds
    it unreachable. Without a replica, no database is the generic error's (nothing can be
    read either)."""
    if isinstance(error, InternalError) and getattr(error.__cause__, "sqlstate", None) == "25006":
        return True
    return isinstance(error, OperationalError) and replica_configured() and request.method not in READING_METHODS


class ReplicaMiddleware:
    """Above the page cache (its ``cacheable_response`` asks ``lagging()``): sets this
    request's reads, leaves the « recently wrote » cookie after a write, and answers a
    clear 503 when the database refuses a write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        token = _reads.set(ReplicaReads() if public_read(request) else None)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in READING_METHODS:
            response.set_cookie(
                STICKY_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError) or not refused_write(request, exception):
            return None
        response = render(request, "errors/read_only.html", status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
