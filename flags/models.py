from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from comments.models import Comment
from questions.models import Question


def exactly_one_target(name: str) -> models.CheckConstraint:
    """A flag is on a question, an answer or a comment: exactly one of the three is set."""
    kinds = ("question", "answer", "comment")

    def only(kind: str) -> Q:
        return Q(**{f"{other}__isnull": other != kind for other in kinds})

    return models.CheckConstraint(
        condition=only("question") | only("answer") | only("comment"), name=name
    )


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    RUDE = "rude", _("Rude or abusive")
    NEEDS_IMPROVEMENT = "needs-improvement", _("Needs improvement")
    OTHER = "other", _("Something else")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    HELPFUL = "helpful", _("Helpful")
    DECLINED = "declined", _("Declined")


class Flag(models.Model):
    flagger = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="flags", verbose_name=_("flagger")
    )
    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="flags"
    )
    answer = models.ForeignKey(Answer, models.CASCADE, null=True, blank=True, related_name="flags")
    comment = models.ForeignKey(
        Comment, models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=FlagReason)
    details = models.TextField(_("details"), blank=True, max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=FlagStatus, default=FlagStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        db_table = "questions_flag"  # made by `questions`; the table kept its name
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = [F("handled_at").asc(nulls_first=True), "-created_at"]
        constraints = [
            exactly_one_target("flag_has_exactly_one_target"),
            models.UniqueConstraint(
                fields=["flagger", "question"],
                condition=Q(status="open"),
                name="one_open_flag_per_question",
            ),
            models.UniqueConstraint(
                fields=["flagger", "answer"],
                condition=Q(status="open"),
                name="one_open_flag_per_answer",
            ),
            models.UniqueConstraint(
                fields=["flagger", "comment"],
                condition=Q(status="open"),
                name="one_open_flag_per_comment",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="flag_queue_idx")]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.target}"

    @property
    def target(self):
        """What was flagged: a question, an answer or a comment."""
        if self.comment_id:
            return self.comment
        return self.question if self.question_id else self.answer

    @property
    def post(self):
        """The flagged post, or the post under the flagged comment."""
        return self.comment.post if self.comment_id else self.target
