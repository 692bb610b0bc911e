"""The thread and everything any post can carry.

`Post` is what questions and answers share. Votes, comments, flags and revisions are one table
each for both kinds of post: nullable foreign keys `question` / `answer`, a check constraint that
exactly one is set, and one `related_name`, so `post.votes` works for either kind.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .markdown import render_comment, render_post
from .textrules import BODY_MAX, BODY_MIN, COMMENT_MAX, COMMENT_MIN, TITLE_MAX, TITLE_MIN

__all__ = ["BODY_MAX", "BODY_MIN", "COMMENT_MAX", "COMMENT_MIN", "TITLE_MAX", "TITLE_MIN"]
TAG_MAX_LENGTH, TAGS_MIN, TAGS_MAX = 35, 1, 5
# Letters, digits and + # . - _ (starting with a letter or digit): safe in /tags/<name>/.
TAG_PATTERN = r"^[\w][\w+#.\-]*$"
# Action names under /questions/<id>/: a slug may not be one of them.
RESERVED_SLUGS = {
    "answer",
    "close",
    "close-vote",
    "comment",
    "delete",
    "edit",
    "flag",
    "follow",
    "lock",
    "reopen",
    "reopen-vote",
    "retag",
    "revisions",
    "undelete",
    "unlock",
    "vote",
}


def _exactly_one_post(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(question__isnull=False, answer__isnull=True)
        | Q(question__isnull=True, answer__isnull=False),
        name=name,
    )


def _exactly_one_target(name: str) -> models.CheckConstraint:
    """A flag is on a question, an answer or a comment: exactly one of the three is set."""
    kinds = ("question", "answer", "comment")

    def only(kind: str) -> Q:
        return Q(**{f"{other}__isnull": other != kind for other in kinds})

    return models.CheckConstraint(
        condition=only("question") | only("answer") | only("comment"), name=name
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

    @property
    def shown_name(self) -> str:
        """The name in the reader's language when the catalogue has it ("Mood Talk" is 心情
        闲聊), else as stored."""
        return gettext(self.name)

    @property
    def shown_description(self) -> str:
        return gettext(self.description) if self.description else ""


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
        """Posts neither soft-deleted nor hidden by flags: what public pages show."""
        return self.filter(deleted_at__isnull=True, hidden_at__isnull=True)

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

    def get_undelete_url(self):
        return self._action_url("undelete")

    def get_lock_url(self):
        return self._action_url("lock")

    def get_unlock_url(self):
        return self._action_url("unlock")

    def get_rollback_url(self, number: int) -> str:
        app = self._meta.app_label
        return reverse(f"{app}:rollback", kwargs={"pk": self.pk, "number": number})


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate")
    OFF_TOPIC = "off-topic", _("Off-topic")
    NEEDS_DETAILS = "needs-details", _("Needs details or clarity")
    OPINION_BASED = "opinion-based", _("Opinion-based")


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
    # A closed question takes no new answers; votes, comments and edits go on.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    close_reason = models.CharField(
        _("close reason"), max_length=20, choices=CloseReason, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )

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

    def get_close_url(self):
        return self._action_url("close")

    def get_reopen_url(self):
        return self._action_url("reopen")

    def get_close_vote_url(self):
        return self._action_url("close_vote")

    def get_reopen_vote_url(self):
        return self._action_url("reopen_vote")

    def get_retag_url(self):
        return self._action_url("retag")

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def tag_names(self) -> list[str]:
        """Names of the tags, from the prefetch cache when there is one."""
        return [tag.name for tag in self.tags.all()]


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
        "answers.Answer", models.CASCADE, null=True, blank=True, related_name="comments"
    )
    body = models.TextField(_("comment"), max_length=COMMENT_MAX)
    body_html = models.TextField(editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden by flags"), null=True, blank=True)

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

    def get_flag_url(self):
        return reverse("questions:comment_flag", kwargs={"pk": self.pk})

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
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        ordering = [F("handled_at").asc(nulls_first=True), "-created_at"]
        constraints = [
            _exactly_one_target("flag_has_exactly_one_target"),
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


class ModerationAction(models.Model):
    """The audit log: one row per moderator action, on the site or in the admin.

    Written by `questions.moderation.record_action` alone, which also sends the
    `questions.signals.moderator_action` signal. The targets are nullable and kept on delete, so
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
    answer = models.ForeignKey(
        "answers.Answer", models.SET_NULL, null=True, blank=True, related_name="+"
    )
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


class PostKind(models.TextChoices):
    QUESTION = "question", _("question")
    ANSWER = "answer", _("answer")


class SearchEntry(models.Model):
    """One searchable post: a copy of what search filters, ranks and shows, kept current by the
    services (`questions.search.index_post`) in the same transaction as the write.

    `question` is always set (for an answer: its question); `answer` only for answers. The
    full-text part lives beside it, per database: on PostgreSQL the `vector` column (weights:
    title A, tags B, body C; NULL on SQLite), on SQLite the FTS5 table `SearchEntryFTS` whose
    rowid is this row's id. `manage.py rebuild_search` rebuilds everything.
    """

    question = models.ForeignKey(Question, models.CASCADE, related_name="search_entries")
    answer = models.OneToOneField(
        "answers.Answer", models.CASCADE, null=True, blank=True, related_name="search_entry"
    )
    kind = models.CharField(max_length=8, choices=PostKind)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    title = models.CharField(max_length=TITLE_MAX)  # the question's, for answers too
    body = models.TextField()  # plain text, for snippets
    tags = models.TextField(blank=True)  # names, space-separated
    score = models.IntegerField(default=0)
    is_accepted = models.BooleanField(default=False)
    answer_count = models.PositiveIntegerField(default=0)  # questions only
    created_at = models.DateTimeField()
    # What public pages show: the post, and for an answer its question too, neither deleted
    # nor hidden by flags. Search shows nothing else.
    is_visible = models.BooleanField(default=True)
    # PostgreSQL only (the column is unused on SQLite). Its GIN index is made by a migration
    # on PostgreSQL only, which is why it is not declared in Meta.indexes.
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [  # the "newest" and "votes" orders, also used to pick the best of many hits
            models.Index(fields=["-created_at", "-id"], name="search_newest_idx"),
            models.Index(fields=["-score", "-created_at", "-id"], name="search_votes_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["question"],
                condition=Q(answer__isnull=True),
                name="one_search_entry_per_question",
            ),
            models.CheckConstraint(
                condition=Q(kind="question", answer__isnull=True)
                | Q(kind="answer", answer__isnull=False),
                name="search_entry_kind_matches_answer",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.answer_id or self.question_id}: {self.title}"

    def get_absolute_url(self):
        """The thread's canonical URL (with #answer-<id> for answers); needs `question`."""
        url = self.question.get_absolute_url()
        return f"{url}#answer-{self.answer_id}" if self.answer_id else url

    def tag_names(self) -> list[str]:
        return self.tags.split()


class FTS5Field(models.TextField):
    """A column of an FTS5 table; `match` is its MATCH operator."""


@FTS5Field.register_lookup
class FTS5Match(models.Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class SearchEntryFTS(models.Model):
    """SQLite's full-text index of SearchEntry (FTS5, made by a migration on SQLite only).

    `document` is FTS5's hidden column named after the table (MATCH on it searches every
    column); `rank` is its hidden rank column, set up as bm25 with title weighed highest.
    """

    entry = models.OneToOneField(
        SearchEntry,
        models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="fts",
    )
    title = FTS5Field()
    tags = FTS5Field()
    body = FTS5Field()
    document = FTS5Field(db_column="questions_searchentryfts")
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "questions_searchentryfts"

    def __str__(self):
        return f"FTS row {self.pk}"
