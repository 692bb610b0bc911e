"""The thread and everything any post can carry.

`Post` is what questions and answers share. Votes, comments, flags and revisions are one table
each for both kinds of post: nullable foreign keys `question` / `answer`, a check constraint that
exactly one is set, and one `related_name`, so `post.votes` works for either kind.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .markdown import render_comment, render_post

TITLE_MIN, TITLE_MAX = 15, 150
BODY_MIN, BODY_MAX = 30, 30_000
COMMENT_MIN, COMMENT_MAX = 15, 600
TAG_MAX_LENGTH, TAGS_MIN, TAGS_MAX = 35, 1, 5
# Letters, digits and + # . - _ (starting with a letter or digit): safe in /tags/<name>/.
TAG_PATTERN = r"^[\w][\w+#.\-]*$"
# Action names under /questions/<id>/: a slug may not be one of them.
RESERVED_SLUGS = {"answer", "comment", "delete", "edit", "flag", "follow", "revisions", "vote"}


def _exactly_one_post(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(question__isnull=False, answer__isnull=True)
        | Q(question__isnull=True, answer__isnull=False),
        name=name,
    )


class Category(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("questions:category", kwargs={"slug": self.slug})


class Tag(models.Model):
    name = models.CharField(
        _("name"),
        max_length=TAG_MAX_LENGTH,
        unique=True,
        # Checked here too, so a tag made or renamed in the admin cannot break the URLs.
        validators=[
            RegexValidator(
                TAG_PATTERN, _("Use only letters, digits and + # . - _ (no spaces or slashes).")
            )
        ],
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("questions:tag", kwargs={"name": self.name})


class TagSynonym(models.Model):
    """Another name for a tag: `/tags/<name>/` redirects to the tag, and a question asked or
    edited with the name gets the tag. A synonym's name is never also a tag's name (the admin
    forms and `questions.tags.merge_tags` keep it so)."""

    name = models.CharField(_("name"), max_length=TAG_MAX_LENGTH, unique=True)
    tag = models.ForeignKey(
        Tag, models.CASCADE, related_name="synonyms", verbose_name=_("canonical tag")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tag synonym")
        verbose_name_plural = _("tag synonyms")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} → {self.tag}"

    def get_absolute_url(self):
        return reverse("questions:tag", kwargs={"name": self.name})


class PostQuerySet(models.QuerySet):
    def visible(self):
        """Posts not soft-deleted: what public pages show."""
        return self.filter(deleted_at__isnull=True)

    def with_viewer_votes(self, user):
        """Attach `viewer_votes` (a list of 0 or 1 Vote) to every post: one query."""
        if not user.is_authenticated:
            return self
        return self.prefetch_related(
            Prefetch("votes", Vote.objects.filter(voter=user), to_attr="viewer_votes")
        )

    def with_comments(self):
        """Attach `visible_comments` (oldest first, authors joined) to every post: one query."""
        comments = Comment.objects.visible().select_related("author").order_by("created_at", "pk")
        return self.prefetch_related(Prefetch("comments", comments, to_attr="visible_comments"))


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
    def kind(self) -> str:
        """`question` or `answer`: the name of the FK on Vote, Comment, Flag and Revision."""
        return self._meta.model_name

    @property
    def viewer_vote(self) -> int:
        """The viewer's vote (1, -1 or 0), once `with_viewer_votes` has run."""
        votes = getattr(self, "viewer_votes", None)
        return votes[0].value if votes else 0

    def _action_url(self, action: str) -> str:
        return reverse(f"{self._meta.app_label}:{action}", kwargs={"pk": self.pk})

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


class Question(Post):
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    slug = models.SlugField(_("slug"), max_length=100, allow_unicode=True, editable=False)
    category = models.ForeignKey(
        Category,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("category"),
    )
    tags = models.ManyToManyField(Tag, related_name="questions", verbose_name=_("tags"))
    answer_count = models.PositiveIntegerField(_("answers"), default=0)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [("moderate", _("Can moderate posts, comments and users on the site"))]
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="question_active_idx"),
            models.Index(fields=["-created_at", "-id"], name="question_newest_idx"),
            models.Index(fields=["-score", "-id"], name="question_votes_idx"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        slug = slugify(self.title, allow_unicode=True)[:90].strip("-") or "question"
        self.slug = f"{slug}-question" if slug in RESERVED_SLUGS else slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("questions:detail", kwargs={"pk": self.pk, "slug": self.slug})

    def get_answer_url(self):
        return reverse("answers:post", kwargs={"pk": self.pk})

    def tag_names(self) -> list[str]:
        """Names of the tags, from the prefetch cache when there is one."""
        return [tag.name for tag in self.tags.all()]


class VoteValue(models.IntegerChoices):
    UP = 1, pgettext_lazy("vote", "Up")
    DOWN = -1, pgettext_lazy("vote", "Down")


class Vote(models.Model):
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="votes", verbose_name=_("voter")
    )
    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="votes"
    )
    answer = models.ForeignKey(
        "answers.Answer", models.CASCADE, null=True, blank=True, related_name="votes"
    )
    value = models.SmallIntegerField(_("value"), choices=VoteValue)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            _exactly_one_post("vote_has_exactly_one_post"),
            models.UniqueConstraint(fields=["voter", "question"], name="one_vote_per_question"),
            models.UniqueConstraint(fields=["voter", "answer"], name="one_vote_per_answer"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="vote_value_is_1_or_-1"),
        ]

    def __str__(self):
        return _("%(voter)s %(value)+d on %(post)s") % {
            "voter": self.voter,
            "value": self.value,
            "post": self.post,
        }

    @property
    def post(self):
        return self.question if self.question_id else self.answer


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(deleted_at__isnull=True)


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
        "answers.Answer", models.CASCADE, null=True, blank=True, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [_exactly_one_post("comment_has_exactly_one_post")]
        indexes = [models.Index(fields=["created_at"], name="comment_created_idx")]

    def __str__(self):
        return self.body[:60]

    def save(self, *args, **kwargs):
        self.body_html = render_comment(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url().split('#')[0]}#comment-{self.pk}"

    @property
    def post(self):
        return self.question if self.question_id else self.answer


class Revision(models.Model):
    """One version of a post. Number 1 is the original; every edit adds the next number."""

    question = models.ForeignKey(
        Question, models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    answer = models.ForeignKey(
        "answers.Answer", models.CASCADE, null=True, blank=True, related_name="revisions"
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
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [
            _exactly_one_post("revision_has_exactly_one_post"),
            models.UniqueConstraint(fields=["question", "number"], name="question_revision_no"),
            models.UniqueConstraint(fields=["answer", "number"], name="answer_revision_no"),
        ]

    def __str__(self):
        return f"{self.post} #{self.number}"

    @property
    def post(self):
        return self.question if self.question_id else self.answer


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
    answer = models.ForeignKey(
        "answers.Answer", models.CASCADE, null=True, blank=True, related_name="flags"
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
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = [F("handled_at").asc(nulls_first=True), "-created_at"]
        constraints = [
            _exactly_one_post("flag_has_exactly_one_post"),
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
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="flag_queue_idx")]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.post}"

    @property
    def post(self):
        return self.question if self.question_id else self.answer
