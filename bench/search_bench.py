"""Search latency on PostgreSQL with many posts of mixed Chinese/English text. Not a test.

Fills a scratch database (dropped and re-created unless --reuse) with --posts posts (a third
questions, the rest answers) by bulk inserts, builds the search index through the same code as
`manage.py rebuild_search`, then times --queries searches (1-4 character Chinese words, English
words, mixed text, phrases, operators) exactly as the /search/ page runs them: the count, the
first page of 20 and its snippets. Prints p50/p90/p99 overall and per kind of query.

    python bench/search_bench.py --posts 100000
    python bench/search_bench.py --posts 1000000 --database jokesite_bench_1m

With --page-queries it generates nothing and only reads: the 40 searches of `bench/run` (its
`search_queries()`), each run --repeat times on an existing database (such as one filled by
`manage.py loadbench`), with p50/p99 per query, per sort and overall:

    python bench/search_bench.py --database jokesite_bench1m --page-queries --repeat 5
    python bench/search_bench.py --database jokesite_bench1m --page-queries --sorts newest --page 5

See bench/README.md.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from demo.words import CHINESE, ENGLISH, TAGS, TextMaker  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--database", default="jokesite_bench")
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--reuse", action="store_true", help="keep the data of an earlier run")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument(
        "--page-queries",
        action="store_true",
        help="time bench/run's 40 searches on an existing --database (generates nothing)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="runs of each query (--page-queries)")
    parser.add_argument("--sorts", default="relevance", help="comma-separated (--page-queries)")
    parser.add_argument("--page", type=int, default=1, help="result page (--page-queries)")
    parser.add_argument("--root", help="the checkout whose search code runs (default: this one)")
    return parser.parse_args()


def create_database(server: str, name: str, reuse: bool) -> bool:
    """(Re)create the scratch database; True when it already holds an index to reuse."""
    import psycopg2

    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and reuse:
            return True
        if exists:
            cursor.execute(f'DROP DATABASE "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    return False


def setup_django(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jokesite.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def generate(posts: int, rng: random.Random) -> None:
    """Users, tags, questions, answers and accepted marks, by bulk inserts (no services: the
    index is built afterwards, as rebuild_search would)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.html import escape

    from answers.models import Answer
    from questions.models import Question, Tag

    maker = TextMaker(rng)
    User = get_user_model()
    now = timezone.now()
    n_questions = max(1, posts // 3)
    n_answers = posts - n_questions
    batch = 5000

    def html(text: str) -> str:
        return f"<p>{escape(text)}</p>"

    started = time.monotonic()
    with transaction.atomic():
        User.objects.bulk_create(
            User(username=f"bench{n}", email=f"bench{n}@example.com", password="!")
            for n in range(2000)
        )
        user_ids = list(User.objects.values_list("pk", flat=True))
        Tag.objects.bulk_create(Tag(name=name) for name in TAGS)
        tag_ids = list(Tag.objects.values_list("pk", flat=True))
    Through = Question.tags.through
    made = 0
    while made < n_questions:
        size = min(batch, n_questions - made)
        with transaction.atomic():
            questions = []
            for _ in range(size):
                title = maker.title()
                body = maker.body()
                when = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
                questions.append(
                    Question(
                        author_id=rng.choice(user_ids),
                        title=title,
                        slug="q",
                        body=body,
                        body_html=html(body),
                        score=max(-3, int(rng.paretovariate(1.5)) - 2),
                        created_at=when,
                        last_activity_at=when,
                    )
                )
            Question.objects.bulk_create(questions)
            Through.objects.bulk_create(
                Through(question_id=q.pk, tag_id=tag_id)
                for q in questions
                for tag_id in rng.sample(tag_ids, rng.randint(1, 4))
            )
        made += size
        print(f"\r  questions {made}/{n_questions}", end="", flush=True)
    print()
    first_q, last_q = (
        Question.objects.order_by("pk").first().pk,
        Question.objects.order_by("pk").last().pk,
    )
    made = 0
    while made < n_answers:
        size = min(batch, n_answers - made)
        with transaction.atomic():
            Answer.objects.bulk_create(
                Answer(
                    author_id=rng.choice(user_ids),
                    question_id=rng.randint(first_q, last_q),
                    body=(body := maker.body()),
                    body_html=html(body),
                    score=max(-3, int(rng.paretovariate(1.5)) - 2),
                    created_at=now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60)),
                )
                for _ in range(size)
            )
        made += size
        print(f"\r  answers {made}/{n_answers}", end="", flush=True)
    print()
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE questions_question q SET answer_count = c.n
               FROM (SELECT question_id, count(*) n FROM answers_answer GROUP BY question_id) c
               WHERE c.question_id = q.id"""
        )
        # Accept the first answer of about a third of the answered questions.
        cursor.execute(
            """UPDATE answers_answer SET is_accepted = true, accepted_at = now()
               WHERE id IN (SELECT min(id) FROM answers_answer
                            GROUP BY question_id HAVING question_id % 3 = 0)"""
        )
    print(f"  generated in {time.monotonic() - started:.0f}s")


def build_index() -> None:
    from django.db import connection

    from search import slices
    from search.fulltext import rebuild

    started = time.monotonic()
    last = [0.0]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 2 or done == total:
            last[0] = time.monotonic()
            print(f"\r  indexed {done}/{total}", end="", flush=True)

    rebuild(batch_size=1000, progress=progress)
    print(f"\n  index built in {time.monotonic() - started:.0f}s")
    started = time.monotonic()
    made = slices.split(concurrently=False)  # as the migration does on an existing site
    print(f"  {made} time slices made in {time.monotonic() - started:.0f}s")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would, in time, on a live site
        # The GIN indexes of the post vectors: the full one, or the slices' once split.
        cursor.execute(
            """SELECT pg_size_pretty(pg_total_relation_size('questions_searchentry')),
                      pg_size_pretty(sum(pg_relation_size(indexrelid))), count(*)
               FROM pg_index
               WHERE indrelid = 'questions_searchentry'::regclass
                 AND pg_get_indexdef(indexrelid) LIKE '%%USING gin (vector)%%'"""
        )
        table, gin, count = cursor.fetchone()
    print(f"  questions_searchentry: {table} in all, {count} GIN indexes of the vectors: {gin}")


def make_queries(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query) pairs; words are drawn uniformly, so rare and common ones both appear."""
    chars = sorted({ch for word in CHINESE for ch in word})
    by_length = {n: [w for w in CHINESE if len(w) == n] for n in (2, 3, 4)}
    by_length[4] += ["快捷支付", "银行转账", "手机银行", "支付方法", "网络安全"]
    words = [w for w in ENGLISH if len(w) > 3]
    kinds = [
        ("zh-1", lambda: rng.choice(chars)),
        ("zh-2", lambda: rng.choice(by_length[2])),
        ("zh-3", lambda: rng.choice(by_length[3])),
        ("zh-4", lambda: rng.choice(by_length[4])),
        ("en-1", lambda: rng.choice(words)),
        ("en-2", lambda: f"{rng.choice(words)} {rng.choice(words)}"),
        ("mixed", lambda: f"{rng.choice(words)} {rng.choice(by_length[2] + by_length[3])}"),
        ("phrase", lambda: f'"{rng.choice(words)} {rng.choice(words)}"'),
        ("operators", lambda: f"{rng.choice(by_length[2])} [{rng.choice(TAGS)}] is:answer"),
        ("operators", lambda: f"{rng.choice(words)} score:3 is:question"),
    ]
    return [(kind, make()) for kind, make in (kinds[n % len(kinds)] for n in range(count))]


def run_query(q: str, sort: str | None = None, page_number: int = 1) -> tuple[float, int]:
    """One search as the page runs it: count, the page, snippets."""
    from search import fulltext as search

    started = time.perf_counter()
    query = search.parse_query(q)
    if sort is None or (sort == "relevance" and not query.parts):
        sort = "relevance" if query.parts else "votes"
    results = search.search(query, sort=sort)
    page = search.ResultPaginator(results, 20).get_page(page_number)
    search.with_snippets(page.object_list, query)
    return time.perf_counter() - started, page.paginator.count


def page_queries(args) -> None:
    """bench/run's 40 searches, --repeat times each, per sort: p50/p99 per query and overall."""
    from urllib.parse import unquote_plus

    import run as page_bench  # bench/run.py
    from django.db import connection

    queries = [unquote_plus(q) for q in page_bench.search_queries()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM questions_searchentry")
        print(f"{args.database}: {cursor.fetchone()[0]} posts indexed; {os.getloadavg()=}")
    every = []
    for sort in args.sorts.split(","):
        print(f"\nsort={sort} page={args.page}, {args.repeat} runs each (ms)")
        print(f"{'p50':>8} {'p99':>8} {'results':>8}  query")
        timings = []
        for q in queries:
            runs = [run_query(q, sort, args.page) for _ in range(args.repeat)]
            ms = [seconds * 1000 for seconds, _ in runs]
            timings += ms
            hits = runs[0][1]
            print(f"{statistics.median(ms):8.1f} {percentile(ms, 99):8.1f} {hits:>8}  {q}")
        print(
            f"{sort}: n={len(timings)} p50 {statistics.median(timings):.1f} ms, "
            f"p90 {percentile(timings, 90):.1f} ms, p99 {percentile(timings, 99):.1f} ms, "
            f"max {max(timings):.1f} ms"
        )
        every += timings
    print(
        f"\nall: n={len(every)} p50 {statistics.median(every):.1f} ms, "
        f"p99 {percentile(every, 99):.1f} ms; load average {os.getloadavg()[0]:.1f}"
    )


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))
    return values[index]


def main():
    args = parse_args()
    if args.root:  # another checkout's code (say, main's, for a before/after)
        global ROOT
        ROOT = Path(args.root).resolve()
        sys.path.insert(0, str(ROOT))
    rng = random.Random(args.seed)
    if args.page_queries:
        setup_django(f"{args.server}/{args.database}")
        page_queries(args)
        return
    reused = create_database(args.server, args.database, args.reuse)
    setup_django(f"{args.server}/{args.database}")
    from django.core.management import call_command
    from django.db import connection

    from search.fulltext import MAX_RESULTS

    if not reused:
        call_command("migrate", verbosity=0)
        print(f"Generating {args.posts} posts in {args.database} ...")
        generate(args.posts, rng)
        build_index()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM questions_searchentry")
        print(f"Index holds {cursor.fetchone()[0]} posts; PostgreSQL {connection.pg_version}")

    queries = make_queries(args.queries, random.Random(args.seed + 1))
    for _, q in queries[:20]:  # warm the cache and the connection
        run_query(q)
    timings: dict[str, list[float]] = {}
    slowest = []
    for kind, q in queries:
        seconds, hits = run_query(q)
        timings.setdefault(kind, []).append(seconds)
        slowest.append((seconds, hits, q))
    every = [t for values in timings.values() for t in values]

    def line(name, values):
        ms = [v * 1000 for v in values]
        return (
            f"{name:<10} {len(ms):>5} {statistics.median(ms):>9.1f} "
            f"{percentile(ms, 90):>9.1f} {percentile(ms, 99):>9.1f} {max(ms):>9.1f}"
        )

    print(f"\n{'queries':<10} {'n':>5} {'p50 ms':>9} {'p90 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    for kind, values in timings.items():
        print(line(kind, values))
    print(line("all", every))
    print(f"\nslowest (results are capped at {MAX_RESULTS}):")
    for seconds, hits, q in sorted(slowest, reverse=True)[:5]:
        print(f"  {seconds * 1000:8.1f} ms  {hits:>8} results  {q}")


if __name__ == "__main__":
    main()
