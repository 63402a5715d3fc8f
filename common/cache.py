"""The content version and the cache of public pages.

**Content version.** One counter, in the shared cache, that every change of content
bumps once per unit of work (``follow``, the last follower of ``common/changes.py``).
Cached answers are stored under the
version they were computed for, so an edit makes every older answer unreachable at once:
an editor sees their change on the public page immediately, on every worker and machine.

**Page cache.** ``PublicPageCacheMiddleware`` keeps, for anonymous visitors, the last
GET answer of each public page (HTML, JSON) with the version it was made for, and with
every header its view set (for the API, one answer per ``Accept`` header: JSON, GeoJSON). The same
version: served as is. An older one: the first request recomputes the page while, until
it is done, the others get the older answer (one computation per page and version, never
eight at once after an edit). It never stores an answer that sets a cookie, uses the CSRF
token (a form), is not a 200, streams (CSV), asks not to be cached, or was made for
someone logged in; the admin is never cached.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.http.request import split_domain_port
from django.urls import Resolver404, resolve

from . import db_router
from .changes import follower
from .querystring import parameters_of

VERSION_KEY = "contenu:version"
PAGE_TIMEOUT = 60 * 60
RECOMPUTE_LOCK_TIMEOUT = 30  # seconds: a recomputation that died frees the page after that
NEVER_CACHED_PREFIXES = ("/sante/", "/static/")  # and the admin (settings.ADMIN_PATH)
# Every header the view set is part of its answer and replayed with it (Last-Modified of
# the feed, Link of the API's pages, X-Robots-Tag of the sitemaps, a page's own
# Permissions-Policy…), but these: recomputed for each answer, or saying where it came from.
DROPPED_HEADERS = {"content-length", "x-cache"}
# Addresses whose answer depends on the Accept header (the API: JSON or GeoJSON, or a 406):
# the header is part of their key.
NEGOTIATED_PREFIXES = ("/api/",)


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        # A time in milliseconds: larger than any version a lost counter ever reached.
        cache.add(VERSION_KEY, int(time.time() * 1000), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def bump():
    """Makes every cached answer stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or the cache lost it)
        cache.set(VERSION_KEY, int(time.time() * 1000), timeout=None)


@follower("version du cache", order=90)
def follow(changes):
    """Once the changes are committed: a page recomputed before would be cached under the
    new version with the old data."""
    transaction.on_commit(bump)


def digest(text):
    """A short, safe cache key for any address (query strings may be long or odd)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def degraded():
    """True while the shared cache is out of reach (``common/cache_backend.py``): what must
    be the same on every worker is then computed, never kept in one process's memory."""
    return getattr(cache, "degraded", False)


def cached(key, compute, timeout=PAGE_TIMEOUT):
    """``compute()``, kept under ``key`` for the current content version."""
    version = content_version()
    if degraded():
        return compute()
    full_key = f"v{version}:{digest(key)}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        if not db_router.lagging():  # read on a replica behind this version
            cache.set(full_key, value, timeout)
    return value


def page_key(method, address, accept=None):
    """The key of a page's answer. What tells answers apart: the method, the full address
    with scheme and host name (an answer made for one is never served for another; the port
    is not part of it) and, for the API, the Accept header."""
    text = address if accept is None else f"{address}\naccept:{accept}"
    return f"page:{method}:{digest(text)}"


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def cacheable_request(self, request):
        return (
            settings.DIRECTORY_PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not db_router.recently_wrote(request)  # reads the primary (a replica set up)
            and not request.path.startswith((*NEVER_CACHED_PREFIXES, "/" + settings.ADMIN_PATH))
        )

    @staticmethod
    def page_parameters(request):
        """The query parameters the page reads (``common.querystring.parameters_of``), or
        None when it does not say."""
        if request.path_info.startswith(NEGOTIATED_PREFIXES):
            return frozenset(request.GET)  # the API answers an unknown one with a 400
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return parameters_of(match.func)

    @staticmethod
    def without_unknown_parameters(request, parameters):
        """The same address without the parameters the page does not read: one cached
        answer per address it knows, whatever a visitor adds (a permanent redirect, cheap
        and never stored)."""
        query = request.GET.copy()
        for name in set(query) - parameters:
            del query[name]
        encoded = query.urlencode()
        response = HttpResponsePermanentRedirect(request.path + (f"?{encoded}" if encoded else ""))
        response["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def replay(stored, state):
        version, status, headers, content = stored
        response = HttpResponse(content, status=status)
        for name, value in headers:
            response[name] = value
        response["X-Cache"] = state
        return response

    def __call__(self, request):
        # The Host header first, on every address, cached or not: one that is not allowed
        # raises DisallowedHost, which Django answers with the 400 page.
        host = request.get_host()
        if not self.cacheable_request(request):
            return self.get_response(request)
        parameters = self.page_parameters(request)
        if parameters is None and request.GET:
            return self.get_response(request)  # a page that names none of its parameters
        if parameters is not None and set(request.GET) - parameters:
            return self.without_unknown_parameters(request, parameters)
        version = content_version()
        if degraded():
            return self.get_response(request)  # served uncached until Redis answers again
        accept = request.META.get("HTTP_ACCEPT", "") if request.path_info.startswith(NEGOTIATED_PREFIXES) else None
        # The name without its port: the site's pages name no host (common/site.py), and a
        # visitor's choice of port must not multiply the entries (nor split them between
        # processes that listen on different ports behind one proxy).
        name = split_domain_port(host)[0] or host.lower()
        key = page_key(request.method, f"{request.scheme}://{name}{request.get_full_path()}", accept)
        stored = cache.get(key)
        if stored is not None:
            if stored[0] == version:
                return self.replay(stored, "hit")
            if not cache.add(f"recompute:{version}:{key}", 1, RECOMPUTE_LOCK_TIMEOUT):
                return self.replay(stored, "stale")  # another request is recomputing it
        response = self.get_response(request)
        if self.cacheable_response(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in DROPPED_HEADERS]
            cache.set(key, (version, response.status_code, headers, response.content), PAGE_TIMEOUT)
            response["X-Cache"] = "miss"
        elif stored is not None:
            # The page's answer is no longer one to keep (a redirect, an error): the older
            # one must not be served to the next visitors.
            cache.delete(key)
        return response

    @staticmethod
    def cacheable_response(request, response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_USED")
            and "private" not in cache_control
            and "no-store" not in cache_control
            and not db_router.lagging()  # read on a replica behind this version
        )
