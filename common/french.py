"""The admin in French where Django and the libraries write English of their own making,
not from a translation catalogue (their catalogued messages are translated, or corrected,
in locale/fr/). Run once from ``CommonConfig.ready`` and after each ``migrate``:

- **Models they generate** — a many-to-many relation's link table (« Relation
  action-sector: Action_sectors object (12) » on a deletion page), a history's model
  (« historical organisation » in the permissions and the content types): named in
  French at start-up (``name_generated_models``). Names only: the models' options are not
  touched, so no migration follows.
- **Permissions** — Django names them in English in the database (« Can add historical
  action »), whatever the language: renamed « Peut ajouter « action » » after each
  migrate, once created (``name_permissions``).
- **Yes/no icons** — Django's alt text says « True », « False », « None » to a screen
  reader (``boolean_icons``): « oui », « non », « inconnu ».
"""

from django.apps import apps
from django.conf import settings
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import format_html

VERBS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "consulter"}


def _name(opts, singular, plural):
    opts.verbose_name, opts.verbose_name_plural = singular, plural
    opts.__dict__.pop("verbose_name_raw", None)  # a cached_property read from verbose_name


def _link_str(target):
    def __str__(self):
        return str(getattr(self, target))

    return __str__


def name_generated_models():
    """French names for the link tables of many-to-many relations and for the models of
    the histories (django-simple-history's ``Historical…``)."""
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        owner = opts.auto_created
        if owner:  # the link table of a many-to-many relation
            field = next((f for f in owner._meta.local_many_to_many if f.remote_field.through is model), None)
            if field is None:
                continue
            _name(opts, f"lien « {field.verbose_name} »", f"liens « {field.verbose_name} »")
            model.__str__ = _link_str(field.m2m_reverse_field_name())
    for model in apps.get_models():
        attribute = getattr(model._meta, "simple_history_manager_attribute", None)
        if attribute is None:
            continue
        historical = getattr(model, attribute).model
        _name(historical._meta, f"historique : {model._meta.verbose_name}",
              f"historique : {model._meta.verbose_name_plural}")  # fmt: skip
        for field_name, through in _historical_links(historical):
            field = model._meta.get_field(field_name)
            _name(through._meta, f"historique : lien « {field.verbose_name} »",
                  f"historique : liens « {field.verbose_name} »")  # fmt: skip


def _historical_links(historical):
    """(relation name, its historical link model) for a history that keeps relations."""
    for field in getattr(historical, "_history_m2m_fields", []):
        for related in historical._meta.related_objects:
            if related.related_model.__name__ == f"{historical.__name__}_{field.name}":
                yield field.name, related.related_model


def permission_names(model):
    """{codename: French name} of ``model``'s default permissions (in French whatever the
    language active: ``migrate`` runs with none)."""
    with translation.override(settings.LANGUAGE_CODE):
        noun = str(model._meta.verbose_name)
    return {f"{action}_{model._meta.model_name}": f"Peut {VERBS[action]} « {noun} »"
            for action in model._meta.default_permissions if action in VERBS}  # fmt: skip


def name_permissions(sender, using="default", **kwargs):
    """A ``post_migrate`` receiver, after Django's (which creates the permissions with
    English names): the default permissions of ``sender``'s models in French, in two
    queries per app, none when they already are."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    models = list(sender.get_models())
    if not models or not apps.is_installed("django.contrib.auth"):
        return
    types = ContentType.objects.db_manager(using).get_for_models(*models, for_concrete_models=False)
    wanted = {(types[model].pk, codename): name for model in models for codename, name in permission_names(model).items()}
    changed = []
    for permission in Permission.objects.using(using).filter(content_type__in=types.values()):
        name = wanted.get((permission.content_type_id, permission.codename))
        if name and permission.name != name:
            permission.name = name
            changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"])


def _boolean_icon(value):
    icon = {True: "yes", False: "no", None: "unknown"}[value]
    text = {True: "oui", False: "non", None: "inconnu"}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


def boolean_icons():
    """Django's yes/no icons (lists, read-only fields) with a French alt text. Django reads
    ``_boolean_icon`` from this module at each call (contrib.admin.utils, helpers)."""
    from django.contrib.admin.templatetags import admin_list

    admin_list._boolean_icon = _boolean_icon

