"""One unit of work: what follows a change of content runs once per batch, from here.

A change of content — an organisation, a programme, an action, their territories, sectors
and publics, a vocabulary — has consequences: the effective coverage and the search
documents of what it touches (``actions/coverage.py``), the likely duplicates of an
organisation (``imports/duplicates.py``), the version of the page cache
(``common/cache.py``), and the history's « why » and « who ». They are the **followers**
of a change, registered with ``follower()`` by their apps (this module imports none of
them) and run in their ``order``:

====  ================================  ===========================================
 10   coverage and search documents     ``actions`` (``coverage.follow``)
 20   likely duplicates                 ``imports`` (``duplicates.follow``)
 89   the primary's WAL position        ``common`` (``db_router.follow``)
 90   the cache version                 ``common`` (``cache.follow``)
====  ================================  ===========================================

``with content_changes(reason=…, user=…) as changes:`` opens a unit of work: every save,
deletion and relation change of a content model inside it (the signals of
``connect()``, and the bulk writers' own ``changes.saved(model, pks)``) is collected,
and at the end of the block — once, in one transaction — each follower runs for exactly
what changed. Nested blocks join the outer one. A block that raises runs nothing (its
transaction is rolled back by the caller). Outside any block, a change is its own unit:
a save in the shell is followed at once.

Everything that writes content goes through it: every request that may write
(``ContentChangesMiddleware``: the admin's forms, inlines and bulk actions, merges,
moderation, one unit per request, with its user), imports, the loader, the restore, the
demo-data generator and the test factories. No follower is ever switched off by a flag: a
writer that must not trigger one says so on its own unit (``preview=True``: an import
simulation, only the followers that report — duplicates — run; ``skip``: an import
without the duplicate check; ``everything()``: a restore, every derived value rebuilt;
``isolated=True``: a unit that follows its changes at its own end even inside a request,
as an import that reports what its followers found).
"""

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

_current = ContextVar("content_changes", default=None)
_followers = []


@dataclass
class Follower:
    order: int
    name: str
    function: object
    previews: bool  # also runs for a preview (an import simulation)


def follower(name, order, previews=False):
    """Registers ``function(changes)`` to run at the end of every unit of work."""

    def register(function):
        _followers[:] = sorted(
            [f for f in _followers if f.name != name] + [Follower(order, name, function, previews)],
            key=lambda f: f.order,
        )
        return function

    return register


@dataclass
class Changes:
    """What a unit of work changed, for its followers."""

    reason: str = ""
    user: object = None
    preview: bool = False
    saved: dict = field(default_factory=lambda: defaultdict(set))  # model -> pks
    fields: dict = field(default_factory=dict)  # model -> names of the fields written (None: any)
    deleted: dict = field(default_factory=lambda: defaultdict(list))  # model -> instances (as they were)
    skip: tuple = ()  # names of followers this unit does not run
    rebuild: bool = False  # everything changed (a restore)
    removed: bool = False  # rows removed in bulk, no item to follow (the demo data deleted)
    discarded: bool = False  # its changes were rolled back (a request that failed): nothing follows
    results: dict = field(default_factory=dict)  # follower name -> what it found

    def add(self, model, pks, fields=None):
        """``pks`` of ``model`` were written; ``fields``: which fields, if known (a status
        change need not look for duplicates)."""
        pks = {pk for pk in pks if pk is not None}
        if not pks:
            return
        model = model._meta.concrete_model
        self.saved[model].update(pks)
        known = self.fields.get(model, set())
        self.fields[model] = None if fields is None or known is None else known | set(fields)

    def wrote_any(self, model, names):
        """Whether the saves of ``model`` may have written one of the fields ``names``."""
        written = self.fields.get(model, set())
        return written is None or bool(written & set(names))

    def add_deleted(self, instance):
        self.deleted[type(instance)._meta.concrete_model].append(instance)

    def everything(self):
        self.rebuild = True

    def bulk_removed(self):
        self.removed = True

    def pks(self, model):
        """The saved keys of ``model`` (deleted rows are in ``deleted``)."""
        return self.saved.get(model, set())

    def __bool__(self):
        if self.discarded:
            return False
        return self.rebuild or self.removed or any(self.saved.values()) or any(self.deleted.values())


def current():
    return _current.get()


@contextmanager
def content_changes(reason="", user=None, preview=False, skip=(), isolated=False):
    """Collects the changes of content made inside the block and runs their followers,
    once, at its end (see this module). Inside another unit, joins it — unless
    ``isolated`` (or ``preview``, whose changes are rolled back)."""
    outer = _current.get()
    if outer is not None and not (isolated or preview):
        if reason and not outer.reason:
            outer.reason = reason
        yield outer
        return
    changes = Changes(
        reason=reason, user=user or getattr(outer, "user", None), preview=preview, skip=tuple(skip)
    )
    token = _current.set(changes)
    try:
        yield changes
    finally:
        _current.reset(token)
    follow(changes)


def follow(changes):
    if not changes:
        return
    with transaction.atomic():
        for item in _followers:
            if item.name not in changes.skip and (item.previews or not changes.preview):
                item.function(changes)


def saved(model, pks, fields=None):
    """Bulk writers (``COPY``, ``update()``) say what they wrote: no signal does."""
    with content_changes() as changes:
        changes.add(model, pks, fields)


class ChangesQuerySet(models.QuerySet):
    """The queryset of content models: ``update()``, which sends no signal, tells the unit
    of work which rows and fields it wrote, so that what follows a change (coverage,
    visibility, documents, the cache) follows a bulk update too."""

    def update(self, **kwargs):
        if not is_content(self.model):
            return super().update(**kwargs)
        with content_changes() as changes:
            pks = list(self.order_by().values_list("pk", flat=True))
            count = super().update(**kwargs)
            changes.add(self.model, pks, kwargs)
        return count

    update.alters_data = True

    def delete(self):
        with content_changes():  # the cascade's rows, followed once, after the last is gone
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True


class ChangesModel(models.Model):
    """A content model whose ``delete()`` is one unit of work: the rows its cascade removes
    are followed once, after the last is gone — not after the first, which would recompute
    what is about to be deleted."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        with content_changes():
            return super().delete(*args, **kwargs)


def everything():
    with content_changes() as changes:
        changes.everything()


def bulk_removed():
    with content_changes() as changes:
        changes.bulk_removed()


# --- the signals feed it -------------------------------------------------------------------


def is_content(model):
    """A model of the published content (its history records are not: they follow)."""
    historical = getattr(model, "instance_type", None) is not None  # django-simple-history's records
    return model._meta.app_label in settings.DIRECTORY_CONTENT_APPS and not historical


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not is_content(sender):  # raw: a fixture or a restore loads derived values as they were
        return
    saved(sender, [instance.pk], update_fields)


def _on_delete(sender, instance, **kwargs):
    if not is_content(sender):
        return
    with content_changes() as changes:
        changes.add_deleted(instance)


def _on_relation(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear") or not is_content(type(instance)):
        return
    relation = next(
        (
            f
            for f in (model if reverse else type(instance))._meta.many_to_many
            if f.remote_field.through is sender
        ),
        None,
    )
    fields = [relation.name] if relation is not None else None
    with content_changes() as changes:
        if action == "pre_clear":
            if reverse and relation is not None:  # sector.organisations.clear(): who loses it, read before
                changes.add(model, sender.objects.filter(**{relation.m2m_reverse_field_name(): instance.pk})
                            .values_list(relation.m2m_field_name(), flat=True), fields)  # fmt: skip
            return
        if reverse and pk_set:  # sector.organisations.add(…): the changed items are in pk_set
            changes.add(model, pk_set, fields)
        changes.add(type(instance), [instance.pk], None if reverse else fields)


def connect():
    """Called by ``CommonConfig.ready``: every content model's signals feed the unit
    (connected per model: other models keep Django's fast deletes)."""
    missing = [label for label in settings.DIRECTORY_CONTENT_APPS if not apps.is_installed(label)]
    assert not missing, f"DIRECTORY_CONTENT_APPS names apps that are not installed: {missing}"
    for label in settings.DIRECTORY_CONTENT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not is_content(model):
                continue
            uid = model._meta.label_lower
            post_save.connect(_on_save, sender=model, dispatch_uid=f"content-changes-save-{uid}")
            post_delete.connect(_on_delete, sender=model, dispatch_uid=f"content-changes-delete-{uid}")
            for relation in model._meta.local_many_to_many:
                through = relation.remote_field.through
                m2m_changed.connect(
                    _on_relation, sender=through, dispatch_uid=f"content-changes-m2m-{uid}-{relation.name}"
                )


def _history_reason(sender, history_instance, **kwargs):
    """The history says why and who for every record a unit of work writes (« Import du
    fichier … », « Fusion … », the admin's user), unless the writer said it itself."""
    changes = _current.get()
    if changes is None:
        return
    if not history_instance.history_change_reason and changes.reason:
        history_instance.history_change_reason = changes.reason
    if history_instance.history_user_id is None and getattr(changes.user, "pk", None):
        history_instance.history_user_id = changes.user.pk


def connect_history():
    from simple_history.signals import pre_create_historical_record

    pre_create_historical_record.connect(_history_reason, dispatch_uid="content-changes-history")


class ContentChangesMiddleware:
    """One unit of work per request that may write (not GET, HEAD, OPTIONS), with the
    request's user: an admin form and its inlines, a bulk action, a merge are followed
    once, after the view (and its transaction)."""

    SAFE = {"GET", "HEAD", "OPTIONS", "TRACE"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.SAFE:
            return self.get_response(request)
        user = getattr(request, "user", None)
        with content_changes(user=user if getattr(user, "is_authenticated", False) else None) as changes:
            response = self.get_response(request)
            if response.status_code >= 500:  # the view failed: its transaction was rolled back
                changes.discarded = True
            return response
