"""Addresses that moved answer with a permanent redirect (301) to where the page is now:

- an object whose slug changed (its history, django-simple-history, remembers the old one);
- an organisation merged into another (``merged_into``: the one kept).

And where a page sends its visitor back (``?retour=``, ``?next=``), :func:`back_to` is the
one rule: an address of this site, or nothing.

``redirect_moved(model)`` wraps a detail view ``view(request, slug)``: when the view finds
nothing (404), the old address is looked up and, if it leads somewhere, redirected."""

from functools import wraps

from django.http import Http404, HttpResponsePermanentRedirect
from django.utils.http import url_has_allowed_host_and_scheme

MAX_HOPS = 10  # merged into a merged one…


def back_to(url, default=""):
    """``url`` when it is a path of this site, else ``default``: Django's
    ``url_has_allowed_host_and_scheme`` with no host allowed refuses « //evil.example »,
    « /\\evil.example », « /<tab>/evil.example » (which browsers read as another site)
    and any scheme."""
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return default


def moved_to(model, slug):
    """The object that the address ``slug`` now leads to, or None."""
    manager = model._default_manager
    target = manager.filter(slug=slug).first()
    if target is None and hasattr(model, "history"):
        pk = model.history.filter(slug=slug).order_by("-history_date").values_list("id", flat=True).first()
        target = manager.filter(pk=pk).first() if pk is not None else None
    for _ in range(MAX_HOPS):
        if target is None or not getattr(target, "merged_into_id", None):
            break
        target = manager.filter(pk=target.merged_into_id).first()
    if target is None or target.slug == slug:
        return None
    return target


def redirect_moved(model):
    def decorator(view):
        @wraps(view)
        def wrapped(request, slug, *args, **kwargs):
            try:
                return view(request, slug, *args, **kwargs)
            except Http404:
                target = moved_to(model, slug)
                if target is None:
                    raise
                return HttpResponsePermanentRedirect(target.get_absolute_url())

        return wrapped

    return decorator
