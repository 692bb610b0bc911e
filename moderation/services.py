"""What moderators do, on the site and in the admin: decide on flags, delete and undelete,
close and reopen, lock and unlock, edit and roll back others' posts, suspend members and
delete spammers.

Each function is one transaction that makes the change through `services` (so counters and
reputation stay right) and writes one row of the audit log through `record_action`,
which sends `signals.moderator_action`. They trust the caller's permission checks
(`permissions.can_moderate`, `can_suspend`) and never see `request`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from answers.models import Answer
from comments import services as comment_services
from comments.models import Comment
from core import permissions
from core.locks import lock_with_question
from flags.models import Flag, FlagReason, FlagStatus
from flags.services import lock_target, set_hidden
from questions.models import CloseReason, Question
from revisions import services as revision_services
from revisions.models import Revision
from search import index as search_index
from votes import reputation
from votes import services as vote_services
from votes.models import ReputationReason

from . import queue
from .log import record_action
from .models import CloseVote, ModerationAction

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from core.models import Post

Kind = ModerationAction.Kind


class FlagDecision(models.TextChoices):
    DISMISS = "dismiss", gettext_lazy("Dismiss the flags")
    HELPFUL = "helpful", gettext_lazy("Mark the flags helpful")
    DELETE = "delete", gettext_lazy("Delete and resolve")
    DELETE_AND_SUSPEND = "delete-and-suspend", gettext_lazy("Delete, suspend and resolve")


@dataclass
class FlagOutcome:
    """What `handle_flags` did: targets decided, flags closed, targets deleted, members
    suspended. Targets another moderator had decided already count nowhere."""

    targets: int = 0
    flags: int = 0
    deleted: int = 0
    suspended: int = 0


@dataclass
class SpammerCleanup:
    questions: int = 0
    answers: int = 0
    comments: int = 0
    votes: int = 0
    flags_resolved: int = 0
    flags_declined: int = 0


def _label(reason: str) -> str:
    return str(FlagReason(reason).label)


# --- flags -------------------------------------------------------------------------------


def _settle(target: Post | Comment, *, moderator: User, status: str) -> list[Flag]:
    """Close every open flag on `target` (the caller holds its lock) with `status`. Returns the
    flags closed, locked first so that a second moderator deciding at the same moment finds
    none."""
    flags = list(target.flags.select_for_update().filter(status=FlagStatus.OPEN).order_by("pk"))
    if flags:
        Flag.objects.filter(pk__in=[flag.pk for flag in flags]).update(
            status=status, handled_by=moderator, handled_at=timezone.now()
        )
        if not isinstance(target, Comment):
            queue.sync_flags(target)
    return flags


def _targets(flags: Iterable[Flag]) -> list[Post | Comment]:
    """The distinct targets of `flags`, in lock order: questions, answers, comments, by id."""
    rows = Flag.objects.filter(pk__in=[flag.pk for flag in flags]).values_list(
        "question_id", "answer_id", "comment_id"
    )
    ids: tuple[set, set, set] = (set(), set(), set())
    for row in rows:
        for found, pk in zip(ids, row, strict=True):
            if pk:
                found.add(pk)
    questions = Question.objects.filter(pk__in=ids[0]).order_by("pk")
    answers = Answer.objects.filter(pk__in=ids[1]).order_by("pk")
    comments = Comment.objects.filter(pk__in=ids[2]).order_by("pk")
    return [*questions, *answers, *comments]


@transaction.atomic
def handle_flags(
    *,
    moderator: User,
    flags: Iterable[Flag],
    decision: str,
    days: int | None = None,
    reason: str = "",
) -> FlagOutcome:
    """Decide on what `flags` point at. A decision covers every open flag on a target, not
    only the ones given:

    - dismiss: the flags are declined and a hidden target is shown again;
    - helpful: the flags are resolved, the target stays (shown again if hidden);
    - delete: the target is soft-deleted and its flags resolved;
    - delete-and-suspend: as delete, and each author is suspended for `days`
      (`JOKESITE_SUSPENSION_DAYS` by default), once, when `permissions.can_suspend` allows.

    Locks each target, then its open flags: two moderators deciding on one flag at once
    decide it once; the second finds it closed and counts nothing. `reason` goes to the audit
    log (and to a suspension); by default it names the flags' reasons.
    """
    outcome = FlagOutcome()
    deleting = decision in (FlagDecision.DELETE, FlagDecision.DELETE_AND_SUSPEND)
    authors = {}
    for target in _targets(flags):
        target = lock_target(target)
        status = FlagStatus.DECLINED if decision == FlagDecision.DISMISS else FlagStatus.HELPFUL
        settled = _settle(target, moderator=moderator, status=status)
        if not settled:
            continue  # decided by another moderator meanwhile
        outcome.targets += 1
        outcome.flags += len(settled)
        why = reason or ", ".join(sorted({_label(flag.reason) for flag in settled}))
        details = {"flags": [flag.pk for flag in settled], "decision": str(decision)}
        if deleting:
            _delete(target, moderator=moderator, reason=why, details=details)
            outcome.deleted += 1
            if decision == FlagDecision.DELETE_AND_SUSPEND:
                authors.setdefault(target.author_id, why)
        else:
            if set_hidden(target, False) and not isinstance(target, Comment):
                queue.shown_again(target)
            action = Kind.FLAGS_DISMISSED if status == FlagStatus.DECLINED else Kind.FLAGS_HELPFUL
            record_action(
                actor=moderator, action=action, target=target, reason=why, details=details
            )
    days = days or settings.JOKESITE_SUSPENSION_DAYS
    for author in get_user_model().objects.filter(pk__in=authors).order_by("pk"):
        if permissions.can_suspend(moderator, author):
            suspend_user(moderator=moderator, user=author, days=days, reason=authors[author.pk])
            outcome.suspended += 1
    return outcome


# --- posts and comments --------------------------------------------------------------------


def _delete(target: Post | Comment, *, moderator: User, reason: str, details: dict) -> None:
    """Soft-delete a locked target and log it; its hidden state ends with the decision."""
    if isinstance(target, Comment):
        target = comment_services.delete_comment(comment=target)
    else:
        target = delete_post(actor=moderator, post=target)
    set_hidden(target, False)  # deleted: no counter moves
    record_action(
        actor=moderator, action=Kind.DELETE, target=target, reason=reason, details=details
    )


@transaction.atomic
def soft_delete(*, moderator: User, target: Post | Comment, reason: str = "") -> bool:
    """Soft-delete a post or comment, resolving its open flags (they were right). Returns
    False when it was deleted already."""
    target = lock_target(target)
    if target.is_deleted:
        return False
    settled = _settle(target, moderator=moderator, status=FlagStatus.HELPFUL)
    details = {"flags": [flag.pk for flag in settled]} if settled else {}
    _delete(target, moderator=moderator, reason=reason, details=details)
    return True


@transaction.atomic
def undelete(*, moderator: User, target: Post | Comment, reason: str = "") -> bool:
    """Undo a soft delete. Returns False when it was not deleted."""
    target = lock_target(target)
    if not target.is_deleted:
        return False
    if isinstance(target, Comment):
        comment_services.restore_comment(comment=target)
    else:
        restore_post(post=target)
    record_action(actor=moderator, action=Kind.UNDELETE, target=target, reason=reason)
    return True


def edit_post(*, moderator: User, post: Post, **changes) -> Post:
    """`revision_services.edit_post` by a moderator; when it adds a revision of someone else's
    post, `on_post_revised` logs it. Returns the post as saved."""
    return revision_services.edit_post(editor=moderator, post=post, **changes)


def rollback_post(*, moderator: User, post: Post, number: int) -> bool:
    """`revision_services.rollback_post` by a moderator (logged like an edit); whether it
    changed anything."""
    return revision_services.rollback_post(editor=moderator, post=post, number=number) is not None


def _end_round(question: Question, now) -> list[int]:
    """Expire the active close or reopen votes on a (locked) question; returns the voters."""
    votes = CloseVote.objects.active().filter(question=question)
    voters = list(votes.order_by("created_at", "pk").values_list("voter_id", flat=True))
    votes.update(expired_at=now)
    queue.sync_votes(question)
    return voters


@transaction.atomic
def close_question(
    *,
    moderator: User | None,
    question: Question,
    reason: str,
    duplicate_of: Question | None = None,
    note: str = "",
) -> bool:
    """Close a question with a `CloseReason`; `duplicate_of` only for duplicates. A closed
    question takes no new answers. `moderator` None: closed by members' votes
    (`close_votes.cast_close_vote`); the audit row then has no moderator, as a post hidden by
    flags, and names the voters. Either way the round of close votes ends. Returns False when
    it was closed already."""
    question = lock_target(question)
    if question.is_closed:
        return False
    now = timezone.now()
    question.closed_at = now
    question.closed_by = moderator
    question.close_reason = reason
    question.duplicate_of = duplicate_of if reason == CloseReason.DUPLICATE else None
    question.save(update_fields=["closed_at", "closed_by", "close_reason", "duplicate_of"])
    details = {"close_reason": str(reason)}
    if question.duplicate_of:
        details["duplicate_of"] = question.duplicate_of.pk
    voters = _end_round(question, now)
    if moderator is None:
        details["voters"] = voters
    record_action(actor=moderator, action=Kind.CLOSE, target=question, reason=note, details=details)
    return True


@transaction.atomic
def reopen_question(*, moderator: User | None, question: Question, note: str = "") -> bool:
    """Reopen a closed question (`moderator` None: by members' votes, as for closing); the
    round of reopen votes ends. Returns False when it was open."""
    question = lock_target(question)
    if not question.is_closed:
        return False
    details = {"close_reason": question.close_reason}
    question.closed_at = question.closed_by = question.duplicate_of = None
    question.close_reason = ""
    question.save(update_fields=["closed_at", "closed_by", "close_reason", "duplicate_of"])
    voters = _end_round(question, timezone.now())
    if moderator is None:
        details["voters"] = voters
    record_action(
        actor=moderator, action=Kind.REOPEN, target=question, reason=note, details=details
    )
    return True


@transaction.atomic
def set_locked(*, moderator: User, post: Post, locked: bool, note: str = "") -> bool:
    """Lock a post (no edits but a moderator's, no votes, comments or new answers) or unlock
    it. Returns False when it was in that state already."""
    post = lock_target(post)
    if post.is_locked == locked:
        return False
    post.locked_at = timezone.now() if locked else None
    post.locked_by = moderator if locked else None
    post.save(update_fields=["locked_at", "locked_by"])
    action = Kind.LOCK if locked else Kind.UNLOCK
    record_action(actor=moderator, action=action, target=post, reason=note)
    return True


# --- members -------------------------------------------------------------------------------


def _lock_user(user: User) -> User:
    return get_user_model().objects.select_for_update().get(pk=user.pk)


def _suspend(user: User, *, days: int | None, reason: str) -> None:
    """Suspend a locked user row for `days` (None: until lifted). A suspension already
    running keeps its start and its end when that is later."""
    now = timezone.now()
    until = now + timedelta(days=days) if days else None
    if user.is_suspended:
        if user.suspended_until is None or (until and user.suspended_until > until):
            until = user.suspended_until
    else:
        user.suspended_at = now
    user.suspended_until = until
    user.suspension_reason = reason[:500]
    user.save(update_fields=["suspended_at", "suspended_until", "suspension_reason"])


@transaction.atomic
def suspend_user(*, moderator: User, user: User, days: int | None, reason: str) -> User:
    """Suspend a member: they read but cannot write until the end date (`days` None: until a
    moderator lifts it). Every write rule in `permissions` checks `is_suspended`."""
    user = _lock_user(user)
    _suspend(user, days=days, reason=reason)
    until = user.suspended_until.isoformat() if user.suspended_until else None
    record_action(
        actor=moderator,
        action=Kind.SUSPEND,
        target=user,
        reason=reason,
        details={"days": days, "until": until},
    )
    return user


@transaction.atomic
def lift_suspension(*, moderator: User, user: User, reason: str = "") -> bool:
    """End a member's suspension now. Returns False when they were not suspended."""
    user = _lock_user(user)
    if not user.is_suspended:
        return False
    user.suspended_at = user.suspended_until = None
    user.suspension_reason = ""
    user.save(update_fields=["suspended_at", "suspended_until", "suspension_reason"])
    record_action(actor=moderator, action=Kind.UNSUSPEND, target=user, reason=reason)
    return True


def invalidate_votes(user: User) -> int:
    """Remove every vote `user` has cast, with the reputation each gave or took, and return
    how many there were (`vote_services.invalidate_votes`, booked in the reputation ledger)."""
    return vote_services.invalidate_votes(voter=user)


@transaction.atomic
def delete_spammer(*, moderator: User, user: User, reason: str = "") -> SpammerCleanup:
    """All in one transaction: suspend `user` until lifted, soft-delete every question,
    answer and comment of theirs (counters kept right by the services), retract their votes
    (reputation given or taken restored), resolve the open flags on their posts and decline
    the ones they raised. One audit row, `delete-spammer`, with the counts.
    """
    reason = reason or _("Spam")
    cleanup = SpammerCleanup()
    for question in user.questions.filter(deleted_at__isnull=True).order_by("pk"):
        delete_post(actor=moderator, post=question)
        cleanup.questions += 1
    for answer in user.answers.filter(deleted_at__isnull=True).order_by("question_id", "pk"):
        delete_post(actor=moderator, post=answer)
        cleanup.answers += 1
    for comment in user.comments.filter(deleted_at__isnull=True).order_by("pk"):
        comment_services.delete_comment(comment=comment)
        cleanup.comments += 1
    # Everything is deleted now: ending the hidden state moves no counter.
    for related in (user.questions, user.answers, user.comments):
        related.filter(hidden_at__isnull=False).update(hidden_at=None)
    cleanup.votes = invalidate_votes(user)
    now = timezone.now()
    handled = {"handled_by": moderator, "handled_at": now}
    open_flags = Flag.objects.filter(status=FlagStatus.OPEN)
    on_theirs = Q(question__author=user) | Q(answer__author=user) | Q(comment__author=user)
    cleanup.flags_resolved = open_flags.filter(on_theirs).update(
        status=FlagStatus.HELPFUL, **handled
    )
    theirs = open_flags.filter(flagger=user)
    flagged = [flag.target for flag in theirs.select_related("question", "answer", "comment")]
    cleanup.flags_declined = theirs.update(status=FlagStatus.DECLINED, **handled)
    for post in flagged:
        if not isinstance(post, Comment):
            queue.sync_flags(post)
    # The user row last: the lock order is posts, then users (`cast_vote` above too).
    user = _lock_user(user)
    _suspend(user, days=None, reason=reason)
    record_action(
        actor=moderator,
        action=Kind.DELETE_SPAMMER,
        target=user,
        reason=reason,
        details=asdict(cleanup),
    )
    return cleanup


@transaction.atomic
def delete_post(*, actor: User, post: Post) -> Post:
    """Soft-delete a post. Its votes stop counting for its author and its downvoters (see
    `votes.reputation`); a deleted answer stops counting and loses its accepted mark."""
    post = lock_with_question(post)
    if post.is_deleted:
        return post
    change = reputation.Change.for_votes(
        post.votes.all(), post=post, reason=ReputationReason.POST_DELETED
    )
    if not isinstance(post, Question) and post.is_accepted:
        asker_id = Question.objects.values_list("author_id", flat=True).get(pk=post.question_id)
        change.include_accept(post, asker_id=asker_id, reason=ReputationReason.UNACCEPTED)
    with reputation.booking(change):
        post.deleted_at = timezone.now()
        post.deleted_by = actor
        fields = ["deleted_at", "deleted_by"]
        if not isinstance(post, Question):
            if not post.is_hidden:  # a hidden answer is not counted already
                Question.objects.filter(pk=post.question_id).update(
                    answer_count=F("answer_count") - 1
                )
            if post.is_accepted:
                post.is_accepted = False
                post.accepted_at = None
                fields += ["is_accepted", "accepted_at"]
        post.save(update_fields=fields)
    if isinstance(post, Question):
        post.tags.all().recount()
    search_index.index_post(post)
    queue.post_gone(post)
    return post


@transaction.atomic
def restore_post(*, post: Post) -> Post:
    """Undo a soft delete: the post's votes count again (an answer's accepted mark, lost on
    deletion, does not come back)."""
    post = lock_with_question(post)
    if not post.is_deleted:
        return post
    change = reputation.Change.for_votes(
        post.votes.all(), post=post, reason=ReputationReason.POST_RESTORED
    )
    with reputation.booking(change):
        post.deleted_at = None
        post.deleted_by = None
        post.save(update_fields=["deleted_at", "deleted_by"])
    if not isinstance(post, Question) and not post.is_hidden:
        Question.objects.filter(pk=post.question_id).update(answer_count=F("answer_count") + 1)
    if isinstance(post, Question):
        post.tags.all().recount()
    search_index.index_post(post)
    if not post.is_hidden:
        queue.shown_again(post)
    return post


# --- revisions -----------------------------------------------------------------------------


@transaction.atomic
def redact_revision(*, moderator: User, revision: Revision, reason: str = "") -> bool:
    """Hide a revision's text from the public history (moderators still read it) and log it.
    Returns False when it was redacted already."""
    done = Revision.objects.filter(pk=revision.pk, redacted_at__isnull=True).update(
        redacted_at=timezone.now(), redacted_by=moderator
    )
    if done:
        record_action(
            actor=moderator,
            action=Kind.REDACT,
            target=revision.post,
            reason=reason,
            details={"revision": revision.number},
        )
    return bool(done)
