"""The staff groups and their permissions, synced after every migrate from one place
(common/staff.py, connected by cress), on the apps of ``DIRECTORY_STAFF_APPS``."""

import ast
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal

from common import staff
from common.staff import ADMINISTRATORS, EDITORS


def migrate_ends():
    """What ``migrate`` (and ``flush``) send once the tables are there."""
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


def codenames(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


@pytest.mark.django_db
def test_after_a_migrate_the_groups_have_the_documented_permissions():
    Group.objects.filter(name__in=[EDITORS, ADMINISTRATORS]).delete()
    migrate_ends()
    editors = codenames(Group.objects.get(name=EDITORS))
    # View, add and change the content of every staff app…
    for app, model in [("actors", "organisation"), ("actors", "sector"), ("actions", "programme"),
                       ("actions", "keyfigure"), ("suggestions", "suggestion"), ("imports", "importrecord")]:  # fmt: skip
        assert {f"{app}.view_{model}", f"{app}.add_{model}", f"{app}.change_{model}"} <= editors
    # …territories and every history read-only; never delete; nothing outside those apps.
    assert "territories.view_territory" in editors
    assert not {"territories.add_territory", "territories.change_territory"} & editors
    assert "actors.view_historicalorganisation" in editors
    assert not [name for name in editors if "_historical" in name and ".view_" not in name]
    assert not [name for name in editors if ".delete_" in name]
    assert {name.split(".")[0] for name in editors} == set(settings.DIRECTORY_STAFF_APPS)
    # Administrators: everything.
    assert codenames(Group.objects.get(name=ADMINISTRATORS)) == {
        f"{p.content_type.app_label}.{p.codename}" for p in Permission.objects.select_related("content_type")
    }


@pytest.mark.django_db
def test_a_model_gets_its_permissions_at_the_next_migrate_without_a_migration_of_its_own():
    Permission.objects.filter(content_type__app_label="actions", content_type__model="quote").delete()
    migrate_ends()
    assert {"actions.add_quote", "actions.change_quote", "actions.view_quote"} <= codenames(
        Group.objects.get(name=EDITORS)
    )
    assert "actions.delete_quote" in codenames(Group.objects.get(name=ADMINISTRATORS))


@pytest.mark.django_db
def test_the_groups_are_synced_once_per_migrate():
    with mock.patch.object(staff, "sync_staff_groups") as sync:
        migrate_ends()
    assert sync.call_count == 1


def test_no_migration_syncs_the_groups_with_live_code():
    """The old data migrations are no-ops: none imports the staff code of today."""
    offending = []
    for path in Path(settings.BASE_DIR).glob("*/migrations/*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and "staff" in (node.module or "") or (
                isinstance(node, ast.Name) and node.id == "sync_staff_groups"
            ):
                offending.append(str(path.relative_to(settings.BASE_DIR)))
    assert offending == []
