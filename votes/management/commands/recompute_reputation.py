"""Check every member's reputation against the votes and accepts, and fix what drifted.

The votes, the accepted answers and which posts are deleted are the source of truth; the
ledger must add up to what they are worth (`votes.reputation`), and `User.reputation` to
max(1, 1 + the ledger). A member whose ledger disagrees gets a "recount correction" row (the
history stays as it was); a stored total that disagrees is set again. Bonuses are kept.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from votes import reputation


class ProgressBar:
    """`[#######-------------]  35%  700/2000 members` on one line, redrawn as it moves."""

    def __init__(self, stream, total: int, width: int = 30):
        self.stream, self.total, self.width = stream, total, width
        self.shown = -1

    def update(self, done: int) -> None:
        percent = 100 * done // self.total if self.total else 100
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}%  {done}/{self.total} members", ending="")
        self.stream.flush()

    def close(self) -> None:
        self.update(self.total)
        self.stream.write("")


class Command(BaseCommand):
    help = (
        "Rebuild every member's reputation from the votes and accepted answers, report the "
        "drift fixed (old -> new) and fix it, unless --dry-run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what drifted and write nothing."
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        members = list(get_user_model().objects.order_by("pk").values_list("pk", "username"))
        bar = ProgressBar(self.stderr, len(members)) if verbosity else None
        drifted = []
        for done, (pk, username) in enumerate(members, 1):
            result = reputation.recount(pk, fix=not dry_run)
            if result.drifted:
                drifted.append((username, result))
            if bar:
                bar.update(done)
        if bar:
            bar.close()
        for username, result in drifted:
            why = (
                f"ledger {result.correction:+d} to match the votes and accepts"
                if result.correction
                else "the stored total did not match the ledger"
            )
            self.stdout.write(f"{username}: {result.old} -> {result.new} ({why})")
        if not drifted:
            self.stdout.write(self.style.SUCCESS(f"{len(members)} members checked: no drift."))
        elif dry_run:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(members)} members checked, {len(drifted)} drifted; "
                    "dry run: nothing written."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{len(members)} members checked, {len(drifted)} drifted and fixed."
                )
            )
