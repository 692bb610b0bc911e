"""Bring the stored review queues back in line with the posts, flags, votes and suggestions
they stand for (`moderation.queue.sync_all`): after a bulk import, a restore or a hand fix."""

from django.core.management.base import BaseCommand
from django.db import transaction

from moderation import queue


class Command(BaseCommand):
    help = (
        "Complete review items whose post is gone or whose need ended, open the missing ones "
        "for pending suggestions, open flags and close or reopen votes, and recount reviews."
    )

    def handle(self, *args, verbosity=1, **options):
        with transaction.atomic():
            changed = queue.sync_all()
        if verbosity:
            self.stdout.write(
                "{completed} completed, {opened} opened, {recounted} recounted.".format(**changed)
            )
