"""Writes that only answers have: posting one and accepting one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import ReputationReason
from questions import reputation, signals
from questions.models import Question
from questions.services import add_revision

from .models import Answer

if TYPE_CHECKING:
    from accounts.models import User


@transaction.atomic
def post_answer(*, author: User, question: Question, body: str) -> Answer:
    """Add an answer with its first revision, and count it on the question (row locked)."""
    now = timezone.now()
    question = Question.objects.select_for_update().get(pk=question.pk)
    answer = Answer(author=author, question=question, body=body, created_at=now)
    answer.save()
    add_revision(post=answer, editor=author)
    Question.objects.filter(pk=question.pk).update(
        answer_count=F("answer_count") + 1, last_activity_at=now
    )
    signals.post_created.send(sender=Answer, post=answer)
    return answer


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
