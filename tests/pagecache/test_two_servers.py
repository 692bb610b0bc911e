"""Two gunicorn servers on one PostgreSQL and one Redis, as on two machines: a write through
one shows at once on the other, to an anonymous reader of a cached page.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL); skipped otherwise.
"""

import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.processes import free_port, post

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not os.environ.get("REDIS_URL"),
        reason="needs PostgreSQL and Redis shared by two processes",
    ),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def servers():
    """Two gunicorn masters (one worker each) on the test database; their base URLs."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env = dict(
        os.environ,
        DATABASE_URL=url,
        DJANGO_DEBUG="1",  # plain static files: nothing to collect first
        JOKESITE_LAUNCH_MODE="1",
        RATELIMIT_ENABLE="0",
        JOKESITE_FORM_PROTECTION="0",
        PAGE_CACHE_SECONDS="300",
        WEB_CONCURRENCY="1",
        DB_CONN_MAX_AGE="0",
    )
    processes, bases = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "gunicorn"),
                    "-c",
                    "gunicorn.conf.py",
                    "jokesite.wsgi",
                ],  # fmt: skip
                cwd=ROOT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                start_new_session=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            deadline = time.monotonic() + 30
            while True:
                try:
                    urllib.request.urlopen(f"{base}/healthz", timeout=2)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
        yield bases
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)


def get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def session_cookie(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def test_a_write_through_one_server_shows_at_once_on_the_other(servers):
    one, other = servers
    question = QuestionFactory(title="Two servers, one cache: does the vote show at once?")
    answer = AnswerFactory(question=question, body="An answer both servers show to readers.")
    path = question.get_absolute_url()
    status, headers, body = get(other + path)
    assert status == 200
    assert headers["X-Page-Cache"] == "miss"
    assert 'data-score="1"' not in body
    etag = headers["ETag"]
    assert get(other + path)[1]["X-Page-Cache"] == "hit"
    assert get(other + path, {"If-None-Match": etag})[0] == 304

    voter = session_cookie(UserFactory())
    assert post(f"{one}/answers/{answer.pk}/vote/", {"value": "1"}, voter) == 302

    status, headers, body = get(other + path)
    assert status == 200
    assert headers["X-Page-Cache"] == "miss"
    assert headers["ETag"] != etag
    assert 'data-score="1"' in body  # the answer's new score
    assert get(other + path, {"If-None-Match": etag})[0] == 200
