"""Flags: members queue posts and comments for moderators; enough spam or rude flags hide
the target until a moderator decides (`moderation.services.handle_flags`).

Lock order: the question row, then the answer row, then a comment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from comments.models import Comment
from core import signals
from core.locks import lock_post
from questions.models import Question
from search import index as search_index

from .models import Flag, FlagReason, FlagStatus

if TYPE_CHECKING:
    from accounts.models import User
    from core.models import Post

# Reasons that count towards hiding a post before a moderator has looked at it.
HIDING_REASONS = [FlagReason.SPAM, FlagReason.RUDE]


def lock_target(target: Post | Comment) -> Post | Comment:
    """Lock what a flag can point at, in the lock order above: an answer's question row before
    the answer, a comment's post before the comment. Returns the target as locked."""
    if isinstance(target, Comment):
        post = lock_target(target.post)
        comment = Comment.objects.select_for_update().get(pk=target.pk)
        if comment.question_id:
            comment.question = post
        else:
            comment.answer = post
        return comment
    if not isinstance(target, Question):
        Question.objects.select_for_update().filter(pk=target.question_id).values_list("pk").get()
    return lock_post(target)


def _count_visible(target: Post | Comment, delta: int) -> None:
    """Add `delta` to the counter that `target` counts in: answers on their question, comments
    on their post. Questions are counted nowhere."""
    if isinstance(target, Comment):
        post = target.post
        type(post).objects.filter(pk=post.pk).update(
            comment_count=Greatest(F("comment_count") + delta, Value(0))
        )
    elif not isinstance(target, Question):
        Question.objects.filter(pk=target.question_id).update(
            answer_count=Greatest(F("answer_count") + delta, Value(0))
        )


def set_hidden(target: Post | Comment, hidden: bool) -> bool:
    """Hide or show a post or comment (the caller holds its lock: `lock_target`) and keep the
    counters right: a hidden answer or comment is not counted, like a deleted one. Returns
    whether anything changed."""
    if target.is_hidden == hidden:
        return False
    target.hidden_at = timezone.now() if hidden else None
    target.save(update_fields=["hidden_at"])
    if not target.is_deleted:
        _count_visible(target, -1 if hidden else 1)
    if not isinstance(target, Comment):
        search_index.index_post(target)  # hidden posts leave search, like deleted ones
    return True


def flags_to_hide(target: Post | Comment) -> bool:
    """Whether enough members have open spam or rude flags on `target` to hide it."""
    flaggers = (
        target.flags.filter(status=FlagStatus.OPEN, reason__in=HIDING_REASONS)
        .values("flagger")
        .distinct()
        .count()
    )
    return flaggers >= settings.JOKESITE_FLAGS_TO_HIDE


@transaction.atomic
def flag_post(*, flagger: User, post: Post | Comment, reason: str, details: str = "") -> Flag:
    """Queue a post or a comment for moderators. A second flag by the same member while the
    first is open updates that one instead of adding another.

    Once `JOKESITE_FLAGS_TO_HIDE` members have open spam or rude flags on it, it is hidden
    until a moderator decides (`moderation.handle_flags`); the audit log says so.
    """
    target = lock_target(post)
    flag, _ = target.flags.update_or_create(
        flagger=flagger,
        status=FlagStatus.OPEN,
        defaults={"reason": reason, "details": details},
    )
    signals.post_flagged.send(sender=Flag, flag=flag, target=target)
    if not target.is_hidden and not target.is_deleted and flags_to_hide(target):
        set_hidden(target, True)
        signals.hidden_by_flags.send(
            sender=Flag,
            target=target,
            flags=target.flags.filter(status=FlagStatus.OPEN).count(),
        )
    return flag
