"""Starting, running and retrying jobs: the one path of every kind of long work.

``start(kind, title, user, params)`` records the job and hands it to the queue once the
transaction commits; the worker (``manage.py db_worker``) calls ``execute``, which runs
the kind's function with a ``Progress`` and records how it ended: its outcome, or why it
failed, in French. A failed job can be started again (``retry``) with the same
parameters."""

import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Job
from .progress import Progress
from .registry import KINDS, JobError

logger = logging.getLogger("jobs")


def start(kind, title, user=None, params=None):
    """A new job of ``kind`` (registered in ``jobs.registry``), queued after the commit."""
    if kind not in KINDS:
        raise ValueError(f"Unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, title=title[:300], user=user, params=params or {})
    _enqueue(job)
    return job


def retry(job):
    """Starts a failed job again, with the same parameters."""
    if job.state != Job.State.FAILED:
        raise ValueError("Only a failed job is started again")
    Job.objects.filter(pk=job.pk).update(state=Job.State.WAITING, done=0, total=0, step="", error="",
                                         started_at=None, finished_at=None, progressed_at=None,
                                         created_at=timezone.now())  # fmt: skip
    job.refresh_from_db()
    _enqueue(job)
    return job


def _enqueue(job):
    from .tasks import run_job

    transaction.on_commit(lambda: run_job.enqueue(job.pk))


def execute(job_id):
    """Runs the job (the worker's side). A job already finished or running is left alone:
    the queue may hand the same job twice, the work is done once."""
    claimed = Job.objects.filter(pk=job_id, state=Job.State.WAITING).update(
        state=Job.State.RUNNING, started_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    progress = Progress(job)
    try:
        outcome = KINDS[job.kind].run(job, progress)
    except Exception as error:
        progress.close()
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        Job.objects.filter(pk=job.pk).update(
            state=Job.State.FAILED, finished_at=timezone.now(), error=failure_text(error)
        )
        raise
    progress.close()
    values = {"state": Job.State.DONE, "finished_at": timezone.now(), "done": progress.total or progress.done,
              "total": progress.total or progress.done, "step": ""}  # fmt: skip
    if outcome is not None:
        values.update(summary=outcome.summary, result_url=outcome.url, result_label=outcome.url_label,
                      file_name=outcome.file_name, file=outcome.file)  # fmt: skip
    Job.objects.filter(pk=job.pk).update(**values)


def failure_text(error):
    """Why a job failed, for staff: a ``JobError`` as it is; anything else by its kind
    only (its own message is English and technical: it goes to the log), with what to do."""
    if isinstance(error, JobError):
        return str(error)
    return (
        f"Erreur inattendue ({type(error).__name__}). Rien n'a été enregistré si la tâche écrivait "
        "dans l'annuaire. Relancez-la ; si l'erreur revient, transmettez ce message à l'équipe technique "
        "(le détail est dans le journal du processus de fond)."
    )
