"""After the inserts: counters, the search index and reputation."""

from __future__ import annotations

import time
from collections.abc import Iterator

from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from answers.models import Answer
from comments.models import Comment
from questions.models import Question
from search.index import reindex_questions
from votes import reputation
from votes.models import ReputationEvent, ReputationReason

from ..models import ImportedKind, ImportedRow
from .rows import VOTER_SITE


class FinishMixin:
    """What the services would have kept current, brought up to date once the rows are in."""

    # --- After the inserts ------------------------------------------------------------------

    def _site_ids(self, kind: str, site: str | None = None) -> Iterator[list[int]]:
        """New ids of this site's rows of one kind, in batches, smallest first."""
        rows = ImportedRow.objects.filter(site=site or self.site, kind=kind)
        last = None
        while True:
            page = rows.filter(new_id__gt=last) if last is not None else rows
            ids = list(page.order_by("new_id").values_list("new_id", flat=True)[:500])
            if not ids:
                return
            last = ids[-1]
            yield ids

    def _finish(self) -> None:
        """Counters, the search index and reputation, for everything this site imported."""
        started = time.monotonic()
        visible = {"deleted_at__isnull": True, "hidden_at__isnull": True}

        def counted(model, **filters):
            rows = model.objects.filter(**filters, **visible).order_by().values(*filters)
            return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")), 0)

        posts = 0
        for ids in self._site_ids(ImportedKind.QUESTION):
            with transaction.atomic():
                Question.objects.filter(pk__in=ids).update(
                    answer_count=counted(Answer, question=OuterRef("pk")),
                    comment_count=counted(Comment, question=OuterRef("pk")),
                )
                reindex_questions(ids)
            posts += len(ids)
            if self.progress:
                self.progress("counters and search", posts, 0)
        for ids in self._site_ids(ImportedKind.ANSWER):
            Answer.objects.filter(pk__in=ids).update(
                comment_count=counted(Comment, answer=OuterRef("pk"))
            )
        self.report.finished.append(
            f"Counters and search index brought up to date ({time.monotonic() - started:.1f} s)."
        )
        started = time.monotonic()
        members = 0
        for kind, site in ((ImportedKind.USER, None), (ImportedKind.VOTER, VOTER_SITE)):
            for ids in self._site_ids(kind, site):
                members += self._book_reputation(ids)
        self.report.finished.append(
            f"Reputation recounted from the imported votes and accepts: {members} members "
            f"moved ({time.monotonic() - started:.1f} s)."
        )

    @transaction.atomic
    def _book_reputation(self, user_ids: list[int]) -> int:
        """Book, as one row per member, the difference between what the imported votes and
        accepts are worth to them and what their ledger says; `recompute_reputation` then
        finds nothing to correct. Returns how many members moved."""
        reputation.lock_users(user_ids)
        worth = reputation.worth_of(user_ids)
        booked = dict(
            ReputationEvent.objects.filter(
                user_id__in=user_ids,
                reason__in=ReputationReason.from_votes_and_accepts(),
            )
            .values("user_id")
            .annotate(total=Sum("delta"))
            .values_list("user_id", "total")
        )
        rows = [
            ReputationEvent(
                user_id=pk, delta=worth[pk] - booked.get(pk, 0), reason=ReputationReason.OPENING
            )
            for pk in user_ids
            if worth[pk] != booked.get(pk, 0)
        ]
        ReputationEvent.objects.bulk_create(rows)
        reputation.sync_totals(user_ids)
        return len(rows)
