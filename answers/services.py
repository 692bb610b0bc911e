"""Answering: posting an answer and counting it on its question.

Its first revision and search entry come from `post_created`, like a question's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core import signals
from pagecache import versions as page_versions
from questions.models import Question

from .models import Answer

if TYPE_CHECKING:
    from accounts.models import User


@page_versions.in_thread(lambda question, **_: question.pk)
@transaction.atomic
def post_answer(*, author: User, question: Question, body: str) -> Answer:
    """Add an answer and count it on the question (row locked)."""
    now = timezone.now()
    question = Question.objects.select_for_update().get(pk=question.pk)
    answer = Answer(author=author, question=question, body=body, created_at=now)
    answer.save()
    Question.objects.filter(pk=question.pk).update(
        answer_count=F("answer_count") + 1, last_activity_at=now
    )
    signals.post_created.send(sender=Answer, post=answer)
    return answer
