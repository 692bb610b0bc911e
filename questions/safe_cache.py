"""The shared cache, read and written so that an outage slows the site but breaks nothing.

Every value kept in the cache can be computed again or done without (related questions, diffs,
form tokens), so when the cache server is down or slow these helpers log a warning and answer
as a cache miss would: `get` returns the default, `add` and `set` report that nothing was
stored. Use them instead of `django.core.cache.cache` for anything a page or a write needs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a cache backend raises when its server is away: redis-py's errors, and socket errors
# (ConnectionRefusedError, TimeoutError) from any backend.
CACHE_ERRORS = (RedisError, OSError)


def _failed(operation: str, key: str, error: Exception) -> None:
    logger.warning("cache %s %r failed: %s", operation, key, error)


def get(key: str, default: Any = None) -> Any:
    try:
        return cache.get(key, default)
    except CACHE_ERRORS as error:
        _failed("get", key, error)
        return default


def get_many(keys: list[str]) -> dict[str, Any]:
    try:
        return cache.get_many(keys)
    except CACHE_ERRORS as error:
        _failed("get_many", ",".join(keys[:3]), error)
        return {}


def set(key: str, value: Any, timeout: float | None = None) -> bool:  # noqa: A001
    """Store `value`; False when the cache could not be reached."""
    try:
        cache.set(key, value, timeout)
    except CACHE_ERRORS as error:
        _failed("set", key, error)
        return False
    return True


def set_many(values: dict[str, Any], timeout: float | None = None) -> bool:
    try:
        cache.set_many(values, timeout)
    except CACHE_ERRORS as error:
        _failed("set_many", ",".join(list(values)[:3]), error)
        return False
    return True


def add(key: str, value: Any, timeout: float | None = None) -> bool | None:
    """True when `key` was free and now holds `value`, False when it was taken, None when the
    cache could not be reached (the caller decides whether to go ahead)."""
    try:
        return cache.add(key, value, timeout)
    except CACHE_ERRORS as error:
        _failed("add", key, error)
        return None


def delete(key: str) -> bool:
    try:
        return cache.delete(key)
    except CACHE_ERRORS as error:
        _failed("delete", key, error)
        return False
