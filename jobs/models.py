"""A ``Job`` is one piece of long work as staff see it: what it is, who asked, how far it
is (rows done / total, the step), how it ended (its report, a file, or why it failed).
The queue itself is django-tasks-db's table; a job row outlives its task and is what the
admin shows (``jobs/admin.py``)."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobQuerySet(models.QuerySet):
    def unfinished(self):
        return self.filter(state__in=[Job.State.WAITING, Job.State.RUNNING])


class Job(models.Model):
    class State(models.TextChoices):
        WAITING = "attente", "en attente"
        RUNNING = "en-cours", "en cours"
        DONE = "terminee", "terminée"
        FAILED = "echec", "échouée"

    kind = models.CharField("type", max_length=40)
    title = models.CharField("tâche", max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="demandée par", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")  # fmt: skip
    state = models.CharField("état", max_length=10, choices=State.choices, default=State.WAITING, db_index=True)
    params = models.JSONField("paramètres", default=dict, blank=True)
    done = models.PositiveIntegerField("fait", default=0)
    total = models.PositiveIntegerField("à faire", default=0)
    step = models.CharField("étape", max_length=200, blank=True)
    created_at = models.DateTimeField("demandée le", auto_now_add=True, db_index=True)
    started_at = models.DateTimeField("commencée le", null=True, blank=True)
    progressed_at = models.DateTimeField("dernier progrès", null=True, blank=True)
    finished_at = models.DateTimeField("finie le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    summary = models.TextField("résultat", blank=True)
    error = models.TextField("cause de l'échec", blank=True)
    # Where the result is read (an import's report, a merge list…), and a file to download
    # (an export).
    result_url = models.CharField("adresse du résultat", max_length=300, blank=True)
    result_label = models.CharField("lien vers le résultat", max_length=100, blank=True)
    file_name = models.CharField("fichier produit", max_length=255, blank=True)
    file = models.BinaryField("contenu du fichier", null=True, blank=True, editable=False)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = "tâche"
        verbose_name_plural = "tâches"
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self):
        if self.state == self.State.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    def seconds_left(self):
        """A projection from the pace so far (rows per second since the start), or None
        while there is not enough to project from."""
        if self.state != self.State.RUNNING or not self.started_at or not self.total or self.done < 1:
            return None
        elapsed = ((self.progressed_at or timezone.now()) - self.started_at).total_seconds()
        if elapsed <= 0:
            return None
        return max(0, round((self.total - self.done) * elapsed / self.done))

    def unclaimed(self):
        """Waiting for longer than a worker takes to pick work up: no worker is running."""
        silence = timedelta(seconds=settings.JOBS_WORKER_SILENCE_SECONDS)
        return self.state == self.State.WAITING and self.created_at < timezone.now() - silence
