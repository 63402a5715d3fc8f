"""The background worker's own path: the database queue (django-tasks-db) and
`manage.py db_worker`, as `make run` and the production service run them. A 5,000-row
import goes through it from the admin's upload to the report, with progress that another
connection sees while it runs."""

import csv
import io
import random

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from actors.models import Organisation
from imports.models import ImportRecord
from jobs import mail as job_mail
from jobs.models import Job
from jobs.progress import Progress
from territories.models import Territory

ROWS = 5000
SOURCE = "test du processus de fond"


@pytest.fixture
def database_queue(settings):
    """The production backend: tasks wait in PostgreSQL until a worker takes them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker():
    """What `make run` starts beside the site, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)


def big_file(rows=ROWS):
    """New organisations named as directories name them (a form, a theme, a place), so that
    few are alike — as in a real file: a name repeated 5,000 times would be 5,000 duplicates."""
    rng = random.Random(20)
    communes = list(Territory.objects.filter(kind="commune", current__isnull=True).values_list("code", "name"))
    forms = ["Association", "Coopérative", "Mutuelle", "Fondation", "Collectif", "Union", "Atelier", "Maison",
             "Comité", "Amicale", "Régie de quartier", "Centre social", "Foyer", "Club", "Réseau", "Cercle"]
    themes = ["des familles", "d'aide à domicile", "de la petite enfance", "des jardins partagés", "du vélo",
              "d'insertion", "des aînés", "pour l'emploi", "du logement", "de l'épicerie solidaire", "culturelle",
              "sportive", "de la ressourcerie", "des aidants", "de l'habitat", "de prévention", "de la santé"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["nom", "commune", "présentation courte", "source"])
    for _ in range(rows):
        code, name = rng.choice(communes)
        writer.writerow([f"{rng.choice(forms)} {rng.choice(themes)} de {name}", code,
                         "Créée par le test du processus de fond.", SOURCE])  # fmt: skip
    return io.BytesIO(out.getvalue().encode("utf-8"))


class SeenFromOutside:
    """Every progress write, read back through another connection: what the admin's page
    sees while the job runs (the simulation's own transaction is rolled back at its end)."""

    def __init__(self, monkeypatch):
        self.seen = []
        original = Progress.write
        spy = self

        def write(progress):
            original(progress)
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute("SELECT done, total, step FROM jobs_job WHERE id = %s", [progress.job.pk])
                    spy.seen.append(cursor.fetchone())
            finally:
                other.close()

        monkeypatch.setattr(Progress, "write", write)


@pytest.mark.django_db(transaction=True)
def test_a_5000_row_import_runs_through_the_worker_with_progress(directory, database_queue, admin_client,
                                                                 monkeypatch, settings):  # fmt: skip
    settings.JOBS_IMPORT_ROWS = 1000
    spy = SeenFromOutside(monkeypatch)
    before = Organisation.objects.count()

    # The upload answers at once: the simulation waits in the queue, the page shows it.
    upload = big_file()
    upload.name = "cinq-mille.csv"
    response = admin_client.post(reverse("admin:imports_importrecord_add"), {"file": upload, "kind": "organisations"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("admin:jobs_job_change", args=[job.pk])
    assert job.state == Job.State.WAITING and DBTaskResult.objects.count() == 1
    page = admin_client.get(response["Location"])
    assert "En attente" in page.content.decode() and "<progress" in page.content.decode()

    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert (job.done, job.total) == (ROWS, ROWS)
    assert Organisation.objects.count() == before, "a simulation writes nothing"
    during = [done for done, total, step in spy.seen if total == ROWS and 0 < done < ROWS]
    assert during, f"progress was seen from outside while the rows ran: {spy.seen[:5]}"
    record = ImportRecord.objects.get()
    assert record.state == ImportRecord.State.SIMULATED and record.created == ROWS
    report = admin_client.get(job.result_url)
    assert f"{ROWS} création(s)" in report.content.decode() and "Importer « cinq-mille.csv »" in report.content.decode()

    # « Importer »: the same file, written by the worker.
    response = admin_client.post(reverse("admin:imports_importrecord_confirm", args=[record.pk]))
    second = Job.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("admin:jobs_job_change", args=[second.pk])
    assert Organisation.objects.count() == before
    run_worker()
    second.refresh_from_db()
    assert second.state == Job.State.DONE, second.error
    assert Organisation.objects.filter(source=SOURCE).count() == ROWS
    record.refresh_from_db()
    assert record.state == ImportRecord.State.IMPORTED and record.imported_at
    status = admin_client.get(reverse("admin:jobs_job_status", args=[second.pk])).json()
    assert status["finished"] and status["percent"] == 100 and "Import enregistré" in status["text"]


@pytest.mark.django_db(transaction=True)
def test_a_job_that_fails_says_why_and_can_be_started_again(directory, database_queue, admin_client, monkeypatch):
    from imports import jobs as import_jobs
    from jobs import service

    record = ImportRecord.objects.create(file_name="a.csv", content=b"nom\nUne association\n", kind="organisations")
    job = service.start(import_jobs.SIMULATION, "Simulation", params={"record": record.pk})
    broken = pytest.MonkeyPatch()
    broken.setattr("imports.jobs.run_import", lambda *a, **k: 1 / 0)
    run_worker()
    broken.undo()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "ZeroDivisionError" in job.error and "Relancez-la" in job.error
    assert DBTaskResult.objects.get().status == "FAILED"
    page = admin_client.get(reverse("admin:jobs_job_change", args=[job.pk])).content.decode()
    assert "Échec" in page and "Relancer la tâche" in page

    admin_client.post(reverse("admin:jobs_job_retry", args=[job.pk]))
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.attempts == 2 and job.error == ""


class FlakyBackend:
    """A mail server that refuses the first ``failures`` messages."""

    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise ConnectionRefusedError("le serveur de courrier ne répond pas")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.mark.django_db(transaction=True)
def test_an_email_is_sent_by_the_worker_and_retried_later_when_the_server_fails(database_queue, settings):
    from django.utils import timezone

    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 1
    job_mail.send("Votre fiche", "Bonjour", ["orga@example.org"])  # outside a transaction: queued at once
    assert mail.outbox == [], "the request does not send: the worker does"
    run_worker()
    assert mail.outbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now(), "the second attempt waits"
    assert retry.args_kwargs["kwargs"] == {} and retry.args_kwargs["args"][-1] == 2
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # its time has come
    run_worker()
    assert [m.to for m in mail.outbox] == [["orga@example.org"]]


@pytest.mark.django_db
def test_an_email_leaves_only_when_the_change_it_announces_is_committed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job_mail.send("Votre fiche", "Elle a été mise à jour.", ["orga@example.org"])
        assert mail.outbox == []
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
