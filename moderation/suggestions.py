"""Deciding on suggested edits (`revisions.SuggestedEdit`): approving makes the suggestion a
revision naming the suggester and books their +2; rejecting keeps the reason.

These live here, above both `revisions` and `votes`, because an approval writes to both and
those two are siblings that never import each other (the layers contract).

Lock order, as everywhere: the question row, the answer row, then the suggestion, then members.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import signals
from core.locks import lock_with_question
from questions.models import Question
from revisions import services as revisions
from revisions.models import SuggestedEdit, SuggestionStatus
from votes import reputation

from . import queue

if TYPE_CHECKING:
    from accounts.models import User


class AlreadyReviewed(Exception):
    """Someone else approved or rejected the suggestion first."""


class Outdated(Exception):
    """The post was edited after the suggestion was made: approving it as it stands would
    overwrite that edit. It can still be improved (`improve`) or rejected."""


class NothingChanged(Exception):
    """An improvement that leaves the post as it is: nothing to approve."""


def _lock(suggestion: SuggestedEdit) -> SuggestedEdit:
    """Lock the post (question first), then the suggestion; raise `AlreadyReviewed` unless it
    is still pending."""
    lock_with_question(suggestion.post)
    locked = SuggestedEdit.objects.select_for_update().get(pk=suggestion.pk)
    if not locked.is_pending:
        raise AlreadyReviewed
    return locked


def _finish(suggestion: SuggestedEdit, *, reviewer: User, status: str, reason: str) -> None:
    suggestion.status = status
    suggestion.reviewer = reviewer
    suggestion.reason = reason
    suggestion.reviewed_at = timezone.now()
    suggestion.save(update_fields=["status", "reviewer", "reason", "reviewed_at"])
    queue.complete_suggestion(suggestion)
    signals.suggestion_reviewed.send(sender=SuggestedEdit, suggestion=suggestion)


@transaction.atomic
def approve(*, reviewer: User, suggestion: SuggestedEdit) -> SuggestedEdit:
    """Apply the suggestion through `edit_post` as a revision by the suggester, and give them
    +2 reputation (capped, `votes.reputation.award_suggested_edit`).

    Precondition: `permissions.review_suggestion_refusal(reviewer, suggestion)` is None.
    Raises `AlreadyReviewed` when another reviewer decided first, `Outdated` (nothing written)
    when the post has a revision newer than the one the suggestion was based on.
    """
    suggestion = _lock(suggestion)
    post = type(suggestion.post).objects.get(pk=suggestion.post.pk)  # as locked
    if suggestion.is_outdated(revisions.newest_revision(post)):
        raise Outdated
    changes = {"body": suggestion.body}
    if isinstance(post, Question):
        changes.update(
            title=suggestion.title or post.title,
            tags=suggestion.tags.split() or post.tag_names(),
            category=post.category,
        )
    revisions.edit_post(
        editor=suggestion.suggester, post=post, summary=suggestion.summary, **changes
    )
    _finish(suggestion, reviewer=reviewer, status=SuggestionStatus.APPROVED, reason="")
    reputation.award_suggested_edit(user=suggestion.suggester, post=post)
    return suggestion


@transaction.atomic
def reject(*, reviewer: User, suggestion: SuggestedEdit, reason: str) -> SuggestedEdit:
    """Turn the suggestion down with a reason the suggester reads; the post stays as it is.

    Raises `AlreadyReviewed` when another reviewer decided first."""
    suggestion = _lock(suggestion)
    _finish(suggestion, reviewer=reviewer, status=SuggestionStatus.REJECTED, reason=reason)
    return suggestion


@transaction.atomic
def improve(
    *,
    reviewer: User,
    suggestion: SuggestedEdit,
    body: str,
    title: str | None = None,
    tags: list[str] | None = None,
    category=None,
    summary: str = "",
) -> SuggestedEdit:
    """Approve the suggestion as the reviewer rewrote it (Stack Overflow's "Improve edit"): the
    text the reviewer saves becomes one revision by the reviewer whose summary names the
    suggester, and the suggester gets the approval, their +2 and the notice.

    One revision rather than the suggester's and then the reviewer's: the suggester's text as
    it stood was never published, and when the post was edited after the suggestion (which
    `approve` refuses) writing it as a revision of its own would undo that edit in between.
    The suggestion row keeps the suggester's exact text.

    Precondition: the reviewer may review the suggestion and edit the post. Raises
    `AlreadyReviewed` when another reviewer decided first, `NothingChanged` when the text saved
    is the post's current one.
    """
    suggestion = _lock(suggestion)
    post = type(suggestion.post).objects.get(pk=suggestion.post.pk)  # as locked
    before = revisions.newest_revision(post)
    credit = _("Improved the edit suggested by %(name)s") % {"name": suggestion.suggester}
    revisions.edit_post(
        editor=reviewer,
        post=post,
        body=body,
        title=title,
        tags=tags,
        category=category,
        summary=f"{credit}: {summary}"[:200] if summary else credit,
    )
    if revisions.newest_revision(post) == before:
        raise NothingChanged
    _finish(suggestion, reviewer=reviewer, status=SuggestionStatus.APPROVED, reason="")
    reputation.award_suggested_edit(user=suggestion.suggester, post=post)
    return suggestion
