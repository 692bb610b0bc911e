"""The site under real faults, with real processes (PostgreSQL pass only): gunicorn with
production settings (DJANGO_DEBUG unset, hashed static files, DB_CONN_MAX_AGE=60 with health
checks) serves while

- a private Redis is stopped and started again: pages answer, never 500, and the cache is
  used again after the restart;
- a private PostgreSQL cluster is stopped: pages answer 503 with Retry-After, /healthz 503;
  started again, the same workers serve again by themselves;
- a worker is killed (SIGKILL) in a burst of votes and answers: every write is whole or
  absent, and `recompute_reputation --dry-run` finds nothing to fix.

Email with the SMTP server down and then up is tests/notifications/test_smtp_outage.py.
Each test prints what it observed (`pytest -s`).
"""

import os
import random
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from answers.models import Answer
from revisions.models import Revision
from tests import processes
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.processes import Gunicorn, PostgresCluster, Redis, get, post, session_cookie, wait_for
from votes.models import Vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL) to serve"
    ),
    pytest.mark.django_db(transaction=True),
]

BODY = "An answer written during a burst of writes, long enough for the form."


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    directory = tmp_path_factory.mktemp("static")
    processes.collect_static(directory)
    return directory


def database_url() -> str:
    """The test database's URL, for the servers."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def thread():
    question = QuestionFactory(title="What survives when the cache or the database goes away?")
    AnswerFactory(question=question, body="An answer that every reader should still see.")
    return question


def pages(question) -> list[str]:
    return ["/", "/questions/", question.get_absolute_url(), "/tags/", "/api/v1/questions/"]


def test_redis_stopped_and_restarted_while_serving(static_root, thread, tmp_path):
    redis = Redis()
    member = session_cookie(UserFactory())
    env = processes.production_env(
        DATABASE_URL=database_url(), REDIS_URL=redis.url, STATIC_ROOT=str(static_root),
        PAGE_CACHE_SECONDS="300",
    )  # fmt: skip
    server = Gunicorn(env, workers=2, log=tmp_path / "gunicorn.log")
    observed = []
    try:
        for path in pages(thread):
            assert get(server.base + path)[0] == 200, path
        assert get(server.base + thread.get_absolute_url(), member)[0] == 200
        assert redis.keys() > 0  # the page cache and the rest are in Redis
        observed.append(f"up: {redis.keys()} keys")

        redis.stop()
        statuses = []
        started = time.monotonic()
        while time.monotonic() - started < 3:
            for path in pages(thread):
                statuses.append(get(server.base + path)[0])
            statuses.append(get(server.base + thread.get_absolute_url(), member)[0])
            statuses.append(
                post(f"{server.base}/questions/{thread.pk}/vote/", {"value": "1"}, member)
            )
        assert set(statuses) <= {200, 302}, statuses
        status, _headers, body = get(f"{server.base}/healthz")
        assert status == 200 and '"cache": "unavailable"' in body
        observed.append(f"down: {len(statuses)} requests, statuses {sorted(set(statuses))}")

        redis.start()
        back = time.monotonic()

        def cache_in_use():
            for path in pages(thread):
                assert get(server.base + path)[0] == 200
            return redis.keys() > 0

        wait_for(cache_in_use, 20, "the cache to be used again")
        observed.append(f"restarted: cache used again after {time.monotonic() - back:.1f} s")
        assert '"cache": "ok"' in get(f"{server.base}/healthz")[2]
        assert Vote.objects.filter(question=thread).count() == 1  # the votes were kept
    finally:
        server.stop()
        redis.stop()
    print("\nRedis fault:", "; ".join(observed))


@pytest.mark.skipif(bool(processes.postgres_problem()), reason=str(processes.postgres_problem()))
def test_postgresql_stopped_then_started_the_site_recovers_by_itself(static_root, thread, tmp_path):
    member = session_cookie(UserFactory())
    cluster = PostgresCluster()
    server = None
    observed = []
    try:
        processes.dump_and_restore(
            connection.settings_dict, "127.0.0.1", cluster.port, "jokesite", tmp_path / "db.dump"
        )
        env = processes.production_env(
            DATABASE_URL=cluster.url("jokesite"), STATIC_ROOT=str(static_root),
            DB_CONN_MAX_AGE="60",
        )  # fmt: skip
        server = Gunicorn(env, workers=2, log=tmp_path / "gunicorn.log")
        paths = pages(thread)
        for path in paths:
            assert get(server.base + path)[0] == 200, path
        assert get(server.base + paths[2], member)[0] == 200

        cluster.stop()
        # (An API response already in the cache is served from it, a 200: ask a fresh one.)
        for path in [*paths[:-1], "/api/v1/questions/?sort=newest", "/healthz"]:
            status, headers, _body = get(server.base + path)
            assert status == 503, (path, status)
            if path != "/healthz":
                assert headers["Retry-After"] == "30", path
        status, headers, _body = get(server.base + paths[2], member)
        assert (status, headers.get("Retry-After")) == (503, "30")
        vote = post(f"{server.base}/questions/{thread.pk}/vote/", {"value": "1"}, member)
        assert vote == 503
        observed.append(f"stopped: {len(paths) + 3} requests, each 503 with Retry-After: 30")

        cluster.start()
        back = time.monotonic()
        wait_for(lambda: get(f"{server.base}/healthz")[0] == 200, 20, "/healthz to say 200")
        for _ in range(4):  # both workers, whatever connection each kept
            for path in paths:
                assert get(server.base + path)[0] == 200, path
        assert get(server.base + paths[2], member)[0] == 200
        assert post(f"{server.base}/questions/{thread.pk}/vote/", {"value": "1"}, member) == 302
        observed.append(
            f"started: every page 200 again after {time.monotonic() - back:.1f} s, "
            "same gunicorn workers"
        )
    finally:
        if server:
            server.stop()
        cluster.destroy()
    print("\nPostgreSQL fault:", "; ".join(observed))


def test_a_worker_killed_in_a_burst_of_writes_leaves_every_write_whole(static_root, tmp_path):
    question = QuestionFactory(title="A question that takes a burst of votes and answers")
    answers = [AnswerFactory(question=question, body=BODY) for _ in range(3)]
    voters = [UserFactory() for _ in range(8)]
    cookies = [session_cookie(voter) for voter in voters]
    env = processes.production_env(DATABASE_URL=database_url(), STATIC_ROOT=str(static_root))
    server = Gunicorn(env, workers=2, log=tmp_path / "gunicorn.log")
    rng = random.Random(9)
    writes = []
    for i in range(120):
        cookie = rng.choice(cookies)
        if i % 4 == 0:
            url = f"{server.base}/questions/{question.pk}/answer/"
            writes.append((url, {"body": f"{BODY} Number {i}."}, cookie))
        else:
            post_url = rng.choice(
                [f"/questions/{question.pk}/vote/", *(f"/answers/{a.pk}/vote/" for a in answers)]
            )
            writes.append(
                (server.base + post_url, {"value": rng.choice(["1", "1", "-1", "0"])}, cookie)
            )

    def send(write):
        try:
            return post(*write)
        except OSError as error:  # the killed worker's requests: connection reset
            return type(error).__name__

    killed = []
    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            results = [pool.submit(send, write) for write in writes]
            # A third of the way in, with eight writers queued on two workers: both are busy.
            wait_for(lambda: sum(r.done() for r in results) >= 40, 30, "40 writes")
            for pid in server.workers()[:1]:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            statuses = [result.result() for result in results]
        wait_for(lambda: len(server.workers()) == 2, 20, "gunicorn to replace the worker")
        assert get(server.base + question.get_absolute_url())[0] == 200
    finally:
        server.stop()

    assert killed
    assert 500 not in statuses, statuses
    # Whole or absent: every answer has its first revision and is counted; every stored score
    # is the sum of its votes; the ledger matches the votes.
    question.refresh_from_db()
    visible = Answer.objects.filter(question=question, deleted_at__isnull=True)
    assert question.answer_count == visible.count()
    posted = Answer.objects.filter(question=question).exclude(pk__in=[a.pk for a in answers])
    for answer in posted:  # (the factory's answers have no revision)
        assert Revision.objects.filter(answer=answer).exists(), answer.pk
    for post_ in [question, *Answer.objects.filter(question=question)]:
        post_.refresh_from_db()
        total = post_.votes.aggregate(total=Sum("value"))["total"] or 0
        assert post_.score == total, post_
    out = StringIO()
    call_command("recompute_reputation", "--dry-run", stdout=out, verbosity=0)
    assert "no drift" in out.getvalue(), out.getvalue()
    counts = {status: statuses.count(status) for status in set(statuses)}
    print(
        f"\nWorker killed: {len(writes)} writes, statuses {counts}, "
        f"{posted.count()} answers saved, {Vote.objects.count()} votes standing; "
        f"recompute_reputation --dry-run: {out.getvalue().strip()}"
    )
