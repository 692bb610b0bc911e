"""Votes and accepts, and the reputation they book (`votes.reputation`).

Lock order, as everywhere: the question row, then the answer row, then members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from answers.models import Answer
from core import signals
from core.locks import lock_post
from pagecache import versions as page_versions
from questions.models import Question
from search import index as search_index

from . import reputation
from .models import ReputationReason, Vote

if TYPE_CHECKING:
    from accounts.models import User
    from core.models import Post


@page_versions.in_thread(lambda post, **_: page_versions.thread_of(post))
@transaction.atomic
def cast_vote(*, voter: User, post: Post, value: int) -> int:
    """Set voter's vote on a post (0 retracts it) and return the new score.

    Locks the post row first, so concurrent votes on one post are applied in turn; the unique
    constraint per (voter, post) is the last line against a double count. A changed vote is a
    retraction and a new vote (dated now), each booked in the reputation ledger.
    """
    post = lock_post(post)
    old = post.votes.filter(voter=voter).first()
    old_value = old.value if old else 0
    if value == old_value:
        return post.score
    # A change books twice: lock both members in one id-ordered batch first.
    reputation.lock_users([post.author_id, voter.pk])
    if old:
        change = reputation.Change.for_votes(
            [old], post=post, reason=ReputationReason.VOTE_REVERSED
        )
        with reputation.booking(change):
            old.delete()
    if value:
        vote = Vote(voter=voter, value=value, created_at=timezone.now(), **{post.kind: post})
        change = reputation.Change.for_votes(
            [vote],
            post=post,
            reason=ReputationReason.UPVOTE if value == 1 else ReputationReason.DOWNVOTE,
            downvotes=ReputationReason.DOWNVOTED_ANSWER,
        )
        with reputation.booking(change):
            vote.save()
    type(post).objects.filter(pk=post.pk).update(score=F("score") + value - old_value)
    search_index.refresh_counts(post)
    post.refresh_from_db(fields=["score"])
    return post.score


@transaction.atomic
def invalidate_votes(*, voter: User) -> int:
    """Remove every vote `voter` has cast, for spammer and voting-ring cleanup, and return how
    many were removed.

    Scores drop the votes, and everyone's reputation is worked out again as if the votes had
    never been cast: their authors lose what the votes earned (a day under the cap may earn
    more from its other votes), `voter` gets back what downvoting answers cost, all booked as
    "votes invalidated". Votes on deleted posts go too. Locks every post voted on (questions,
    then answers, in id order) and then the members. Suspend the account first: a vote cast
    while this runs may survive it.
    """
    votes = list(Vote.objects.filter(voter=voter).values_list("question_id", "answer_id"))
    if not votes:
        return 0
    question_ids = sorted({q for q, _ in votes if q})
    answer_ids = sorted({a for _, a in votes if a})
    for model, ids in ((Question, question_ids), (Answer, answer_ids)):
        list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    # Read again under the locks: what the posts are now (deleted or not) decides what counts.
    votes = list(
        Vote.objects.filter(voter=voter)
        .filter(Q(question_id__in=question_ids) | Q(answer_id__in=answer_ids))
        .select_related("question", "answer")
    )
    change = reputation.Change.for_votes(votes, reason=ReputationReason.VOTES_INVALIDATED)
    with reputation.booking(change):
        for model, kind in ((Question, "question"), (Answer, "answer")):
            mine = Vote.objects.filter(voter=voter, **{kind: OuterRef("pk")}).values("value")
            model.objects.filter(pk__in={getattr(v, f"{kind}_id") for v in votes}).update(
                score=F("score") - Subquery(mine[:1])
            )
        Vote.objects.filter(pk__in=[vote.pk for vote in votes]).delete()
    search_index.refresh_scores(question_ids=question_ids, answer_ids=answer_ids)
    return len(votes)


def _set_accepted(answer: Answer, *, asker_id: int, accepted: bool, now=None) -> None:
    """Mark or unmark `answer`, booking what the accept is worth to its author and the asker
    (nothing when they are the same member)."""
    if accepted:
        change = reputation.Change.for_accept(
            answer,
            asker_id=asker_id,
            reason=ReputationReason.ACCEPTED,
            accepter=ReputationReason.ACCEPTER,
        )
    else:
        change = reputation.Change.for_accept(
            answer, asker_id=asker_id, reason=ReputationReason.UNACCEPTED
        )
    with reputation.booking(change):
        Answer.objects.filter(pk=answer.pk).update(
            is_accepted=accepted, accepted_at=now if accepted else None
        )
    search_index.refresh_counts(answer)


@page_versions.in_thread(lambda answer, **_: answer.question_id)
@transaction.atomic
def accept_answer(*, answer: Answer) -> bool:
    """Toggle the accepted mark on `answer` and return whether it is accepted now.

    Locks the question row first, so two accepts on one question are applied in turn, then the
    answers, then (through the reputation booking) the members; accepting another answer moves
    the mark (the database allows one accepted answer per question). An answer deleted
    meanwhile is left alone.
    """
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    answer = Answer.objects.select_for_update().get(pk=answer.pk)
    if answer.is_deleted:
        return False  # deleted while the asker clicked: it cannot be accepted any more
    now = timezone.now()
    if answer.is_accepted:
        _set_accepted(answer, asker_id=question.author_id, accepted=False)
        return False
    previous = (
        Answer.objects.select_for_update().filter(question=question, is_accepted=True).first()
    )
    # Moving the mark books twice: lock every member involved in one id-ordered batch first.
    reputation.lock_users(
        [question.author_id, answer.author_id, *([previous.author_id] if previous else [])]
    )
    if previous:
        _set_accepted(previous, asker_id=question.author_id, accepted=False)
    _set_accepted(answer, asker_id=question.author_id, accepted=True, now=now)
    Question.objects.filter(pk=question.pk).update(last_activity_at=now)
    signals.answer_accepted.send(sender=Answer, answer=answer)
    return True
