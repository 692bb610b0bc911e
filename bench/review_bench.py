"""Review queue latency with many posts waiting. Not a test.

Creates a scratch SQLite database (or uses DATABASE_URL with --postgres), bulk-inserts
`--posts` questions by `--members` members (a tenth of them new accounts, so their first posts
wait in review), an answer on every fifth question with an open flag, close votes on one
question in twenty and `--suggestions` pending suggested edits, fills the stored review queues
from those rows (migration 0005's `fill`, timed), then times what a reviewer's
request costs: GET /review/ (all queues) and GET /review/?queue=first-posts, warm, through
Django's test client, and the header's count (`moderation.review.waiting`, uncached).

    DJANGO_DEBUG=1 .venv/bin/python bench/review_bench.py --posts 20000

See bench/README.md.
"""

import argparse
import importlib
import os
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(call, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=20_000)
    parser.add_argument("--members", type=int, default=2_000)
    parser.add_argument("--suggestions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_DEBUG", "1")
    if "DATABASE_URL" not in os.environ:
        scratch = tempfile.mkdtemp(prefix="reviewbench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jokesite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps as django_apps
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    from accounts.models import User
    from answers.models import Answer
    from flags.models import Flag
    from moderation import review
    from moderation.models import CloseVote
    from questions.models import Question
    from revisions.models import SuggestedEdit

    setup_test_environment()
    call_command("migrate", verbosity=0)
    now = timezone.now()
    old = now - timedelta(days=60)
    # Posts over the last ~4 weeks (2 minutes apart at 20,000): the newest week's posts of new
    # accounts are first posts; the flagged answers are a minute after their questions.
    members = User.objects.bulk_create(
        User(
            username=f"m{i}",
            email=f"m{i}@example.com",
            reputation=5000 if i < 50 else 1,
            date_joined=now if i % 10 == 0 else old,
        )
        for i in range(args.members)
    )
    body = "A question body long enough to be one, with a second sentence for good measure."
    questions = Question.objects.bulk_create(
        Question(
            author=members[i % len(members)],
            title=f"Benchmark question number {i}",
            slug=f"benchmark-question-{i}",
            body=body,
            body_html=f"<p>{body}</p>",
            created_at=now - timedelta(minutes=2 * (args.posts - i)),
        )
        for i in range(args.posts)
    )
    answers = Answer.objects.bulk_create(
        Answer(
            author=members[(i + 7) % len(members)],
            question=question,
            body=body,
            body_html=f"<p>{body}</p>",
            created_at=question.created_at + timedelta(minutes=1),
        )
        for i, question in enumerate(questions[::5])
    )
    Flag.objects.bulk_create(
        Flag(flagger=members[1], answer=answer, reason="spam") for answer in answers
    )
    CloseVote.objects.bulk_create(
        CloseVote(voter=members[2], question=question, kind="close", reason="off-topic")
        for question in questions[::20]
    )
    SuggestedEdit.objects.bulk_create(
        SuggestedEdit(question=question, suggester=members[3], body=body + " Edited.")
        for question in questions[1 :: max(1, args.posts // args.suggestions)][: args.suggestions]
    )
    # The rows went in by bulk_create, past the services that open review items: fill the
    # stored queues as migration 0005 does for an existing database (timed: a deploy runs it).
    fill = importlib.import_module("moderation.migrations.0005_fill_review_items").fill
    started = time.perf_counter()
    fill(django_apps, None)
    filled = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    reviewer = members[5]
    client = Client()
    client.force_login(reviewer)

    def page(url):
        def get():
            cache.clear()  # the header's count too, each time
            assert client.get(url).status_code == 200

        return get

    print(f"{args.posts} questions, {len(answers)} flagged answers, on {connection.vendor}")
    print(f"{'filling the stored queues (migration 0005)':52} {filled * 1000:8.1f} ms")
    rows = [
        ("GET /review/ (all queues; header count uncached)", page("/review/")),
        ("GET /review/?queue=first-posts", page("/review/?queue=first-posts")),
        ("review.waiting() (header count, uncached)", lambda: (cache.clear(), review.waiting())),
    ]
    for name, call in rows:
        print(f"{name:52} {timed(call, args.repeat):8.1f} ms")
    print(f"items waiting: {review.waiting()}")


if __name__ == "__main__":
    main()
