"""local.env: what `make run` writes so that the README's manage.py commands run as written
(common/localenv.py), and why production never reads it."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from common import localenv

ROOT = Path(__file__).resolve().parent.parent


def test_make_run_writes_debug_a_stable_key_and_its_database(tmp_path):
    path = tmp_path / "local.env"
    localenv.write(path, environ={"DATABASE_URL": "postgres://a:secret@h:5432/d"})
    first = localenv.read(path)
    assert first["DJANGO_DEBUG"] == "1"
    assert first["DATABASE_URL"] == "postgres://a:secret@h:5432/d"
    assert len(first["DJANGO_SECRET_KEY"]) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # it may hold a password

    # The next `make run`, without DATABASE_URL: the same key (sessions, signed links keep
    # working), and the private PostgreSQL again (no stale database).
    localenv.write(path, environ={})
    second = localenv.read(path)
    assert second["DJANGO_SECRET_KEY"] == first["DJANGO_SECRET_KEY"]
    assert "DATABASE_URL" not in second


def test_manage_py_reads_it_but_the_environment_wins(tmp_path):
    path = tmp_path / "local.env"
    localenv.write(path, environ={"DATABASE_URL": "postgres://file/db"})
    environ = {"DATABASE_URL": "postgres://given/db"}
    assert localenv.load(path, environ=environ)
    assert environ["DJANGO_DEBUG"] == "1"
    assert environ["DATABASE_URL"] == "postgres://given/db"
    assert environ[localenv.MARKER] == str(path)


def test_never_read_when_the_environment_has_a_key(tmp_path):
    """Production (its environment file) and the test suite set DJANGO_SECRET_KEY."""
    path = tmp_path / "local.env"
    localenv.write(path, environ={})
    environ = {"DJANGO_SECRET_KEY": "production-key"}
    assert not localenv.load(path, environ=environ)
    assert environ == {"DJANGO_SECRET_KEY": "production-key"}


def test_a_benchmark_takes_only_the_database(tmp_path):
    path = tmp_path / "local.env"
    localenv.write(path, environ={"DATABASE_URL": "postgres://file/db"})
    environ = {}
    localenv.load(path, environ=environ, only={"DATABASE_URL"})
    assert environ["DATABASE_URL"] == "postgres://file/db"
    assert "DJANGO_DEBUG" not in environ and "DJANGO_SECRET_KEY" not in environ


def test_check_deploy_refuses_a_run_that_read_it(settings):
    settings.LOCAL_ENV_READ = "/srv/annuaire/local.env"
    with pytest.raises(SystemCheckError, match="cress.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
    settings.LOCAL_ENV_READ = ""
    from django.core import checks

    assert "cress.E001" not in {issue.id for issue in checks.run_checks(include_deployment_checks=True)}


def test_it_is_never_committed():
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "local.env"], cwd=ROOT, check=False
    ).returncode
    assert ignored == 0, "local.env must be in .gitignore"


def test_manage_py_without_debug_in_the_environment_runs_after_make_run(tmp_path):
    """The README's commands, as written: no DJANGO_DEBUG=1, no key, after `make run`."""
    path = ROOT / "local.env"
    existed = path.exists()
    backup = path.read_bytes() if existed else None
    try:
        localenv.write(path, environ={"DATABASE_URL": os.environ["DATABASE_URL"]})
        env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SECRET_KEY", "DJANGO_DEBUG"}}
        done = subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        # Without it (and without a key), a clear message in a few lines, not a traceback.
        path.unlink()
        done = subprocess.run(
            [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode != 0 and "DJANGO_SECRET_KEY" in done.stderr
        assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) <= 3, done.stderr
    finally:
        if existed:
            path.write_bytes(backup)
            path.chmod(0o600)
        elif path.exists():
            path.unlink()


def test_check_deploy_refuses_a_secret_left_as_in_the_example(monkeypatch):
    example = localenv.read(ROOT / "deploy" / "env.example")
    monkeypatch.setenv("DJANGO_SECRET_KEY", example["DJANGO_SECRET_KEY"])
    with pytest.raises(SystemCheckError, match="cress.E002"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
    monkeypatch.setenv("DJANGO_SECRET_KEY", "a-key-of-this-site-only-" + "x" * 40)
    from django.core import checks

    assert "cress.E002" not in {issue.id for issue in checks.run_checks(include_deployment_checks=True)}
