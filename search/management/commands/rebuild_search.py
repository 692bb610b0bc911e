"""Rebuild the whole search index from the posts, in batches, with a progress bar.

Never needed in normal running (the services keep the index current); for after a bulk import,
a restore, or a change to how text is indexed.
"""

import time

from django.core.management.base import BaseCommand

from search.fulltext import rebuild


class Command(BaseCommand):
    help = "Rebuild the search index of every question and answer."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Questions (with their answers) per transaction (default 500).",
        )

    def handle(self, *args, batch_size, **options):
        started = time.monotonic()
        interactive = self.stdout.isatty()
        shown = {"percent": -1}

        def progress(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            if not interactive and percent < 100 and percent - shown["percent"] < 5:
                return  # a log gets a line per 5%, a terminal a bar redrawn in place
            shown["percent"] = percent
            width = 30
            filled = width * done // total if total else width
            bar = "#" * filled + "-" * (width - filled)
            line = f"[{bar}] {done}/{total} posts"
            if interactive:
                self.stdout.write(f"\r{line}", ending="")
                self.stdout.flush()
            else:
                self.stdout.write(line)

        count = rebuild(batch_size=max(1, batch_size), progress=progress)
        if interactive:
            self.stdout.write("")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} posts in {seconds:.1f}s."))
