"""A thread's comments, in one statement: by the shown answers' ids, or for a long thread
through the question and its answers' index."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import selectors
from comments.selectors import attach_comments
from core.statements import readable
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory

pytestmark = pytest.mark.django_db


def attached(question, answers):
    with CaptureQueriesContext(connection) as queries:
        attach_comments(question, answers)
    assert len(queries) == 1
    return readable(queries.captured_queries[0]["sql"])


def test_each_post_gets_its_visible_comments_oldest_first(long_threads):
    question = QuestionFactory()
    first, second = AnswerFactory.create_batch(2, question=question)
    now = timezone.now()
    on_question = CommentFactory(question=question, created_at=now)
    later = CommentFactory(question=None, answer=first, created_at=now + timedelta(minutes=2))
    earlier = CommentFactory(question=None, answer=first, created_at=now + timedelta(minutes=1))
    CommentFactory(question=None, answer=first, deleted_at=now)
    CommentFactory(question=None, answer=first, hidden_at=now)
    elsewhere = CommentFactory(question=None, answer=AnswerFactory())
    attached(question, [first, second])
    assert question.visible_comments == [on_question]
    assert first.visible_comments == [earlier, later]
    assert second.visible_comments == []
    assert elsewhere not in first.visible_comments + second.visible_comments
    # The question, the answer and the author come with them: nothing more is read.
    with CaptureQueriesContext(connection) as queries:
        assert earlier.answer is first and on_question.question is question
        assert earlier.author.username and later.author.pk == later.author_id
    assert not queries


@pytest.fixture(params=[False, True], ids=["listed", "long"])
def long_threads(request, monkeypatch):
    """Both readings: the answers' ids listed, and a long thread's (`LISTED_ANSWERS` lowered
    so that a short one reads as long ones do)."""
    if request.param:
        monkeypatch.setattr(selectors, "LISTED_ANSWERS", 1)
    return request.param


def test_comments_of_answers_not_shown_are_left_out(long_threads):
    """A reader who does not see a deleted answer gets none of its comments, on no post."""
    question = QuestionFactory()
    shown, other, hidden_from_them = AnswerFactory.create_batch(3, question=question)
    CommentFactory(question=None, answer=hidden_from_them)
    kept = CommentFactory(question=None, answer=shown)
    on_question = CommentFactory(question=question)
    attached(question, [shown, other])
    assert shown.visible_comments == [kept]
    assert other.visible_comments == []
    assert question.visible_comments == [on_question]


def test_a_long_thread_reads_one_statement_of_one_shape(monkeypatch):
    """Past `LISTED_ANSWERS` no list of answer ids: the same SQL (one prepared statement) for
    any number of answers, which PostgreSQL plans from the answers' question index."""
    monkeypatch.setattr(selectors, "LISTED_ANSWERS", 3)
    sql = []
    for count in (2, 4, 40):
        question = QuestionFactory()
        answers = AnswerFactory.create_batch(count, question=question)
        for answer in answers[::5]:
            CommentFactory(question=None, answer=answer)
        sql.append(re.sub(r"\d+|%s", "N", attached(question, answers)))
        assert sum(len(a.visible_comments) for a in answers) == len(answers[::5])
    assert "IN (N, N" in sql[0]  # listed
    assert sql[1] == sql[2] and "IN (N, N" not in sql[2]
