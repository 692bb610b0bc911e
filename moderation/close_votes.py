"""Close and reopen votes: members with the `close_reopen` privilege close a question, or
reopen a closed one, when `JOKESITE_CLOSE_VOTES` of them agree, as on Stack Overflow.

The closing itself goes through `moderation.close_question` / `reopen_question` with no
moderator (the audit row names the voters, as a post hidden by flags names no one), which also
ends the round: the votes expire and the next round starts empty. A moderator's vote is
binding and closes or reopens at once. The functions trust the caller's checks
(`permissions.can_vote_close`, `can_vote_reopen`) and never see `request`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction

from core import permissions
from flags.services import lock_target
from questions.models import CloseReason, Question

from . import queue
from . import services as moderation
from .models import CloseVote, CloseVoteKind

if TYPE_CHECKING:
    from accounts.models import User


class AlreadyVoted(Exception):
    """The member has an active vote on this question this round."""


class AlreadyDecided(Exception):
    """The question was closed (or reopened) between the permission check and the lock."""


@dataclass
class VoteOutcome:
    votes: int  # active votes after this one (0 once the question closed or reopened)
    done: bool  # the question was closed (or reopened) by this vote


def needed() -> int:
    return settings.JOKESITE_CLOSE_VOTES


def plurality(votes: list[CloseVote]) -> tuple[str, Question | None]:
    """The reason most votes give (ties: the one voted first) and, for a duplicate, the
    original most duplicate votes name (ties likewise)."""
    reasons = Counter(vote.reason for vote in votes)  # Counter keeps first-seen order on ties
    reason = reasons.most_common(1)[0][0]
    duplicate_of = None
    if reason == CloseReason.DUPLICATE:
        originals = Counter(vote.duplicate_of_id for vote in votes if vote.duplicate_of_id)
        if originals:
            duplicate_of = Question.objects.filter(pk=originals.most_common(1)[0][0]).first()
    return reason, duplicate_of


def _round(question: Question) -> list[CloseVote]:
    return list(CloseVote.objects.active().filter(question=question).order_by("created_at", "pk"))


@transaction.atomic
def cast_close_vote(
    *, voter: User, question: Question, reason: str, duplicate_of: Question | None = None
) -> VoteOutcome:
    """Vote to close an open question. The `JOKESITE_CLOSE_VOTES`th vote closes it with the
    plurality reason; a moderator's vote closes it at once with theirs.

    Locks the question row first, so the votes of one round are counted in turn. Raises
    `AlreadyVoted` for a second vote in the round (the database's `one_active_close_vote`
    says so too), `AlreadyDecided` when the question was closed meanwhile.
    """
    question = lock_target(question)
    if question.is_closed:
        raise AlreadyDecided
    if permissions.is_moderator(voter):
        moderation.close_question(
            moderator=voter, question=question, reason=reason, duplicate_of=duplicate_of
        )
        return VoteOutcome(votes=0, done=True)
    _add(voter, question, CloseVoteKind.CLOSE, reason=reason, duplicate_of=duplicate_of)
    queue.sync_votes(question)
    votes = _round(question)
    if len(votes) < needed():
        return VoteOutcome(votes=len(votes), done=False)
    reason, duplicate_of = plurality(votes)
    moderation.close_question(
        moderator=None, question=question, reason=reason, duplicate_of=duplicate_of
    )
    return VoteOutcome(votes=0, done=True)


@transaction.atomic
def cast_reopen_vote(*, voter: User, question: Question) -> VoteOutcome:
    """Vote to reopen a closed question: as `cast_close_vote`, without a reason."""
    question = lock_target(question)
    if not question.is_closed:
        raise AlreadyDecided
    if permissions.is_moderator(voter):
        moderation.reopen_question(moderator=voter, question=question)
        return VoteOutcome(votes=0, done=True)
    _add(voter, question, CloseVoteKind.REOPEN)
    queue.sync_votes(question)
    votes = _round(question)
    if len(votes) < needed():
        return VoteOutcome(votes=len(votes), done=False)
    moderation.reopen_question(moderator=None, question=question)
    return VoteOutcome(votes=0, done=True)


def _add(voter, question, kind, *, reason="", duplicate_of=None) -> CloseVote:
    if CloseVote.objects.active().filter(question=question, voter=voter).exists():
        raise AlreadyVoted
    if kind != CloseVoteKind.CLOSE or reason != CloseReason.DUPLICATE:
        duplicate_of = None
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives
            return CloseVote.objects.create(
                voter=voter, question=question, kind=kind, reason=reason, duplicate_of=duplicate_of
            )
    except IntegrityError as error:
        raise AlreadyVoted from error


@transaction.atomic
def retract_vote(*, voter: User, question: Question) -> bool:
    """Take back the member's vote of this round (close or reopen). Returns False when there
    was none."""
    question = lock_target(question)
    deleted, _ = CloseVote.objects.active().filter(question=question, voter=voter).delete()
    queue.sync_votes(question)
    return bool(deleted)
