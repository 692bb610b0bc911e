"""The content versions: numbers in the shared cache that writes move on.

The site version moves on with every write that no service has placed (below) and makes every
cached page out of date. A thread's writes (votes, answers, comments, accepts) are placed by
their services with `thread_scope(question_id)`: they move on only that thread's version, the
versions of the members whose reputation they change, and the list version (every page that
is not a thread: home, lists, tags, profiles, search). So other threads' cached pages survive.

A cached thread page is valid while the site version, its thread's version and the versions
it depends on (`depends_on`: the related questions it lists, the members whose reputation it
shows) are those it was rendered at. Those dependencies are found while rendering, after their
data was read; the list version read before rendering guards that race: a scoped write moves
the list version first, so a page whose list version moved while it rendered is not kept.

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

import contextvars
import functools
import logging
import re
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "pagecache:version"
LISTS_KEY = "pagecache:lists"


def thread_key(question_id: int) -> str:
    return f"pagecache:thread:{question_id}"


def user_key(user_id: int) -> str:
    return f"pagecache:user:{user_id}"


# The thread the running service writes to (None: writes move the site version).
_scope: contextvars.ContextVar[int | None] = contextvars.ContextVar("pagecache_scope", default=None)
# While the middleware renders a cacheable page: the keys it depends on beyond its own.
_depends: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "pagecache_depends", default=None
)
# During a request: which kinds of bump its writes registered ("site", "scoped").
_bumped: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "pagecache_bumped", default=None
)


# True while a block writes only what no page shows (`unshown`).
_unshown: contextvars.ContextVar[bool] = contextvars.ContextVar("pagecache_unshown", default=False)


@contextmanager
def unshown() -> Iterator[None]:
    """Writes in the block change nothing any page shows (a member's `last_login` on each
    login): they move no version, so cached pages stay. Use it only around such writes."""
    token = _unshown.set(True)
    try:
        yield
    finally:
        _unshown.reset(token)


@contextmanager
def thread_scope(question_id: int) -> Iterator[None]:
    """Writes in the block change only the thread of `question_id` (and the lists): say so
    from the service, around everything it writes."""
    token = _scope.set(question_id)
    try:
        yield
    finally:
        _scope.reset(token)


def thread_of(post) -> int:
    """The question id of a question or an answer."""
    return post.question_id if post.kind == "answer" else post.pk


def in_thread(question_id_of):
    """Decorate a service (keyword arguments only) whose writes all belong to one thread:
    `question_id_of(**kwargs)` names it. Goes outside `transaction.atomic`."""

    def decorate(service):
        @functools.wraps(service)
        def scoped(*args, **kwargs):
            with thread_scope(question_id_of(**kwargs)):
                return service(*args, **kwargs)

        return scoped

    return decorate


def depends_on(keys: Iterable[str]) -> None:
    """The page being rendered shows data these versions guard (no-op when not caching)."""
    found = _depends.get()
    if found is not None:
        found.update(keys)


def touch_users(user_ids: Iterable[int]) -> None:
    """In a thread scope, these members' reputation changes: their versions move on commit
    (outside a scope the write moves the site version anyway)."""
    if _scope.get() is not None:
        _bump_keys_on_commit(tuple(user_key(pk) for pk in sorted(set(user_ids))))


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


def current_many(keys: list[str], known: dict | None = None) -> dict[str, int] | None:
    """The versions of `keys`, each made when missing; None when the cache is unreachable.

    `known`: what a read of all `keys` just found in this request (the middleware's first
    round trip), so they are not read again; a key it lacks is missing. Making the missing
    ones and reading them back is one more round trip on Redis (`_make_missing`), however
    many there are."""
    try:
        if known is None:
            found = cache().get_many(keys)
        else:
            found = {key: known[key] for key in keys if key in known}
        missing = [key for key in keys if key not in found]
        if missing:
            found.update(_make_missing(missing, time.time_ns()))
        return found if len(found) == len(keys) else None
    except Exception:
        logger.warning("page cache unreachable: rendering without it", exc_info=True)
        return None


def _make_missing(keys: list[str], start: int) -> dict[str, int]:
    """Start each of `keys` at `start` where nobody did meanwhile, and read them back: a start
    no earlier version can equal, also after an eviction or a flush. One round trip where the
    cache offers `add_and_get_many` (jokesite.cache), else an add per key and a read."""
    store = cache()
    if hasattr(store, "add_and_get_many"):
        return store.add_and_get_many(keys, start)
    for key in keys:
        store.add(key, start, timeout=None)
    return store.get_many(keys)


def bump_keys(keys: tuple[str, ...]) -> None:
    """Move these versions on, the list version first (see the module doc)."""
    for key in (LISTS_KEY, *keys):
        try:
            try:
                cache().incr(key)
            except ValueError:  # missing: start anew rather than at a number used before
                cache().add(key, time.time_ns(), timeout=None)
        except Exception:
            logger.warning("page cache unreachable: version not moved", exc_info=True)
            return


def _bump_keys_on_commit(keys: tuple[str, ...], connection=None) -> None:
    connection = connection or connections[DEFAULT_DB_ALIAS]
    bumped = _bumped.get()
    if bumped is not None:
        bumped.add("scoped")
    if connection.in_atomic_block:
        level = set(connection.savepoint_ids)
        for sids, f, _ in connection.run_on_commit:
            if getattr(f, "func", None) is bump_keys and f.args == (keys,) and sids == level:
                return
    transaction.on_commit(functools.partial(bump_keys, keys), using=connection.alias)


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
    bumped = _bumped.get()
    if bumped is not None:
        bumped.add("site")
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
        if _unshown.get():
            return result
        if (match := _WRITE.match(sql)) and not _ignored(match.group(1).split(".")[-1]):
            scope = _scope.get()
            if scope is None:
                bump_on_commit(self.connection)
            else:
                _bump_keys_on_commit((thread_key(scope),), self.connection)
        return result
