"""How far a job is, written where staff can read it while the job runs.

A job's own work may run inside one long transaction (an import's simulation is rolled
back at its end): progress written through that connection would be invisible until the
end, and undone with it. So ``Progress`` writes on a connection of its own, in autocommit,
at most every ``EVERY`` seconds (and at each step): the admin's page sees it at once."""

import time

from django.db import connections, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from .models import Job

EVERY = 0.5  # seconds between two writes of the counters


class Progress:
    def __init__(self, job):
        self.job = job
        self.done = 0
        self.total = 0
        self.step = ""
        self._written_at = 0.0
        self._side = None  # the connection of its own, opened at the first write inside a transaction

    def begin(self, step, total=None):
        """A new step (« Lecture du fichier », « Recherche des doublons »…), with its count
        of items when known; the counter restarts."""
        self.step = step[:200]
        if total is not None:
            self.total = total
            self.done = 0
        self.write()

    def advance(self, count=1):
        self.done += count
        if time.monotonic() - self._written_at >= EVERY:
            self.write()

    def write(self):
        self._written_at = time.monotonic()
        values = {"done": min(self.done, self.total) if self.total else self.done, "total": self.total,
                  "step": self.step, "progressed_at": timezone.now()}  # fmt: skip
        connection = transaction.get_connection()
        if not connection.in_atomic_block:
            Job.objects.filter(pk=self.job.pk).update(**values)
            return
        try:
            if self._side is None:
                self._side = connections.create_connection(connection.alias)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, step = %s, progressed_at = %s "
                    "WHERE id = %s",
                    [values["done"], values["total"], values["step"], values["progressed_at"], self.job.pk],
                )
        except DatabaseError:
            self.close()  # progress is a courtesy: the work goes on without it

    def close(self):
        if self._side is not None:
            self._side.close()
            self._side = None


class Printed:
    """The same calls, for a command: each step and count printed on ``out``
    (« 5000 / 12000 organisations examinées (3 s)… »)."""

    def __init__(self, out, noun):
        self.out, self.noun = out, noun
        self.done = self.total = 0
        self.started = time.monotonic()

    def begin(self, step, total=None):
        if total is not None:
            self.total, self.done = total, 0

    def advance(self, count=1):
        self.done += count
        self.out.write(f"{self.done} / {self.total} {self.noun} ({time.monotonic() - self.started:.0f} s)…")

    def write(self):
        pass

    def close(self):
        pass
