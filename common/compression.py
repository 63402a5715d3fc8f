"""Compressed answers for the API only (JSON, GeoJSON: the map's data are about 500 KB
for 2,000 points, 48 KB compressed).

HTML pages are left to the TLS proxy: a page that reflects what was typed next to a
secret (a form's CSRF token) must not be compressed by the application (BREACH). The
API is read-only, anonymous and holds no secret."""

from django.middleware.gzip import GZipMiddleware


class ApiGZipMiddleware(GZipMiddleware):
    prefix = "/api/"

    def process_response(self, request, response):
        if not request.path.startswith(self.prefix):
            return response
        return super().process_response(request, response)
