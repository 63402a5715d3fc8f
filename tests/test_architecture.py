"""The stairs run one way: ``cress`` → apps (``embeds`` → ``imports`` → ``suggestions`` → ``actions`` →
``actors`` → ``territories``) → ``jobs`` (background work) → ``common`` — in imports, in strings and in templates."""

import ast
import re
from pathlib import Path
from types import ModuleType

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import URLResolver, get_resolver, resolve

ROOT = Path(settings.BASE_DIR)


def imported_packages(package):
    """{(file, top-level package imported)} for every module of ``package``."""
    found = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add((str(path.relative_to(ROOT)), node.module.split(".")[0]))
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        ("common", {"cress", "embeds", "territories", "actors", "actions", "suggestions", "imports", "jobs"}),
        ("jobs", {"cress", "embeds", "territories", "actors", "actions", "suggestions", "imports"}),
        ("territories", {"cress", "embeds", "actors", "actions", "suggestions", "imports"}),
        ("actors", {"cress", "embeds", "actions", "suggestions", "imports"}),
        ("actions", {"cress", "embeds", "suggestions", "imports"}),
        ("suggestions", {"cress", "embeds", "imports"}),
        ("imports", {"cress", "embeds"}),
        ("embeds", {"cress"}),
    ],
)
def test_no_package_imports_one_above_it(package, forbidden):
    offending = sorted((path, name) for path, name in imported_packages(package) if name in forbidden)
    assert offending == []


def test_no_admin_is_unregistered():
    for package in ("actors", "actions", "suggestions", "imports", "cress", "common"):
        for path in (ROOT / package).rglob("*.py"):
            assert "unregister(" not in path.read_text(encoding="utf-8"), path


def test_the_actor_profile_lives_in_the_actors_app():
    match = resolve("/acteurs/un-acteur/")
    assert match.func.__module__ == "actors.views"
    assert match.namespace == "actors"
    assert (ROOT / "templates" / "actors" / "actor_detail.html").exists()


# --- Names in strings and templates ------------------------------------------------------
#
# An import is not the only way to lean on an app above: ``reverse("site:sector")``, a
# permission « suggestions.change_suggestion », ``{% url 'suggestions:report-actor' %}`` in
# an actor's page. What a higher app adds to a lower page, it registers there (for example
# actors/extensions.py) or gives through the context.

# Top to bottom: an app may name what is at its level or below. One list: a new app is one
# more name (an app not installed, like one still being built, is skipped).
LAYERS = ["cress", "embeds", "imports", "follows", "suggestions", "actions", "actors", "territories", "jobs", "common"]
# Known and owned by someone else's work in progress: (file, name) → why it is still there.
NOT_YET = {}


def layers():
    return [name for name in LAYERS if apps.is_installed(name)]


def above(app):
    """The apps higher than ``app``."""
    order = layers()
    return set(order[: order.index(app)])


def url_owners():
    """({namespace: app}, {name without namespace: app}): the app whose URL module declares
    a namespace (or a name at the root), read from the URLconf itself. The admin's names
    are the models' (``admin:<app label>_…``): see ``owner_of``."""
    namespaces, names = {}, {}

    def walk(resolver, owner):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                module = pattern.urlconf_module
                declared_in = module.__name__.split(".")[0] if isinstance(module, ModuleType) else owner
                if pattern.namespace:
                    namespaces.setdefault(pattern.namespace, declared_in)
                else:
                    walk(pattern, declared_in)
            elif pattern.name:
                names.setdefault(pattern.name, owner)

    walk(get_resolver(), settings.ROOT_URLCONF.split(".")[0])
    return namespaces, names


NAMESPACES, ROOT_NAMES = url_owners()
URL_CALLS = {"reverse", "reverse_lazy", "redirect", "resolve_url", "url"}


def owner_of(name, url_name=False):
    """The app a string names, or None: a URL (``"site:sector"``, ``"admin:imports_export"``,
    ``"health"`` when ``url_name``), an app label alone or as a prefix (« suggestions »,
    « suggestions.change_suggestion », « suggestions/report.html »)."""
    namespace, colon, rest = name.partition(":")
    if colon and namespace == "admin":
        return next((label for label in layers() if rest.startswith(f"{label}_")), None)
    if colon and namespace in NAMESPACES:
        return NAMESPACES[namespace]
    if url_name and not colon and name in ROOT_NAMES:
        return ROOT_NAMES[name]
    return next((label for label in layers() if re.fullmatch(rf"{label}(?:[./].*)?", name, re.S)), None)


def python_names(path):
    """The strings of a module, each with whether it is the URL name of a call
    (``reverse("health")``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    url_args = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            function = getattr(node.func, "attr", None) or getattr(node.func, "id", "")
            if function in URL_CALLS:
                url_args.add(id(node.args[0]))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value, id(node) in url_args


def offences(app, names):
    """(name, app) for each name in ``names`` that belongs to an app above ``app``."""
    higher = above(app)
    found = {(name, owner_of(name, url_name)) for name, url_name in names}
    return sorted((name, owner) for name, owner in found if owner in higher)


@pytest.mark.parametrize("app", [name for name in LAYERS[1:] if apps.is_installed(name)])
def test_no_python_names_a_url_or_an_app_above_it(app):
    offending = []
    for path in sorted((ROOT / app).rglob("*.py")):
        where = str(path.relative_to(ROOT))
        offending += [
            (where, name, owner)
            for name, owner in offences(app, python_names(path))
            if (where, name) not in NOT_YET
        ]
    assert offending == []


TEMPLATE_NAMES = re.compile(
    r"""\{%\s*(?P<tag>url|include|extends)\s+(?P<quote>['"])(?P<name>[^'"]+)(?P=quote)"""
)


def app_templates(app):
    """The templates that belong to ``app``: ``templates/<app>/``, ``templates/admin/<app>/``
    and ``<app>/templates/``. The others (``base.html``, ``includes/``, the admin's own
    overrides) are the site's."""
    for folder in (ROOT / "templates" / app, ROOT / "templates" / "admin" / app, ROOT / app / "templates"):
        yield from sorted(folder.rglob("*.html"))


def template_names(path):
    for match in TEMPLATE_NAMES.finditer(path.read_text(encoding="utf-8")):
        name = match["name"]
        if match["tag"] != "url" and name.startswith("admin/"):
            name = name.removeprefix("admin/")  # admin/suggestions/…: the suggestions app's
        yield name, match["tag"] == "url"


@pytest.mark.parametrize("app", [name for name in LAYERS[1:] if apps.is_installed(name)])
def test_no_template_names_a_url_or_a_template_of_an_app_above_it(app):
    offending = []
    for path in app_templates(app):
        offending += [(str(path.relative_to(ROOT)), *found) for found in offences(app, template_names(path))]
    assert offending == []


def test_the_checks_know_every_app_and_every_namespace():
    """A new app or URL namespace must find its place in ``LAYERS`` (or the checks above
    would let it name anything, and be named by anything)."""
    ours = {config.name for config in apps.get_app_configs() if (ROOT / config.name).is_dir()}
    assert ours <= set(LAYERS)
    assert set(NAMESPACES.values()) | set(ROOT_NAMES.values()) <= set(layers())
    assert {"site", "api", "actors", "partners", "actions", "suggestions"} <= set(NAMESPACES)


def test_the_checks_catch_what_they_are_for():
    assert owner_of("site:sector") == "cress"
    assert owner_of("api:actor-list") == "cress"
    assert owner_of("suggestions:report-actor") == "suggestions"
    assert owner_of("admin:imports_export") == "imports"
    assert owner_of("health", url_name=True) == "cress" and owner_of("health") is None
    assert owner_of("suggestions.change_suggestion") == "suggestions"
    assert owner_of("suggestions/report.html") == "suggestions"
    assert owner_of("actions") == "actions" and owner_of("actions réalisées") is None
    report = ("suggestions:report-actor", False)
    assert offences("actors", [report]) == [("suggestions:report-actor", "suggestions")]
    lower = [("actors:detail", False), ("admin:actors_organisation_change", False)]
    assert offences("suggestions", [report, *lower]) == []
