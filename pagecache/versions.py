"""The content version: one number in the shared cache that every write moves on.

Anonymous pages are cached under the version current when their rendering started
(`pagecache.middleware`), so once a write commits and moves the version, no reader is served
a page from before it. Writes are seen where they happen, in the database connection: every
INSERT, UPDATE or DELETE run through Django (the ORM, `update()`, bulk writes, raw cursors) on
a table that pages show registers one bump, run when its transaction commits (at once outside
a transaction), so a rolled-back write moves nothing and a reader never sees the new version
before the new data. Web requests, management commands and task workers alike.

The cache may be down: then reading gives None (pages are rendered, not cached) and a bump is
lost. Pages are cached for at most `JOKESITE_PAGE_CACHE_SECONDS`, which bounds how long a write
made while the cache was unreachable can go unseen once it is back.
"""

from __future__ import annotations

import logging
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([\w.]+)"?', re.IGNORECASE)


def cache():
    return caches[settings.JOKESITE_PAGE_CACHE]


def current() -> int | None:
    """The version now, made when missing; None when the cache is unreachable."""
    try:
        version = cache().get(VERSION_KEY)
        if version is None:
            # A start that no earlier version can equal, also after an eviction or a flush.
            cache().add(VERSION_KEY, time.time_ns(), timeout=None)
            version = cache().get(VERSION_KEY)
        return version
    except Exception:
        logger.warning("page cache unreachable: rendering without it", exc_info=True)
        return None


def bump() -> None:
    """Move the version on: every cached page is out of date from now on."""
    try:
        try:
            cache().incr(VERSION_KEY)
        except ValueError:  # missing: start anew rather than at a number used before
            cache().add(VERSION_KEY, time.time_ns(), timeout=None)
    except Exception:
        logger.warning("page cache unreachable: version not moved", exc_info=True)


def _ignored(table: str) -> bool:
    return table.startswith(tuple(settings.JOKESITE_PAGE_CACHE_IGNORED_TABLES))


def bump_on_commit(connection) -> None:
    """Register a bump for when the current transaction of `connection` commits: one per
    transaction and savepoint level (a savepoint rolled back takes its callbacks with it)."""
    if connection.in_atomic_block:
        level = set(connection.savepoint_ids)
        if any(f is bump and sids == level for sids, f, _ in connection.run_on_commit):
            return
    transaction.on_commit(bump, using=connection.alias)


def watch_writes(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: add the write watcher to the connection, once."""
    if not any(isinstance(w, _WriteWatcher) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_WriteWatcher(connection))


class _WriteWatcher:
    """An execute wrapper that registers a bump for writes to the tables pages show."""

    def __init__(self, connection):
        self.connection = connection

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if (match := _WRITE.match(sql)) and not _ignored(match.group(1).split(".")[-1]):
            bump_on_commit(self.connection)
        return result
