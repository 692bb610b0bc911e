from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from core.models import TITLE_MAX, exactly_one_post
from questions.models import Question


class Revision(models.Model):
    """One version of a post. Number 1 is the original; every edit adds the next number."""

    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    answer = models.ForeignKey(
        Answer, models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="revisions",
        verbose_name=_("editor"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    body = models.TextField(_("body"))
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    summary = models.CharField(_("edit summary"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # A moderator hid this revision's text from the public history (personal data, abuse);
    # moderators still read it. Set by `moderation.services.redact_revision` only.
    redacted_at = models.DateTimeField(_("redacted"), null=True, blank=True)
    redacted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("redacted by"),
    )

    class Meta:
        db_table = "questions_revision"  # made by `questions`; the table kept its name
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [
            exactly_one_post("revision_has_exactly_one_post"),
            models.UniqueConstraint(fields=["question", "number"], name="question_revision_no"),
            models.UniqueConstraint(fields=["answer", "number"], name="answer_revision_no"),
        ]

    def __str__(self):
        return f"{self.post} #{self.number}"

    @property
    def post(self):
        return self.question if self.question_id else self.answer

    @property
    def is_redacted(self) -> bool:
        return self.redacted_at is not None


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class SuggestedEditQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=SuggestionStatus.PENDING)


class SuggestedEdit(models.Model):
    """An edit proposed by a member who may not edit others' posts: the post is unchanged until
    its author, a moderator or a holder of `edit_others` approves it (`moderation.suggestions`),
    and then it becomes a revision naming the suggester. One pending suggestion per post."""

    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="suggested_edits"
    )
    answer = models.ForeignKey(
        Answer, models.CASCADE, null=True, blank=True, related_name="suggested_edits"
    )
    suggester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="suggested_edits",
        verbose_name=_("suggested by"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    body = models.TextField(_("body"))
    tags = models.CharField(_("tags"), max_length=200, blank=True)
    summary = models.CharField(_("edit summary"), max_length=200, blank=True)
    # The number of the post's newest revision when the edit was suggested: approving it once
    # the post has a newer one would overwrite that edit (`moderation.suggestions.approve`);
    # 0 for a post without revisions. Null only for suggestions older than this field.
    based_on = models.PositiveIntegerField(_("based on revision"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SuggestionStatus, default=SuggestionStatus.PENDING
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = SuggestedEditQuerySet.as_manager()

    class Meta:
        verbose_name = _("suggested edit")
        verbose_name_plural = _("suggested edits")
        ordering = ["-created_at", "-pk"]
        constraints = [
            exactly_one_post("suggested_edit_has_exactly_one_post"),
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(status="pending"),
                name="one_pending_suggestion_per_question",
            ),
            models.UniqueConstraint(
                fields=["answer"],
                condition=models.Q(status="pending"),
                name="one_pending_suggestion_per_answer",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="suggestion_status_idx")]

    def __str__(self):
        return f"{self.post}: {self.get_status_display()}"

    @property
    def post(self):
        return self.question if self.question_id else self.answer

    @property
    def is_pending(self) -> bool:
        return self.status == SuggestionStatus.PENDING

    def is_outdated(self, newest: int | None) -> bool:
        """Whether the post was edited after the suggestion was made, given the number of the
        post's newest revision."""
        return self.based_on is not None and (newest or 0) > self.based_on
