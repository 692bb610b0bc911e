"""The moderators' audit log and the members' close and reopen votes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from comments.models import Comment
from questions.models import CloseReason, Question


class CloseVoteKind(models.TextChoices):
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")


class CloseVoteQuerySet(models.QuerySet):
    def active(self):
        """Votes of the current round: a close or reopen ends the round and expires them."""
        return self.filter(expired_at__isnull=True)


class CloseVote(models.Model):
    """A member's vote to close an open question, or to reopen a closed one.

    One active vote per member and question (a question is either open or closed, so the
    active votes are all of one kind); closing or reopening it, by votes or by a moderator,
    sets `expired_at` on the round's votes, and the next round starts empty.
    """

    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="close_votes",
        verbose_name=_("voter"),
    )
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="close_votes", verbose_name=_("question")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=CloseVoteKind)
    reason = models.CharField(_("close reason"), max_length=20, choices=CloseReason, blank=True)
    duplicate_of = models.ForeignKey(
        Question,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("duplicate of"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    expired_at = models.DateTimeField(_("expired"), null=True, blank=True)

    objects = CloseVoteQuerySet.as_manager()

    class Meta:
        db_table = "questions_closevote"  # made by `questions`; the table kept its name
        verbose_name = _("close vote")
        verbose_name_plural = _("close votes")
        constraints = [
            models.UniqueConstraint(
                fields=["voter", "question"],
                condition=Q(expired_at__isnull=True),
                name="one_active_close_vote",
            ),
            models.CheckConstraint(
                condition=Q(kind="reopen", reason="") | Q(kind="close") & ~Q(reason=""),
                name="close_vote_reason_iff_close",
            ),
        ]
        indexes = [models.Index(fields=["question", "expired_at"], name="close_vote_round_idx")]

    def __str__(self):
        return f"{self.voter}: {self.get_kind_display()} {self.question_id}"


class ModerationAction(models.Model):
    """The audit log: one row per moderator action, on the site or in the admin.

    Written by `moderation.services.record_action` alone, which also sends the
    `core.signals.moderator_action` signal. The targets are nullable and kept on delete, so
    a row outlives what it names; `details` holds what the columns cannot (counts, dates, the
    fields an admin edit changed, the model of a tag or category).
    """

    class Kind(models.TextChoices):
        HIDE = "hide", _("Hidden by flags")
        FLAGS_DISMISSED = "flags-dismissed", _("Flags dismissed")
        FLAGS_HELPFUL = "flags-helpful", _("Flags marked helpful")
        DELETE = "delete", _("Deleted")
        UNDELETE = "undelete", _("Undeleted")
        EDIT = "edit", _("Edited")
        ROLLBACK = "rollback", _("Rolled back")
        CLOSE = "close", _("Closed")
        REOPEN = "reopen", _("Reopened")
        LOCK = "lock", _("Locked")
        UNLOCK = "unlock", _("Unlocked")
        SUSPEND = "suspend", _("Suspended")
        UNSUSPEND = "unsuspend", _("Suspension lifted")
        DELETE_SPAMMER = "delete-spammer", _("Spammer deleted")
        MERGE_TAGS = "merge-tags", _("Tags merged")

    # Null for what the site does by itself (a post hidden by flags).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderation_actions",
        verbose_name=_("moderator"),
    )
    action = models.CharField(_("action"), max_length=20, choices=Kind)
    question = models.ForeignKey(Question, models.SET_NULL, null=True, blank=True, related_name="+")
    answer = models.ForeignKey(Answer, models.SET_NULL, null=True, blank=True, related_name="+")
    comment = models.ForeignKey(Comment, models.SET_NULL, null=True, blank=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    reason = models.TextField(_("reason"), blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        db_table = "questions_moderationaction"  # made by `questions`; the table kept its name
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.actor or _('jokesite')}: {self.get_action_display()}"

    @property
    def target(self):
        """The post or comment acted on, else the member (both may be set: delete + suspend)."""
        for field in ("comment", "answer", "question", "user"):
            if getattr(self, f"{field}_id"):
                return getattr(self, field)
        return None
