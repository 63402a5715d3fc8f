"""Atom feed of the latest published or updated programmes and actions."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from actions.models import Action, Programme
from common.site import absolute_url

LIMIT = 20


class LatestFeed(Feed):
    feed_type = Atom1Feed
    title = f"{settings.DIRECTORY_SITE_NAME} — derniers programmes et actions"
    subtitle = f"Programmes et actions publiés ou mis à jour par la {settings.DIRECTORY_CRESS_NAME}."
    language = "fr"
    query_parameters = frozenset()  # common.querystring.parameters_of: it reads none

    # Absolute addresses on the configured site (``common.site``): Django would otherwise
    # prefix the request's host to the feed's ids and links.
    def link(self):
        return absolute_url(reverse("actions:list"))

    def feed_url(self):
        return absolute_url(reverse("site:feed"))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def items(self):
        programmes = list(
            Programme.objects.published().real().select_related("actor").order_by("-updated_at")[:LIMIT]
        )
        actions = list(Action.objects.published().real().for_list().order_by("-updated_at")[:LIMIT])
        return sorted(programmes + actions, key=lambda item: item.updated_at, reverse=True)[:LIMIT]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        actor = item.actor if isinstance(item, Programme) else item.programme.actor
        text = getattr(item, "summary", "") or item.description
        return f"{actor.name} — {text}" if text else actor.name

    def item_updateddate(self, item):
        return item.updated_at

    def item_pubdate(self, item):
        return item.created_at

    def item_author_name(self, item):
        return settings.DIRECTORY_CRESS_NAME
