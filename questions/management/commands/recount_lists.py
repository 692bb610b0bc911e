"""Recount what the lists read: every question's `is_answered` and, on PostgreSQL, the list
buckets (`questions.liststore`). The triggers keep both on every write; run this after
loading rows with the triggers off, or to repair."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction

from questions import liststore
from questions.models import ListBucket


class Command(BaseCommand):
    help = "Recount Question.is_answered and the stored list counts (questions.liststore)."

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            liststore.recount()
        rows = ListBucket.objects.count() if liststore.stored() else 0
        self.stdout.write(
            f"Recounted the lists in {time.monotonic() - started:.1f} s ({rows:,} bucket rows)."
        )
