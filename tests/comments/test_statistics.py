"""PostgreSQL samples the comments' answer ids finely enough to plan a thread's comment query
(comments/migrations/0002): with the default sample it expected 15 times too many comments
on a 50-answer thread and hashed the whole members table to join their authors."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner"),
]


def test_the_answer_ids_of_comments_are_sampled_finely():
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT attstattarget FROM pg_attribute
               WHERE attrelid = 'questions_comment'::regclass AND attname = 'answer_id'"""
        )
        assert cursor.fetchone()[0] == 2000
