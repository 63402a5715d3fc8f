"""Security headers on every answer (placed above the page cache, so cached pages carry
them too): the Content-Security-Policy of ``settings.CONTENT_SECURITY_POLICY`` (django-csp)
and a Permissions-Policy. Django's SecurityMiddleware adds HSTS (with ``DJANGO_HTTPS``),
``X-Content-Type-Options``, ``Referrer-Policy`` and ``Cross-Origin-Opener-Policy``.

The admin's pages also allow inline *styles* (Django's admin and its history pages set a
few ``style`` attributes); scripts stay strict everywhere: no ``unsafe-inline``."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith("/" + settings.ADMIN_PATH):
            replace = dict(parts.replace or {})
            replace["style-src"] = [SELF, UNSAFE_INLINE]
            parts = PolicyParts(parts.config, parts.update, replace, parts.nonce)
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
