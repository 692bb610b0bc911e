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
