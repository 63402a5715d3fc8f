"""The shared cache, Redis, that never takes the site down with it.

``ResilientRedisCache`` is Django's ``RedisCache`` with a circuit breaker: when Redis does
not answer (connection refused, timeout), the error is logged once, and for
``RETRY_SECONDS`` this process no longer asks Redis at all (no request waits for a dead
server); it keeps what it would have stored in its own memory instead (a bounded
``LocMemCache``). After that delay the next call tries Redis again: answered, the breaker
closes (logged once); not, it stays open for another delay (logged once per delay).

While it is open, ``degraded`` is true, and what must be the same on every worker stays
out of the process's memory: the page cache serves pages uncached and ``cached()``
computes (``common/cache.py``), ``/sante/`` says « dégradé ». What is counted per address
(the API's and the exports' limits, the contributions' limit) goes on counting, in each
process: a limit per process rather than none. Sessions are in the database
(``SESSION_ENGINE``'s default), so is the admin door's count (django-axes).
"""

import logging
import threading
from time import monotonic

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("common.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 30
FALLBACK_ENTRIES = 1000


class Breaker:
    """Whether Redis at one address is skipped, and until when: one per process and
    address (Django makes a cache object per thread; they share it)."""

    def __init__(self):
        self.open_until = 0.0  # monotonic time until which Redis is not asked
        self.lock = threading.Lock()


_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(name):
    with _breakers_lock:
        return _breakers.setdefault(name, Breaker())


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self.retry_seconds = params.get("RETRY_SECONDS", RETRY_SECONDS)
        name = f"redis-fallback:{server}:{params.get('KEY_PREFIX', '')}"
        self._breaker = breaker_for(name)
        # LocMemCache keeps its entries per name: every thread of the process shares them.
        self._fallback = LocMemCache(
            name,
            {
                "TIMEOUT": params.get("TIMEOUT", 300),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "OPTIONS": {"MAX_ENTRIES": FALLBACK_ENTRIES},
            },
        )

    @property
    def degraded(self):
        """True while Redis is not asked (it did not answer less than RETRY_SECONDS ago)."""
        return monotonic() < self._breaker.open_until

    def _call(self, name, *args, **kwargs):
        if self.degraded:
            return getattr(self._fallback, name)(*args, **kwargs)
        try:
            result = getattr(super(), name)(*args, **kwargs)
        except UNREACHABLE as error:
            self._open(error)
            return getattr(self._fallback, name)(*args, **kwargs)
        breaker = self._breaker
        if breaker.open_until:
            with breaker.lock:
                if breaker.open_until:
                    breaker.open_until = 0.0
                    logger.warning("Redis répond de nouveau : le cache partagé est rétabli.")
        return result

    def _open(self, error):
        with self._breaker.lock:
            already = self.degraded
            self._breaker.open_until = monotonic() + self.retry_seconds
        if not already:  # two threads of one process failing at once: one line
            logger.error(
                "Redis ne répond pas (%s : %s) : pages servies sans cache, limites comptées par "
                "processus ; nouvel essai dans %s s.",
                error.__class__.__name__,
                error,
                self.retry_seconds,
            )

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
