"""One unit of work (common/changes.py): what follows a change of content runs once per
batch, from one place, for exactly what changed."""

import pathlib

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action
from actors.models import Organisation, Status
from common import changes
from common.cache import content_version
from common.changes import content_changes
from imports.models import DuplicatePair
from territories.models import Territory
from tests.factories import OrganisationFactory, bulk_actors


def effective(action):
    return set(action.effective_territories.values_list("code", flat=True))


@pytest.fixture
def calls(monkeypatch):
    """How many times each follower ran (the followers themselves still run)."""
    counted = {}
    wrapped = []
    for item in changes._followers:

        def counting(batch, item=item):
            counted[item.name] = counted.get(item.name, 0) + 1
            return item.function(batch)

        wrapped.append(changes.Follower(item.order, item.name, counting, item.previews))
    monkeypatch.setattr(changes, "_followers", wrapped)
    return counted


@pytest.mark.django_db
def test_the_followers_are_registered_in_their_order():
    assert [f.name for f in changes._followers] == [
        "couverture et documents de recherche", "doublons probables", "position du primaire", "version du cache",
    ]  # fmt: skip


@pytest.mark.django_db
def test_a_batch_is_followed_once_at_its_end(directory, calls, django_capture_on_commit_callbacks):
    [actor] = bulk_actors(1, prefix="unite", actions_per_actor=1)
    action = Action.objects.get(actor=actor)
    caen, bayeux = Territory.objects.get(key="14118"), Territory.objects.get(key="14047")
    version = content_version()
    calls.clear()
    with django_capture_on_commit_callbacks(execute=True) as committed, content_changes(reason="Essai") as batch:
        actor.territories.set([caen])
        actor.name = "Unité de travail renommée"
        actor.save()
        actor.territories.add(bayeux)
        assert effective(action) != {"14118", "14047"}, "nothing follows inside the block"
        assert content_version() == version
    assert batch.pks(Organisation) == {actor.pk}
    assert calls == {"couverture et documents de recherche": 1, "doublons probables": 1, "position du primaire": 1,
                     "version du cache": 1}
    assert effective(action) == {"14118", "14047"}
    assert len(committed) == 1, "the cache version changes once, when the batch is committed"
    assert content_version() == version + 1


@pytest.mark.django_db
def test_nested_blocks_join_the_outer_one_and_a_failed_block_follows_nothing(directory, calls):
    calls.clear()
    with content_changes():
        with content_changes():
            OrganisationFactory(name="Imbriquée")
        assert calls == {}
    assert calls["version du cache"] == 1
    calls.clear()
    with pytest.raises(RuntimeError), content_changes():
        OrganisationFactory(name="Échouée")
        raise RuntimeError
    assert calls == {}


@pytest.mark.django_db
def test_outside_a_block_a_save_is_its_own_unit(directory, calls):
    calls.clear()
    Organisation(name="Seule", slug="seule", kind="acteur").save()  # its history record too
    assert calls == {"couverture et documents de recherche": 1, "doublons probables": 1, "position du primaire": 1,
                     "version du cache": 1}


@pytest.mark.django_db
def test_a_preview_runs_only_what_reports_and_says_what_it_found(directory, calls):
    OrganisationFactory(name="Les Jardins de Bayeux", rna="W141000002")
    calls.clear()
    with content_changes(preview=True) as batch:
        twin = OrganisationFactory(name="Jardins de Bayeux", rna="W141000002")
    assert calls == {"doublons probables": 1}
    [found] = batch.results["doublons probables"][twin.pk]
    assert found.reason == "rna"


@pytest.mark.django_db
def test_a_status_change_does_not_look_for_duplicates(directory, monkeypatch):
    import imports.duplicates

    organisation = OrganisationFactory(name="Statut seulement")
    looked = []
    rule = imports.duplicates.likely_duplicates
    monkeypatch.setattr(imports.duplicates, "likely_duplicates", lambda o: looked.append(o.pk) or rule(o))
    organisation.status = Status.ARCHIVED
    organisation.save(update_fields=["status"])
    assert looked == []
    organisation.name = "Nom changé"
    organisation.save(update_fields=["name"])
    assert looked == [organisation.pk]


@pytest.mark.django_db
def test_the_history_says_why_and_who(directory, admin_user):
    with content_changes(reason="Correction groupée", user=admin_user):
        organisation = OrganisationFactory(name="Avec raison")
    record = organisation.history.latest()
    assert record.history_change_reason == "Correction groupée"
    assert record.history_user == admin_user


def publish(client, organisations):
    url = reverse("admin:actors_organisation_changelist")
    with CaptureQueriesContext(connection) as context:
        response = client.post(url, {"action": "publish", "_selected_action": [o.pk for o in organisations]})
    assert response.status_code == 302
    return len(context.captured_queries)


@pytest.mark.django_db
def test_publishing_a_selection_costs_the_same_for_30_or_200(directory, admin_client, django_capture_on_commit_callbacks):
    few = bulk_actors(30, prefix="publier-peu", places=[Territory.objects.get(key="14")], actions_per_actor=2)
    many = bulk_actors(200, prefix="publier-beaucoup", places=[Territory.objects.get(key="14")], actions_per_actor=2)
    Organisation.objects.filter(pk__in=[o.pk for o in few + many]).update(status=Status.DRAFT)
    version = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        small, large = publish(admin_client, few), publish(admin_client, many)
    print(f"\nRequêtes pour publier 30 puis 200 organisations : {small}, {large}")
    assert small == large
    assert content_version() == version + 2  # once per action, not per organisation
    assert Organisation.objects.filter(pk__in=[o.pk for o in many], status=Status.PUBLISHED).count() == 200
    record = many[0].history.latest()
    assert record.status == Status.PUBLISHED and record.history_change_reason == "Action groupée : publié(s)"
    assert set(record.territories.values_list("territory__key", flat=True)) == {"14"}, "relations recorded"


@pytest.mark.django_db
def test_a_merge_is_one_unit(directory, calls):
    from imports.merge import merge

    keep = OrganisationFactory(name="Garder", rna="W141000009")
    other = OrganisationFactory(name="Réunir", rna="W141000009")
    assert DuplicatePair.objects.filter(first__in=[keep, other]).exists()
    calls.clear()
    merge(keep, other)
    assert calls["couverture et documents de recherche"] == 1 and calls["version du cache"] == 1
    assert not DuplicatePair.objects.filter(first__in=[keep, other], second__in=[keep, other]).exists()


def test_no_off_switch_remains():
    """Nothing follows a change but the unit of work: no thread-local flag turns a
    follower off, and no code calls a follower's work by hand."""
    root = pathlib.Path(settings.BASE_DIR)
    for path in root.glob("*/**/*.py"):
        if path.parts[len(root.parts)] in {".venv", "tests", "node_modules", "benchmarks"} or "migrations" in path.parts:
            continue
        text = path.read_text()
        assert "threading.local" not in text, path
        for gone in ("coverage.deferred", "coverage.suspended", "bumps_grouped", "recording_paused"):
            assert gone not in text, (path, gone)


@pytest.mark.django_db
def test_a_renamed_sector_reaches_the_search_documents(directory):
    from actors.models import Sector
    from common.search import search

    sector = Sector.objects.get(slug="petite-enfance")
    assert not search(Action.objects.all(), "zorglubtest").exists()
    sector.name = "Petite enfance zorglubtest"
    sector.save()
    assert search(Action.objects.all(), "zorglubtest").exists(), "the items with this sector were refreshed"


@pytest.mark.django_db
def test_a_reverse_clear_names_who_lost_the_relation(directory):
    from actors.models import Sector

    sector = Sector.objects.get(slug="petite-enfance")
    holders = set(sector.organisations.values_list("pk", flat=True))
    assert holders
    with content_changes() as batch:
        sector.organisations.clear()
    assert holders <= batch.pks(Organisation)


@pytest.mark.django_db
def test_a_failed_request_follows_nothing(rf, calls):
    from common.changes import ContentChangesMiddleware

    def failing_view(request):
        Organisation(name="Dans une requête qui échoue", slug="echec", kind="acteur").save()
        from django.http import HttpResponseServerError

        return HttpResponseServerError("erreur")

    calls.clear()
    response = ContentChangesMiddleware(failing_view)(rf.post("/admin/"))
    assert response.status_code == 500
    assert calls == {}
