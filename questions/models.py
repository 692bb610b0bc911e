"""Questions and what sorts them: tags, tag synonyms and categories."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fasturls import reverse_fast
from core.models import TITLE_MAX, Post, PostQuerySet

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


class CountedQuerySet(models.QuerySet):
    def with_question_counts(self):
        """Annotate `question_count`: the visible questions of each tag or category."""
        return self.annotate(
            question_count=models.Count("questions", filter=Q(questions__deleted_at__isnull=True))
        )


# Tag list orders: `?sort=` name -> order_by() (after `with_question_counts`).
TAG_ORDERS = {
    "popular": ("-question_count", "name"),
    "name": ("name",),
    "new": ("-created_at", "-id"),
}


class TagQuerySet(models.QuerySet):
    def with_question_counts(self):
        """A tag stores its count (`Tag.question_count`): nothing to add."""
        return self

    def recount(self) -> int:
        """Set each tag's `question_count` to its questions not deleted, in one statement.
        Called by whatever changes a question's tags or deletes or restores a question."""
        through = Tag.questions.through
        count = (
            through.objects.filter(tag_id=OuterRef("pk"), question__deleted_at__isnull=True)
            .order_by()
            .values("tag_id")
            .annotate(n=models.Count("*"))
            .values("n")
        )
        return self.update(question_count=Coalesce(Subquery(count), 0))

    def for_listing(self, sort: str, query: str = ""):
        """Tags with their question counts in the `sort` order of TAG_ORDERS, those whose name
        holds `query` when one is given (/tags/ and the API)."""
        tags = self.all()
        if query:
            tags = tags.filter(name__icontains=query)
        return tags.order_by(*TAG_ORDERS[sort])


def tag_listing_params(params) -> tuple[str, str]:
    """The sort (falling back to "popular") and the name filter of a tag list's query string."""
    sort = params.get("sort", "popular")
    return (sort if sort in TAG_ORDERS else "popular"), " ".join(params.get("q", "").split())[:50]


class Category(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)

    objects = CountedQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_fast("questions:category", slug=self.slug)

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
    # Its questions not deleted, kept by `TagQuerySet.recount` (on every change of a
    # question's tags, see `questions.apps`, and by the services that delete and restore
    # questions or merge tags): /tags/ sorts on it, through `tag_popular_idx`.
    question_count = models.PositiveIntegerField(_("questions"), default=0, editable=False)

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        indexes = [models.Index(F("question_count").desc(), "name", name="tag_popular_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse_fast("questions:tag", name=self.name)


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
        return reverse_fast("questions:tag", name=self.name)


VISIBLE = Q(deleted_at__isnull=True, hidden_at__isnull=True)  # PostQuerySet.visible()


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate")
    OFF_TOPIC = "off-topic", _("Off-topic")
    NEEDS_DETAILS = "needs-details", _("Needs details or clarity")
    OPINION_BASED = "opinion-based", _("Opinion-based")


# Questions on a page of a list, and tags on a page of /tags/ (the API pages the same way).
LIST_PAGE_SIZE, TAG_PAGE_SIZE = 20, 60
# List orders: `?sort=` name -> order_by(). "unanswered" lists the newest first.
LIST_ORDERS = {
    "active": ("-last_activity_at", "-id"),
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-id"),
    "unanswered": ("-created_at", "-id"),
}


class QuestionQuerySet(PostQuerySet):
    def unanswered(self):
        """No accepted answer and no answer with a positive score, as on Stack Overflow.

        `is_answered` stores it: database triggers on the answers table (migration
        `answers.0005`) set it whenever an answer is added, deleted, voted on or accepted.
        """
        return self.filter(is_answered=False)

    def for_listing(self, sort: str):
        """The visible questions in the `sort` order of LIST_ORDERS, with what a list shows."""
        queryset = self.visible()
        if sort == "unanswered":
            queryset = queryset.unanswered()
        return (
            queryset.order_by(*LIST_ORDERS[sort])
            .select_related("author", "category")
            .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
        )


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
    # Has an answer not deleted that is accepted or scores above 0 (`unanswered`): kept by
    # database triggers on the answers table, whatever writes them; `recount_lists` redoes it.
    is_answered = models.BooleanField(
        _("answered"), default=False, db_default=False, editable=False
    )
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

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        permissions = [("moderate", _("Can moderate posts, comments and users on the site"))]
        indexes = [
            models.Index(fields=["-last_activity_at", "-id"], name="question_active_idx"),
            models.Index(fields=["-created_at", "-id"], name="question_newest_idx"),
            models.Index(fields=["-score", "-id"], name="question_votes_idx"),
            # The same orders over visible questions only: a list page's ids are read from
            # these alone (questions.listing), however deep the page.
            *(
                models.Index(fields=[field, "-id"], condition=VISIBLE, name=f"question_{n}_vis")
                for field, n in (
                    ("-last_activity_at", "active"),
                    ("-created_at", "newest"),
                    ("-score", "votes"),
                )
            ),  # fmt: skip
            # The unanswered list, newest first (`unanswered`), from its own index.
            models.Index(
                fields=["-created_at", "-id"],
                condition=VISIBLE & Q(is_answered=False),
                name="question_unanswered_vis",
            ),
            # A profile's questions: counted and listed newest first from the index alone.
            models.Index(
                fields=["author", "-created_at"], condition=VISIBLE, name="question_author_vis"
            ),  # fmt: skip
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        slug = slugify(self.title, allow_unicode=True)[:90].strip("-") or "question"
        self.slug = f"{slug}-question" if slug in RESERVED_SLUGS else slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_fast("questions:detail", pk=self.pk, slug=self.slug)

    def get_answer_url(self):
        return reverse_fast("answers:post", pk=self.pk)

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


class ListBucket(models.Model):
    """How many visible questions a list holds in one stretch of its order: kept by database
    triggers on PostgreSQL (migration `questions.0012`), so a list's count and the place of
    page N are read from a few small rows instead of counting or skipping a million
    (`questions.liststore`). Not used on SQLite, whose small lists are counted.

    `list` is "all", "tag:<id>" or "category:<id>", or its unanswered part ("all:unanswered",
    ...); `sort` the order the buckets follow ("active", "newest", "votes"). A member's
    totals ("user:<id>:questions", ":answers", ":accepted") are one number each, sort
    "count", bucket 0.
    """

    list = models.CharField(max_length=60)
    sort = models.CharField(max_length=8)
    bucket = models.BigIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "sort", "bucket"], name="list_bucket_key")
        ]
        indexes = [
            # A list's running sums from the index alone (`liststore.count`, `seek`).
            models.Index(fields=["list", "sort", "bucket"], include=["n"], name="list_bucket_n")
        ]

    def __str__(self):
        return f"{self.list} {self.sort} {self.bucket}: {self.n}"
