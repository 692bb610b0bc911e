"""A Redis cache whose outage slows the site but breaks nothing.

Everything jokesite, allauth and django-ratelimit keep in the cache can be computed again or
done without: related questions, diffs, API responses, form tokens, rate-limit counters. So
when Redis cannot be reached, `FailSafeRedisCache` answers as an empty cache that keeps
nothing: reads miss, writes are dropped, and `add` reports success, so a caller that reserves
a key (allauth's rate-limit lock, a form token, django-ratelimit's counter) goes ahead instead
of waiting or refusing: rate limits fail open.

After a failure the cache is skipped for `RETRY_SECONDS` in this process, so a Redis that
hangs costs one timeout (the connection and socket timeouts in settings), not one per call.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
# redis-py's errors, and socket errors (refused, reset, timed out) it lets through.
CACHE_ERRORS = (RedisError, OSError)

_down_until = 0.0  # time.monotonic() before which the cache is not asked; shared by threads


def _is_down() -> bool:
    return time.monotonic() < _down_until


def _went_down(operation: str, error: Exception) -> None:
    global _down_until
    if not _is_down():
        logger.warning(
            "cache unreachable (%s: %s); skipping it for %ss", operation, error, RETRY_SECONDS
        )
    _down_until = time.monotonic() + RETRY_SECONDS


def cache_is_down() -> bool:
    """True while a recent failure has the cache skipped (for /healthz)."""
    return _is_down()


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, keeping one `redis.Redis` per connection pool: Django builds a new one
    for every cache call (its constructor fills a table of about 170 response callbacks),
    which was most of the CPU a page served from the cache cost. A `redis.Redis` is safe to
    share between threads, and its pool reconnects after a fork."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def make_and_validate_key(self, key, version=None):
        """The key, without Django's checks for what memcached refuses (length, spaces,
        control characters): Redis takes any key, and a page served from the cache reads about
        twenty (the page, its versions and those of what it shows), so the warnings cost more
        than the rest of the key's work."""
        return self.make_key(key, version=version)

    def _call(self, operation: str, fallback, *args, **kwargs):
        if _is_down():
            return fallback
        try:
            return getattr(super(), operation)(*args, **kwargs)
        except CACHE_ERRORS as error:
            _went_down(operation, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", True, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        if _is_down():
            raise ValueError(f"Key '{key}' not found (cache unreachable)")
        try:
            return super().incr(key, delta, version)
        except CACHE_ERRORS as error:
            _went_down("incr", error)
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from error

    def add_and_get_many(self, keys, value, version=None) -> dict:
        """`add(key, value, timeout=None)` for each of `keys`, then `get_many(keys)`, in one
        pipelined round trip (the page cache starts missing versions this way)."""
        if _is_down():
            return {}
        names = {self.make_and_validate_key(key, version=version): key for key in keys}
        serializer = self._cache._serializer
        try:
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for name in names:
                pipe.set(name, serializer.dumps(value), nx=True)
            pipe.mget(list(names))
            values = pipe.execute()[-1]
        except CACHE_ERRORS as error:
            _went_down("add_and_get_many", error)
            return {}
        return {
            key: serializer.loads(found)
            for key, found in zip(names.values(), values, strict=True)
            if found is not None
        }

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)

    def ping(self) -> bool:
        """Whether Redis answers now (bypassing the skip window): for /healthz."""
        global _down_until
        try:
            self._cache.get_client(write=True).ping()
        except CACHE_ERRORS as error:
            _went_down("ping", error)
            return False
        _down_until = 0.0
        return True
