"""The laptop's settings, written by ``make run`` and read by ``manage.py``: ``local.env``.

After ``make run``, every command the README shows (``.venv/bin/python manage.py
create_staff …``, ``load_directory``, a benchmark) runs as written, without remembering
``DJANGO_DEBUG=1``, on the database ``make run`` served, with the same secret key as the site
and its background worker (a link signed by the worker opens on the site).

The file holds ``NAME=value`` lines: debug on, a secret key drawn once for this checkout,
and ``DATABASE_URL`` when ``make run`` was given one. It is never committed (``.gitignore``),
readable by its owner only, and **never read in production**: it is read only when the
environment has no ``DJANGO_SECRET_KEY``, which production always sets (and ``check
--deploy`` fails if it was read: ``cress.checks``); gunicorn never reads it; the test suite
sets its own key. A variable of the environment always wins over the file.
"""

import os
import secrets
import sys
from pathlib import Path

PATH = Path(__file__).resolve().parent.parent / "local.env"
MARKER = "DIRECTORY_LOCAL_ENV"  # set to the file's path when it was read
HEADER = (
    "# Écrit par « make run » pour les commandes locales (manage.py) : mode debug, la clé secrète de ce\n"
    "# poste, la base servie. Jamais commité, jamais lu en production (ni quand DJANGO_SECRET_KEY est défini).\n"
)


def read(path=PATH):
    values = {}
    if not path.exists():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        values[name.strip()] = value.strip()
    return values


def load(path=PATH, environ=os.environ, only=None):
    """Adds the file's variables that the environment does not set (``only``: just those
    names). Nothing when the environment has a secret key (production, the tests) or when
    there is no file."""
    if environ.get("DJANGO_SECRET_KEY", "").strip() or not path.exists():
        return False
    for name, value in read(path).items():
        if only is None or name in only:
            environ.setdefault(name, value)
    environ[MARKER] = str(path)
    return True


def write(path=PATH, environ=os.environ):
    """Writes the file for this checkout: keeps its secret key, records the database of this
    ``make run`` (none: the private PostgreSQL)."""
    key = read(path).get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
    lines = ["DJANGO_DEBUG=1", f"DJANGO_SECRET_KEY={key}"]
    database = environ.get("DATABASE_URL", "").strip()
    if database:
        lines.append(f"DATABASE_URL={database}")
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)  # it may hold a database password
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":  # python -m common.localenv (make run)
    if sys.argv[1:] != ["write"]:
        sys.exit("usage : python -m common.localenv write")
    write()
