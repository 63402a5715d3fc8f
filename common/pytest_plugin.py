"""The test suite's database (pyproject: ``-p common.pytest_plugin``, loaded before the
settings): without ``DATABASE_URL``, the private PostgreSQL of this checkout
(``common/localdb.py``), started once by the main process; pytest-xdist's workers inherit
its address."""

from common import localdb

localdb.ensure()
