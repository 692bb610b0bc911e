"""Reads that join comments onto posts."""

from django.db.models import Prefetch, Q

from core.statements import Statement

from .models import Comment


def _thread_comments(question_id, answer_ids=None):
    where = Q(question_id=question_id)
    if answer_ids is not None:
        where |= Q(answer_id__in=answer_ids)
    return (
        Comment.objects.visible()
        .filter(where)
        .select_related("author")
        .order_by("created_at", "pk")
    )


_THREAD_COMMENTS = Statement(Comment, _thread_comments)


def with_comments(posts):
    """Attach `visible_comments` (oldest first, authors joined) to every post: one query."""
    comments = Comment.objects.visible().select_related("author").order_by("created_at", "pk")
    return posts.prefetch_related(Prefetch("comments", comments, to_attr="visible_comments"))


def attach_comments(question, answers) -> None:
    """Set `visible_comments` (oldest first, authors joined) on a thread's question and each
    of its answers, from one query for the whole thread (a prefetch per kind of post would
    take two, and Django's prefetch machinery costs more than the rows)."""
    answers_by_pk = {answer.pk: answer for answer in answers}
    if answers_by_pk:
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
        else:
            answer = answers_by_pk[comment.answer_id]
            answer_field.set_cached_value(comment, answer)
            answer.visible_comments.append(comment)
