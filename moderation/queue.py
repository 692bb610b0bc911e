"""The stored review queues: `ReviewItem` rows opened on write by whatever creates the need and
completed when it ends, so `/review/` and the header's count read one indexed table instead of
working the queues out from every post on each request (`bench/review_bench.py`).

Who opens an item (each at most once per queue and post while it is open):

- first posts and late answers: `on_post_created` (`signals.post_created`);
- suggested edits: `on_suggestion_made` (`signals.suggestion_made`);
- flagged posts: `on_post_flagged` (`signals.post_flagged`), a question's or answer's first
  open flag; a comment's flags stay in the admin;
- close and reopen votes: `sync_votes`, called by `close_votes` after a vote or a retraction.

Who completes it: `moderation.review.decide` after the reviews it needs or a binding decision;
the end of the need (`sync_votes` when the round ends or empties, `sync_flags` when the flags are
decided, `complete_suggestion` when the suggestion is approved or rejected); and `post_gone`
when the post is deleted or hidden (a deleted question takes its answers' items with it; a
hidden post keeps its flagged item, the place where it is decided). Those items are marked
`set_aside`: when the post is shown again or restored (`shown_again`), its first-post and
late-answer items reopen, and its flagged item while flags are still open (a restored
question's answers' too), and its pending suggested edit comes back. An item reviewers had
decided before the post went away stays decided.

Every write here runs inside the caller's transaction, which holds the post's row lock (question
first, `core.locks`); the partial unique constraints hold "one open item" for any writer. The
header's count is dropped from the cache when the transaction commits.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from answers.models import Answer
from flags.models import FlagStatus
from questions.models import Question

from .models import CloseVote, CloseVoteKind, ReviewItem, ReviewItemStatus
from .models import ReviewQueue as Queue

if TYPE_CHECKING:
    from core.models import Post
    from revisions.models import SuggestedEdit

WAITING_CACHE_KEY = "review:waiting"


def reviews_needed(queue: str) -> int:
    """A suggested edit is decided by one approval or rejection; the rest take
    `JOKESITE_REVIEWS_NEEDED` reviews (a moderator's decision ends any item at once)."""
    return 1 if queue == Queue.SUGGESTED_EDITS else settings.JOKESITE_REVIEWS_NEEDED


def _changed() -> None:
    transaction.on_commit(lambda: cache.delete(WAITING_CACHE_KEY))


def _of(post: Post) -> Q:
    return Q(**{post.kind: post})


def open_item(
    queue: str, post: Post, *, suggestion: SuggestedEdit | None = None, created_at=None
) -> ReviewItem:
    """The open item of `post` in `queue`, opened now unless there is one."""
    items = ReviewItem.objects.open().filter(_of(post), queue=queue)
    if item := items.first():
        return item
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives
            item = ReviewItem.objects.create(
                queue=queue,
                **{post.kind: post},
                suggestion=suggestion,
                reviews_needed=reviews_needed(queue),
                created_at=created_at or timezone.now(),
            )
    except IntegrityError:  # opened by another writer meanwhile
        return items.get()
    _changed()
    return item


def complete(items, *, set_aside: bool = False) -> int:
    """Complete the open ones among `items` (a ReviewItem queryset); how many were open.
    `set_aside`: because their post went away, so they come back with it (`shown_again`)."""
    done = items.filter(status=ReviewItemStatus.OPEN).update(
        status=ReviewItemStatus.COMPLETED, completed_at=timezone.now(), set_aside=set_aside
    )
    if done:
        _changed()
    return done


def post_gone(post: Post, *, hidden: bool = False) -> int:
    """Take a deleted (or hidden) post out of every queue; a deleted question takes its
    answers with it. A hidden post stays in the flagged queue, where it is decided."""
    items = ReviewItem.objects.filter(_of(post))
    if isinstance(post, Question) and not hidden:
        items = ReviewItem.objects.filter(Q(question=post) | Q(answer__question=post))
    if hidden:
        items = items.exclude(queue=Queue.FLAGGED)
    return complete(items, set_aside=True)


# The queues whose items come back with their post: first posts and late answers, and a
# flagged item whose flags are still open (its author deleted the post, or its question went).
RETURNING = (Queue.FIRST_POSTS, Queue.LATE_ANSWERS, Queue.FLAGGED)


def _reopen_set_aside(items) -> int:
    """Reopen the set-aside items among `items` that still have a need (reviews done before
    keep counting, and their reviewers still do not see them again); how many."""
    reopened = 0
    items = items.filter(set_aside=True, queue__in=RETURNING).select_related("question", "answer")
    for item in items.order_by("pk"):
        if ReviewItem.objects.open().filter(_of(item.post), queue=item.queue).exists():
            continue
        if (
            item.queue == Queue.FLAGGED
            and not item.post.flags.filter(status=FlagStatus.OPEN).exists()
        ):
            continue  # decided with the deletion
        reopened += ReviewItem.objects.filter(pk=item.pk, set_aside=True).update(
            status=ReviewItemStatus.OPEN, completed_at=None, set_aside=False
        )
    if reopened:
        _changed()
    return reopened


def shown_again(post: Post) -> None:
    """A hidden post shown again (its flags dismissed or found helpful without deleting it) or
    a deleted one restored: the first-post and late-answer items that went away with it, not
    decided by reviewers before, reopen, and so does its flagged item while flags are open (a
    restored question brings back its answers' items too: a hidden answer's flagged item
    only), and a suggested edit that waited on it goes back to its queue. An answer of a
    deleted question stays out until the question is restored."""
    if isinstance(post, Answer) and post.question.deleted_at is not None:
        return
    _reopen_set_aside(ReviewItem.objects.filter(_of(post)))
    if isinstance(post, Question):
        answers = Answer.objects.filter(question=post, deleted_at=None)
        _reopen_set_aside(ReviewItem.objects.filter(answer__in=answers.filter(hidden_at=None)))
        hidden = answers.filter(hidden_at__isnull=False)
        _reopen_set_aside(ReviewItem.objects.filter(answer__in=hidden, queue=Queue.FLAGGED))
    suggestion = post.suggested_edits.pending().first()
    if suggestion is not None:
        open_item(
            Queue.SUGGESTED_EDITS, post, suggestion=suggestion, created_at=suggestion.created_at
        )


def sync_votes(question: Question) -> None:
    """After a close or reopen vote, a retraction or the end of a round: the question is in
    the close (or reopen) votes queue exactly while it has active votes of that kind."""
    kinds = {CloseVoteKind.CLOSE: Queue.CLOSE_VOTES, CloseVoteKind.REOPEN: Queue.REOPEN_VOTES}
    active = set(
        CloseVote.objects.active().filter(question=question).values_list("kind", flat=True)
    )
    for kind, queue in kinds.items():
        wanted = kind in active and question.is_closed == (kind == CloseVoteKind.REOPEN)
        if wanted and question.deleted_at is None:
            open_item(queue, question)
        else:
            complete(ReviewItem.objects.filter(queue=queue, question=question))


def sync_flags(post: Post) -> None:
    """After flags on a post were decided: its flagged item ends when no flag is open."""
    if not post.flags.filter(status=FlagStatus.OPEN).exists():
        complete(ReviewItem.objects.filter(_of(post), queue=Queue.FLAGGED))


def complete_suggestion(suggestion: SuggestedEdit) -> None:
    complete(ReviewItem.objects.filter(suggestion=suggestion))


def is_first_post(post: Post) -> bool:
    """The first question or answer of an account younger than
    `JOKESITE_REVIEW_NEW_ACCOUNT_DAYS` (deleted posts count as posts)."""
    days = timedelta(days=settings.JOKESITE_REVIEW_NEW_ACCOUNT_DAYS)
    if post.author.date_joined < post.created_at - days:
        return False
    earlier = {"author_id": post.author_id, "created_at__lt": post.created_at}
    return not (
        Question.objects.filter(**earlier).exists() or Answer.objects.filter(**earlier).exists()
    )


def is_late_answer(answer: Answer) -> bool:
    """Posted `JOKESITE_LATE_ANSWER_DAYS` or more after its question by a member below
    `JOKESITE_LATE_ANSWER_REPUTATION`."""
    late = timedelta(days=settings.JOKESITE_LATE_ANSWER_DAYS)
    return (
        answer.author.reputation < settings.JOKESITE_LATE_ANSWER_REPUTATION
        and answer.created_at >= answer.question.created_at + late
    )


def reconsider(post: Post) -> None:
    """After a post's `created_at` was moved (the demo loader backdates what it posts): the
    first-post and late-answer items it no longer deserves are completed."""
    post = type(post).objects.select_related("author").get(pk=post.pk)
    if not is_first_post(post):
        complete(ReviewItem.objects.filter(_of(post), queue=Queue.FIRST_POSTS))
    if isinstance(post, Answer) and not is_late_answer(post):
        complete(ReviewItem.objects.filter(_of(post), queue=Queue.LATE_ANSWERS))


# --- receivers (connected in `apps.py`) ----------------------------------------------------


def on_post_created(sender, post, **kwargs) -> None:
    if is_first_post(post):
        open_item(Queue.FIRST_POSTS, post, created_at=post.created_at)
    if isinstance(post, Answer) and is_late_answer(post):
        open_item(Queue.LATE_ANSWERS, post, created_at=post.created_at)


def on_suggestion_made(sender, suggestion, **kwargs) -> None:
    open_item(
        Queue.SUGGESTED_EDITS,
        suggestion.post,
        suggestion=suggestion,
        created_at=suggestion.created_at,
    )


def on_post_flagged(sender, flag, target, **kwargs) -> None:
    if isinstance(target, Question | Answer) and not target.is_deleted:
        open_item(Queue.FLAGGED, target, created_at=flag.created_at)


def on_hidden_by_flags(sender, target, **kwargs) -> None:
    if isinstance(target, Question | Answer):
        post_gone(target, hidden=True)


# --- repair ----------------------------------------------------------------------------------


def _gone(post: Post) -> bool:
    """Deleted, or an answer of a deleted question."""
    if post.deleted_at is not None:
        return True
    return isinstance(post, Answer) and post.question.deleted_at is not None


def sync_all() -> dict[str, int]:
    """Bring the stored queues back in line with the rows they stand for (`manage.py
    sync_review_queue`), for a database written past the services (a bulk import, a restore,
    a hand fix): open items are completed when their post is gone or their need ended; items
    are opened for pending suggestions, open flags and active close or reopen votes that have
    none; `reviews_done` is recounted from the decisions. First posts and late answers are
    judged when they are written and are not made again. Returns how many items it completed,
    opened and recounted.
    """
    from revisions.models import SuggestedEdit

    from .models import ReviewDecisionKind

    started = timezone.now()
    last = ReviewItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    items = ReviewItem.objects.open()
    complete(
        items.filter(
            Q(question__deleted_at__isnull=False)
            | Q(answer__deleted_at__isnull=False)
            | Q(answer__question__deleted_at__isnull=False)
        ),
        set_aside=True,
    )
    complete(items.filter(queue=Queue.SUGGESTED_EDITS).exclude(suggestion__status="pending"))
    for item in items.filter(queue=Queue.FLAGGED).select_related("question", "answer"):
        if not item.post.flags.filter(status=FlagStatus.OPEN).exists():
            complete(ReviewItem.objects.filter(pk=item.pk))

    for suggestion in SuggestedEdit.objects.pending().select_related("question", "answer"):
        if not _gone(suggestion.post) and not suggestion.post.is_hidden:
            open_item(
                Queue.SUGGESTED_EDITS,
                suggestion.post,
                suggestion=suggestion,
                created_at=suggestion.created_at,
            )
    for model in (Question, Answer):
        flagged = model.objects.filter(flags__status=FlagStatus.OPEN).distinct()
        for post in flagged:
            if not _gone(post):
                first = post.flags.filter(status=FlagStatus.OPEN).order_by("created_at").first()
                open_item(Queue.FLAGGED, post, created_at=first.created_at)
    # sync_votes completes the close and reopen items whose round ended, too.
    voted = ReviewItem.objects.filter(queue__in=[Queue.CLOSE_VOTES, Queue.REOPEN_VOTES])
    questions = Question.objects.filter(
        Q(close_votes__expired_at__isnull=True) | Q(pk__in=voted.open().values("question"))
    ).distinct()
    for question in questions:
        sync_votes(question)

    counted = Count("reviews", filter=~Q(reviews__decision=ReviewDecisionKind.SKIP))
    recounted = 0
    for item in items.annotate(counted=counted).exclude(reviews_done=F("counted")):
        ReviewItem.objects.filter(pk=item.pk).update(reviews_done=item.counted)
        recounted += 1
    return {
        "completed": ReviewItem.objects.filter(completed_at__gte=started).count(),
        "opened": ReviewItem.objects.filter(pk__gt=last).count(),
        "recounted": recounted,
    }
