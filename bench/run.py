"""Serve the site with gunicorn in production settings and measure its pages with wrk.

    bench/run                          # 100,000 questions in jokesite_bench (loaded if empty)
    bench/run --questions 1000000 --database jokesite_bench_1m
    bench/run --duration 5 --only thread,home

One run: migrates and fills the database when it holds no questions (`manage.py loadbench`),
loads the demo thread, collects static files, starts gunicorn (gunicorn.conf.py, DEBUG off,
PostgreSQL and Redis) on a loopback port, and runs wrk against each page, anonymous and signed
in: the floor (a bare Django view returning as many bytes as the demo thread), the demo thread,
a mix of random threads (a Lua script walking thousands of them, so no cache hides the cold
cost), a 50-answer thread, the home page, a deep list page, unanswered, a tag page, /tags/,
search (a mix of queries) and the profile of the member with the most reputation. For each:
requests per second, p50 and p99 latency, SQL statements per request (counted in this process
with the test client: cold, then again once warm), bytes, and the ratio to the floor's requests
per second. The table goes to stdout and to the
top of bench/RESULTS.md with the date and the machine.

Bounded in time: each measurement lasts --duration seconds (default 10) after a --warmup
(default 2; none for the random mixes); the whole run takes about 23 x (duration + warmup)
seconds plus the load. Nothing listens beyond 127.0.0.1, and gunicorn is stopped at the end
(also on Ctrl+C).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, quote_plus

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
RESULTS = ROOT / "bench" / "RESULTS.md"
SERVER = "postgres://postgres@127.0.0.1:5432"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="jokesite_bench")
    parser.add_argument("--server", default=SERVER, help="PostgreSQL, without the database")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--questions", type=int, default=100_000, help="loaded when empty")
    parser.add_argument("--port", type=int, default=0, help="default: a free one")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections")
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each")
    parser.add_argument("--threads", type=int, default=5000, help="threads in the random mix")
    parser.add_argument("--only", help="comma-separated page names (floor always runs)")
    parser.add_argument("--no-results", action="store_true", help="do not write RESULTS.md")
    parser.add_argument("--note", default="", help="a line for RESULTS.md (what changed)")
    return parser.parse_args(argv)


def environment(args) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"{args.server}/{args.database}",
        REDIS_URL=args.redis,
        DJANGO_DEBUG="0",
        SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-not-secret"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="0",
        JOKESITE_BENCH_FLOOR="1",
        # One address sends every request: the read limits (search, API) would answer 429.
        RATELIMIT_ENABLE="0",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="jokesite.settings",
    )
    return env


def manage(env, *args, quiet=False):
    subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else None,
    )


def create_database(server: str, name: str) -> None:
    import psycopg2

    conn = psycopg2.connect(f"{server}/postgres")
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


# --- What to measure, found in the database (in this process, with Django set up) ----------


@dataclass
class Page:
    name: str
    label: str
    paths: list[str]  # one path, or many for a mix (picked at random by a Lua script)
    warm: bool = True  # warm up before measuring (not for the mixes: they measure cold cost)


def pages(args) -> tuple[list[Page], str]:
    """The pages to measure and the session cookie of a signed-in member."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.cached_db import SessionStore
    from django.utils import timezone

    from demo.management.commands.load_demo import find_demo_question, load_data
    from questions.models import Question, Tag

    demo = find_demo_question(load_data())
    visible = Question.objects.visible()
    fifty = visible.filter(answer_count__gte=50).order_by("answer_count", "pk").first()
    count = visible.count()
    ids = list(visible.order_by("?").values_list("pk", "slug")[: args.threads])
    queries = search_queries()
    tag = Tag.objects.order_by("-question_count", "name").values_list("name", flat=True).first()
    deep = max(1, count // 20 // 2)

    result = [
        Page("thread", "demo thread", [demo.get_absolute_url()]),
        Page(
            "mix",
            f"random threads ({len(ids):,})",
            [f"/questions/{pk}/{quote(slug)}/" for pk, slug in ids],
            warm=False,
        ),
        Page("fifty", f"{fifty.answer_count}-answer thread", [fifty.get_absolute_url()]),
        Page("home", "home", ["/"]),
        Page("deep", f"list page {deep:,}", [f"/questions/?page={deep}"]),
        Page("unanswered", "unanswered", ["/questions/?sort=unanswered"]),
        Page("tag", f"tag [{tag}]", [f"/tags/{quote(tag)}/"]),
        Page("tags", "/tags/", ["/tags/"]),
        Page("search", f"search ({len(queries)} queries)", [f"/search/?q={q}" for q in queries]),
    ]
    User = get_user_model()
    # The member with the most reputation: the longest lists and the fullest chart.
    busiest = User.objects.exclude(username="bench-reader").order_by("-reputation", "pk").first()
    if busiest is not None:
        profile = busiest.get_absolute_url()
        result.append(Page("profile", f"profile [{busiest.username}]", [profile]))
    # A member of two years' standing, as a reader with 3,000 reputation is: the robot checks
    # of new accounts (core.protection) do not apply to them.
    joined = timezone.now() - timedelta(days=730)
    member, _ = User.objects.get_or_create(
        username="bench-reader",
        defaults={"email": "bench-reader@example.com", "reputation": 3000, "date_joined": joined},
    )
    if member.date_joined > joined:  # made by an earlier bench/run, on the day it ran
        User.objects.filter(pk=member.pk).update(date_joined=joined)
        member.date_joined = joined
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return result, f"sessionid={session.session_key}"


def search_queries(count: int = 40) -> list[str]:
    """URL-encoded searches: Chinese words of 1-4 characters, English words, both, a tag."""
    from demo.words import CHINESE, ENGLISH, TAGS

    rng = random.Random(8)
    english = [w for w in ENGLISH if len(w) > 3]
    makers = [
        lambda: rng.choice(CHINESE),
        lambda: rng.choice(english),
        lambda: f"{rng.choice(english)} {rng.choice(english)}",
        lambda: f"{rng.choice(english)} {rng.choice(CHINESE)}",
        lambda: f"{rng.choice(CHINESE)} [{rng.choice(TAGS)}]",
    ]
    return [quote_plus(makers[n % len(makers)]()) for n in range(count)]


def queries_per_request(path: str, cookie: str | None) -> tuple[int, int, int]:
    """(SQL cold, SQL warm, bytes) of one GET in this process, as the server would run it."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(path)
    with CaptureQueriesContext(connection) as warm:
        client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}, not 200")
    return len(cold), len(warm), len(response.content)


# --- Serving and measuring --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env, args, port: int) -> subprocess.Popen:
    server_env = dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=str(args.workers))
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "jokesite.wsgi"],
        cwd=ROOT,
        env=server_env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


LUA = """
local paths = {%s}
math.randomseed(%d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
"""

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


@dataclass
class Measure:
    rps: float
    p50: float
    p99: float
    errors: int


def wrk(url_base: str, page: Page, args, cookie: str | None, duration: int) -> Measure:
    command = ["wrk", "-t1", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s"]
    command.append("--latency")
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if len(page.paths) > 1:
            quoted = ",".join(f'"{p}"' for p in page.paths)
            script.write(LUA % (quoted, random.randrange(1 << 30)))
            script.flush()
            command += ["-s", script.name]
        command.append(url_base + page.paths[0])
        done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        print(f"wrk failed on {page.paths[0]}: {done.stderr.strip()}", file=sys.stderr)
        return Measure(0.0, 0.0, 0.0, 1)
    output = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE).group(1))
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors += int(found.group(1))
    if found := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        errors += sum(map(int, found.groups()))
    return Measure(rps, p50, p99, errors)


# --- Report ------------------------------------------------------------------------------------


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except OSError:
        memory = 0
    return (
        f"{os.cpu_count()} cores ({cpu}), {memory} GB RAM, {platform.system()} {platform.release()}"
    )


def data_summary() -> str:
    from django.db import connection

    from answers.models import Answer
    from comments.models import Comment
    from questions.models import Question
    from votes.models import Vote

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0].split()[0]
    return (
        f"{Question.objects.count():,} questions, {Answer.objects.count():,} answers, "
        f"{Comment.objects.count():,} comments, {Vote.objects.count():,} votes; "
        f"PostgreSQL {version}"
    )


def main(argv=None):
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: sudo apt-get install wrk")
    env = environment(args)
    create_database(args.server, args.database)
    manage(env, "migrate", "--noinput", "-v", "0")
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from questions.models import Question

    if not Question.objects.exists():
        manage(env, "loadbench", "--questions", str(args.questions))
    manage(env, "load_demo", quiet=True)
    manage(env, "collectstatic", "--noinput", "-v", "0")

    selected, cookie = pages(args)
    if args.only:
        wanted = set(args.only.split(","))
        selected = [page for page in selected if page.name in wanted]
    demo_bytes = queries_per_request(demo_path(), None)[2]
    floor = Page("floor", "floor (bare view)", [f"/bench/floor/{demo_bytes}/"])
    summary = data_summary()
    load_before = os.getloadavg()

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"Serving on {base} with {args.workers} gunicorn workers; {summary}", flush=True)
    process = start_gunicorn(env, args, port)
    rows = []
    try:
        for who, who_cookie in (("anonymous", None), ("signed in", cookie)):
            floor_rps = None
            for page in [floor, *selected]:
                cold, warm, size = queries_per_request(page.paths[0], who_cookie)
                if page.warm and args.warmup:
                    wrk(base, page, args, who_cookie, args.warmup)
                measure = wrk(base, page, args, who_cookie, args.duration)
                floor_rps = floor_rps or measure.rps
                row = (who, page, measure, cold, warm, size, measure.rps / floor_rps)
                rows.append(row)
                print(format_row(row), flush=True)
    finally:
        stop(process)
    table = render_table(rows)
    header = (
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: {summary}\n\n"
        f"{machine()}; gunicorn {args.workers} sync workers, wrk 1 thread {args.connections} "
        f"connections, {args.duration} s per page; load average before "
        f"{load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}.\n"
    )
    if args.note:
        header += f"\n{args.note}\n"
    print("\n" + header + "\n" + table)
    if not args.no_results:
        write_results(header + "\n" + table)


def demo_path() -> str:
    from demo.management.commands.load_demo import find_demo_question, load_data

    return find_demo_question(load_data()).get_absolute_url()


def format_row(row) -> str:
    who, page, m, cold, warm, size, ratio = row
    return (
        f"{who:<10} {page.label:<32} {m.rps:>8.1f} req/s  p50 {m.p50:>7.1f} ms  "
        f"p99 {m.p99:>7.1f} ms  SQL {cold}/{warm}  {size / 1024:>6.1f} KB  "
        f"x{ratio:.3f}" + (f"  {m.errors} errors" if m.errors else "")
    )


def render_table(rows) -> str:
    lines = [
        "| who | page | req/s | p50 ms | p99 ms | SQL cold / warm | KB | ratio to floor |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for who, page, m, cold, warm, size, ratio in rows:
        errors = f" ({m.errors} errors)" if m.errors else ""
        lines.append(
            f"| {who} | {page.label} | {m.rps:,.1f}{errors} | {m.p50:.1f} | {m.p99:.1f} | "
            f"{cold} / {warm} | {size / 1024:.1f} | {ratio:.3f} |"
        )
    return "\n".join(lines) + "\n"


def write_results(section: str) -> None:
    """Put the run at the top of RESULTS.md, under its introduction; older runs stay below."""
    intro = (
        "# Page benchmark results\n\n"
        "Written by `bench/run` (see bench/README.md); newest run first. SQL cold is the "
        "first request after the cache was cleared, warm the same request again.\n"
    )
    old = RESULTS.read_text() if RESULTS.exists() else intro
    head, _, rest = old.partition("\n## ")
    rest = f"\n## {rest}" if rest else ""
    RESULTS.write_text(f"{head.rstrip()}\n\n{section.rstrip()}\n{rest}")


if __name__ == "__main__":
    main()
