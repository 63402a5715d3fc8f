"""Public pages of programmes, actions and events, and the list of actions."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from actors.views import join, territories_prefetch, vocabulary_of
from common import structured_data
from common.listing import DirectoryListView

from .filters import ActionFilterSet
from .models import Action, Event, KeyFigure, Programme
from .profile import attach_partners, partnerships_of


class ActionListView(DirectoryListView):
    filterset_class = ActionFilterSet
    template_name = "actions/action_list.html"
    title = "Programmes et actions"

    csv_name = "actions-ess-basse-normandie"
    csv_columns = [
        ("Action", lambda a, base: a.title),
        ("Acteur", lambda a, base: a.programme.actor.name),
        ("Programme", lambda a, base: a.programme.title),
        ("Action parente", lambda a, base: a.parent.title if a.parent else ""),
        ("Période", lambda a, base: a.period_display or a.programme.period_display),
        ("Début (ISO)", lambda a, base: a.start.iso()),
        ("Territoires", lambda a, base: join(a.effective_territories.all(), "display_name")),
        ("Codes INSEE", lambda a, base: join(a.effective_territories.all(), "code")),
        ("Territoires : origine", lambda a, base: a.get_territories_from_display()),
        ("Secteurs", lambda a, base: join(a.effective_sectors.all(), "name")),
        ("Publics", lambda a, base: join(a.effective_publics.all(), "name")),
        (
            "Partenaires",
            lambda a, base: " | ".join(
                f"{p.organisation.name} ({p.get_role_display()})" for p in a.public_partnerships
            ),
        ),
        ("Description", lambda a, base: a.description),
        ("Fiche", lambda a, base: base + a.get_absolute_url()),
        ("Mise à jour", lambda a, base: a.updated_at.date().isoformat()),
    ]

    def get_queryset(self):
        return Action.objects.published().for_list()

    def get_csv_queryset(self, queryset):
        return queryset.with_coverage().with_public_partnerships()


def programme_detail(request, slug):
    actions = Action.objects.visible_to(request.user).order_by("order", "pk")
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("actor")
        .prefetch_related(territories_prefetch("effective_territories"), Prefetch("actions", queryset=actions)),
        slug=slug,
    )
    partnerships = partnerships_of(request.user, Q(programme=programme) | Q(action__programme=programme))
    attach_partners([programme], partnerships)
    sectors, publics = vocabulary_of(programme.effective_sectors.all(), programme.effective_publics.all())
    territories = list(programme.effective_territories.all())
    jsonld = structured_data.project(
        programme, request.build_absolute_uri, programme.actor, territories,
        programme.partner_list, programme.summary or programme.description,
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
        },
    )


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
    partnerships = partnerships_of(request.user, Q(action=action))
    jsonld = structured_data.project(
        action, request.build_absolute_uri, action.programme.actor, territories, partnerships,
        action.description or action.programme.summary,
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
        },
    )


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.visible_to(request.user)
        .select_related("actor", "place", "programme"),
        slug=slug,
    )
    organisers = list(event.organisers.visible_to(request.user))
    jsonld = structured_data.event(event, request.build_absolute_uri, organisers)
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
