"""python manage.py find_duplicates [--avec-demo]

Looks for the likely duplicates of every organisation (the pairs the admin lists under
« Doublons probables »). Saves and imports keep the list current; this command fills it
for what was there before, or after rules change. It only adds or refreshes pairs: a pair
staff marked « pas un doublon » stays so.

Bounded in time and memory (``imports.duplicates.refresh_all``, which the admin's
« Lancer une tâche » runs in the background too); it prints its progress and its
duration. Demonstration data are left out, unless ``--avec-demo`` (to
measure it on a generated directory)."""

import time

from django.core.management.base import BaseCommand

from imports.duplicates import refresh_all
from jobs.progress import Printed


class Command(BaseCommand):
    help = "Cherche les doublons probables de toutes les organisations (liste « Doublons probables »)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--avec-demo", action="store_true", help="Inclut les données de démonstration (pour mesurer)."
        )

    def handle(self, *args, avec_demo=False, **options):
        started = time.monotonic()
        progress = Printed(self.stdout, "organisations examinées")
        new, total = refresh_all(progress, with_demo=avec_demo)
        self.stdout.write(
            f"{new} nouvelle(s) paire(s) ; {total} en tout ; "
            f"{progress.done} organisations en {time.monotonic() - started:.1f} s."
        )
