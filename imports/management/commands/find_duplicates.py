"""python manage.py find_duplicates [--avec-demo]

Looks for the likely duplicates of every organisation (the pairs the admin lists under
« Doublons probables »). Saves and imports keep the list current; this command fills it
for what was there before, or after rules change. It only adds or refreshes pairs: a pair
staff marked « pas un doublon » stays so.

Bounded in time and memory: the organisations are compared by chunks of ``CHUNK``
(``likely_duplicates_many``: identifiers in one query, names compared in memory over the
names of their départements), each chunk's pairs stored in one statement; it prints its
progress and its duration. Demonstration data are left out, unless ``--avec-demo`` (to
measure it on a generated directory)."""

import time

from django.core.management.base import BaseCommand

from actors.duplicates import likely_duplicates_many
from actors.models import Organisation
from common.iterables import batched
from imports.duplicates import record_many
from imports.models import DuplicatePair

CHUNK = 5000


class Command(BaseCommand):
    help = "Cherche les doublons probables de toutes les organisations (liste « Doublons probables »)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--avec-demo", action="store_true", help="Inclut les données de démonstration (pour mesurer)."
        )

    def handle(self, *args, avec_demo=False, **options):
        started = time.monotonic()
        organisations = Organisation.objects.filter(merged_into__isnull=True)
        if not avec_demo:
            organisations = organisations.filter(is_demo=False)
        pks = list(organisations.order_by("pk").values_list("pk", flat=True))
        before = DuplicatePair.objects.count()
        done = 0
        for chunk in batched(pks, CHUNK):
            batch = list(Organisation.objects.filter(pk__in=chunk).select_related("commune"))
            found = likely_duplicates_many(batch)
            record_many([(o, d) for o in batch for d in found.get(o.pk, [])])
            done += len(batch)
            self.stdout.write(f"{done} / {len(pks)} organisations examinées ({time.monotonic() - started:.0f} s)…")
        found = DuplicatePair.objects.count() - before
        self.stdout.write(
            f"{found} nouvelle(s) paire(s) ; {DuplicatePair.objects.open().count()} en tout ; "
            f"{len(pks)} organisations en {time.monotonic() - started:.1f} s."
        )
