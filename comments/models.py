from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from core.fasturls import reverse_fast
from core.markdown import render_comment
from core.models import COMMENT_MAX, exactly_one_post
from questions.models import Question


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)


class Comment(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="comments",
        verbose_name=_("author"),
    )
    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, models.CASCADE, null=True, blank=True, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by flags"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        db_table = "questions_comment"  # made by `questions`; the table kept its name
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [exactly_one_post("comment_has_exactly_one_post")]
        indexes = [models.Index(fields=["created_at"], name="comment_created_idx")]

    def __str__(self):
        return self.body[:60]

    def save(self, *args, **kwargs):
        self.body_html = render_comment(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url().split('#')[0]}#comment-{self.pk}"

    def get_flag_url(self):
        return reverse_fast("questions:comment_flag", pk=self.pk)

    @property
    def post(self):
        return self.question if self.question_id else self.answer

    @property
    def kind(self) -> str:
        return "comment"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
