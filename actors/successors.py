"""Old names lead to today's: which body is today's, by one rule, read here only.

The source (2001–2008) names public bodies that have since been renamed, merged or
replaced (« la DRTEFP », « les DDTEFP Calvados, Manche et Orne »). Each change is a
``Succession`` (an old body, the body that followed it, the kind of change, its date at
its precision and its source), entered by staff or loaded from
``fixtures/successions.json`` (``actions/loading.py``). The rule:

- **today's body** of an organisation is the end of its line of successors: follow the
  most recent change from it, then from the body it led to, until a body that no change
  leads away from. A body with no successor is today's body itself (``None``).
- The **line** of an organisation (its page) is that walk, preceded by the walk back
  through its predecessors while there is exactly one (a merger of several bodies is
  listed, not drawn as a line).
- Only what the visitor may see counts: for the public, a change whose two bodies are
  published (a draft successor is not shown, and the line stops before it).

Every page, the partner list, the API and the JSON-LD call these functions; no template
or view walks the links itself. Successions are few (tens, hundreds at most): they are
read in one query per page, whatever the number of organisations shown.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from .models import Status, Succession, is_staff

# What a line needs of each body: enough for a link and a label.
_BODY = ("id", "name", "acronym", "slug", "kind", "status")


@dataclass
class Lines:
    """The successions a visitor may see, read once: ``following[pk]`` lists the changes
    that lead away from a body (most recent first), ``preceding[pk]`` those that lead to it."""

    following: dict = field(default_factory=dict)
    preceding: dict = field(default_factory=dict)

    def next_step(self, pk):
        steps = self.following.get(pk)
        return steps[0] if steps else None

    def today(self, pk):
        """Today's body of ``pk`` (an ``Organisation``), or None if ``pk`` is today's."""
        seen, current = {pk}, None
        step = self.next_step(pk)
        while step is not None and step.successor_id not in seen:
            current = step.successor
            seen.add(current.pk)
            step = self.next_step(current.pk)
        return current

    def ancestors(self, pk):
        """Every body that led to ``pk``, directly or not, oldest change first."""
        found, queue, seen = [], [pk], {pk}
        while queue:
            for step in self.preceding.get(queue.pop(0), []):
                if step.predecessor_id not in seen:
                    seen.add(step.predecessor_id)
                    found.append(step)
                    queue.append(step.predecessor_id)
        found.sort(key=lambda step: step.date.sort_key())
        return [step.predecessor for step in found]

    def line(self, organisation):
        """``[(body, step)]`` from the oldest body of a single line to today's: ``step``
        is the ``Succession`` that led to ``body`` (None for the first). Empty when the
        organisation has no predecessor and no successor."""
        back, seen, pk = [], {organisation.pk}, organisation.pk
        while len(self.preceding.get(pk, [])) == 1:
            step = self.preceding[pk][0]
            if step.predecessor_id in seen:
                break
            back.append(step)
            seen.add(step.predecessor_id)
            pk = step.predecessor_id
        forward, step = [], self.next_step(organisation.pk)
        while step is not None and step.successor_id not in seen:
            forward.append(step)
            seen.add(step.successor_id)
            step = self.next_step(step.successor_id)
        if not back and not forward:
            return []
        back.reverse()
        first = back[0].predecessor if back else organisation
        return [(first, None)] + [(step.successor, step) for step in back] + [
            (step.successor, step) for step in forward
        ]


def _visible(prefix, user):
    return Q() if is_staff(user) else Q(**{f"{prefix}__status": Status.PUBLISHED})


def lines(user=None):
    """The successions ``user`` may see (anonymous: both bodies published), in one query."""
    steps = (
        Succession.objects.filter(_visible("predecessor", user), _visible("successor", user))
        .select_related("predecessor", "successor")
        .only(
            "kind", "year", "month", "day", "note", "source", "source_url", "predecessor_id", "successor_id",
            *(f"predecessor__{name}" for name in _BODY), *(f"successor__{name}" for name in _BODY),
        )
        .order_by("-year", "-month", "-day", "-pk")
    )  # fmt: skip
    result = Lines()
    for step in steps:
        result.following.setdefault(step.predecessor_id, []).append(step)
        result.preceding.setdefault(step.successor_id, []).insert(0, step)  # oldest first
    return result


def leads_to(start, target, ignoring=None):
    """Whether the successions lead from the body ``start`` to ``target`` (pks), leaving
    out the succession ``ignoring``: the check that keeps a line from turning round."""
    rows = Succession.objects.exclude(pk=ignoring).values_list("predecessor_id", "successor_id")
    following = {}
    for predecessor, successor in rows:
        following.setdefault(predecessor, []).append(successor)
    queue, seen = [start], {start}
    while queue:
        for successor in following.get(queue.pop(), []):
            if successor == target:
                return True
            if successor not in seen:
                seen.add(successor)
                queue.append(successor)
    return False


def today(organisation, user=None):
    """Today's body of ``organisation``, or None when it is today's body itself."""
    return lines(user).today(organisation.pk)


def attach_today(organisations, user=None):
    """Sets ``today`` on each organisation (today's body, or None), in one query at most
    (none for no organisation)."""
    organisations = [o for o in organisations if o is not None]
    if not organisations:
        return organisations
    known = lines(user)
    for organisation in organisations:
        organisation.today = known.today(organisation.pk)
    return organisations


def current_bodies(queryset):
    """Of ``queryset`` (organisations), those no visible change leads away from: the
    bodies of today, for « organismes d'aujourd'hui »."""
    moved = Succession.objects.filter(successor__status=Status.PUBLISHED).values("predecessor_id")
    return queryset.exclude(pk__in=moved)



