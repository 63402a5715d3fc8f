"""What ``actions`` adds to the organisation pages of ``actors`` (registered in
``ActionsConfig.ready`` through ``actors/extensions.py``): an actor's programmes with
their actions and partners, its quotes, key figures and events; a partner's part in
programmes and actions. Visibility is each model's ``visible_to`` (drafts only for staff)."""

from django.db.models import Prefetch, Q

from actors import extensions, successors
from common.collation import french, french_key

from .models import Action, Event, KeyFigure, Partnership, Programme, Quote


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


def partnerships_of(user, condition):
    return list(
        Partnership.objects.visible_to(user)
        .filter(condition)
        .select_related("organisation")
        .order_by("role", *french("organisation__name"), "pk")
    )


def with_today(partnerships, user):
    """Each partner's body of today (``organisation.today``: an old name leads to it),
    in one query for the whole page (actors/successors.py)."""
    successors.attach_today([p.organisation for p in partnerships], user)
    return partnerships


def actor_section(request, actor):
    user = request.user
    visible_actions = Action.objects.visible_to(user).order_by("order", "pk")
    programmes = list(
        Programme.objects.visible_to(user)
        .filter(actor=actor)
        .order_by("-start_year", *french("title"))
        .prefetch_related(Prefetch("actions", queryset=visible_actions))
    )
    # Two index lookups (on the actor's programmes, on its actions) rather than one OR that
    # PostgreSQL plans as a scan of every partnership and programme.
    partnerships = sorted(
        partnerships_of(user, Q(programme__actor=actor)) + partnerships_of(user, Q(action__actor=actor)),
        key=lambda p: (p.role, french_key(p.organisation.name), p.pk),
    )
    with_today(partnerships, user)
    attach_partners(programmes, partnerships)
    partners = {}
    for partnership in partnerships:
        partners.setdefault(partnership.organisation, []).append(partnership)
    return {
        "programmes": programmes,
        "partners": sorted(partners.items(), key=lambda item: french_key(item[0].name)),
        "quotes": list(
            Quote.objects.visible_to(user).filter(actor=actor).select_related("event", "person_organisation")
        ),
        "key_figures": list(
            KeyFigure.objects.visible_to(user).filter(actor=actor).select_related("programme")
        ),
        "events": list(Event.objects.visible_to(user).filter(actor=actor).select_related("place")),
    }


def partner_section(request, partner):
    partnerships = (
        Partnership.objects.visible_to(request.user)
        .filter(organisation=partner)
        .select_related(
            "programme", "programme__actor", "action", "action__programme", "action__programme__actor"
        )
        .order_by("role", "pk")
    )
    return {"partnerships": list(partnerships)}


def register():
    extensions.actor_sections.append(actor_section)
    extensions.partner_sections.append(partner_section)
