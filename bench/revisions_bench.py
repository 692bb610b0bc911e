"""Revisions page latency for bodies at the size limits. Not a test.

Creates a scratch SQLite database (in a temporary folder), posts questions whose bodies stress
a line diff, and times GET /questions/<id>/revisions/ through Django's test client: the first
view (every diff computed) and the next (diffs from the cache). Also times the diff alone
(revisions/diffs.py `word_diff`, what the page shows) and, with --ndiff, `difflib.ndiff` on
the same text for comparison (slow: tens of seconds).

    DJANGO_DEBUG=1 .venv/bin/python bench/revisions_bench.py [--ndiff]

See bench/README.md.
"""

import argparse
import difflib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cases() -> dict[str, tuple[str, str]]:
    """Pairs (old, new) of bodies within the 30,000-character limit."""
    rng = random.Random(9)
    one_char = "\n".join("x" if i % 2 else "y" for i in range(4000))
    unique = [f"l{i:04d}" for i in range(4000)]
    shuffled = unique[:]
    rng.shuffle(shuffled)
    noise_a = "\n".join(rng.choice("abcdefgh") for _ in range(14_000))
    noise_b = "\n".join(rng.choice("abcdefgh") for _ in range(14_000))
    words_a = " ".join(rng.choice("abcdefgh") for _ in range(14_900))
    words_b = " ".join(rng.choice("abcdefgh") for _ in range(14_900))
    cjk_a = "".join(rng.choice("支付宝转账为什么收费银行") for _ in range(29_000))
    cjk_b = "".join(rng.choice("支付宝转账为什么收费银行") for _ in range(29_000))
    return {
        "4,000 one-character lines, one changed": (one_char, one_char.replace("y", "z", 1)),
        "4,000 lines, every one changed": (one_char, one_char.replace("x", "w")),
        "4,000 unique lines shuffled": ("\n".join(unique), "\n".join(shuffled)),
        "14,000 random one-character lines, twice": (noise_a, noise_b),
        "one 30,000-character line of words, twice": (words_a, words_b),
        "one 29,000-character CJK line, twice": (cjk_a, cjk_b),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ndiff", action="store_true", help="also time difflib.ndiff")
    parser.add_argument("--views", type=int, default=5, help="warm views to time per case")
    args = parser.parse_args()

    scratch = tempfile.mkdtemp(prefix="revbench-")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jokesite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from accounts.models import User
    from questions import services
    from revisions.diffs import word_diff
    from revisions.services import edit_post

    setup_test_environment()
    call_command("migrate", verbosity=0)
    author = User.objects.create_user("bench", "bench@example.com", "bench-password-123")
    client = Client()
    print(f"{'case':45} {'diff ms':>8} {'work':>8} {'ops':>6} {'cold ms':>8} {'warm ms':>8}")
    for name, (old, new) in cases().items():
        assert len(old) <= 30_000 and len(new) <= 30_000, name
        question = services.ask_question(
            author=author, title=f"Benchmark question: {name}", body=old, tags=["bench"]
        )
        edit_post(editor=author, post=question, body=new, title=question.title, tags=["bench"])
        started = time.perf_counter()
        diff = word_diff(old, new)
        diff_ms = (time.perf_counter() - started) * 1000
        url = f"/questions/{question.pk}/revisions/"
        cache.clear()
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        cold_ms = (time.perf_counter() - started) * 1000
        warm = []
        for _ in range(args.views):
            started = time.perf_counter()
            client.get(url)
            warm.append((time.perf_counter() - started) * 1000)
        print(
            f"{name:45} {diff_ms:8.1f} {diff.work:8d} {len(diff.ops):6d} "
            f"{cold_ms:8.1f} {min(warm):8.1f}"
        )
        if args.ndiff:
            started = time.perf_counter()
            sum(1 for _ in difflib.ndiff(old.splitlines(), new.splitlines()))
            print(f"{'':45} difflib.ndiff: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
