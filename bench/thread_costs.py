"""What random threads cost one by one: the spread behind the random mix's p99.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jokesite_bench1m \\
    REDIS_URL=redis://127.0.0.1:6379/14 DJANGO_DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/thread_costs.py [--threads 800] [--seed 5] [--who member]

Views `--threads` random visible threads in this process, one after another, through the test
client (all middleware, the page cache off, the shared cache emptied before each: a crawler's
first visit, or with `--who member` a member's first view), and prints the percentiles of the
wall time (database included) and of this process's CPU time per view, the slowest views with
their threads' answer counts, and the answer counts' percentiles. The first view of the run
(code paths, connections) is left out, and what was loaded until then is frozen out of the
garbage collector's sight, as gunicorn.conf.py does before forking its workers. Writes nothing
but the reader's session and what the pages keep in the shared cache. Collect the static files
first (`manage.py collectstatic`).
"""

from __future__ import annotations

import argparse
import gc
import random
import time

from thread_profile import session_cookie, setup


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=800)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--who", choices=["visitor", "member"], default="visitor")
    args = parser.parse_args(argv)
    setup()
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    from questions.models import Question

    rng = random.Random(args.seed)
    highest = Question.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    picked = rng.sample(range(1, highest + 1), min(highest, args.threads * 2))
    threads = list(
        Question.objects.visible()
        .filter(pk__in=picked)
        .values_list("pk", "slug", "answer_count")[: args.threads + 1]
    )
    client = Client(HTTP_HOST="127.0.0.1")
    if args.who == "member":
        client.cookies["sessionid"] = session_cookie()
    costs = []
    with override_settings(JOKESITE_PAGE_CACHE_SECONDS=0):
        for n, (pk, slug, answers) in enumerate(threads):
            if n == 1:  # as gunicorn.conf.py does before forking: no full collection walks
                gc.freeze()  # what was loaded (an unfrozen one stopped a view for 50 ms)
            cache.clear()
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get(f"/questions/{pk}/{slug}/")
            assert response.status_code == 200, (pk, response.status_code)
            costs.append(
                ((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000, answers)
            )
    costs = costs[1:]  # the first view sets up code paths and connections
    for name, index in (("wall", 0), ("CPU", 1)):
        values = [cost[index] for cost in costs]
        print(
            f"{name:4} ms per view: p50 {percentile(values, 0.5):.1f}  "
            f"p90 {percentile(values, 0.9):.1f}  p99 {percentile(values, 0.99):.1f}  "
            f"max {max(values):.1f}"
        )
    slowest = sorted(costs)[-10:]
    print(
        "slowest (wall ms, CPU ms, answers):",
        [(round(w, 1), round(c, 1), n) for w, c, n in slowest],
    )
    counts = [cost[2] for cost in costs]
    print(
        f"answers per thread: p50 {percentile(counts, 0.5)}  p90 {percentile(counts, 0.9)}  "
        f"p99 {percentile(counts, 0.99)}  max {max(counts)}  ({len(costs)} threads)"
    )


if __name__ == "__main__":
    main()
