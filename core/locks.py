"""Row locks for writes to posts, always taken in one order to stay free of deadlocks: the
question row, then the answer row, then members (`votes.reputation.lock_users`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Post


def lock_post(post: Post) -> Post:
    """Lock the post's row and return it as it is now."""
    return type(post).objects.select_for_update().get(pk=post.pk)


def lock_with_question(post: Post) -> Post:
    """Lock an answer's question row and then the answer row (the lock order above), for
    writes that change both; a question is locked alone. Taking the answer first deadlocks
    against `accept_answer` and `post_answer`, which lock the question first."""
    if post.kind == "answer":
        question_model = type(post).question.field.related_model
        question_model.objects.select_for_update().filter(pk=post.question_id).values_list(
            "pk"
        ).get()
    return lock_post(post)
