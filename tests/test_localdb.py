"""The private PostgreSQL of ``make run`` and ``make test`` (common/localdb.py): without
DATABASE_URL a process starts one, with the project's database, and stops it when it ends;
a process that finds it running joins it and leaves it running."""

import os
import subprocess
import sys

from django.conf import settings

SCRIPT = """
import os, sys, psycopg
from common import localdb
address = localdb.ensure(sys.argv[1])
conninfo = address.replace("postgres://", "postgresql://", 1)
with psycopg.connect(conninfo) as connection:
    print(address, connection.execute("SELECT current_database(), current_setting('fsync')").fetchone())
if len(sys.argv) > 2:  # hold it until told
    sys.stdout.flush()
    sys.stdin.readline()
"""


def python(data_dir, *args, **kwargs):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "ANNUAIRE_PRIVATE_DB_HELD")}
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(data_dir), *args], cwd=settings.BASE_DIR, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE, **kwargs,
    )  # fmt: skip


def running(data_dir):
    return (data_dir / "postmaster.pid").exists()


def test_a_process_starts_it_others_join_and_the_last_one_stops_it(tmp_path):
    data_dir = tmp_path / "pg"
    holder = python(data_dir, "hold")
    line = holder.stdout.readline()
    assert "/annuaire ('annuaire', 'off')" in line, holder.stderr.read()
    assert running(data_dir)

    joiner = python(data_dir)
    out, err = joiner.communicate(timeout=60)
    assert joiner.returncode == 0 and "('annuaire', 'off')" in out, err
    assert running(data_dir), "a process that joined leaves the server to the one that started it"

    holder.communicate("\n", timeout=60)
    assert holder.returncode == 0
    assert not running(data_dir), "the last process stopped it"
