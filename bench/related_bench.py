"""The thread page's "Related questions" at scale, timed in-process on a bench database.

    .venv/bin/python bench/related_bench.py --database jokesite_bench1m --sample 50

For `--sample` random visible questions (by primary key, `--seed`), times three things in
this process, with the thread selector's question (its tags and stored list joined): the
background computation (`search.related.compute`, which stores the list: run it on a bench
database only), the page's read of the stored list, and the page's fallback when none is
stored (the first tag's newest questions); and the ask form's similar-questions check
(`search.similar.similar_questions` with the question's title and tags, as if typed anew).
Prints the median, p90 and max in milliseconds.
Not a test; nothing runs it automatically.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402  (bench/run.py: the same environment as the page benchmark)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="jokesite_bench1m")
    parser.add_argument("--server", default=run.SERVER, help="PostgreSQL, without the database")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--sample", type=int, default=50)
    parser.add_argument("--seed", type=int, default=8)
    return parser.parse_args(argv)


def summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(len(times) * 0.9))]
    return (
        f"| {name} | {statistics.median(times):.2f} | {p90:.2f} | {times[-1]:.2f} | {len(times)} |"
    )


def main(argv=None):
    args = parse_args(argv)
    env = run.environment(args)
    # The fallback queues the computation: here a backend that only records it.
    env["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ.update(env)
    sys.path.insert(0, str(run.ROOT))
    import random

    import django

    django.setup()
    from django.core.cache import cache

    from questions.models import Question
    from search import related
    from search.models import RelatedQuestions
    from threads.selectors import thread_questions

    rng = random.Random(args.seed)
    visible = Question.objects.visible()
    high = visible.order_by("-pk").values_list("pk", flat=True).first()
    ids: list[int] = []
    while len(ids) < args.sample:
        pk = visible.filter(pk__gte=rng.randint(1, high)).values_list("pk", flat=True).first()
        if pk and pk not in ids:
            ids.append(pk)

    def load(pk):
        return thread_questions().get(pk=pk)

    from search.similar import similar_questions

    computed, stored, fallback, similar = [], [], [], []
    for pk in ids:
        question = load(pk)
        started = time.perf_counter()
        similar_questions(question.title, tags=question.tag_names())
        similar.append((time.perf_counter() - started) * 1000)
    for pk in ids:
        started = time.perf_counter()
        related.compute([pk])
        computed.append((time.perf_counter() - started) * 1000)
        question = load(pk)
        started = time.perf_counter()
        related.related_questions(question)
        stored.append((time.perf_counter() - started) * 1000)
    RelatedQuestions.objects.filter(question_id__in=ids).delete()
    for pk in ids:
        cache.delete(f"related:queued:{pk}")
        question = load(pk)
        started = time.perf_counter()
        related.related_questions(question)
        fallback.append((time.perf_counter() - started) * 1000)
        cache.delete(f"related:queued:{pk}")
    print(f"# related questions at {Question.objects.count():,} questions, in-process ms\n")
    print("| part | median | p90 | max | questions |\n|---|---|---|---|---|")
    print(summary("compute and store (background task)", computed))
    print(summary("page: stored list (ids joined, 1 query)", stored))
    print(summary("page: fallback, nothing stored (1 query)", fallback))
    print(summary("ask form: similar-questions check (1 query)", similar))


if __name__ == "__main__":
    main()
