"""Writes of the notifications app: delivering an event to its recipients, following, reading.

`deliver` is the one door every event goes through. It takes the candidate recipients in order
of precedence (the question's asker before a mentioned member before a follower), keeps the
first reason each member has, never notifies the actor, and skips members who already have a
notification for the event: one notification per member per event.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from core.statements import Statement

from .models import EmailPreferences, Follow, Notification, TagFollow

if TYPE_CHECKING:
    from accounts.models import User
    from answers.models import Answer
    from comments.models import Comment
    from questions.models import Question, Tag

# (recipient id, kind, via_follow): who hears of an event, and why.
Target = tuple[int, str, bool]


def deliver(
    *,
    event: str,
    actor_id: int | None,
    question: Question,
    targets: Iterable[Target],
    answer: Answer | None = None,
    comment: Comment | None = None,
    action: str = "",
    reason: str = "",
) -> list[Notification]:
    """Create the inbox items for one event and queue their emails once the transaction
    commits. Returns the notifications created."""
    chosen: dict[int, tuple[str, bool]] = {}
    for user_id, kind, via_follow in targets:
        if user_id and user_id != actor_id and user_id not in chosen:
            chosen[user_id] = (kind, via_follow)
    if not chosen:
        return []
    already = set(
        Notification.objects.filter(event=event, recipient_id__in=chosen).values_list(
            "recipient_id", flat=True
        )
    )
    created = Notification.objects.bulk_create(
        Notification(
            recipient_id=user_id,
            actor_id=actor_id,
            kind=kind,
            via_follow=via_follow,
            question=question,
            answer=answer,
            comment=comment,
            action=action[:40],
            reason=reason[:300],
            event=event,
        )
        for user_id, (kind, via_follow) in chosen.items()
        if user_id not in already
    )
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: _queue_emails(ids))
    return created


def _queue_emails(ids: list[int]) -> None:
    from .tasks import send_notification_emails

    send_notification_emails.enqueue(ids)


def follower_ids(question: Question) -> list[int]:
    return list(Follow.objects.filter(question=question).values_list("user_id", flat=True))


def follow(*, user: User, question: Question) -> None:
    Follow.objects.get_or_create(user=user, question=question)


def unfollow(*, user: User, question: Question) -> None:
    Follow.objects.filter(user=user, question=question).delete()


# Compiled once per process (core.statements): the thread page asks for every member.
_FOLLOWS = Statement(
    Follow,
    lambda user_id, question_id: Follow.objects.filter(user_id=user_id, question_id=question_id),
)


def is_following(user: User, question: Question) -> bool:
    if not user.is_authenticated:
        return False
    return _FOLLOWS.count(user.pk, question.pk) > 0


def tag_follower_ids(question: Question) -> list[int]:
    """Members following any of the question's tags, each once."""
    return list(
        TagFollow.objects.filter(tag__in=question.tags.all())
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


def follow_tag(*, user: User, tag: Tag) -> None:
    TagFollow.objects.get_or_create(user=user, tag=tag)


def unfollow_tag(*, user: User, tag: Tag) -> None:
    TagFollow.objects.filter(user=user, tag=tag).delete()


def is_following_tag(user: User, tag: Tag) -> bool:
    if not user.is_authenticated:
        return False
    return TagFollow.objects.filter(user=user, tag=tag).exists()


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notifications read (only those in `ids` when given); returns how
    many changed."""
    unread = Notification.objects.unread().filter(recipient=user)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def thread_of(target) -> tuple[Question, Answer | None, Comment | None] | None:
    """(question, answer, comment) that a moderated question, answer or comment belongs to;
    None for anything else (a member, a flag...)."""
    from answers.models import Answer
    from comments.models import Comment
    from questions.models import Question

    if isinstance(target, Question):
        return target, None, None
    if isinstance(target, Answer):
        return target.question, target, None
    if isinstance(target, Comment):
        answer = target.answer
        return (answer.question if answer else target.question), answer, target
    return None


def remember_language(*, user: User, language: str) -> None:
    """Write the member's emails in `language` from now on (ignored unless it is one of the
    site's languages)."""
    if EmailPreferences.language_of(language):
        EmailPreferences.objects.update_or_create(user=user, defaults={"language": language})
