"""The visitor's address, one rule for every count kept per address: the admin door
(django-axes, ``AXES_CLIENT_IP_CALLABLE``), the public contributions' limit, and the limits
of the API and the CSV exports (``ClientRateLimitMiddleware``).

Behind ``settings.PROXY_COUNT`` trusted proxies (``DJANGO_PROXY_COUNT``), each appends the
address it sees to ``X-Forwarded-For``: the outermost one appends the visitor's, and the
innermost one is ``REMOTE_ADDR``. The visitor is thus the N-th entry from the right;
whatever lies further left was written by the visitor and is never read. Without proxies,
the address is ``REMOTE_ADDR`` and the header is ignored."""

import ipaddress
import math

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, JsonResponse
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


def _ip(value):
    """``value`` as a normalised IP address, or None when it is not one."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except (AttributeError, ValueError):
        return None


def client_address(request):
    """The visitor's IP address, or "" when not even ``REMOTE_ADDR`` is one."""
    remote = _ip(request.META.get("REMOTE_ADDR", "")) or ""
    proxies = getattr(settings, "PROXY_COUNT", 0)
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not header.strip():
        return remote  # no proxy, or one reached directly: the peer is the visitor
    entries = header.split(",")
    # Fewer entries than proxies: every entry was appended by a trusted proxy (a client's
    # own would make the list longer), so the leftmost is the farthest one they saw.
    return _ip(entries[-min(proxies, len(entries))]) or remote


class ClientRateThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, counted per ``client_address``. Its rate is read from the
    settings when the throttle is made (``DEFAULT_THROTTLE_RATES``, not a copy taken at
    import), so that a changed setting takes effect."""

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            raise ImproperlyConfigured(f"No default throttle rate set for {self.scope!r} scope") from None

    def get_ident(self, request):
        return client_address(request)

    def get_cache_key(self, request, view):
        # Every client counts (the API knows no logged-in user): a Django request, before
        # authentication, is enough.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ExportRateThrottle(ClientRateThrottle):
    """The public CSV exports (``?format=csv`` of every list): each one reads the whole
    list (10,000 actors: 0.9 s of a worker, 2.9 MB)."""

    scope = "export"


def limit_of(request):
    """The limit ``request`` counts against, or None."""
    if request.path_info.startswith("/api/"):
        return ClientRateThrottle()
    if request.GET.get("format") == "csv":
        return ExportRateThrottle()
    return None


def too_many_requests(request, wait):
    seconds = max(1, math.ceil(wait or 1))
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"detail": f"Trop de requêtes depuis votre adresse : réessayez dans {seconds} secondes."},
            status=429,
        )
    else:
        response = HttpResponse(
            f"Trop de téléchargements depuis votre adresse : réessayez dans {seconds} secondes.\n",
            content_type="text/plain; charset=utf-8",
            status=429,
        )
    response["Retry-After"] = str(seconds)
    return response


class ClientRateLimitMiddleware:
    """One rule for the limits per client: the API (``DEFAULT_THROTTLE_RATES["anon"]``,
    ``DIRECTORY_API_RATE``) and the CSV exports (``["export"]``, ``DIRECTORY_EXPORT_RATE``),
    counted in the shared cache. Above the page cache, so that an answer it serves counts
    as much as a computed one; a 429 carries Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = limit_of(request)
        if limit is not None and not limit.allow_request(request, None):
            return too_many_requests(request, limit.wait())
        if isinstance(limit, ExportRateThrottle):
            return export_in_a_slot(request, self.get_response)
        return self.get_response(request)


# A whole list in CSV holds a worker for as long as it streams (100,000 actors: 34 MB,
# about 14 s): a few downloaders at once, each within their own limit, would take every
# worker from the pages. So the site streams at most DIRECTORY_EXPORT_SLOTS exports at once,
# on all its processes (slots in the shared cache); a slot a killed process never freed is
# free again after EXPORT_SLOT_SECONDS.
EXPORT_SLOT_SECONDS = 300
EXPORT_BUSY_SECONDS = 30


def export_in_a_slot(request, get_response):
    slots = [f"export:creneau:{n}" for n in range(max(1, settings.DIRECTORY_EXPORT_SLOTS))]
    slot = next((key for key in slots if cache.add(key, 1, EXPORT_SLOT_SECONDS)), None)
    if slot is None:
        response = HttpResponse(
            "D'autres téléchargements complets sont en cours : réessayez dans "
            f"{EXPORT_BUSY_SECONDS} secondes.\n",
            content_type="text/plain; charset=utf-8",
            status=429,
        )
        response["Retry-After"] = str(EXPORT_BUSY_SECONDS)
        return response
    try:
        response = get_response(request)
    except BaseException:
        cache.delete(slot)
        raise
    if not response.streaming:
        cache.delete(slot)  # a 304, an error: nothing streams
        return response

    response.streaming_content = SlotHeld(response.streaming_content, slot)
    return response


class SlotHeld:
    """The rows of an export, holding its slot until the last is sent or the server closes
    the answer (the client gone, even before the first row: a generator's ``finally``
    would not run then)."""

    def __init__(self, content, slot):
        self.content = iter(content)
        self.slot = slot

    def __iter__(self):
        return self

    def __next__(self):
        try:
            return next(self.content)
        except BaseException:
            self.close()
            raise

    def close(self):
        if self.slot is not None:
            cache.delete(self.slot)
            self.slot = None
        close = getattr(self.content, "close", None)
        if close is not None:
            close()
