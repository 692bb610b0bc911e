"""Export the site's public content as a Stack Exchange data dump (see `exchange.exporter`)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from exchange.exporter import Exporter
from exchange.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Write the site's public content (members' public profiles, visible questions, "
        "answers, comments, votes, tags) as a Stack Exchange data dump: Users.xml, Tags.xml, "
        "Posts.xml, PostHistory.xml, PostLinks.xml, Comments.xml, Votes.xml. No email "
        "addresses or other private data."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="The folder to write (made if missing).")

    def handle(self, *args, directory, verbosity=1, **options):
        if directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is not a folder.")
        bar = ProgressBar(self.stderr) if verbosity else None
        counts = Exporter(directory, progress=bar).run()
        if bar:
            bar.close()
        self.stdout.write(f"Exported to {directory.resolve()}:")
        for name, count in counts.items():
            self.stdout.write(f"{name}: {count} rows")
