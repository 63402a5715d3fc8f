"""What ``suggestions`` adds to the pages of the apps below it: the « Signaler une erreur »
link of an actor's, a programme's and an action's page, as ``report_url`` in their context
(registered in ``SuggestionsConfig.ready`` through ``actors/extensions.py`` and
``actions/extensions.py``: those pages name no URL of ours)."""

from django.urls import reverse

from actions import extensions as action_pages
from actors import extensions as actor_pages


def report_link(url_name):
    """A page section giving the address of the report form about the page's object."""

    def section(request, obj):
        return {"report_url": reverse(url_name, args=[obj.slug])}

    return section


def register():
    actor_pages.actor_sections.append(report_link("suggestions:report-actor"))
    action_pages.programme_sections.append(report_link("suggestions:report-programme"))
    action_pages.action_sections.append(report_link("suggestions:report-action"))
