"""Extension points of the organisation pages and of the organisation admin.

``actors`` never imports ``actions``, yet an actor's profile shows its programmes and a
partner's page its partnerships. Apps built on ``actors`` register here, in their
``AppConfig.ready()``, what they add (``actions/profile.py`` and ``actions/admin.py``):

- ``actor_sections``: functions ``(request, actor) -> dict`` merged into the context of
  the actor profile (``actors/views.py``, ``templates/actors/actor_detail.html``);
- ``partner_sections``: the same for the partner page;
- ``organisation_inlines``: admin inlines added to the organisation form.
"""

actor_sections = []
partner_sections = []
organisation_inlines = []


def section_context(sections, request, organisation):
    context = {}
    for section in sections:
        context.update(section(request, organisation))
    return context
