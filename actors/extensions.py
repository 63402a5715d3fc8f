"""Extension points of the organisation pages and of the organisation admin.

``actors`` never imports ``actions``, yet an actor's profile shows its programmes and a
partner's page its partnerships. Apps built on ``actors`` register here, in their
``AppConfig.ready()``, what they add (``actions/profile.py`` and ``actions/admin.py``,
``suggestions/links.py``, ``cress/addresses.py``):

- ``actor_sections``: functions ``(request, actor) -> dict`` merged into the context of
  the actor profile (``actors/views.py``, ``templates/actors/actor_detail.html``);
- ``partner_sections``: the same for the partner page;
- ``organisation_inlines``: admin inlines added to the organisation form;
- ``addresses``: the pages that an app above serves for what ``actors`` holds, by name,
  each a function giving the address (``page_address(name, *args)``): ``"sector"`` (a
  sector's page, ``Sector.get_absolute_url``) and ``"actors-geojson"`` (the actors as
  GeoJSON, which the map reads), both the site's (``cress``). ``actors`` names no URL of
  an app above it, not even in a string (tests/test_architecture.py).
"""

from django.core.exceptions import ImproperlyConfigured

actor_sections = []
partner_sections = []
organisation_inlines = []
addresses = {}


def section_context(sections, request, organisation):
    context = {}
    for section in sections:
        context.update(section(request, organisation))
    return context


def page_address(name, *args):
    """The address of the page ``name`` of ``addresses``."""
    try:
        build = addresses[name]
    except KeyError:
        raise ImproperlyConfigured(f"No app registered the address {name!r} (actors/extensions.py).") from None
    return build(*args)
