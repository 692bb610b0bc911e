from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PageCacheConfig(AppConfig):
    """The anonymous page cache (middleware) and the content version it is keyed by; no
    models."""

    name = "pagecache"

    def ready(self):
        from .versions import watch_writes

        # Every connection, in every process (web workers, management commands, task
        # workers), reports its writes, so a write made anywhere invalidates the pages.
        connection_created.connect(watch_writes, dispatch_uid="pagecache.watch_writes")
