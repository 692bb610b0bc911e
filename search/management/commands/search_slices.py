"""Cut the newest time slice of the search index once it has grown (search.slices).

Run it now and then (daily is plenty): new posts land in the newest slice, and a search reads
that slice first, so it should stay about `--rows` posts. Building a slice's index takes a
while on a big site; it is built CONCURRENTLY, so posting goes on meanwhile.
"""

import time

from django.core.management.base import BaseCommand

from search import slices


class Command(BaseCommand):
    help = "Cut the newest time slice of the search index into slices of about --rows posts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rows",
            type=int,
            default=slices.ROWS_PER_SLICE,
            help=f"Posts per slice (default {slices.ROWS_PER_SLICE:,}); the newest slice is "
            "cut once it holds twice as many.",
        )
        parser.add_argument(
            "--blocking",
            dest="concurrently",
            action="store_false",
            help="Build the indexes without CONCURRENTLY: faster, but blocks writes meanwhile.",
        )

    def handle(self, *args, rows, concurrently, **options):
        started = time.monotonic()
        made = slices.split(
            rows=max(1, rows),
            concurrently=concurrently,
            report=lambda line: self.stdout.write(line),
        )
        seconds = time.monotonic() - started
        if made:
            total = len(slices.newest_first())
            self.stdout.write(
                self.style.SUCCESS(f"Made {made} slices in {seconds:.1f}s; {total} slices in all.")
            )
        else:
            self.stdout.write("The newest slice is small enough: nothing to split.")
