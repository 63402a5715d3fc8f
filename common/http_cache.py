"""What browsers, proxies and re-users' caches may do with an answer (RFC 9111): a
``Cache-Control`` on every answer, and a validator for conditional requests (RFC 9110).

Placed below Django's ``ConditionalGetMiddleware`` (which adds a strong ``ETag`` from the
content of every buffered answer, and answers 304 with these headers copied) and above
the page cache, so an answer served from the page cache gets them exactly as a computed
one.

- **Open data** (the API, the CSV exports, the feed, the sitemaps, robots.txt):
  ``public, max-age=settings.DIRECTORY_OPEN_DATA_MAX_AGE`` (5 minutes): a re-user's cache
  keeps an answer that long, then revalidates it (a 304 when nothing changed).
- **Public HTML pages**: ``public, no-cache``: stored, but revalidated on every visit, so
  that an edit shows at once (the ETag makes that a 304 without the page's body).
- **Anything made for someone** (a session, a cookie set, a form's CSRF token): ``private,
  no-cache``; the admin keeps Django's own ``never_cache`` headers.
- **Errors**: ``no-cache``; a 429 or a server error ``no-store``.

A view that sets its own ``Cache-Control`` (the health check: ``no-store``) keeps it.

The CSV exports stream, so no ETag can be computed from their content: theirs is weak
and made of what they depend on — the content version (``common/cache.py``), the day
(the file is dated) and the full address.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from .cache import NEGOTIATED_PREFIXES, content_version, digest

# Buffered answers that are open data wherever they are (the API is by its address).
OPEN_DATA_TYPES = {
    "text/csv",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "text/plain",
}


def made_for_someone(request, response):
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or bool(response.cookies)
        or bool(request.META.get("CSRF_COOKIE_USED"))
    )


def open_data(request, response):
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return request.path_info.startswith(NEGOTIATED_PREFIXES) or media_type in OPEN_DATA_TYPES


def cache_control(request, response):
    if response.status_code == 429 or response.status_code >= 500:
        return "no-store"
    if made_for_someone(request, response):
        return "private, no-cache"
    if response.status_code != 200:
        return "no-cache"
    if open_data(request, response):
        return f"public, max-age={settings.DIRECTORY_OPEN_DATA_MAX_AGE}"
    return "public, no-cache"


def streaming_etag(request):
    key = f"{content_version()}:{timezone.localdate().isoformat()}:{request.get_full_path()}"
    return f'W/"{digest(key)}"'


class CachingHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return response
        if request.path_info.startswith("/" + settings.ADMIN_PATH):
            return response
        if request.path_info.startswith(NEGOTIATED_PREFIXES):
            # JSON or GeoJSON (or a 406) by the Accept header: caches must keep them apart.
            patch_vary_headers(response, ("Accept",))
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = cache_control(request, response)
        if response.streaming and response.status_code == 200 and not response.has_header("ETag"):
            response["ETag"] = streaming_etag(request)
        return response
