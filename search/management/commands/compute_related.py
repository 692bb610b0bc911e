"""Store the "Related questions" of existing questions (`search.related`), in batches.

New and edited questions get theirs from a background task; this is for data that predates
it (an import, a restore, the benchmark databases) or to refresh old lists (`--older-than
DAYS`: a list never gains questions asked after it was computed, so run that now and then).
A thread without a stored list shows its first tag's newest questions and queues the task
itself, so running this is an optimisation, never a requirement.
"""

import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from questions.models import Question
from search.related import compute


class Command(BaseCommand):
    help = "Compute and store the related questions of existing questions."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Only questions without a stored list."
        )
        parser.add_argument(
            "--older-than",
            type=int,
            metavar="DAYS",
            help="Only questions whose list was computed more than DAYS days ago.",
        )
        parser.add_argument(
            "--batch", type=int, default=200, help="Questions per batch (default 200)."
        )
        parser.add_argument(
            "--newest", type=int, default=0, help="Only the newest N questions (default: all)."
        )

    def handle(self, *args, missing, older_than, batch, newest, **options):
        if batch < 1 or newest < 0 or (older_than is not None and older_than < 0):
            raise CommandError(
                "--batch must be at least 1, --newest and --older-than not negative."
            )
        if missing and older_than is not None:
            raise CommandError("Choose --missing or --older-than, not both.")
        questions = Question.objects.order_by("-pk")
        if missing:
            questions = questions.filter(related_list__isnull=True)
        if older_than is not None:
            since = timezone.now() - timedelta(days=older_than)
            questions = questions.filter(related_list__computed_at__lt=since)
        ids = questions.values_list("pk", flat=True)
        if newest:
            ids = ids[:newest]
        ids = list(ids)
        started, stored = time.monotonic(), 0
        for start in range(0, len(ids), batch):
            stored += compute(ids[start : start + batch])
            self.stdout.write(f"{stored}/{len(ids)} questions")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Stored {stored} lists in {seconds:.1f} s."))
