"""EXPLAIN ANALYZE of every SQL statement each page runs, on a bench database.

    .venv/bin/python bench/explain.py --database jokesite_bench1m
    .venv/bin/python bench/explain.py --database jokesite_bench --pages thread,tags --plans

For the thread (a random question with answers), the home page, the middle page of the list
in each order, unanswered (its first and middle page), the busiest tag's page (first, middle,
unanswered), a rare tag's page, /tags/, a busy member's profile and two searches, this GETs the page
once as an anonymous reader through Django's test client (page cache off, the other caches
cleared: the cold cost), captures its statements, and runs each again under
`EXPLAIN (ANALYZE, BUFFERS)`. It prints, per page, the statements with their execution time
and top plan node, and the whole plan of every statement slower than --slow ms (all of them
with --plans). A second pass runs each statement again, so the times are warm (cached pages
of PostgreSQL), as a busy site's would be. Not a test; nothing runs it automatically.
"""

from __future__ import annotations

import argparse
import os
import re
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
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--pages", help="comma-separated page names (default: all)")
    parser.add_argument("--slow", type=float, default=5.0, help="print plans slower than (ms)")
    parser.add_argument("--plans", action="store_true", help="print every plan")
    parser.add_argument("--seed", type=int, default=8)
    return parser.parse_args(argv)


def pages(seed: int) -> list[tuple[str, str]]:
    import random

    from django.contrib.auth import get_user_model

    from questions.models import Question, Tag

    visible = Question.objects.visible()
    high = visible.order_by("-pk").values_list("pk", flat=True).first()
    rng = random.Random(seed)
    thread = None
    while thread is None:  # a random thread with a few answers, found by its primary key
        thread = visible.filter(pk__gte=rng.randint(1, high), answer_count__gte=3).first()
    deep = max(1, visible.count() // 20 // 2)
    deep_unanswered = max(1, visible.unanswered().count() // 20 // 2)
    tag = Tag.objects.order_by("-question_count", "name").first()
    rare = Tag.objects.filter(question_count__gte=3).order_by("question_count", "name").first()
    member = get_user_model().objects.order_by("-reputation").first()
    return [
        ("thread", thread.get_absolute_url()),
        ("home", "/"),
        ("deep", f"/questions/?page={deep}"),
        ("deep-newest", f"/questions/?sort=newest&page={deep}"),
        ("deep-votes", f"/questions/?sort=votes&page={deep}"),
        ("unanswered", "/questions/?sort=unanswered"),
        ("unanswered-deep", f"/questions/?sort=unanswered&page={deep_unanswered}"),
        ("tag", f"/tags/{quote(tag.name)}/"),
        ("tag-deep", f"/tags/{quote(tag.name)}/?page={max(1, tag.question_count // 40)}"),
        ("tag-unanswered", f"/tags/{quote(tag.name)}/?sort=unanswered"),
        ("tag-rare", f"/tags/{quote(rare.name)}/"),
        ("tags", "/tags/"),
        ("profile", member.get_absolute_url()),
        ("search", f"/search/?q={quote('invest')}"),
        ("search-cjk", f"/search/?q={quote('银行')}"),
    ]


def explain(cursor, sql: str) -> tuple[float, list[str]]:
    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
    plan = [row[0] for row in cursor.fetchall()]
    found = re.search(r"Execution Time: ([\d.]+) ms", plan[-1])
    return (float(found.group(1)) if found else 0.0), plan


def main(argv=None):
    args = parse_args(argv)
    env = run.environment(args)
    env["PAGE_CACHE_SECONDS"] = "0"
    # Plain SQL, not PREPARE/EXECUTE (core.statements), so every statement can be explained.
    env["DB_PREPARED_STATEMENTS"] = "0"
    run.manage(env, "collectstatic", "--noinput", "-v", "0")  # pages need the manifest
    os.environ.update(env)
    sys.path.insert(0, str(run.ROOT))
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    wanted = set(args.pages.split(",")) if args.pages else None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM questions_question")
        questions = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"# EXPLAIN ANALYZE at {questions:,} questions (PostgreSQL {version})\n")
    for name, path in pages(args.seed):
        if wanted and name not in wanted:
            continue
        for alias in caches:
            caches[alias].clear()
        client = Client(HTTP_HOST="127.0.0.1")
        started = time.monotonic()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        wall = (time.monotonic() - started) * 1000
        statements = [q["sql"] for q in captured.captured_queries]
        print(f"## {name}: `{path}`\n")
        print(
            f"HTTP {response.status_code}, {len(statements)} statements, whole request "
            f"{wall:.1f} ms (cold caches, Python included)\n"
        )
        print("| # | ms | top of the plan | statement |")
        print("|---|---|---|---|")
        slow = []
        total = 0.0
        with connection.cursor() as cursor:
            for number, sql in enumerate(statements, 1):
                if not sql.lstrip("( \n").upper().startswith("SELECT"):  # (a UNION's first part
                    print(f"| {number} | - | (not a SELECT) | `{sql[:60]}` |")
                    continue
                explain(cursor, sql)  # warm PostgreSQL's buffers first
                ms, plan = explain(cursor, sql)
                total += ms
                top = plan[0].split("  (")[0].strip()
                short = " ".join(sql.split())[:90].replace("|", "/")
                print(f"| {number} | {ms:.2f} | {top} | `{short}` |")
                if args.plans or ms >= args.slow:
                    slow.append((number, ms, sql, plan))
        print(f"\nSQL execution in all: {total:.1f} ms\n")
        for number, ms, sql, plan in slow:
            print(f"Statement {number} ({ms:.1f} ms):\n\n```sql\n{sql}\n```\n\n```")
            print("\n".join(plan))
            print("```\n")


if __name__ == "__main__":
    main()
