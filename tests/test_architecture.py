"""The stairs run one way: ``cress`` → apps (``imports`` → ``suggestions`` → ``actions`` →
``actors``) → ``common``."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import resolve

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
        ("common", {"cress", "actors", "actions", "suggestions", "imports"}),
        ("actors", {"cress", "actions", "suggestions", "imports"}),
        ("actions", {"cress", "suggestions", "imports"}),
        ("suggestions", {"cress", "imports"}),
        ("imports", {"cress"}),
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
