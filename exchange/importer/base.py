"""Driving an import: reading each file in batches, and the id mappings."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from ..dump import FILES, DumpError, UnsafeDump, iter_rows
from ..models import ImportedKind, ImportedRow
from .rows import SYSTEM_USERNAME, FileReport, Report, SkipRow

User = get_user_model()


class ImporterBase:
    """Reading the files in order, batch by batch, and the mappings every table uses. The
    tables' own steps are the mixins of `exchange.importer.Importer`."""

    def __init__(
        self,
        directory: Path,
        *,
        site: str,
        batch_size: int = 1000,
        log: Callable[[str], None] = lambda line: None,
        progress: Callable[[str, int, int], None] | None = None,
    ):
        self.directory, self.site, self.batch_size = Path(directory), site, batch_size
        self.log, self.progress = log, progress
        self.report = Report()
        self.excerpts: dict[int, int] = {}  # tag excerpt post id -> tag pk (one per tag)
        self.voters: list[int] = []  # anonymous voters' pks, voter k at index k - 1
        self._system: int | None = None
        self.refused: set[str] = set()  # files that declare entities: not read again

    # --- Driving ----------------------------------------------------------------------------

    def run(self) -> Report:
        present = {name for name in FILES if (self.directory / name).is_file()}
        if "Posts.xml" not in present and "Users.xml" not in present:
            raise DumpError(f"{self.directory}: neither Posts.xml nor Users.xml is there")
        steps = [
            ("Users.xml", self._users),
            ("Tags.xml", self._tags),
            ("Posts.xml", self._questions),
            ("Posts.xml (answers)", self._answers),
            ("Posts.xml (accepted answers)", self._accepts),
            ("PostHistory.xml", self._history),
            ("PostLinks.xml", self._links),
            ("Comments.xml", self._comments),
            ("Votes.xml", self._votes),
            ("Badges.xml", self._badges),
        ]
        for label, step in steps:
            name = label.split(" ")[0]
            if name in present and name not in self.refused:
                self._read(label, name, step)
        if self.report.created or self._unfinished():
            self._finish()
            ImportedRow.objects.update_or_create(
                site=self.site,
                kind=ImportedKind.FINISHED,
                old_id=0,
                defaults={"new_id": 0, "imported_at": timezone.now()},
            )
        else:
            self.report.finished.append("Nothing new: counters, search and reputation untouched.")
        return self.report

    def _unfinished(self) -> bool:
        """Rows were imported after the last finished import (it stopped before finishing)."""
        rows = ImportedRow.objects.filter(site=self.site)
        finished = rows.filter(kind=ImportedKind.FINISHED).values_list("imported_at", flat=True)
        last = finished.first()
        newer = rows.exclude(kind=ImportedKind.FINISHED)
        return (newer.filter(imported_at__gt=last) if last else newer).exists()

    def _read(self, label: str, name: str, step) -> None:
        report = self.report.files.setdefault(label, FileReport(name=name, log=self.log))

        def progress(done: int, total: int) -> None:
            if self.progress:
                self.progress(label, done, total)

        started = time.monotonic()
        batch: list[dict] = []
        try:
            for row in iter_rows(self.directory / name, progress=progress):
                batch.append(row)
                if len(batch) == self.batch_size:
                    step(batch, report)
                    batch = []
        except DumpError as exc:
            report.error = str(exc)
            self.log(f"{label}: {exc}")
            if isinstance(exc, UnsafeDump):
                self.refused.add(name)
        if batch:  # the last rows, or those read before the file broke off
            step(batch, report)
        report.seconds += time.monotonic() - started

    def _valid(self, batch: list[dict], report: FileReport, parse) -> list:
        """The batch's rows that `parse` accepts (as what it returns); the others are reported
        with their ids and skipped."""
        parsed = []
        for row in batch:
            try:
                item = parse(row)
            except SkipRow as exc:
                report.skip(row.get("Id", "?"), str(exc))
                continue
            if item is not None:
                parsed.append(item)
        return parsed

    # --- Mappings ---------------------------------------------------------------------------

    def _mapped(self, kind: str, old_ids: Iterable[int], site: str | None = None) -> dict:
        ids = list(set(old_ids))
        if not ids:
            return {}
        rows = ImportedRow.objects.filter(site=site or self.site, kind=kind, old_id__in=ids)
        return dict(rows.values_list("old_id", "new_id"))

    def _new_only(self, kind: str, items: list, report: FileReport) -> list:
        """Items (tuples starting with the old id) not imported by an earlier run."""
        done = self._mapped(kind, [item[0] for item in items])
        report.already += sum(1 for item in items if item[0] in done)
        return [item for item in items if item[0] not in done]

    def _map(self, kind: str, pairs: Iterable[tuple[int, int]], site: str | None = None) -> None:
        """Record the mappings with one plain multi-row INSERT per 1,000 (bulk_create spent more
        time preparing these five columns than the database spent storing them)."""
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = [(site or self.site, kind, old, new, now) for old, new in pairs]
        table = ImportedRow._meta.db_table
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 1000):
                chunk = rows[start : start + 1000]
                values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} (site, kind, old_id, new_id, imported_at) "
                    f"VALUES {values}",
                    [value for row in chunk for value in row],
                )

    def _insert(self, model, pairs: list[tuple[int, object]]) -> None:
        """Bulk insert the objects, each keeping its old id as primary key when no row has it."""
        taken = set(
            model.objects.filter(pk__in=[old for old, _ in pairs if old > 0]).values_list(
                "pk", flat=True
            )
        )
        keep = [obj for old, obj in pairs if old > 0 and old not in taken]
        for old, obj in pairs:
            if old > 0 and old not in taken:
                obj.pk = old
        model.objects.bulk_create(keep)
        if keep and connection.vendor == "postgresql":
            # Rows inserted with their own ids leave the id sequence behind: move it past them
            # before any row takes an id from it.
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
        model.objects.bulk_create([obj for old, obj in pairs if obj.pk is None])

    def _authors(self, old_ids: Iterable[int | None]) -> dict:
        """Old member id -> pk here, for ids known to this site."""
        return self._mapped(ImportedKind.USER, [i for i in old_ids if i is not None])

    def _author(self, authors: dict, old_id: int | None) -> int:
        """A member's pk; the system account for the Community user (-1), members missing from
        Users.xml and posts with no owner."""
        if old_id is not None and old_id in authors:
            return authors[old_id]
        return self.system_account()

    def system_account(self) -> int:
        """The one account the dump's "Community" user (Id=-1) and ownerless posts map to."""
        if self._system is None:
            mapped = self._mapped(ImportedKind.USER, [-1])
            if mapped:
                self._system = mapped[-1]
            else:
                with transaction.atomic():
                    user, _ = User.objects.get_or_create(
                        username=SYSTEM_USERNAME,
                        defaults={"password": make_password(None), "first_name": "Community"},
                    )
                    self._map(ImportedKind.USER, [(-1, user.pk)])
                self._system = user.pk
        return self._system
