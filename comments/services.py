"""Comments: adding them, and taking them away and back (the post's counter follows).

Lock order: the post row first, then the comment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from core import signals
from core.locks import lock_post
from pagecache import versions as page_versions

from .models import Comment

if TYPE_CHECKING:
    from accounts.models import User
    from core.models import Post


@page_versions.in_thread(lambda post, **_: page_versions.thread_of(post))
@transaction.atomic
def add_comment(*, author: User, post: Post, body: str) -> Comment:
    post = lock_post(post)
    comment = post.comments.create(author=author, body=body)
    type(post).objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    signals.comment_added.send(sender=Comment, comment=comment, post=post)
    return comment


@page_versions.in_thread(lambda comment, **_: page_versions.thread_of(comment.post))
@transaction.atomic
def delete_comment(*, comment: Comment) -> Comment:
    """Soft-delete a comment and stop counting it on its post.

    Locks the post row first (the lock order above), then the comment, so concurrent comment
    writes on one post are counted in turn. The counter never drops below 0.
    """
    post = lock_post(comment.post)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted_at is not None:
        return comment
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    if not comment.is_hidden:  # a hidden comment is not counted already
        type(post).objects.filter(pk=post.pk).update(
            comment_count=Greatest(F("comment_count") - 1, Value(0))
        )
    return comment


@page_versions.in_thread(lambda comment, **_: page_versions.thread_of(comment.post))
@transaction.atomic
def restore_comment(*, comment: Comment) -> Comment:
    """Undo a soft delete and count the comment on its post again (same locks as above)."""
    post = lock_post(comment.post)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted_at is None:
        return comment
    comment.deleted_at = None
    comment.save(update_fields=["deleted_at"])
    if not comment.is_hidden:
        type(post).objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    return comment
