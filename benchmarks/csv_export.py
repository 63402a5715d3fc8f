"""Benchmark: stream the actors' CSV export for N actors and report time and peak memory.

    DATABASE_URL=sqlite:////tmp/bench.sqlite3 .venv/bin/python benchmarks/csv_export.py 100000

Uses its own database (the one in DATABASE_URL, migrated and filled here); never run it
against production. Prints rows, seconds, and the peak Python memory while streaming.
"""

import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cress.settings")
if not os.environ.get("DATABASE_URL"):
    sys.exit("DATABASE_URL must name a scratch database (e.g. sqlite:////tmp/bench.sqlite3).")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from actors.models import Organisation, Sector, Status  # noqa: E402


def fill(count):
    call_command("migrate", verbosity=0)
    call_command("load_directory", stdout=open(os.devnull, "w"))
    existing = Organisation.objects.filter(slug__startswith="bench-").count()
    missing = count - Organisation.objects.actors().count()
    sectors = list(Sector.objects.all()[:2])
    batch = [
        Organisation(name=f"Association n° {i}", slug=f"bench-{i}", kind="acteur", family="association",
                     status=Status.PUBLISHED, summary="Une association créée pour la mesure, avec des accents : é à ç.")
        for i in range(existing, existing + missing)
    ]  # fmt: skip
    created = Organisation.objects.bulk_create(batch, batch_size=5000)
    Through = Organisation.sectors.through
    Through.objects.bulk_create(
        [Through(organisation_id=o.pk, sector_id=s.pk) for o in created for s in sectors], batch_size=5000
    )


def stream(client):
    rows, size = 0, 0
    for chunk in client.get("/acteurs/", {"format": "csv"}).streaming_content:
        rows += chunk.count(b"\r\n")
        size += len(chunk)
    return rows - 1, size


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    fill(count)
    client = Client(HTTP_HOST="localhost")
    start = time.perf_counter()
    rows, size = stream(client)
    elapsed = time.perf_counter() - start
    tracemalloc.start()  # a second pass: tracing slows Python down, so it is not timed
    stream(client)
    _, peak = tracemalloc.get_traced_memory()
    print(
        f"{rows} lignes, {size / 1e6:.1f} Mo, {elapsed:.1f} s ({rows / elapsed:.0f} lignes/s), pic mémoire Python {peak / 1e6:.1f} Mo"
    )


if __name__ == "__main__":
    main()
