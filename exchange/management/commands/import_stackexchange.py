"""Import a Stack Exchange data dump (a folder of Posts.xml, Users.xml, ...) into the site.

See `exchange.importer` for what is read and how; README "Moving a community in and out".
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.dump import DumpError
from exchange.importer import Importer
from exchange.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Import a Stack Exchange data dump folder (Posts.xml alone will do; Users.xml, "
        "Tags.xml, Comments.xml, Votes.xml, PostHistory.xml and PostLinks.xml add to it). "
        "Running it again imports only what is new."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="The folder holding the XML files.")
        parser.add_argument(
            "--site",
            help="A name for this dump's site, which keys its old ids (default: the folder's "
            "name, e.g. cooking.stackexchange.com).",
        )
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per insert (default 1000)."
        )

    def handle(self, *args, directory, site=None, batch_size, verbosity=1, **options):
        directory = directory.resolve()
        if not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        site = (site or directory.name)[:100]
        bar = ProgressBar(self.stderr) if verbosity else None
        shown = {"skips": 0}

        def log(line: str) -> None:
            # Every skipped row is in the summary by reason; the first 20 are shown here too.
            if verbosity > 1 or shown["skips"] < 20:
                if bar:
                    bar.close()
                self.stderr.write(line)
            shown["skips"] += 1

        importer = Importer(
            directory, site=site, batch_size=max(1, batch_size), log=log, progress=bar
        )
        try:
            report = importer.run()
        except DumpError as exc:
            raise CommandError(str(exc)) from exc
        if bar:
            bar.close()
        self.stdout.write(f"Imported {directory} as site {site!r}:")
        for line in report.lines():
            self.stdout.write(line)
