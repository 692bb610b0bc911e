"""The in-process cost of thread pages: ms per view, SQL statements, template time, URL reversals.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jokesite_bench1m \\
    REDIS_URL=redis://127.0.0.1:6379/14 DJANGO_DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/thread_profile.py [--repeat 20] [--profile 25] [path ...]

Runs the view through Django's test client in this process (all middleware, production
settings when DJANGO_DEBUG=0), for the demo thread and the first thread with 50 or more answers
(or the paths given), as:

- anonymous, cold: the page cache off and the shared cache emptied before each view, so
  nothing rendered before helps (a crawler's first visit);
- signed in, cold: the shared cache emptied before each view (a member's first visit to a
  thread nobody read lately);
- signed in, warm: the shared cache kept (a member reading a thread others have read: the
  cached post fragments and sidebar are reused).

Prints the median CPU ms per view in this process (the database's own time is not in it; CPU
time rather than wall time, so other work on a shared machine skews it less), SQL statements
per view, the median CPU ms inside template rendering and the URL reversals per view;
`--profile N` adds cProfile's top N functions by own time for each. The signed-in reader is
`bench-reader` (made by bench/run), else the member with the highest reputation; the session
is made in the session store, as bench/run does, so the view sees a real session. Writes
nothing but that session (and, in the shared cache, what the pages keep there).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("SECURE_COOKIES", "0")  # plain HTTP, as bench/run serves


def setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jokesite.settings")
    import django

    django.setup()


def default_paths() -> list[str]:
    from demo.management.commands.load_demo import find_demo_question, load_data
    from questions.models import Question

    paths = []
    demo = find_demo_question(load_data())
    if demo is not None:
        paths.append(demo.get_absolute_url())
    visible = Question.objects.visible()
    fifty = visible.filter(answer_count__gte=50).order_by("answer_count", "pk").first()
    if fifty is not None:
        paths.append(fifty.get_absolute_url())
    return paths


def session_cookie() -> str:
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.cached_db import SessionStore

    users = get_user_model().objects
    member = users.filter(username="bench-reader").first() or users.order_by("-reputation")[0]
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return session.session_key


class Counters:
    """Time inside template rendering and the number of URL reversals, while installed."""

    def __init__(self):
        from django.template import loader
        from django.urls.resolvers import URLResolver

        self.render_seconds = 0.0
        self.reversals = 0
        original_render = loader.render_to_string
        original_reverse = URLResolver._reverse_with_prefix

        def render_to_string(*args, **kwargs):
            start = time.process_time()
            try:
                return original_render(*args, **kwargs)
            finally:
                self.render_seconds += time.process_time() - start

        def reverse(resolver, *args, **kwargs):
            self.reversals += 1
            return original_reverse(resolver, *args, **kwargs)

        loader.render_to_string = render_to_string
        URLResolver._reverse_with_prefix = reverse

    def reset(self):
        self.render_seconds = 0.0
        self.reversals = 0


def measure(path: str, who: str, cookie: str | None, repeat: int, profile_top: int, counters):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        client.cookies["sessionid"] = cookie
    warm = who.endswith("warm")

    def one():
        if not warm:
            cache.clear()
        counters.reset()
        start = time.process_time()  # CPU time: what the view costs, whatever else runs
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        elapsed = time.process_time() - start
        assert response.status_code == 200, (path, response.status_code)
        return elapsed, len(queries), counters.render_seconds, counters.reversals

    with override_settings(JOKESITE_PAGE_CACHE_SECONDS=0):
        cache.clear()
        one()  # code paths, connections, the session in the cache
        runs = [one() for _ in range(repeat)]
        if profile_top:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                one()
            profiler.disable()
    ms = statistics.median(r[0] for r in runs) * 1000
    render_ms = statistics.median(r[2] for r in runs) * 1000
    print(
        f"{path[:50]:50} {who:15} {ms:6.1f} ms CPU  {runs[-1][1]:3} SQL  "
        f"rendering {render_ms:6.1f} ms  {runs[-1][3]:4} reversals",
        flush=True,
    )
    if profile_top:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(profile_top)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paths", nargs="*", help="default: the demo thread and a 50-answer one")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--profile", type=int, default=0, help="top N functions by own time")
    parser.add_argument("--who", default="anonymous,signed in,signed in warm")
    args = parser.parse_args(argv)
    setup()
    counters = Counters()
    paths = args.paths or default_paths()
    cookie = session_cookie()
    for path in paths:
        for who in args.who.split(","):
            member = None if who == "anonymous" else cookie
            measure(path, who, member, args.repeat, args.profile, counters)


if __name__ == "__main__":
    main()
