"""What every kind of post shares: the abstract `Post` model and its QuerySet, the text limits,
and the check constraint the machinery tables use to point at exactly one kind of post.

Votes, comments, flags and revisions are one table each for both kinds of post (apps `votes`,
`comments`, `flags`, `revisions`): nullable foreign keys `question` / `answer`, a check
constraint that exactly one is set, and one `related_name`, so `post.votes` works for either.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .fasturls import reverse_fast
from .markdown import render_post
from .textrules import BODY_MAX, BODY_MIN, COMMENT_MAX, COMMENT_MIN, TITLE_MAX, TITLE_MIN

__all__ = ["BODY_MAX", "BODY_MIN", "COMMENT_MAX", "COMMENT_MIN", "TITLE_MAX", "TITLE_MIN"]


def exactly_one_post(name: str) -> models.CheckConstraint:
    """A row of the shared machinery points at a question or at an answer, never both."""
    return models.CheckConstraint(
        condition=Q(question__isnull=False, answer__isnull=True)
        | Q(question__isnull=True, answer__isnull=False),
        name=name,
    )


class PostQuerySet(models.QuerySet):
    def visible(self):
        """Posts neither soft-deleted nor hidden by flags: what public pages show."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)


class Post(models.Model):
    """What questions and answers share; each subclass gets its own table."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("author"),
    )
    body = models.TextField(_("body"))
    body_html = models.TextField(editable=False)
    score = models.IntegerField(_("score"), default=0)
    comment_count = models.PositiveIntegerField(_("comments"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )
    # Set when enough members flag the post as spam or rude (JOKESITE_FLAGS_TO_HIDE); cleared
    # when a moderator decides. Hidden posts show only to their author and to moderators.
    hidden_at = models.DateTimeField(_("hidden by flags"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("locked by"),
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.body_html = render_post(self.body)
        super().save(*args, **kwargs)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def kind(self) -> str:
        """`question` or `answer`: the name of the FK on Vote, Comment, Flag and Revision."""
        return self._meta.model_name

    @property
    def viewer_vote(self) -> int:
        """The viewer's vote (1, -1 or 0), once `votes.selectors.attach_viewer_votes` has run."""
        votes = getattr(self, "viewer_votes", None)
        return votes[0].value if votes else 0

    def _action_url(self, action: str) -> str:
        return reverse_fast(f"{self._meta.app_label}:{action}", pk=self.pk)

    def get_vote_url(self):
        return self._action_url("vote")

    def get_comment_url(self):
        return self._action_url("comment")

    def get_edit_url(self):
        return self._action_url("edit")

    def get_delete_url(self):
        return self._action_url("delete")

    def get_flag_url(self):
        return self._action_url("flag")

    def get_revisions_url(self):
        return self._action_url("revisions")

    def get_undelete_url(self):
        return self._action_url("undelete")

    def get_lock_url(self):
        return self._action_url("lock")

    def get_unlock_url(self):
        return self._action_url("unlock")

    def get_rollback_url(self, number: int) -> str:
        app = self._meta.app_label
        return reverse_fast(f"{app}:rollback", pk=self.pk, number=number)
