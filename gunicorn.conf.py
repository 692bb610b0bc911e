"""gunicorn's settings for jokesite: `.venv/bin/gunicorn jokesite.wsgi` reads this file.

Each can be overridden from the environment (WEB_CONCURRENCY, GUNICORN_BIND, ...) or the
command line. Sync workers: every page is a short database-bound request, and PostgreSQL's
connections are kept open between requests (DB_CONN_MAX_AGE), one per worker.
"""

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
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
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
