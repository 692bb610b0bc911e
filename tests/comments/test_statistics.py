"""PostgreSQL is told the ratio of distinct answers to comments (comments/migrations/0003), so
it plans a thread's comment query right and fast: with the default sample alone it expected
15 times too many comments on a 50-answer thread and hashed the whole members table to join
their authors; with 0002's finer sample it planned right but spent 1 ms comparing the thread's
answer ids with 2,000 most common values."""

import pytest
from django.db import connection

from tests.factories import AnswerFactory, CommentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


def column(cursor, what: str):
    cursor.execute(
        f"""SELECT {what} FROM pg_attribute
            WHERE attrelid = 'questions_comment'::regclass AND attname = 'answer_id'"""
    )
    return cursor.fetchone()[0]


def test_the_ratio_is_declared_and_the_sample_is_the_default():
    with connection.cursor() as cursor:
        assert "n_distinct=-0.4" in column(cursor, "attoptions")
        assert column(cursor, "attstattarget") in (-1, None)  # None from PostgreSQL 17


def test_analyze_keeps_the_declared_ratio():
    for answer in AnswerFactory.create_batch(3):
        CommentFactory.create_batch(2, question=None, answer=answer)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE questions_comment")
        cursor.execute(
            """SELECT n_distinct FROM pg_stats
               WHERE tablename = 'questions_comment' AND attname = 'answer_id'"""
        )
        assert cursor.fetchone()[0] == pytest.approx(-0.4)
