"""The review queues (`/review/`) and the decisions taken in them.

The queues are worked out from the data, never copied into a table of their own:

- first posts: the first question or answer of an account younger than
  `JOKESITE_REVIEW_NEW_ACCOUNT_DAYS`;
- late answers: answers posted `JOKESITE_LATE_ANSWER_DAYS` or more after their question by a
  member below `JOKESITE_LATE_ANSWER_REPUTATION`;
- suggested edits: every pending `SuggestedEdit`;
- close votes and reopen votes: questions with active votes of the current round;
- flagged posts: questions and answers with open flags.

A `ReviewDecision` row records each reviewer's decision. An item leaves its queue after
`JOKESITE_REVIEWS_NEEDED` decisions other than Skip, at once after a binding one (a
moderator's; an approval or rejection of a suggested edit), or when the data stops putting it
there (the question closed, the flags decided, the suggestion approved). A reviewer never sees
an item they decided again. For close votes, reopen votes and flags only decisions since the
round began count (`since`: the first active vote, the first open flag), so a question closed,
reopened and voted on again comes back for everyone.

Deciding locks the post (question row first), then the suggestion, then checks the item is
still open to this reviewer: two reviewers deciding one item at once decide it in turn, and
the second finds it gone when the first one ended it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import (
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from answers.models import Answer
from core import permissions
from core.locks import lock_with_question
from flags.models import Flag, FlagStatus
from questions.models import Question
from revisions.models import SuggestedEdit

from . import close_votes, suggestions
from . import services as moderation
from .models import CloseVote, CloseVoteKind, ReviewDecision
from .models import ReviewDecisionKind as D
from .models import ReviewQueue as Q_

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 5  # items shown per queue on /review/
WAITING_CACHE_KEY = "review:waiting"
WAITING_CACHE_SECONDS = 60

# The decisions each queue offers, in the order of its buttons.
DECISIONS = {
    Q_.FIRST_POSTS: (D.LOOKS_OK, D.EDIT, D.CLOSE, D.FLAG, D.SKIP),
    Q_.LATE_ANSWERS: (D.LOOKS_OK, D.EDIT, D.FLAG, D.SKIP),
    Q_.SUGGESTED_EDITS: (D.APPROVE, D.REJECT, D.SKIP),
    Q_.CLOSE_VOTES: (D.CLOSE, D.LOOKS_OK, D.EDIT, D.SKIP),
    Q_.REOPEN_VOTES: (D.REOPEN, D.LOOKS_OK, D.SKIP),
    Q_.FLAGGED: (D.LOOKS_OK, D.EDIT, D.FLAG, D.SKIP),
}
# Decisions that send the reviewer on to a form (the decision is recorded first).
FORMS = {D.EDIT: "get_edit_url", D.FLAG: "get_flag_url", D.CLOSE: "get_close_vote_url"}


class ReviewClosed(Exception):
    """The item left the queue, or this reviewer decided it already."""


def offered(queue: str, kind: str) -> tuple[str, ...]:
    """The decisions a queue offers on one kind of item (an answer cannot be closed)."""
    decisions = DECISIONS[queue]
    if kind == "answer":
        decisions = tuple(d for d in decisions if d != D.CLOSE)
    return decisions


def needed() -> int:
    return settings.JOKESITE_REVIEWS_NEEDED


def _min_since(queryset, field: str):
    rows = queryset.order_by().values(field).annotate(first=Min("created_at")).values("first")
    return Subquery(rows, output_field=DateTimeField())


def _candidates(queue: str):
    """The queue's items, unfiltered by decisions, each with `since` (when its round began)."""
    now = timezone.now()
    if queue in (Q_.FIRST_POSTS, Q_.LATE_ANSWERS):
        models = (Question, Answer) if queue == Q_.FIRST_POSTS else (Answer,)
        result = []
        for model in models:
            qs = model.objects.filter(deleted_at__isnull=True)
            if queue == Q_.FIRST_POSTS:
                # A young account's first post is young too: the created_at bound lets the
                # database start from the newest posts (an index) rather than from all of them.
                since = now - timedelta(days=settings.JOKESITE_REVIEW_NEW_ACCOUNT_DAYS)
                mine = {"author": OuterRef("author"), "created_at__lt": OuterRef("created_at")}
                qs = qs.filter(created_at__gte=since, author__date_joined__gte=since).exclude(
                    Exists(Question.objects.filter(**mine)) | Exists(Answer.objects.filter(**mine))
                )
            else:
                # Answers of the last LATE_ANSWER_DAYS on questions older than that by then.
                late = timedelta(days=settings.JOKESITE_LATE_ANSWER_DAYS)
                qs = qs.filter(
                    created_at__gte=now - late,
                    author__reputation__lt=settings.JOKESITE_LATE_ANSWER_REPUTATION,
                ).filter(created_at__gte=F("question__created_at") + late)
            result.append(qs.annotate(since=F("created_at")))
        return result
    if queue == Q_.SUGGESTED_EDITS:
        return [SuggestedEdit.objects.pending().annotate(since=F("created_at"))]
    if queue in (Q_.CLOSE_VOTES, Q_.REOPEN_VOTES):
        kind = CloseVoteKind.CLOSE if queue == Q_.CLOSE_VOTES else CloseVoteKind.REOPEN
        votes = CloseVote.objects.active().filter(question=OuterRef("pk"), kind=kind)
        voted = CloseVote.objects.active().filter(kind=kind).values("question")
        qs = Question.objects.filter(
            pk__in=voted, deleted_at__isnull=True, closed_at__isnull=(kind == "close")
        )
        return [qs.annotate(since=_min_since(votes, "question"))]
    result = []
    for model, field in ((Question, "question"), (Answer, "answer")):
        flags = Flag.objects.filter(status=FlagStatus.OPEN, **{field: OuterRef("pk")})
        # Start from the open flags (few), not from every post.
        flagged = Flag.objects.filter(status=FlagStatus.OPEN, **{f"{field}__isnull": False})
        qs = model.objects.filter(pk__in=flagged.values(field), deleted_at__isnull=True)
        result.append(qs.annotate(since=_min_since(flags, field)))
    return result


def _field(queryset) -> str:
    return {Question: "question", Answer: "answer", SuggestedEdit: "suggestion"}[queryset.model]


def _open(queue: str, queryset, reviewer: User | None = None):
    """Narrow a candidate queryset to the items still open (to `reviewer`, when given)."""
    field = _field(queryset)
    decisions = ReviewDecision.objects.filter(
        queue=queue, created_at__gte=OuterRef("since"), **{field: OuterRef("pk")}
    )
    counted = (
        decisions.exclude(decision=D.SKIP)
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = queryset.annotate(
        reviews=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    ).filter(~Exists(decisions.filter(binding=True)), reviews__lt=needed())
    if reviewer is not None:
        queryset = queryset.exclude(Exists(decisions.filter(reviewer=reviewer)))
        queryset = _visible_to(queue, queryset, reviewer)
    return queryset


def _visible_to(queue: str, queryset, reviewer: User):
    """Leave out what the reviewer may not decide: their own posts and suggestions, the
    suggestions on others' posts without `edit_others`, questions they voted on this round."""
    if queue == Q_.SUGGESTED_EDITS:
        queryset = queryset.exclude(suggester=reviewer)
        if not (
            permissions.is_moderator(reviewer) or permissions.has_privilege(reviewer, "edit_others")
        ):
            queryset = queryset.filter(Q(question__author=reviewer) | Q(answer__author=reviewer))
        return queryset
    queryset = queryset.exclude(author=reviewer)
    if queue in (Q_.CLOSE_VOTES, Q_.REOPEN_VOTES):
        mine = CloseVote.objects.active().filter(question=OuterRef("pk"), voter=reviewer)
        queryset = queryset.exclude(Exists(mine))
    return queryset


def items_for(queue: str, reviewer: User | None = None) -> list:
    """Querysets (one per model) of the queue's open items, oldest round first."""
    return [_open(queue, qs, reviewer).order_by("since", "pk") for qs in _candidates(queue)]


@dataclass
class Item:
    queue: str
    obj: Question | Answer | SuggestedEdit
    since: object

    @property
    def kind(self) -> str:
        return _field(type(self.obj).objects.none())

    @property
    def post(self):
        return self.obj.post if isinstance(self.obj, SuggestedEdit) else self.obj

    @property
    def decisions(self) -> tuple[str, ...]:
        return offered(self.queue, self.kind)

    @property
    def decision_labels(self) -> list[tuple[str, str]]:
        return [(value, D(value).label) for value in self.decisions]


def _related(queryset):
    if queryset.model is SuggestedEdit:
        return queryset.select_related("suggester", "question__author", "answer__question")
    if queryset.model is Answer:
        return queryset.select_related("author", "question")
    return queryset.select_related("author")


def page(queue: str, reviewer: User, size: int = PAGE_SIZE) -> tuple[list[Item], int]:
    """The oldest `size` items of the queue open to `reviewer`, and how many there are."""
    rows: list[Item] = []
    total = 0
    for queryset in items_for(queue, reviewer):
        total += queryset.count()
        rows += [Item(queue, obj, obj.since) for obj in _related(queryset)[:size]]
    rows.sort(key=lambda item: (item.since, item.kind, item.obj.pk))
    return rows[:size], total


def waiting() -> int:
    """How many items wait in all queues (for anyone), for the header: cached a minute."""
    count = cache.get(WAITING_CACHE_KEY)
    if count is None:
        count = sum(qs.count() for queue in Q_ for qs in items_for(queue))
        cache.set(WAITING_CACHE_KEY, count, WAITING_CACHE_SECONDS)
    return count


def history(member: User):
    """A member's review decisions, newest first, with what they were about."""
    return ReviewDecision.objects.filter(reviewer=member).select_related(
        "question", "answer__question", "suggestion"
    )


def _still_open(queue: str, target, reviewer: User) -> bool:
    for queryset in items_for(queue, reviewer):
        if queryset.model is type(target):
            return queryset.filter(pk=target.pk).exists()
    return False


@transaction.atomic
def decide(
    *, reviewer: User, queue: str, target, decision: str, reason: str = ""
) -> ReviewDecision:
    """Record `reviewer`'s `decision` on the item `target` (a post, or a suggested edit in its
    queue) and do what it means: Close and Reopen in their queues cast the reviewer's vote
    (with the round's leading reason), Approve and Reject decide the suggestion, a moderator's
    Looks OK on a flagged post dismisses its flags. Edit, Flag and Close elsewhere record the
    decision; the view then sends the reviewer to the form.

    Preconditions: the view checked `review_decision_refusal` and the decision's own rule
    (`vote_close_refusal`, `review_suggestion_refusal`...). Raises `ReviewClosed` when the
    item is no longer open to this reviewer, `ValueError` for a decision the queue does not
    offer.
    """
    post = target.post if isinstance(target, SuggestedEdit) else target
    kind = "suggestion" if isinstance(target, SuggestedEdit) else post.kind
    if decision not in offered(queue, kind):
        raise ValueError(decision)
    lock_with_question(post)
    if isinstance(target, SuggestedEdit):
        SuggestedEdit.objects.select_for_update().filter(pk=target.pk).values_list("pk").get()
    if not _still_open(queue, target, reviewer):
        raise ReviewClosed
    binding = permissions.is_moderator(reviewer)
    if decision == D.APPROVE:
        suggestions.approve(reviewer=reviewer, suggestion=target)
        binding = True
    elif decision == D.REJECT:
        suggestions.reject(reviewer=reviewer, suggestion=target, reason=reason)
        binding = True
    elif decision == D.CLOSE and queue == Q_.CLOSE_VOTES:
        votes = list(CloseVote.objects.active().filter(question=post).order_by("created_at", "pk"))
        why, duplicate_of = close_votes.plurality(votes)
        close_votes.cast_close_vote(
            voter=reviewer, question=post, reason=why, duplicate_of=duplicate_of
        )
    elif decision == D.REOPEN:
        close_votes.cast_reopen_vote(voter=reviewer, question=post)
    elif decision == D.LOOKS_OK and queue == Q_.FLAGGED and binding:
        flags = Flag.objects.filter(status=FlagStatus.OPEN, **{post.kind: post})
        moderation.handle_flags(
            moderator=reviewer, flags=flags, decision=moderation.FlagDecision.DISMISS
        )
    row = ReviewDecision.objects.create(
        reviewer=reviewer,
        queue=queue,
        **{post.kind: post},
        suggestion=target if isinstance(target, SuggestedEdit) else None,
        decision=decision,
        binding=binding and decision != D.SKIP,
    )
    transaction.on_commit(lambda: cache.delete(WAITING_CACHE_KEY))
    return row
