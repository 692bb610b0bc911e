"""Turns the thread's signals (`core.signals`) into inbox items; connected in
`NotificationsConfig.ready()`. Each receiver runs inside the sender's transaction."""

from uuid import uuid4

from django.db import transaction

from accounts.models import User
from answers.models import Answer
from questions.models import Question

from . import services
from .mentions import mentioned_user_ids
from .models import Kind

# Decisions on the flags (the moderation log's kinds), not on the post: nothing to tell its
# author; the post's own fate (deleted, hidden) is an action of its own.
QUIET_ACTIONS = {"flags-dismissed", "flags-helpful"}
SUSPENSIONS = {"suspend", "delete-spammer"}


def _mentions(text: str) -> list[services.Target]:
    return [(user_id, Kind.MENTION, False) for user_id in mentioned_user_ids(text)]


def _followers(question: Question, kind: str) -> list[services.Target]:
    return [(user_id, kind, True) for user_id in services.follower_ids(question)]


def on_signed_up(sender, request, user, **kwargs):
    """A new member's emails come in the language they signed up in."""
    services.remember_language(user=user, language=getattr(request, "LANGUAGE_CODE", ""))


def on_post_created(sender, post, **kwargs):
    """The asker follows their question, an answerer the question they answered; the asker
    hears of a new answer, mentioned members of the post, followers of the answer. Followers
    of a new question's tags hear of it (after mentioned members: one notification each)."""
    if isinstance(post, Question):
        services.follow(user=post.author, question=post)
        tag_followers = [
            (user_id, Kind.TAG_QUESTION, False) for user_id in services.tag_follower_ids(post)
        ]
        services.deliver(
            event=f"question:{post.pk}",
            actor_id=post.author_id,
            question=post,
            targets=[*_mentions(post.body), *tag_followers],
        )
        return
    question = post.question
    targets = [
        (question.author_id, Kind.ANSWER, False),
        *_mentions(post.body),
        *_followers(question, Kind.ANSWER),
    ]
    services.deliver(
        event=f"answer:{post.pk}",
        actor_id=post.author_id,
        question=question,
        answer=post,
        targets=targets,
    )
    services.follow(user=post.author, question=question)


def on_comment_added(sender, comment, post, **kwargs):
    """The post's author, then mentioned members, then the question's followers."""
    answer = post if isinstance(post, Answer) else None
    question = answer.question if answer else post
    targets = [
        (post.author_id, Kind.COMMENT, False),
        *_mentions(comment.body),
        *_followers(question, Kind.COMMENT),
    ]
    services.deliver(
        event=f"comment:{comment.pk}",
        actor_id=comment.author_id,
        question=question,
        answer=answer,
        comment=comment,
        targets=targets,
    )


def on_answer_accepted(sender, answer, **kwargs):
    """The answer's author, then the question's followers. Accepting the same answer again
    after taking the mark back is the same event: nobody hears of it twice."""
    question = answer.question
    targets = [(answer.author_id, Kind.ACCEPTED, False), *_followers(question, Kind.ACCEPTED)]
    services.deliver(
        event=f"accepted:{answer.pk}",
        actor_id=question.author_id,
        question=question,
        answer=answer,
        targets=targets,
    )


def on_moderator_action(sender, action, actor, target, reason="", **kwargs):
    """The author of the moderated question, answer or comment. A suspended member (suspend,
    delete spammer) gets an email with the reason and the end, after the commit. Decisions on
    flags alone reach nobody's inbox. `actor` is None when the site acted by itself (a post
    hidden by flags)."""
    if str(action) in SUSPENSIONS and isinstance(target, User):
        from .tasks import send_suspension_email

        user_id = target.pk
        transaction.on_commit(lambda: send_suspension_email.enqueue(user_id))
        return
    thread = services.thread_of(target)
    if thread is None or str(action) in QUIET_ACTIONS:
        return
    question, answer, comment = thread
    services.deliver(
        event=f"moderation:{uuid4().hex}",
        actor_id=getattr(actor, "pk", None),
        question=question,
        answer=answer,
        comment=comment,
        targets=[(target.author_id, Kind.MODERATION, False)],
        action=str(action),
        reason=str(reason or ""),
    )


def on_suggestion_reviewed(sender, suggestion, **kwargs):
    """The suggester hears whether their edit was approved or rejected (and why)."""
    post = suggestion.post
    answer = post if isinstance(post, Answer) else None
    services.deliver(
        event=f"suggestion:{suggestion.pk}",
        actor_id=suggestion.reviewer_id,
        question=answer.question if answer else post,
        answer=answer,
        targets=[(suggestion.suggester_id, Kind.SUGGESTED_EDIT, False)],
        action=str(suggestion.status),
        reason=suggestion.reason,
    )
