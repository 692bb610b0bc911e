"""The review queues (`/review/`) and the decisions taken in them.

The queues are stored: `moderation.queue` opens a `ReviewItem` when something needs review
(a young account's first post, a late answer, a suggested edit, a close or reopen vote, a flag)
and completes it when the need ends; this module reads them and records decisions. See
`moderation.queue` for what each queue holds.

A `ReviewDecision` row records each reviewer's decision on an item. An item completes after
its `reviews_needed` decisions other than Skip, at once after a binding one (a moderator's; an
approval or rejection of a suggested edit), or when the data stops needing it (the question
closed, the flags decided, the suggestion approved, the post deleted). A reviewer never sees an
item they decided again (`one_decision_per_item`). A question closed, reopened and voted on
again is a new item, for everyone.

Deciding locks the post (question row first), then the suggestion, then the item, and checks
the item is still open to this reviewer: two reviewers deciding one item at once decide it in
turn, and the second finds it gone when the first one ended it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from core import permissions
from core.locks import lock_with_question
from flags.models import Flag, FlagStatus
from revisions.models import Revision, SuggestedEdit

from . import close_votes, suggestions
from . import queue as queue_store
from . import services as moderation
from .models import CloseVote, ReviewDecision, ReviewItem
from .models import ReviewDecisionKind as D
from .models import ReviewQueue as Q_

if TYPE_CHECKING:
    from accounts.models import User

PAGE_SIZE = 5  # items shown per queue on /review/
WAITING_CACHE_KEY = queue_store.WAITING_CACHE_KEY
WAITING_CACHE_SECONDS = 30

# The decisions each queue offers, in the order of its buttons.
DECISIONS = {
    Q_.FIRST_POSTS: (D.LOOKS_OK, D.EDIT, D.CLOSE, D.FLAG, D.SKIP),
    Q_.LATE_ANSWERS: (D.LOOKS_OK, D.EDIT, D.FLAG, D.SKIP),
    Q_.SUGGESTED_EDITS: (D.APPROVE, D.IMPROVE, D.REJECT, D.SKIP),
    Q_.CLOSE_VOTES: (D.CLOSE, D.LOOKS_OK, D.EDIT, D.SKIP),
    Q_.REOPEN_VOTES: (D.REOPEN, D.LOOKS_OK, D.SKIP),
    Q_.FLAGGED: (D.LOOKS_OK, D.EDIT, D.FLAG, D.SKIP),
}
# Decisions that send the reviewer on to a form (the decision is recorded first).
FORMS = {D.EDIT: "get_edit_url", D.FLAG: "get_flag_url", D.CLOSE: "get_close_vote_url"}
# Improve is a form of its own (`improve_suggestion`), recorded when it is saved.


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


def open_to(queue: str, reviewer: User):
    """The queue's open items that `reviewer` may decide and has not: not their own posts or
    suggestions, suggestions on others' posts only with `edit_others`, close and reopen votes
    not on questions they voted on this round. Oldest first."""
    items = ReviewItem.objects.open().filter(queue=queue)
    items = items.exclude(
        Exists(ReviewDecision.objects.filter(item=OuterRef("pk"), reviewer=reviewer))
    )
    if queue == Q_.SUGGESTED_EDITS:
        items = items.exclude(suggestion__suggester=reviewer)
        if not (
            permissions.is_moderator(reviewer) or permissions.has_privilege(reviewer, "edit_others")
        ):
            items = items.filter(Q(question__author=reviewer) | Q(answer__author=reviewer))
    else:
        items = items.exclude(question__author=reviewer).exclude(answer__author=reviewer)
    if queue in (Q_.CLOSE_VOTES, Q_.REOPEN_VOTES):
        mine = CloseVote.objects.active().filter(question=OuterRef("question"), voter=reviewer)
        items = items.exclude(Exists(mine))
    return items.order_by("created_at", "pk")


def _prepare(item: ReviewItem) -> ReviewItem:
    """What the template reads: the decisions offered, their labels, the suggestion's post."""
    if item.suggestion_id:
        # The item names the suggestion's post: spare the suggestion a query for it.
        setattr(item.suggestion, item.post.kind, item.post)
    item.decisions = offered(item.queue, item.kind)
    if item.suggestion_id and item.suggestion.is_outdated(item.newest_revision):
        # Approving would overwrite the later edit (`suggestions.approve` refuses): improve it.
        item.outdated = True
        item.decisions = tuple(d for d in item.decisions if d != D.APPROVE)
    item.decision_labels = [(value, D(value).label) for value in item.decisions]
    return item


def page(queue: str, reviewer: User, size: int = PAGE_SIZE) -> tuple[list[ReviewItem], int]:
    """The oldest `size` items of the queue open to `reviewer`, and how many there are: two
    queries (three for suggested edits: the questions' tags), whatever the number of items."""
    items = open_to(queue, reviewer)
    rows = items.select_related(
        "question__author", "answer__author", "answer__question", "suggestion__suggester"
    )
    if queue == Q_.SUGGESTED_EDITS:
        rows = rows.prefetch_related("question__tags")  # the diff compares the tags
        newest = Revision.objects.order_by("-number").values("number")
        rows = rows.annotate(
            newest_revision=Coalesce(
                Subquery(newest.filter(question=OuterRef("question"))[:1]),
                Subquery(newest.filter(answer=OuterRef("answer"))[:1]),
            )
        )
    return [_prepare(item) for item in rows[:size]], items.count()


def waiting() -> int:
    """How many items wait in all queues (for anyone), for the header: one indexed COUNT,
    cached a little while; any change to the items drops it (`moderation.queue`)."""
    count = cache.get(WAITING_CACHE_KEY)
    if count is None:
        count = ReviewItem.objects.open().count()
        cache.set(WAITING_CACHE_KEY, count, WAITING_CACHE_SECONDS)
    return count


def history(member: User):
    """A member's review decisions, newest first, with what they were about."""
    return ReviewDecision.objects.filter(reviewer=member).select_related(
        "question", "answer__question", "suggestion"
    )


def item_of(queue: str, target) -> ReviewItem | None:
    """The open item of `target` (a post, or a suggested edit) in `queue`, if there is one."""
    found = {"suggestion": target} if isinstance(target, SuggestedEdit) else {target.kind: target}
    return ReviewItem.objects.open().filter(queue=queue, **found).first()


@transaction.atomic
def decide(
    *,
    reviewer: User,
    queue: str,
    target,
    decision: str,
    reason: str = "",
    changes: dict | None = None,
) -> ReviewDecision:
    """Record `reviewer`'s `decision` on the item `target` (a post, or a suggested edit in its
    queue) and do what it means: Close and Reopen in their queues cast the reviewer's vote
    (with the round's leading reason), Approve, Improve (with the reviewer's `changes`, the
    edit form's fields) and Reject decide the suggestion, a moderator's
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
    item = item_of(queue, target)
    if item is None or not open_to(queue, reviewer).filter(pk=item.pk).exists():
        raise ReviewClosed
    item = ReviewItem.objects.select_for_update().get(pk=item.pk)
    binding = permissions.is_moderator(reviewer)
    if decision == D.APPROVE:
        suggestions.approve(reviewer=reviewer, suggestion=target)
        binding = True
    elif decision == D.IMPROVE:
        suggestions.improve(reviewer=reviewer, suggestion=target, **(changes or {}))
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
    binding = binding and decision != D.SKIP
    row = ReviewDecision.objects.create(
        reviewer=reviewer,
        queue=queue,
        item=item,
        **{post.kind: post},
        suggestion=target if isinstance(target, SuggestedEdit) else None,
        decision=decision,
        binding=binding,
    )
    if decision != D.SKIP:
        ReviewItem.objects.filter(pk=item.pk).update(reviews_done=F("reviews_done") + 1)
        if binding or item.reviews_done + 1 >= item.reviews_needed:
            queue_store.complete(ReviewItem.objects.filter(pk=item.pk))
    transaction.on_commit(lambda: cache.delete(WAITING_CACHE_KEY))
    return row
