"""gunicorn's settings for jokesite: `.venv/bin/gunicorn jokesite.wsgi` reads this file.

Each can be overridden from the environment (WEB_CONCURRENCY, GUNICORN_BIND, ...) or the
command line. Sync workers: every page is a short database-bound request, and PostgreSQL's
connections are kept open between requests (DB_CONN_MAX_AGE), one per worker.
"""

import gc
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# About two workers per core (the README's deployment section).
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
# Load the app once in the master, then fork: less memory, faster restarts.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound: rarely, since a
# worker serving cached pages answers a thousand requests a second (at 5,000 each one restarted
# every few seconds under load). A new worker is forked warm (`when_ready`).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = 10000
# The reverse proxy terminates HTTPS and says so in X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def post_fork(server, worker):
    """Database connections are never shared across a fork: preload may have opened one."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        conn.close()


def when_ready(server):
    """In the master, with the app preloaded and before any worker is forked: compile the
    templates, load the translations, fill the URL resolver (jokesite.warmup), so every worker
    starts with them instead of building them on its first readers' requests. Without
    preloading the master has no Django to warm."""
    if not server.cfg.preload_app:
        return
    from jokesite.warmup import warm

    counts = warm()
    # Move everything loaded so far (Django, the app, the compiled templates: some 400,000
    # objects) out of the garbage collector's sight before the workers fork. A worker's full
    # collection then walks only what its requests made, instead of stopping a request for
    # tens of milliseconds now and then (a 50-answer thread's p99 went from 85-97 ms to
    # 52 ms in bench/run), and copy-on-write pages stay shared.
    gc.freeze()
    server.log.info("warmed: %s templates compiled, %s could not be", counts["compiled"],
                    len(counts["failed"]))  # fmt: skip
