"""Writes that only answers have: posting one and accepting one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from questions import search, signals
from questions.models import Question
from questions.services import add_revision, change_accept_reputation

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
    search.index_post(answer)
    signals.post_created.send(sender=Answer, post=answer)
    return answer


def _accept_reputation(answer: Answer, sign: int) -> None:
    change_accept_reputation(answer=answer, asker_id=answer.question.author_id, sign=sign)


@transaction.atomic
def accept_answer(*, answer: Answer) -> bool:
    """Toggle the accepted mark on `answer` and return whether it is accepted now.

    Locks the question row first, so two accepts on one question are applied in turn; accepting
    another answer moves the mark (the database allows one accepted answer per question). An
    answer deleted meanwhile is left alone.
    """
    question = Question.objects.select_for_update().get(pk=answer.question_id)
    answer = Answer.objects.select_for_update().select_related("question").get(pk=answer.pk)
    if answer.is_deleted:
        return False  # deleted while the asker clicked: it cannot be accepted any more
    now = timezone.now()
    if answer.is_accepted:
        Answer.objects.filter(pk=answer.pk).update(is_accepted=False, accepted_at=None)
        _accept_reputation(answer, -1)
        search.refresh_counts(answer)
        return False
    previous = (
        Answer.objects.select_for_update()
        .select_related("question")
        .filter(question=question, is_accepted=True)
        .first()
    )
    if previous:
        Answer.objects.filter(pk=previous.pk).update(is_accepted=False, accepted_at=None)
        _accept_reputation(previous, -1)
        search.refresh_counts(previous)
    Answer.objects.filter(pk=answer.pk).update(is_accepted=True, accepted_at=now)
    _accept_reputation(answer, 1)
    search.refresh_counts(answer)
    Question.objects.filter(pk=question.pk).update(last_activity_at=now)
    signals.answer_accepted.send(sender=Answer, answer=answer)
    return True
