"""Template helpers shared by every page: ``{% load directory %}``."""

from django import template
from django.core.paginator import Paginator

register = template.Library()


@register.filter
def elided_range(page):
    """The page numbers to show around ``page`` (a Page), with « … » gaps."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)


@register.filter
def is_gap(value):
    return value == Paginator.ELLIPSIS


@register.simple_tag(takes_context=True)
def page_url(context, param, number):
    """``?…`` : the current address with ``param`` set to ``number`` (other pages and
    filters kept, the CSV format dropped)."""
    query = context["request"].GET.copy()
    query.pop("format", None)
    query[param] = number
    return "?" + query.urlencode()


@register.filter
def nombre(value):
    """A whole number written the French way: « 109 400 » (a narrow no-break space between
    thousands, so the number never breaks across lines)."""
    try:
        return f"{int(value):,}".replace(",", "\u202f")
    except (TypeError, ValueError):
        return value
