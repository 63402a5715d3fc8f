"""Security headers on every answer (placed above the page cache, so cached pages carry
them too): the Content-Security-Policy of ``settings.CONTENT_SECURITY_POLICY`` (django-csp)
and a Permissions-Policy. Django's SecurityMiddleware adds HSTS (with ``DJANGO_HTTPS``),
``X-Content-Type-Options``, ``Referrer-Policy`` and ``Cross-Origin-Opener-Policy``.

The admin's pages also allow inline *styles* (Django's admin and its history pages set a
few ``style`` attributes); scripts stay strict everywhere: no ``unsafe-inline``.

**Framing.** No page may be framed (``frame-ancestors 'none'`` and ``X-Frame-Options:
DENY``), but the views marked ``@frameable`` (the embeds other sites put on their pages,
``embeds/``): any origin may frame them, and they carry no ``X-Frame-Options``. The mark
is on the view, read from the request's resolved view — not an attribute of the answer,
which a 304 of ``ConditionalGetMiddleware`` would lose (a browser updates the headers it
keeps from those of a 304: the frame would then be refused on the next visit). A
frameable view's answer must not come from the page cache (no view is resolved for it):
``embeds`` marks its answers ``private``."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

ANY_ORIGIN = "*"


def frameable(view):
    """Marks ``view`` (a function, or ``as_view()``'s) as one any site may frame."""
    view.frameable = True
    return view


def may_be_framed(request):
    match = getattr(request, "resolver_match", None)
    return bool(match is not None and getattr(match.func, "frameable", False))


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        replace = dict(parts.replace or {})
        if not report_only and request.path_info.startswith("/" + settings.ADMIN_PATH):
            replace["style-src"] = [SELF, UNSAFE_INLINE]
        if not report_only and may_be_framed(request):
            replace["frame-ancestors"] = [ANY_ORIGIN]
        if replace != (parts.replace or {}):
            parts = PolicyParts(parts.config, parts.update, replace, parts.nonce)
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if may_be_framed(request):
            # Set just below by Django's XFrameOptionsMiddleware, which knows no per-view
            # mark that survives a 304: this page may be framed by any site.
            del response["X-Frame-Options"]
        return response
