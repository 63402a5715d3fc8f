"""What staff start and follow in « Tâches de fond »: each kind of long work, its page,
its outcome or its failure (the queue runs each task as it is queued here,
tests/conftest.py; the worker's own path is tested in test_worker.py)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actors import geocoding
from actors.models import Organisation
from imports.models import DuplicatePair
from jobs.models import Job
from territories.models import Territory
from tests.factories import OrganisationFactory

BAN_ANSWER = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": {"type": "Point",
              "coordinates": [-0.363545, 49.182863]}, "properties": {"score": 0.93}}]}  # fmt: skip


def launch(client, kind, capture):
    with capture(execute=True):
        response = client.post(reverse("admin:jobs_job_launch"), {"kind": kind})
    assert response.status_code == 302, response
    return Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-2])


@pytest.mark.django_db
def test_an_editor_sees_what_she_may_launch(directory, editor_client):
    page = editor_client.get(reverse("admin:jobs_job_launch")).content.decode()
    assert "Recherche des doublons probables" in page and "Placement des adresses sur la carte" in page
    assert editor_client.get(reverse("admin:jobs_job_changelist")).status_code == 200


@pytest.mark.django_db
def test_finding_duplicates_in_the_background(directory, editor_client, django_capture_on_commit_callbacks):
    caen = Territory.objects.get(key="14118")
    first = OrganisationFactory(name="Épicerie solidaire du Calvaire Saint-Pierre", commune=caen)
    second = OrganisationFactory(name="Epicerie solidaire du Calvaire St Pierre", commune=caen)
    DuplicatePair.objects.all().delete()
    job = launch(editor_client, "doublons", django_capture_on_commit_callbacks)
    assert job.state == Job.State.DONE and job.total == job.done == Organisation.objects.filter(
        merged_into__isnull=True, is_demo=False).count()  # fmt: skip
    assert DuplicatePair.objects.filter(first=min(first, second, key=lambda o: o.pk)).exists()
    page = editor_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert "nouvelle(s) paire(s)" in page and reverse("admin:imports_duplicatepair_changelist") in page


@pytest.mark.django_db
def test_launching_a_running_kind_again_opens_the_running_one(directory, editor_client):
    running = Job.objects.create(kind="doublons", title="Recherche", state=Job.State.RUNNING)
    response = editor_client.post(reverse("admin:jobs_job_launch"), {"kind": "doublons"})
    assert response["Location"] == reverse("admin:jobs_job_change", args=[running.pk])
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_geocoding_in_the_background_and_when_the_address_base_is_down(
    directory, editor_client, monkeypatch, django_capture_on_commit_callbacks
):
    caen = Territory.objects.get(key="14118")
    lilas = OrganisationFactory(street_address="12 rue des Lilas", postcode="14000", commune=caen)
    monkeypatch.setattr(geocoding, "fetch", lambda url: BAN_ANSWER)
    job = launch(editor_client, "geolocalisation", django_capture_on_commit_callbacks)
    lilas.refresh_from_db()
    assert job.state == Job.State.DONE and "placée(s) sur la carte" in job.summary
    assert lilas.latitude == Decimal("49.182863")

    OrganisationFactory(street_address="3 rue des Roses", postcode="14000", commune=caen)

    def down(url):
        raise geocoding.Unreachable("La Base adresse nationale ne répond pas (délai dépassé).")

    monkeypatch.setattr(geocoding, "fetch", down)
    launch(editor_client, "geolocalisation", django_capture_on_commit_callbacks)  # the queue records the failure too
    failed = Job.objects.get(state=Job.State.FAILED)
    assert failed.error.startswith("La Base adresse nationale ne répond pas") and "relancez plus tard" in failed.error


@pytest.mark.django_db
def test_a_long_export_is_prepared_in_the_background(directory, editor_client, settings,
                                                     django_capture_on_commit_callbacks):  # fmt: skip
    settings.JOBS_EXPORT_ROWS = 3
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.get(reverse("admin:imports_export"), {"type": "organisations", "format": "csv"})
    job = Job.objects.get()
    assert response["Location"] == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.state == Job.State.DONE and job.file_name.endswith(".csv")
    download = editor_client.get(reverse("admin:jobs_job_file", args=[job.pk]))
    lines = download.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) - 1 == Organisation.objects.filter(merged_into__isnull=True).count() > 3


@pytest.mark.django_db
def test_a_job_nobody_takes_says_that_no_worker_runs(editor_client):
    job = Job.objects.create(kind="doublons", title="Recherche des doublons")
    page = editor_client.get(reverse("admin:jobs_job_change", args=[job.pk]))
    assert "En attente : elle commence dès qu’un processus de fond est libre." in page.content.decode().replace(
        "&#x27;", "’")
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    status = editor_client.get(reverse("admin:jobs_job_status", args=[job.pk])).json()
    assert "aucun processus de fond ne semble lancé" in status["text"] and not status["finished"]


@pytest.mark.django_db
def test_time_left_is_projected_from_the_pace():
    now = timezone.now()
    job = Job(state=Job.State.RUNNING, done=1000, total=5000, started_at=now - timedelta(seconds=10), progressed_at=now)
    assert job.seconds_left() == 40 and job.percent == 20


@pytest.mark.django_db
def test_the_admin_home_counts_my_running_and_failed_jobs(editor, editor_client):
    Job.objects.create(kind="doublons", title="Recherche", state=Job.State.RUNNING, user=editor)
    Job.objects.create(kind="doublons", title="Recherche", state=Job.State.FAILED, user=editor,
                       finished_at=timezone.now())  # fmt: skip
    Job.objects.create(kind="doublons", title="Celle d'une collègue", state=Job.State.RUNNING)
    page = editor_client.get(reverse("admin:index")).content.decode()
    assert "1 tâche en cours" in page and "1 tâche échouée cette semaine" in page
