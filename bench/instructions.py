"""Instructions per thread view, counted by callgrind: a measure that noise cannot move.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jokesite_bench1m \\
    REDIS_URL=redis://127.0.0.1:6379/14 DJANGO_DEBUG=0 SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \\
        .venv/bin/python bench/instructions.py [--views 40] [--who visitor|member] [--seed 1]

On a shared machine the same in-process timing of the same code moves by a third between
sittings; the instructions a process executes do not. This runs a child process under
`valgrind --tool=callgrind` twice: both set Django up and view three random threads (code
paths, connections, compiled statements), then one views `--views` more random threads
through the test client (each once, by its canonical URL, so the page cache misses and
nothing rendered before helps: a crawler's first visit); the difference, divided by the
views, is what one view costs. Only this Python process is counted: PostgreSQL's and Redis's
work is not. The shared cache's database is emptied before each child. `--who member` reads
as `bench-reader` (bench/run makes it), else the member with the most reputation.
Needs valgrind (Debian package) and the collected static files (`manage.py collectstatic`).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent


def child(views: int, who: str, seed: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    import thread_profile

    thread_profile.setup()
    from django.test import Client

    from questions.models import Question

    highest = Question.objects.order_by("-pk").values_list("pk", flat=True)[0]
    rng = random.Random(seed)
    ids = [rng.randrange(1, highest) for _ in range(views + 3)]
    slugs = dict(Question.objects.visible().filter(pk__in=ids).values_list("pk", "slug"))
    paths = [f"/questions/{pk}/{quote(slugs[pk])}/" for pk in dict.fromkeys(ids) if pk in slugs]
    client = Client(HTTP_HOST="127.0.0.1")
    if who == "member":
        client.cookies["sessionid"] = thread_profile.session_cookie()
    shown = 0
    for number, path in enumerate(paths[: views + 3]):
        if number == 3 and not views:
            break
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        shown += number >= 3
    print(shown)


def count(views: int, who: str, seed: int) -> tuple[int, int]:
    from django.core.cache import cache

    cache.clear()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--child", str(views), "--who", who, "--seed", str(seed)],
            capture_output=True, text=True, check=True, cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": "0"},  # the same dict and set orders each run
        )  # fmt: skip
        shown = int(done.stdout.strip().splitlines()[-1])
        for line in out.read_text().splitlines():
            if line.startswith("summary:"):
                return int(line.split()[1]), shown
    raise SystemExit("callgrind wrote no summary")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--views", type=int, default=40)
    parser.add_argument("--who", choices=["visitor", "member"], default="visitor")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        child(args.child, args.who, args.seed)
        return
    sys.path.insert(0, str(ROOT / "bench"))
    import thread_profile

    thread_profile.setup()
    os.environ.setdefault("SECURE_COOKIES", "0")
    base, _ = count(0, args.who, args.seed)
    total, shown = count(args.views, args.who, args.seed)
    print(
        f"{args.who}: {(total - base) / shown / 1e6:.2f} million instructions per first view "
        f"of a thread ({shown} threads, seed {args.seed})"
    )


if __name__ == "__main__":
    main()
