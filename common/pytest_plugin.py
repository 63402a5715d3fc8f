"""The test suite's database (pyproject: ``-p common.pytest_plugin``, loaded before the
settings): without ``DATABASE_URL``, the private PostgreSQL of this checkout
(``common/localdb.py``), started once by the main process; pytest-xdist's workers inherit
its address. The site address is the test client's."""

import os

from common import localdb

# The site's own address (common.site): the one the test client asks at.
os.environ.setdefault("DIRECTORY_SITE_URL", "http://testserver")

localdb.ensure()
