"""Public pages of programmes, actions and events — and the pages that show an
organisation together with its programmes: the actor profile and the partner page
(``actors`` never imports ``actions``; cress/urls.py routes these under ``actors``)."""

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, render

from actors.models import Organisation, Status, Territory
from actors.views import territories_prefetch, vocabulary_of
from cress import structured_data
from cress.listing import DirectoryListView

from .filters import ActionFilterSet
from .models import Action, Event, KeyFigure, Partnership, Programme, Quote


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
        ("Territoires", lambda a, base: " | ".join(t.display_name for t in a.territories.all())),
        ("Codes INSEE", lambda a, base: " | ".join(t.code for t in a.territories.all())),
        ("Secteurs", lambda a, base: " | ".join(s.name for s in a.sectors.all())),
        ("Publics", lambda a, base: " | ".join(p.name for p in a.publics.all())),
        (
            "Partenaires",
            lambda a, base: " | ".join(
                f"{p.organisation.name} ({p.get_role_display()})" for p in a.partnerships.all()
            ),
        ),
        ("Description", lambda a, base: a.description),
        ("Fiche", lambda a, base: base + a.get_absolute_url()),
        ("Mise à jour", lambda a, base: a.updated_at.date().isoformat()),
    ]

    def get_queryset(self):
        return Action.objects.published().for_list()

    def csv_response(self, queryset):
        queryset = queryset.prefetch_related(
            territories_prefetch(), "sectors", "publics", "partnerships__organisation"
        )
        return super().csv_response(queryset)


def attach_partners(programmes, partnerships):
    """Sets ``partner_list`` on each programme and action, ``top_actions`` and ``children``."""
    by_programme, by_action = {}, {}
    for partnership in partnerships:
        target = by_programme if partnership.programme_id else by_action
        target.setdefault(partnership.programme_id or partnership.action_id, []).append(partnership)
    for programme in programmes:
        programme.partner_list = by_programme.get(programme.pk, [])
        actions = list(programme.actions.all())
        children = {}
        for action in actions:
            action.partner_list = by_action.get(action.pk, [])
            if action.parent_id:
                children.setdefault(action.parent_id, []).append(action)
        for action in actions:
            action.children = children.get(action.pk, [])
        programme.top_actions = [action for action in actions if action.parent_id is None]


def partnerships_of(condition):
    return list(
        Partnership.objects.filter(condition, organisation__status=Status.PUBLISHED)
        .select_related("organisation")
        .order_by("role", "organisation__name")
    )


def actor_detail(request, slug):
    """The actor profile: identity, network, territories, sectors, publics, programmes
    with their actions and dates, partners with their roles, quotes, key figures, source,
    related actors. 10 queries at most, whatever the amount of data."""
    actor = get_object_or_404(
        Organisation.objects.visible_to(request.user)
        .actors()
        .select_related("parent")
        .prefetch_related(territories_prefetch()),
        slug=slug,
    )
    visible_actions = Action.objects.visible_to(request.user).order_by("order", "pk")
    programmes = list(
        Programme.objects.visible_to(request.user)
        .filter(actor=actor)
        .order_by("-start_year", "title")
        .prefetch_related(Prefetch("actions", queryset=visible_actions))
    )
    partnerships = partnerships_of(Q(programme__actor=actor) | Q(action__programme__actor=actor))
    attach_partners(programmes, partnerships)
    partners = {}
    for partnership in partnerships:
        partners.setdefault(partnership.organisation, []).append(partnership)
    sectors, publics = vocabulary_of("organisations", actor)
    related = (
        Organisation.objects.actors().published().exclude(pk=actor.pk)
        .filter(sectors__slug__in=[s["slug"] for s in sectors]).distinct().order_by("name")[:5]
    )  # fmt: skip
    territories = list(actor.territories.all())
    return render(
        request,
        "actors/actor_detail.html",
        {
            "jsonld": structured_data.script(
                structured_data.organisation(actor, request.build_absolute_uri, territories)
            ),
            "actor": actor,
            "programmes": programmes,
            "partners": sorted(partners.items(), key=lambda item: item[0].name),
            "sectors": sectors,
            "publics": publics,
            "quotes": list(Quote.objects.filter(actor=actor).select_related("event", "person_organisation")),
            "key_figures": list(KeyFigure.objects.filter(actor=actor).select_related("programme")),
            "related": list(related),
            "events": list(
                Event.objects.visible_to(request.user).filter(actor=actor).select_related("place")
            ),
        },
    )


def partner_detail(request, slug):
    """A partner organisation: its programmes and actions, with role and period."""
    partner = get_object_or_404(
        Organisation.objects.visible_to(request.user)
        .select_related("parent")
        .prefetch_related(territories_prefetch()),
        slug=slug,
    )
    visible_programmes = Programme.objects.visible_to(request.user)
    visible_actions = Action.objects.visible_to(request.user)
    partnerships = list(
        Partnership.objects.filter(organisation=partner)
        .filter(Q(programme__in=visible_programmes) | Q(action__in=visible_actions))
        .select_related(
            "programme", "programme__actor", "action", "action__programme", "action__programme__actor"
        )
        .order_by("role", "pk")
    )
    jsonld = structured_data.organisation(
        partner, request.build_absolute_uri, list(partner.territories.all())
    )
    return render(
        request,
        "actors/partner_detail.html",
        {"partner": partner, "partnerships": partnerships, "jsonld": structured_data.script(jsonld)},
    )


def programme_detail(request, slug):
    actions = Action.objects.visible_to(request.user).order_by("order", "pk")
    programme = get_object_or_404(
        Programme.objects.visible_to(request.user)
        .select_related("actor")
        .prefetch_related(territories_prefetch(), Prefetch("actions", queryset=actions)),
        slug=slug,
    )
    partnerships = partnerships_of(Q(programme=programme) | Q(action__programme=programme))
    attach_partners([programme], partnerships)
    sectors, publics = vocabulary_of("programmes", programme)
    jsonld = structured_data.project(
        programme, request.build_absolute_uri, programme.actor, list(programme.territories.all()),
        partnerships, programme.summary or programme.description,
    )  # fmt: skip
    return render(
        request,
        "actions/programme_detail.html",
        {
            "jsonld": structured_data.script(jsonld),
            "programme": programme,
            "sectors": sectors,
            "publics": publics,
            "key_figures": list(KeyFigure.objects.filter(programme=programme)),
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
        .prefetch_related(territories_prefetch()),
        slug=slug,
    )
    sub_actions = list(Action.objects.visible_to(request.user).filter(parent=action).order_by("order", "pk"))
    territories = list(action.territories.all())
    inherited_from = None
    if not territories:
        territories = list(
            Territory.objects.filter(programmes=action.programme).select_related("current", "parent")
        ) or list(
            Territory.objects.filter(organisations=action.programme.actor_id).select_related(
                "current", "parent"
            )
        )
        inherited_from = "programme"
    sectors, publics = vocabulary_of("actions", action)
    partnerships = partnerships_of(Q(action=action))
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
            "territories_inherited": inherited_from is not None,
            "sectors": sectors,
            "publics": publics,
            "partnerships": partnerships,
        },
    )


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.visible_to(request.user)
        .select_related("actor", "place", "programme")
        .prefetch_related("organisers"),
        slug=slug,
    )
    jsonld = structured_data.event(event, request.build_absolute_uri, list(event.organisers.all()))
    return render(
        request,
        "actions/event_detail.html",
        {
            "event": event,
            "quotes": list(event.quotes.select_related("person_organisation")),
            "jsonld": structured_data.script(jsonld),
        },
    )
