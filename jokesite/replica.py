"""An optional read replica (`DATABASE_REPLICA_URL`) for anonymous reads, with read-your-writes.

When `DATABASE_REPLICA_URL` is set, the settings add the `replica` database, this router and
`ReplicaMiddleware` (first in MIDDLEWARE). A GET or HEAD from a visitor with no session cookie
and no `jokesite_primary` cookie reads from the replica; everything else reads and writes the
primary: other requests, signed-in members, management commands, task workers, migrations.

Read-your-writes: a request other than GET, HEAD or OPTIONS that succeeds sets the
`jokesite_primary` cookie for `REPLICA_STICKY_SECONDS` (5), so whoever just wrote reads from
the primary until the replica has caught up; the cookie also keeps them off the anonymous page
cache meanwhile. A page rendered from the replica is kept in the page cache for at most those
seconds too (`request.page_cache_seconds`): the replica may lag behind a version the primary
already moved, and the page must not outlive that lag by the whole cache time. For the same
reason such a request keeps no shared fragment (`request.reads_replica`): a post's parts kept
under the new version but rendered from the replica's older rows would be served to members,
the writer among them, who read the primary.
"""

from __future__ import annotations

import contextvars

from django.conf import settings

REPLICA = "replica"
COOKIE = "jokesite_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

# True while a request that may read from the replica runs (set by ReplicaMiddleware only).
_reads: contextvars.ContextVar[bool] = contextvars.ContextVar("jokesite_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Reads of a marked request go to the replica; all else to the primary."""

    def db_for_read(self, model, **hints):
        return REPLICA if _reads.get() and replica_configured() else None

    def db_for_write(self, model, **hints):
        return None  # the primary

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db != REPLICA  # the replica follows the primary's schema by replication


def reads_from_replica(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and COOKIE not in request.COOKIES
        and replica_configured()
    )


class ReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        replica = reads_from_replica(request)
        # Rows read from the replica may be older than the content versions the cache holds:
        # nothing rendered from them is kept as a shared fragment (pagecache.fragments.stamp).
        request.reads_replica = replica
        if replica:
            request.page_cache_seconds = min(
                settings.REPLICA_STICKY_SECONDS, settings.JOKESITE_PAGE_CACHE_SECONDS
            )
        token = _reads.set(replica)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                COOKIE,
                "1",
                max_age=settings.REPLICA_STICKY_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
