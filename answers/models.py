from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Post
from questions.models import Question


class Answer(Post):
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    is_accepted = models.BooleanField(_("accepted"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(is_accepted=True),
                name="one_accepted_answer_per_question",
            )
        ]
        indexes = [
            models.Index(
                fields=["question", "-is_accepted", "-score", "created_at"],
                name="answer_thread_order_idx",
            )
        ]

    def __str__(self):
        return f"{_('Answer')} #{self.pk} — {self.question_id}"

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"
