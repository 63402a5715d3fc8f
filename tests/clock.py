"""A clock the tests control, for what Django signs with a time stamp (the forms' minimum
fill time, the verification links' expiry): no test waits for real time to pass."""

import time
from contextlib import contextmanager
from types import SimpleNamespace

from django.core import signing


@contextmanager
def signing_clock(seconds_ahead):
    """Inside, ``django.core.signing`` (and only it) reads a clock ``seconds_ahead`` of the
    real one (negative: behind): what it signs is dated then, what it checks is aged from then.
    The live server's thread, in the same process, sees the same clock."""
    real = signing.time
    signing.time = SimpleNamespace(time=lambda: time.time() + seconds_ahead)
    try:
        yield
    finally:
        signing.time = real
