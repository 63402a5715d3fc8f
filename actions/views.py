"""Public pages of programmes, actions and events, and the list of actions."""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from actors.extensions import section_context
from actors.models import Sector
from actors.nearby import NearbyMixin
from actors.views import territories_prefetch, vocabulary_of
from common import structured_data
from common.listing import DirectoryListView, MatchesMixin
from common.querystring import query_parameters
from common.redirects import redirect_moved
from common.search import DOCUMENT_FIELDS
from common.site import absolute_url

from . import exports
from .extensions import action_sections, programme_sections
from .filters import ActionFilterSet, EventFilterSet, ProgrammeFilterSet
from .models import (
    ACTOR_DEFERRED,
    LIST_DEFERRED,
    Action,
    Event,
    KeyFigure,
    Programme,
)
from .profile import attach_partners, partnerships_of, with_today


class NoCsvMixin:
    """A list without a CSV export (``?format=csv`` is a 404 that says where the data is)."""

    def csv_response(self, queryset):
        raise Http404("Cette liste ne s'exporte pas en CSV : les données ouvertes sont sur /api/v1/.")


class ActionListView(MatchesMixin, NearbyMixin, DirectoryListView):
    filterset_class = ActionFilterSet
    list_name = "Actions"
    template_name = "actions/action_list.html"

    csv_name = "actions-ess-basse-normandie"
    csv_columns = exports.COLUMNS

    def get_queryset(self):
        return Action.objects.published().for_list()

    def position(self, action):
        actor = action.programme.actor
        return actor.latitude, actor.longitude

    def texts(self, action):
        return action.description, action.source_text, action.editorial_note

    def shown(self, action):
        return {"title": action.title, "programme": action.programme.title, "actor": action.programme.actor.name}

    def csv_rows(self, ids, site_url):
        return exports.rows(ids, site_url)


def sector_pages(request, sectors):
    """(name, absolute address of its page) of sectors given as {name, slug}."""
    return [(s["name"], absolute_url(Sector(slug=s["slug"]).get_absolute_url())) for s in sectors]


@query_parameters()
@redirect_moved(Programme)
def programme_detail(request, slug):
    actions = Action.objects.visible_to(request.user).order_by("order", "pk")
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("actor")
        .prefetch_related(
            territories_prefetch("effective_territories"), Prefetch("actions", queryset=actions)
        ),
        slug=slug,
    )
    partnerships = with_today(
        partnerships_of(request.user, Q(programme=programme) | Q(action__programme=programme)), request.user
    )
    attach_partners([programme], partnerships)
    sectors, publics = vocabulary_of(programme.effective_sectors.all(), programme.effective_publics.all())
    territories = list(programme.effective_territories.all())
    jsonld = structured_data.programme(
        programme, absolute_url, programme.actor, territories,
        programme.partner_list, programme.summary or programme.description, sector_pages(request, sectors),
    )  # fmt: skip
    return render(
        request,
        "actions/programme_detail.html",
        {
            "jsonld": structured_data.script(jsonld),
            "programme": programme,
            "territories": territories,
            "sectors": sectors,
            "publics": publics,
            "key_figures": list(KeyFigure.objects.visible_to(request.user).filter(programme=programme)),
            "events": list(
                Event.objects.visible_to(request.user).filter(programme=programme).select_related("place")
            ),
            **section_context(programme_sections, request, programme),
        },
    )


@query_parameters()
@redirect_moved(Action)
def action_detail(request, slug):
    """An action: its programme and actor, parent and sub-items, partners, territories
    down to the commune (historic and current names), dates."""
    action = get_object_or_404(
        Action.objects.visible_to(request.user)
        .select_related("programme", "programme__actor", "parent")
        .prefetch_related(territories_prefetch("effective_territories")),
        slug=slug,
    )
    sub_actions = list(Action.objects.visible_to(request.user).filter(parent=action).order_by("order", "pk"))
    territories = list(action.effective_territories.all())
    sectors, publics = vocabulary_of(action.effective_sectors.all(), action.effective_publics.all())
    partnerships = with_today(partnerships_of(request.user, Q(action=action)), request.user)
    jsonld = structured_data.service(
        action, absolute_url, action.programme.actor, territories,
        action.description or action.programme.summary, sector_pages(request, sectors), [p["name"] for p in publics],
    )  # fmt: skip
    return render(
        request,
        "actions/action_detail.html",
        {
            "jsonld": structured_data.script(jsonld),
            "action": action,
            "programme": action.programme,
            "sub_actions": sub_actions,
            "territories": territories,
            "sectors": sectors,
            "publics": publics,
            "partnerships": partnerships,
            **section_context(action_sections, request, action),
        },
    )


@query_parameters()
def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.visible_to(request.user).select_related("actor", "place", "programme"),
        slug=slug,
    )
    organisers = list(event.organisers.visible_to(request.user))
    jsonld = structured_data.event(event, absolute_url, organisers)
    return render(
        request,
        "actions/event_detail.html",
        {
            "event": event,
            "organisers": organisers,
            "quotes": list(event.quotes.visible_to(request.user).select_related("person_organisation")),
            "jsonld": structured_data.script(jsonld),
        },
    )


class ProgrammeListView(MatchesMixin, NoCsvMixin, NearbyMixin, DirectoryListView):
    """/actions/programmes/: published programmes, by title (searching, the most relevant
    first), filtered as the actions are."""

    filterset_class = ProgrammeFilterSet
    list_name = "Programmes"
    template_name = "actions/programme_list.html"

    def get_queryset(self):
        return Programme.objects.published().select_related("actor").defer(*LIST_DEFERRED, *ACTOR_DEFERRED)

    def position(self, programme):
        return programme.actor.latitude, programme.actor.longitude

    def texts(self, programme):
        return programme.summary, programme.description, programme.source_text

    def shown(self, programme):
        return {"title": programme.title, "actor": programme.actor.name}


class EventListView(MatchesMixin, NoCsvMixin, DirectoryListView):
    """/actions/evenements/: published events, the most recent first (those without a
    year last); searching, the most relevant first."""

    filterset_class = EventFilterSet
    list_name = "Événements"
    template_name = "actions/event_list.html"

    def get_queryset(self):
        return Event.objects.published().select_related("actor", "place__current").defer(
            *ACTOR_DEFERRED, *(f"place__{name}" for name in DOCUMENT_FIELDS)
        )

    def texts(self, event):
        return event.theme, event.description, event.source_text

    def shown(self, event):
        return {"title": event.title, "actor": event.actor.name}
