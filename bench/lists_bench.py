"""Latency of the list and profile pages for a signed-in reader with cold caches, in-process.

    .venv/bin/python bench/lists_bench.py --database jokesite_bench1m
    .venv/bin/python bench/lists_bench.py --repeat 50 --only "page 25,profile"

A signed-in reader gets no page from the anonymous page cache, so every request runs its
view. Before each request the shared cache is emptied (the list counts and every fragment are
cold). Each page is requested `--repeat` times through Django's test client (middleware,
view, template; no network) and its p50, p99 and max wall time printed with its SQL count.
"Random" pages pick a page number at random over the whole list on each request, so no page
is read twice. The member's session is written inside a transaction that is rolled back at
the end: the database is left as it was. Not a test; nothing runs it automatically.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: the same environment as the page benchmark)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="jokesite_bench1m")
    parser.add_argument("--server", default=run.SERVER, help="PostgreSQL, without the database")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", help="comma-separated page names (default: all)")
    parser.add_argument("--seed", type=int, default=8)
    return parser.parse_args(argv)


def pages(rng: random.Random) -> list[tuple[str, object]]:
    """(name, path or a function giving a path) of every page measured."""
    from django.contrib.auth import get_user_model

    from questions.models import Question, Tag

    visible = Question.objects.visible()
    total_pages = max(1, visible.count() // 20)
    unanswered_pages = max(1, visible.unanswered().count() // 20)
    busiest = Tag.objects.order_by("-question_count", "name").first()
    rare = Tag.objects.filter(question_count__gte=3).order_by("question_count", "name").first()
    tag_pages = max(1, busiest.question_count // 20)
    member = get_user_model().objects.order_by("-reputation").first()
    tags_pages = max(1, Tag.objects.count() // 60)
    busiest_url, rare_url = f"/tags/{quote(busiest.name)}/", f"/tags/{quote(rare.name)}/"

    def anywhere(path, last):
        return lambda: f"{path}&page={rng.randint(1, last)}"

    return [
        ("home", "/"),
        ("page 25,000 active", "/questions/?page=25000"),
        ("page 25,000 newest", "/questions/?sort=newest&page=25000"),
        ("page 25,000 votes", "/questions/?sort=votes&page=25000"),
        ("random page active", anywhere("/questions/?sort=active", total_pages)),
        ("random page newest", anywhere("/questions/?sort=newest", total_pages)),
        ("random page votes", anywhere("/questions/?sort=votes", total_pages)),
        ("last page votes", f"/questions/?sort=votes&page={total_pages + 1}"),
        ("unanswered", "/questions/?sort=unanswered"),
        ("random page unanswered", anywhere("/questions/?sort=unanswered", unanswered_pages)),
        (f"tag {busiest.name} ({busiest.question_count:,})", busiest_url),
        ("busiest tag, random page", anywhere(f"{busiest_url}?sort=active", tag_pages)),
        ("busiest tag, votes", f"{busiest_url}?sort=votes"),
        ("busiest tag, unanswered", f"{busiest_url}?sort=unanswered"),
        (f"rare tag {rare.name} ({rare.question_count})", rare_url),
        ("/tags/", "/tags/"),
        ("/tags/ random page", anywhere("/tags/?sort=popular", tags_pages)),
        (f"profile {member.username}", member.get_absolute_url()),
    ]


def main(argv=None):
    args = parse_args(argv)
    env = run.environment(args)
    run.manage(env, "collectstatic", "--noinput", "-v", "0")  # pages need the manifest
    os.environ.update(env)
    sys.path.insert(0, str(run.ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.cache import caches
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    wanted = set(args.only.split(",")) if args.only else None
    rng = random.Random(args.seed)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM questions_question")
        questions = cursor.fetchone()[0]
    load = os.getloadavg()
    print(
        f"# {questions:,} questions, signed in, caches emptied before each request, "
        f"{args.repeat} requests a page (load average {load[0]:.1f} {load[1]:.1f})\n"
    )
    print("| page | p50 ms | p99 ms | max ms | SQL |")
    print("|---|---|---|---|---|")
    with transaction.atomic():
        reader = get_user_model().objects.filter(is_active=True).order_by("pk").first()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(reader)
        for name, path in pages(rng):
            if wanted and not any(word in name for word in wanted):
                continue
            times, queries = [], 0
            for _ in range(args.repeat):
                for alias in caches:
                    caches[alias].clear()
                url = path() if callable(path) else path
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as captured:
                    response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                queries = max(queries, len(captured.captured_queries))
            times.sort()
            p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
            print(
                f"| {name} | {statistics.median(times):.1f} | {p99:.1f} | {times[-1]:.1f} "
                f"| {queries} |"
            )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
