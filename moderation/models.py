"""The moderators' audit log and the members' close and reopen votes."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from comments.models import Comment
from questions.models import CloseReason, Question
from revisions.models import SuggestedEdit


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
        REDACT = "redact", _("Revision redacted")

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


class ReviewQueue(models.TextChoices):
    FIRST_POSTS = "first-posts", _("First posts")
    LATE_ANSWERS = "late-answers", _("Late answers")
    SUGGESTED_EDITS = "suggested-edits", _("Suggested edits")
    CLOSE_VOTES = "close-votes", _("Close votes")
    REOPEN_VOTES = "reopen-votes", _("Reopen votes")
    FLAGGED = "flagged", _("Flagged posts")


class ReviewDecisionKind(models.TextChoices):
    LOOKS_OK = "looks-ok", _("Looks OK")
    EDIT = "edit", _("Edit")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen")
    FLAG = "flag", _("Flag")
    SKIP = "skip", _("Skip")
    APPROVE = "approve", _("Approve")
    IMPROVE = "improve", _("Improve")
    REJECT = "reject", _("Reject")


class ReviewItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    COMPLETED = "completed", _("Completed")


class ReviewItemQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=ReviewItemStatus.OPEN)


class ReviewItem(models.Model):
    """One post waiting in one review queue (`moderation.queue` writes these, `moderation.review`
    reads them): stored on write by what creates the need (a first post, a late answer, a
    suggested edit, a close or reopen vote, a flag) and completed when the reviews are done, a
    moderator decided, the need ended (the question closed, the flags decided, the suggestion
    approved) or the post went away (deleted, hidden, its question deleted).

    A round of close votes, reopen votes or flags is one item: a question closed, reopened and
    voted on again gets a new one, which nobody has reviewed yet. At most one open item per
    queue and post (a suggested edit's item names its post too).
    """

    queue = models.CharField(_("queue"), max_length=20, choices=ReviewQueue)
    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="review_items"
    )
    answer = models.ForeignKey(
        Answer, models.CASCADE, null=True, blank=True, related_name="review_items"
    )
    suggestion = models.ForeignKey(
        SuggestedEdit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="review_items",
        verbose_name=_("suggested edit"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewItemStatus, default=ReviewItemStatus.OPEN
    )
    reviews_needed = models.PositiveSmallIntegerField(_("reviews needed"))
    reviews_done = models.PositiveSmallIntegerField(_("reviews done"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    # Completed because its post went away (deleted, hidden, its question deleted), not by
    # reviews: `moderation.queue.shown_again` reopens it when the post comes back.
    set_aside = models.BooleanField(_("set aside with its post"), default=False)

    objects = ReviewItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="review_item_has_exactly_one_post",
            ),
            models.CheckConstraint(
                condition=Q(queue="suggested-edits", suggestion__isnull=False)
                | ~Q(queue="suggested-edits") & Q(suggestion__isnull=True),
                name="review_item_suggestion_iff_suggested_edits",
            ),
            models.UniqueConstraint(
                fields=["queue", "question"],
                condition=Q(status="open"),
                name="one_open_review_item_per_question",
            ),
            models.UniqueConstraint(
                fields=["queue", "answer"],
                condition=Q(status="open"),
                name="one_open_review_item_per_answer",
            ),
        ]
        indexes = [
            models.Index(fields=["queue", "status", "created_at"], name="review_item_queue_idx"),
            # The header's count of everything waiting: an index-only COUNT of the open rows.
            models.Index(
                fields=["status"], condition=Q(status="open"), name="review_item_open_idx"
            ),
        ]

    def __str__(self):
        return f"{self.get_queue_display()}: {self.post} ({self.get_status_display()})"

    @property
    def post(self):
        return self.question if self.question_id else self.answer

    @property
    def kind(self) -> str:
        """What a decision names (`review_decide`'s `kind`): the suggestion, else the post."""
        return (
            "suggestion" if self.suggestion_id else ("question" if self.question_id else "answer")
        )

    @property
    def target(self):
        return self.suggestion if self.suggestion_id else self.post

    @property
    def is_open(self) -> bool:
        return self.status == ReviewItemStatus.OPEN


class ReviewDecision(models.Model):
    """One reviewer's decision on one item of a review queue (`moderation.review`).

    An item is a post in a queue (or a suggested edit); it leaves the queue after
    `JOKESITE_REVIEWS_NEEDED` decisions other than Skip, or at once after a `binding` one (a
    moderator's, or an approval or rejection of a suggested edit). A reviewer never sees an
    item they decided (Skip included) again. For close votes, reopen votes and flags, only the
    decisions since the current round began count (`moderation.review`).
    """

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="review_decisions",
        verbose_name=_("reviewer"),
    )
    queue = models.CharField(_("queue"), max_length=20, choices=ReviewQueue)
    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="review_decisions"
    )
    answer = models.ForeignKey(
        Answer, models.CASCADE, null=True, blank=True, related_name="review_decisions"
    )
    suggestion = models.ForeignKey(
        SuggestedEdit,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="review_decisions",
        verbose_name=_("suggested edit"),
    )
    # Null only for decisions recorded before items were stored (migration 0004).
    item = models.ForeignKey(
        ReviewItem,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="reviews",
        verbose_name=_("review item"),
    )
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecisionKind)
    binding = models.BooleanField(_("ends the review"), default=False)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(question__isnull=False, answer__isnull=True)
                | Q(question__isnull=True, answer__isnull=False),
                name="review_decision_has_exactly_one_post",
            ),
            # "A reviewer never sees an item twice", held by the database too.
            models.UniqueConstraint(fields=["item", "reviewer"], name="one_decision_per_item"),
        ]
        indexes = [
            models.Index(fields=["queue", "question", "created_at"], name="review_q_idx"),
            models.Index(fields=["queue", "answer", "created_at"], name="review_a_idx"),
            models.Index(fields=["reviewer", "created_at"], name="review_history_idx"),
        ]

    def __str__(self):
        return f"{self.reviewer}: {self.get_decision_display()} ({self.get_queue_display()})"

    @property
    def post(self):
        return self.question if self.question_id else self.answer
