"""Fill the database with a big site's worth of realistic data, fast (see demo/loadbench.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from demo.loadbench import default_tags, default_users, load


class Command(BaseCommand):
    help = (
        "Add N questions with answers, comments, votes, reputation, tags, members and the "
        "search index, by bulk inserts (COPY on PostgreSQL). For benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--questions", type=int, default=100_000)
        parser.add_argument("--users", type=int, help="members (default: questions / 20)")
        parser.add_argument("--tags", type=int, help="tags (default: questions / 40)")
        parser.add_argument("--seed", type=int, default=8)

    def handle(self, *args, questions, users, tags, seed, verbosity=1, **options):
        if questions < 1:
            raise CommandError("--questions must be at least 1.")
        users = users or default_users(questions)
        tags = tags or default_tags(questions)
        if users < 3:
            raise CommandError("--users must be at least 3 (members vote on each other).")
        self.started = time.monotonic()
        self.stdout.write(f"Loading {questions:,} questions, {users:,} members, {tags:,} tags ...")
        stats = load(
            questions, users=users, tags=tags, seed=seed, progress=self._bar if verbosity else None
        )
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                f"{stats.questions:,} questions, {stats.answers:,} answers "
                f"({stats.accepted:,} accepted), {stats.comments:,} comments, "
                f"{stats.votes:,} votes, {stats.events:,} reputation rows, "
                f"{stats.entries:,} search entries, {stats.users:,} members, {stats.tags:,} tags "
                f"in {time.monotonic() - self.started:.0f} s"
            )
        )
        steps = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in stats.seconds.items())
        self.stdout.write(f"  ({steps})")

    def _bar(self, label: str, done: int, total: int, width: int = 30) -> None:
        """`[#####-----]  35%  35,000/100,000 threads  41 s` on one line."""
        filled = width * done // total if total else width
        percent = 100 * done // total if total else 100
        elapsed = time.monotonic() - self.started
        self.stderr.write(
            f"\r[{'#' * filled}{'-' * (width - filled)}] {percent:3d}%  "
            f"{done:,}/{total:,} {label}  {elapsed:.0f} s",
            ending="",
        )
        self.stderr.flush()
