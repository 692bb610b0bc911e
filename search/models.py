from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from answers.models import Answer
from core.models import TITLE_MAX
from questions.models import Question


class PostKind(models.TextChoices):
    QUESTION = "question", _("question")
    ANSWER = "answer", _("answer")


class SearchEntry(models.Model):
    """One searchable post: a copy of what search filters, ranks and shows, kept current by the
    services (`search.fulltext.index_post`) in the same transaction as the write.

    `question` is always set (for an answer: its question); `answer` only for answers. The
    full-text part lives beside it, per database: on PostgreSQL the `vector` column (weights:
    title A, tags B, body C; NULL on SQLite), on SQLite the FTS5 table `SearchEntryFTS` whose
    rowid is this row's id. `manage.py rebuild_search` rebuilds everything.
    """

    question = models.ForeignKey(Question, models.CASCADE, related_name="search_entries")
    answer = models.OneToOneField(
        Answer, models.CASCADE, null=True, blank=True, related_name="search_entry"
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
    # PostgreSQL, questions only: the title alone (words and CJK tokens), with a GIN index of
    # its own (made by a migration), so similar and related questions find titles holding a
    # term without reading the bodies' tokens (search.similar).
    title_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        db_table = "questions_searchentry"  # made by `questions`; the table kept its name
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


class TitleTerm(models.Model):
    """PostgreSQL: one row per term of a question's title, as its entry's `title_vector` holds
    it (stemmed words, CJK bigrams), written with the entry (`search.index`). Similar and
    related questions (`search.similar`) read the newest questions holding a term from the end
    of this table's primary key: a few index pages however common the term, where the title
    vector's GIN index first gathers every match. Empty on SQLite, which scans titles."""

    pk = models.CompositePrimaryKey("term", "question")
    term = models.TextField()
    question = models.ForeignKey(Question, models.CASCADE, related_name="+")

    def __str__(self):
        return f"{self.term} in question {self.question_id}"


class RelatedQuestions(models.Model):
    """A question's "Related questions", found ahead of the request (`search.related`): the
    ids of the visible questions most like it when `computed_at`, best first. The thread page
    reads them with the question (one join) and filters them by visibility as it shows them."""

    question = models.OneToOneField(
        Question, models.CASCADE, primary_key=True, related_name="related_list"
    )
    ids = models.JSONField(default=list)  # question ids; works alike on SQLite and PostgreSQL
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "related questions"

    def __str__(self):
        return f"related to question {self.question_id}"


class SearchSlice(models.Model):
    """A range of time [starts_at, ends_at) of SearchEntry.created_at (None: unbounded) whose
    posts have a partial full-text index of their own on PostgreSQL (`index_name`), so that a
    search can read the newest posts first and stop (`search.slices`)."""

    starts_at = models.DateTimeField(null=True, blank=True, unique=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    index_name = models.CharField(max_length=63, blank=True)

    def __str__(self):
        return f"search slice {self.starts_at} - {self.ends_at}"
