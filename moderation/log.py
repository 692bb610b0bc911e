"""The moderators' audit log: its one writer, and the receivers that log what the site did by
itself (a post hidden by flags) or what a moderator did through another app (an edit)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from core import permissions, signals

from .models import ModerationAction

if TYPE_CHECKING:
    from accounts.models import User
    from comments.models import Comment
    from core.models import Post

Kind = ModerationAction.Kind


def record_action(
    *,
    actor: User | None,
    action: str,
    target: Post | Comment | User | None = None,
    user: User | None = None,
    reason: str = "",
    details: dict | None = None,
) -> ModerationAction:
    """Write one row of the moderators' audit log and send `signals.moderator_action`.

    The only writer of `ModerationAction`. `target` is the post, comment or member acted on;
    `user` names a member besides a post (the author suspended with it). Runs inside the
    caller's transaction, so the row and the signal's receivers commit with the action.
    """
    entry = ModerationAction(actor=actor, action=action, user=user, reason=reason)
    entry.details = details or {}
    if target is not None:
        field = "user" if isinstance(target, get_user_model()) else target.kind
        setattr(entry, field, target)
    entry.save()
    signals.moderator_action.send(
        sender=ModerationAction,
        action=action,
        actor=actor,
        target=target,
        reason=reason,
        entry=entry,
    )
    return entry


def on_post_revised(sender, post, revision, editor, rolled_back_to, summary, **kwargs) -> None:
    """`post_revised`: an edit or rollback made with moderator powers (someone else's post)
    goes to the audit log with the revision it added."""
    if not permissions.acts_as_moderator(editor, post):
        return
    if rolled_back_to is None:
        details = {"revision": revision.number}
        record_action(actor=editor, action=Kind.EDIT, target=post, reason=summary, details=details)
    else:
        details = {"to": rolled_back_to, "revision": revision.number}
        record_action(
            actor=editor, action=Kind.ROLLBACK, target=post, reason=summary, details=details
        )


def on_hidden_by_flags(sender, target, flags, **kwargs) -> None:
    """`hidden_by_flags`: the site hid a post by itself; the audit log says so."""
    record_action(actor=None, action=Kind.HIDE, target=target, details={"flags": flags})
