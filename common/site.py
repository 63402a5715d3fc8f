"""The site's own address, one rule for every absolute link it writes: the API's ``next``
and ``Link``, the feed's ids, the sitemaps' ``<loc>``, JSON-LD ``url``, canonical links,
the CSV's page addresses, e-mails. They come from ``settings.DIRECTORY_SITE_URL``, never
from the request: a ``Host`` header (any port of an allowed name is allowed) or a scheme
chosen by a visitor must not end up in a page that the shared cache serves to everyone."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(location):
    """The absolute address of ``location`` (a path, with its query string if any) on the
    configured site; an address that is already absolute is returned as is."""
    if urlsplit(location).scheme:
        return location
    return settings.DIRECTORY_SITE_URL + "/" + location.lstrip("/")


def site_scheme_and_domain():
    """(scheme, host[:port]) of the configured site, for Django's sitemaps."""
    parts = urlsplit(settings.DIRECTORY_SITE_URL)
    return parts.scheme, parts.netloc + parts.path.rstrip("/")
