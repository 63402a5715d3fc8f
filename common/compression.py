"""Compressed open data: brotli or gzip, as the client prefers, for the answers that are
data rather than pages — the API (JSON, GeoJSON, the OpenAPI document), the CSV exports
(streamed, compressed as they stream), the sitemaps, the feed, robots.txt. The CSV of
10,000 actors, 2.8 MB, becomes 258 KB in gzip and 205 KB in brotli; a sitemap of 625 KB,
15 KB and 7 KB (README, « Mesures »).

HTML is never compressed here, because a page that reflects what was typed next to a
secret (a form's CSRF token) must not be compressed (BREACH); the TLS proxy may compress
the pages without a form. For the same reason, nothing that used the CSRF token and
nothing of the admin is compressed, whatever its type. The data answers are anonymous and hold no
secret.

Brotli is preferred when the client accepts it (``br`` in ``Accept-Encoding``, quality
above 0), at a quality made for answers computed on each request (5: most of its gain,
a fraction of the time of 11, which is for files compressed once); gzip otherwise (level
6, Django's). ``Vary: Accept-Encoding`` on every answer that could have been compressed.
"""

import gzip

import brotli
from django.conf import settings
from django.utils.cache import patch_vary_headers
from django.utils.text import compress_sequence

MIN_SIZE = 200  # bytes: smaller answers are not worth it
BROTLI_QUALITY = 5
GZIP_LEVEL = 6

# Types compressed wherever they are: data, never HTML.
DATA_TYPES = {
    "application/json",
    "application/geo+json",
    "application/ld+json",
    "application/vnd.oai.openapi",
    "application/vnd.oai.openapi+json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "text/csv",
    "text/plain",
    "text/xml",
}


def accepted_encodings(header):
    """The codings of an ``Accept-Encoding`` header the client accepts (quality > 0)."""
    accepted = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if name and quality > 0:
            accepted.add(name.strip().lower())
    return accepted


def compressible(request, response):
    media_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return (
        media_type in DATA_TYPES
        and not response.has_header("Content-Encoding")
        and not request.META.get("CSRF_COOKIE_USED")
        and not request.path_info.startswith("/" + settings.ADMIN_PATH)
        and not getattr(response, "is_async", False)
    )


def brotli_sequence(sequence):
    compressor = brotli.Compressor(quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
    for item in sequence:
        data = compressor.process(item)
        if data:
            yield data
    yield compressor.finish()


class CompressionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not compressible(request, response):
            return response
        if not response.streaming and len(response.content) < MIN_SIZE:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        accepted = accepted_encodings(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if "br" in accepted:
            coding = "br"
        elif "gzip" in accepted:
            coding = "gzip"
        else:
            return response

        if response.streaming:
            if coding == "br":
                response.streaming_content = brotli_sequence(response.streaming_content)
            else:
                response.streaming_content = compress_sequence(response.streaming_content)
            del response.headers["Content-Length"]
        else:
            if coding == "br":
                compressed = brotli.compress(response.content, quality=BROTLI_QUALITY, mode=brotli.MODE_TEXT)
            else:
                compressed = gzip.compress(response.content, compresslevel=GZIP_LEVEL, mtime=0)
            if len(compressed) >= len(response.content):
                return response
            response.content = compressed
            response.headers["Content-Length"] = str(len(compressed))

        # The compressed answer is not byte-for-byte the one its ETag names: weak
        # (RFC 9110, 8.8.1), which conditional GETs still match.
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = coding
        return response
