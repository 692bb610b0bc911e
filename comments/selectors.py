"""Reads that join comments onto posts."""

from django.db.models import Prefetch, Q
from django.db.models.expressions import RawSQL

from accounts.models import private_fields
from answers.models import Answer
from core.statements import Statement

from .models import Comment


def _column(model, name: str) -> str:
    return f'"{model._meta.get_field(name).column}"'


# A thread's comments: those on the question or on one of the shown answers, listed by id
# (`question_id = q OR answer_id IN (...)`, an index lookup each: the cheapest plan for the
# threads most readers land on). PostgreSQL guesses two comments per listed answer, and past
# about 128 answers it joined the authors by reading the whole member table (26 ms at 50,000
# members for a 150-answer thread, 21 ms for a 258-answer one, and more as members grow). So a
# thread of more than `LISTED_ANSWERS` answers reads its comments through the question and its
# answers' question index instead (one statement for any size, which PostgreSQL plans from
# that index, joining each author by primary key: 3 ms for the 258-answer thread). For a
# 3-answer thread that form costs PostgreSQL about 0.3 ms more, so it is kept for long ones.
LISTED_ANSWERS = 64
_THREAD_COMMENT_IDS = (
    f"SELECT {_column(Comment, 'id')} FROM {Comment._meta.db_table} "
    f"WHERE {_column(Comment, 'question')} = %s "
    "UNION ALL "
    f"SELECT c.{_column(Comment, 'id')} FROM {Comment._meta.db_table} c "
    f"JOIN {Answer._meta.db_table} a ON a.{_column(Answer, 'id')} = c.{_column(Comment, 'answer')} "
    f"WHERE a.{_column(Answer, 'question')} = %s"
)


def _shown(where: Q | None = None):
    """The visible comments (those matching `where`), oldest first, with their authors."""
    comments = (
        Comment.objects.visible()
        .select_related("author")
        .defer(*private_fields("author"))
        .order_by("created_at", "pk")
    )
    return comments if where is None else comments.filter(where)


def _thread_comments(question_id, answer_ids=None):
    where = Q(question_id=question_id)
    if answer_ids is not None:
        where |= Q(answer_id__in=answer_ids)
    return _shown(where)


def _long_thread_comments(question_id):
    return _shown(Q(pk__in=RawSQL(_THREAD_COMMENT_IDS, (question_id, question_id))))


_THREAD_COMMENTS = Statement(Comment, _thread_comments)
_LONG_THREAD_COMMENTS = Statement(Comment, _long_thread_comments)


def with_comments(posts):
    """Attach `visible_comments` (oldest first, authors joined) to every post: one query."""
    return posts.prefetch_related(Prefetch("comments", _shown(), to_attr="visible_comments"))


def attach_comments(question, answers) -> None:
    """Set `visible_comments` (oldest first, authors joined) on a thread's question and each
    of its answers, from one query for the whole thread (a prefetch per kind of post would
    take two, and Django's prefetch machinery costs more than the rows). For a long thread
    the query reads the comments of every answer to the question; those of answers not in
    `answers` (deleted ones the reader may not see) are left out here."""
    answers_by_pk = {answer.pk: answer for answer in answers}
    if len(answers_by_pk) > LISTED_ANSWERS:
        comments = _LONG_THREAD_COMMENTS.rows(question.pk)
    elif answers_by_pk:
        comments = _THREAD_COMMENTS.rows(question.pk, list(answers_by_pk))
    else:
        comments = _THREAD_COMMENTS.rows(question.pk)
    question.visible_comments = []
    for answer in answers:
        answer.visible_comments = []
    question_field, answer_field = Comment.question.field, Comment.answer.field
    for comment in comments:
        if comment.question_id is not None:
            question_field.set_cached_value(comment, question)
            question.visible_comments.append(comment)
        elif (answer := answers_by_pk.get(comment.answer_id)) is not None:
            answer_field.set_cached_value(comment, answer)
            answer.visible_comments.append(comment)
