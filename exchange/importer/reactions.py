"""Comments.xml, Votes.xml and Badges.xml."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.crypto import get_random_string

from comments.models import Comment
from core.markdown import render_comment
from core.models import COMMENT_MAX
from votes.models import Vote

from ..models import ImportedKind, ImportedRow
from .rows import DOWNVOTE, UPVOTE, VOTER_SITE, FileReport, SkipRow, date_of, int_of, row_id

User = get_user_model()


class ReactionsMixin:
    """Comments and anonymous votes; badges are only counted."""

    # --- Comments.xml -----------------------------------------------------------------------

    def _posts(self, old_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
        """Old post id -> ("question" or "answer", pk here). Post ids are unique in a dump."""
        old_ids = list(old_ids)
        posts = {old: ("answer", new) for old, new in self._mapped("answer", old_ids).items()}
        posts.update(
            (old, ("question", new)) for old, new in self._mapped("question", old_ids).items()
        )
        return posts

    def _comments(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            old = row_id(row)
            text = (row.get("Text") or "").strip()
            if not text:
                raise SkipRow("an empty comment")
            post = int_of(row, "PostId")
            created = date_of(row, "CreationDate", required=True)
            return old, post, text[:COMMENT_MAX], created, int_of(row, "UserId")

        items = self._new_only(ImportedKind.COMMENT, self._valid(batch, report, parse), report)
        report.read += len(batch)
        posts = self._posts(post for _, post, _, _, _ in items)
        authors = self._authors(user for *_, user in items)
        comments = []
        for old, post, text, created, user in items:
            if post not in posts:
                report.skip(str(old), f"its post (PostId {post}) is not in the dump")
                continue
            kind, pk = posts[post]
            comment = Comment(
                **{f"{kind}_id": pk},
                author_id=self._author(authors, user),
                body=text,
                body_html=render_comment(text),
                created_at=created,
            )
            comments.append((old, comment))
        if comments:
            with transaction.atomic():
                self._insert(Comment, comments)
                self._map(ImportedKind.COMMENT, [(old, c.pk) for old, c in comments])
            report.created += len(comments)

    # --- Votes.xml --------------------------------------------------------------------------

    def _votes(self, batch: list[dict], report: FileReport) -> None:
        def parse(row):
            old = row_id(row)
            kind = int_of(row, "VoteTypeId")
            if kind not in (UPVOTE, DOWNVOTE):
                raise SkipRow(f"VoteTypeId {kind}: only up and down votes are imported")
            created = date_of(row, "CreationDate", required=True)
            return old, int_of(row, "PostId"), 1 if kind == UPVOTE else -1, created

        items = self._new_only(ImportedKind.VOTE, self._valid(batch, report, parse), report)
        report.read += len(batch)
        posts = self._posts(post for _, post, _, _ in items)
        missing = [item for item in items if item[1] not in posts]
        for old, post, _, _ in missing:
            report.skip(str(old), f"its post (PostId {post}) is not in the dump")
        items = [item for item in items if item[1] in posts]
        if not items:
            return
        with transaction.atomic():
            # Votes in a dump are anonymous: the k-th vote on a post is cast by anonymous voter
            # k, so one post's votes have as many voters (one vote per member and post).
            used = defaultdict(set)
            for kind in ("question", "answer"):
                pks = [pk for k, pk in posts.values() if k == kind]
                rows = Vote.objects.filter(**{f"{kind}_id__in": pks})
                for pk, voter in rows.values_list(f"{kind}_id", "voter_id"):
                    used[kind, pk].add(voter)
            votes = []
            for old, post, value, created in items:
                kind, pk = posts[post]
                voter = self._free_voter(used[kind, pk])
                used[kind, pk].add(voter)
                vote = Vote(**{f"{kind}_id": pk}, voter_id=voter, value=value, created_at=created)
                votes.append((old, vote))
            Vote.objects.bulk_create([vote for _, vote in votes])
            self._map(ImportedKind.VOTE, [(old, v.pk) for old, v in votes])
        report.created += len(votes)

    def _free_voter(self, used: set[int]) -> int:
        if not self.voters:
            self.voters = [
                pk
                for _, pk in sorted(
                    ImportedRow.objects.filter(
                        site=VOTER_SITE, kind=ImportedKind.VOTER
                    ).values_list("old_id", "new_id")
                )
            ]
        for voter in self.voters:
            if voter not in used:
                return voter
        number = len(self.voters) + 1
        username = f"anonymous-voter-{number}"
        while User.objects.filter(username__iexact=username).exists():
            username = f"anonymous-voter-{number}-{get_random_string(6).lower()}"
        user = User.objects.create(username=username, password=make_password(None))
        self._map(ImportedKind.VOTER, [(number, user.pk)], site=VOTER_SITE)
        self.voters.append(user.pk)
        return user.pk

    # --- Badges.xml -------------------------------------------------------------------------

    def _badges(self, batch: list[dict], report: FileReport) -> None:
        report.read += len(batch)
        for row in batch:
            report.skip(row.get("Id", "?"), "badges are not part of this site")
