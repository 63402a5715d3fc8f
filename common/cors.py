"""Cross-origin reading of the open data (CORS, https://fetch.spec.whatwg.org/#http-cors-protocol):
a partner's web page, on any origin, may read the API (its JSON, the map's GeoJSON, the
data·inclusion exports, the OpenAPI document) and the lists' CSV exports — by GET, HEAD
or OPTIONS, without credentials. Nothing else: the admin, the forms and the HTML pages
stay same-origin (no CORS header at all).

Our own middleware rather than django-cors-headers: the policy is one fixed set of
headers (any origin, three methods, never credentials), and its reach is not a pattern of
paths alone — the CSV exports share their address with the HTML lists (``/acteurs/?format=csv``),
so the real answers are opened by what they are (``text/csv``), not by where they are.
The library's options (lists of origins, credentials, per-origin ``Vary``) would all be
off here.

- Open-data answers are opened whether or not the request says ``Origin``: the same
  answer for everyone, so the page cache and shared caches need no ``Vary: Origin``.
- A preflight (``OPTIONS`` with ``Access-Control-Request-Method``) to an open-data
  address is answered here with 204, before the view. A preflight grants nothing by
  itself: the browser still needs the real answer to carry ``Access-Control-Allow-Origin``.
- ``Access-Control-Allow-Credentials`` is never sent: a browser then never attaches
  cookies to what it lets another origin read.
"""

from django.conf import settings
from django.http import HttpResponse

# The open-data addresses (the map's GeoJSON and the OpenAPI document are under it).
OPEN_PREFIXES = ("/api/",)
# Answers opened by their content type wherever they are: the lists' CSV exports.
OPEN_CONTENT_TYPES = ("text/csv",)
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# What a reader may send beyond the CORS-safelisted headers: conditional requests (ETag,
# Last-Modified) and the usual ones of fetch libraries.
ALLOWED_HEADERS = "Accept, Accept-Language, Cache-Control, If-Modified-Since, If-None-Match, X-Requested-With"
# What a reader's script may read beyond the safelisted ones (Cache-Control, Content-Type,
# Last-Modified…): the pages (RFC 8288), validators, the throttle's delay, the file name.
EXPOSED_HEADERS = "Link, ETag, Retry-After, Content-Disposition"
PREFLIGHT_MAX_AGE = 24 * 60 * 60  # seconds; browsers cap it lower (Chromium: 2 hours)


def open_address(request):
    """An address whose every answer is open data (and never the admin)."""
    path = request.path_info
    return path.startswith(OPEN_PREFIXES) and not path.startswith("/" + settings.ADMIN_PATH)


def open_answer(request, response):
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.path_info.startswith("/" + settings.ADMIN_PATH):
        return False
    if open_address(request):
        return True
    if response.status_code == 304:  # no body, no type: the revalidation of an export
        return request.GET.get("format") == "csv"
    return response.get("Content-Type", "").split(";")[0].strip() in OPEN_CONTENT_TYPES


def preflight(request):
    return (
        request.method == "OPTIONS"
        and "HTTP_ORIGIN" in request.META
        and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META
    )


def preflight_allowed(request):
    """The open addresses, and the CSV export of any list (``?format=csv``): the answer
    itself says whether it is one (``open_answer``)."""
    if request.path_info.startswith("/" + settings.ADMIN_PATH):
        return False
    return open_address(request) or request.GET.get("format") == "csv"


def add_cors_headers(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response


class OpenDataCORSMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if preflight(request) and preflight_allowed(request):
            response = HttpResponse(status=204)
            del response["Content-Type"]  # no body
            response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
            return add_cors_headers(response)
        response = self.get_response(request)
        if open_answer(request, response):
            add_cors_headers(response)
        return response
