"""The rules in answers/services.py: posting counts an answer, accepting toggles and moves one
mark, and reputation follows."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from answers.models import Answer
from answers.services import post_answer
from moderation import services as moderation_services
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.helpers import BODY
from votes.services import accept_answer

pytestmark = pytest.mark.django_db


def reputation(user) -> int:
    user.refresh_from_db(fields=["reputation"])
    return user.reputation


def test_post_answer_counts_it_bumps_activity_and_keeps_revision_1():
    question = QuestionFactory(last_activity_at=timezone.now() - timedelta(days=1))
    author = UserFactory()
    answer = post_answer(author=author, question=question, body="Use **bold**, " + BODY)
    question.refresh_from_db()
    assert question.answer_count == 1
    assert question.last_activity_at == answer.created_at
    assert answer.body_html.startswith("<p>Use <strong>bold</strong>, ")
    revision = answer.revisions.get()
    assert (revision.number, revision.editor, revision.body, revision.title) == (
        1,
        author,
        answer.body,
        "",
    )


def test_each_posted_answer_adds_one_to_the_count():
    question = QuestionFactory()
    for _ in range(3):
        post_answer(author=UserFactory(), question=question, body=BODY)
    question.refresh_from_db()
    assert question.answer_count == 3


def test_accept_gives_15_to_the_answerer_and_2_to_the_asker():
    answer = AnswerFactory()
    assert accept_answer(answer=answer) is True
    answer.refresh_from_db()
    assert answer.is_accepted and answer.accepted_at is not None
    assert (reputation(answer.author), reputation(answer.question.author)) == (16, 3)


def test_accepting_again_unaccepts_and_reverses_the_reputation():
    answer = AnswerFactory()
    accept_answer(answer=answer)
    assert accept_answer(answer=answer) is False
    answer.refresh_from_db()
    assert (answer.is_accepted, answer.accepted_at) == (False, None)
    assert (reputation(answer.author), reputation(answer.question.author)) == (1, 1)


def test_accepting_another_answer_moves_the_mark_and_the_reputation():
    question = QuestionFactory()
    first, second = AnswerFactory.create_batch(2, question=question)
    accept_answer(answer=first)
    accept_answer(answer=second)
    assert list(Answer.objects.filter(is_accepted=True)) == [second]
    assert (reputation(first.author), reputation(second.author)) == (1, 16)
    assert reputation(question.author) == 3


def test_accepting_ones_own_answer_earns_nothing():
    question = QuestionFactory()
    own = AnswerFactory(question=question, author=question.author)
    accept_answer(answer=own)
    own.refresh_from_db()
    assert own.is_accepted
    assert reputation(question.author) == 1


def test_moving_the_mark_from_ones_own_answer_pays_only_for_the_new_one():
    question = QuestionFactory()
    own = AnswerFactory(question=question, author=question.author)
    other = AnswerFactory(question=question)
    accept_answer(answer=own)
    accept_answer(answer=other)
    assert (reputation(question.author), reputation(other.author)) == (3, 16)


def test_accept_bumps_the_question_activity():
    answer = AnswerFactory(
        question=QuestionFactory(last_activity_at=timezone.now() - timedelta(30))
    )
    accept_answer(answer=answer)
    answer.refresh_from_db()
    answer.question.refresh_from_db()
    assert answer.question.last_activity_at == answer.accepted_at


def test_a_deleted_answer_is_not_accepted():
    answer = AnswerFactory()
    moderation_services.delete_post(actor=answer.author, post=answer)
    assert accept_answer(answer=answer) is False
    answer.refresh_from_db()
    assert not answer.is_accepted
    assert reputation(answer.author) == 1


def test_the_database_allows_one_accepted_answer_per_question():
    question = QuestionFactory()
    AnswerFactory(question=question, is_accepted=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        AnswerFactory(question=question, is_accepted=True)


def test_reputation_from_accepting_is_kept_exact_through_a_round_trip():
    """Accept, move, move back, unaccept: everyone ends where they started."""
    question = QuestionFactory()
    first, second = AnswerFactory.create_batch(2, question=question)
    for answer in (first, second, first, first):
        accept_answer(answer=answer)
    assert not Answer.objects.filter(is_accepted=True).exists()
    assert [reputation(u) for u in (question.author, first.author, second.author)] == [1, 1, 1]
