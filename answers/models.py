from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import Post, PostQuerySet
from questions.models import Question


class AnswerQuerySet(PostQuerySet):
    def visible(self):
        """Answers neither deleted nor hidden, under a question that is not deleted: a deleted
        question takes its answers with it from every public page, list and count."""
        return super().visible().filter(question__deleted_at__isnull=True)


class Answer(Post):
    question = models.ForeignKey(
        Question, models.CASCADE, related_name="answers", verbose_name=_("question")
    )
    is_accepted = models.BooleanField(_("accepted"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = AnswerQuerySet.as_manager()

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
            ),
            # The answers that make a question answered (`QuestionQuerySet.unanswered`): the
            # unanswered list probes it per question instead of hashing every answer.
            models.Index(
                fields=["question"],
                condition=Q(deleted_at__isnull=True) & (Q(is_accepted=True) | Q(score__gt=0)),
                name="answer_answered_idx",
            ),
            # A profile's newest answers, without sorting all of a prolific member's, and
            # its answer totals from the index alone (PostgreSQL).
            models.Index(
                fields=["author", "-created_at"],
                condition=Q(deleted_at__isnull=True, hidden_at__isnull=True),
                include=["question", "is_accepted", "accepted_at", "score"],
                name="answer_author_vis",
            ),
            # A profile's milestones: the first accepted answer, and whether any scored 10,
            # each the first entry of a small index (`profiles.selectors.firsts`).
            models.Index(
                fields=["author", "accepted_at"],
                condition=Q(deleted_at__isnull=True, hidden_at__isnull=True, is_accepted=True),
                name="answer_author_accepted",
            ),
            models.Index(
                fields=["author"],
                condition=Q(deleted_at__isnull=True, hidden_at__isnull=True, score__gte=10),
                name="answer_author_nice",
            ),
        ]

    def __str__(self):
        return f"{_('Answer')} #{self.pk} — {self.question_id}"

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"
