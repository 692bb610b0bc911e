"""Stored list counts and the place of any page, on PostgreSQL (`ListBucket`).

Database triggers (migration `questions.0012`) keep, for every list a reader pages through,
how many visible questions it holds in each stretch ("bucket") of its order:

- every list: "all", each category ("category:<id>") and each tag ("tag:<id>");
- by "active" and "newest": one bucket per UTC day of `last_activity_at` / `created_at`;
  by "votes": one per score and block of `VOTES_ID_BLOCK` ids (`score * VOTES_SCORE_STEP +
  id // VOTES_ID_BLOCK`), so no bucket is bigger than a block even when most scores are 0;
- each list's unanswered part ("all:unanswered", "tag:<id>:unanswered", ...) by "newest";
- each member's shown questions, answers and accepted answers ("user:<id>:questions",
  ":answers", ":accepted"; `AnswerQuerySet.visible`), for the profile.

A list's count is the sum of its buckets (a few hundred rows at most). Page N of a bucketed
list starts in the bucket where the running sum (in the list's order) passes (N - 1) x 20:
the page is read from the index of that order, starting at the bucket's upper bound and
skipping only the rows of that bucket before it, however deep the page. Both equal what a
COUNT(*) and an OFFSET would find, since the triggers run in the writing transaction.

Triggers catch every write (services, the admin, `update()`, imports); a load that switches
them off (`demo.loadbench`) calls `recount()` afterwards, as does `manage.py recount_lists`.
On SQLite nothing is stored: its lists are small and counted (`questions.listing`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q, Value

DAY = 86400
VOTES_SCORE_STEP = 1_000_000
VOTES_ID_BLOCK = 5000
# Pages that start fewer rows than this from the top are read with a plain OFFSET.
SEEK_FROM = 1000
# The tables whose triggers keep the buckets (and `Question.is_answered`).
TRIGGER_TABLES = ("questions_question", "questions_question_tags", "answers_answer")

_DAY_SQL = "floor(extract(epoch FROM {}) / 86400)::bigint"
_VISIBLE = "q.deleted_at IS NULL AND q.hidden_at IS NULL"
_SORTS = f"""
    SELECT '', 'active', {_DAY_SQL.format("q.last_activity_at")}
    UNION ALL SELECT '', 'newest', {_DAY_SQL.format("q.created_at")}
    UNION ALL SELECT '', 'votes', q.score::bigint * {VOTES_SCORE_STEP} + q.id / {VOTES_ID_BLOCK}
    UNION ALL SELECT ':unanswered', 'newest', {_DAY_SQL.format("q.created_at")}
        WHERE NOT q.is_answered
"""

# Every question's answered flag from its answers, in one statement (only rows that differ
# are written).
ANSWERED_SQL = """
UPDATE questions_question SET is_answered = NOT is_answered
WHERE is_answered <> EXISTS (
    SELECT 1 FROM answers_answer a
    WHERE a.question_id = questions_question.id AND a.deleted_at IS NULL
      AND (a.is_accepted OR a.score > 0))
"""

# Every bucket from the rows (as migration `questions.0012` fills them), one statement for
# the whole list and the categories, one for the tags, two for the members.
BUCKETS_SQL = [
    f"""INSERT INTO questions_listbucket (list, sort, bucket, n)
    SELECT l.name || s.suffix, s.sort, s.bucket, count(*)
    FROM questions_question q
    CROSS JOIN LATERAL (
        SELECT 'all'::text
        UNION ALL SELECT 'category:' || q.category_id WHERE q.category_id IS NOT NULL
    ) AS l(name)
    CROSS JOIN LATERAL ({_SORTS}) AS s(suffix, sort, bucket)
    WHERE {_VISIBLE}
    GROUP BY 1, 2, 3""",
    f"""INSERT INTO questions_listbucket (list, sort, bucket, n)
    SELECT 'tag:' || t.tag_id || s.suffix, s.sort, s.bucket, count(*)
    FROM questions_question_tags t
    JOIN questions_question q ON q.id = t.question_id
    CROSS JOIN LATERAL ({_SORTS}) AS s(suffix, sort, bucket)
    WHERE {_VISIBLE}
    GROUP BY 1, 2, 3""",
    f"""INSERT INTO questions_listbucket (list, sort, bucket, n)
    SELECT 'user:' || q.author_id || ':questions', 'count', 0, count(*)
    FROM questions_question q WHERE {_VISIBLE}
    GROUP BY 1""",
    """INSERT INTO questions_listbucket (list, sort, bucket, n)
    SELECT k.list, 'count', 0, count(*)
    FROM answers_answer a
    JOIN questions_question q ON q.id = a.question_id
    JOIN LATERAL (
        SELECT 'user:' || a.author_id || ':answers'
        UNION ALL SELECT 'user:' || a.author_id || ':accepted' WHERE a.is_accepted
    ) AS k(list) ON true
    WHERE a.deleted_at IS NULL AND a.hidden_at IS NULL AND q.deleted_at IS NULL
    GROUP BY k.list""",
]


def stored() -> bool:
    """Whether this database keeps the buckets (PostgreSQL)."""
    return connection.vendor == "postgresql"


def recount(*, answered: bool = True) -> None:
    """Set every question's `is_answered` and rebuild every bucket from the rows: after a load
    made with the triggers off, or to repair. `answered=False` leaves `is_answered` alone, for
    a load that wrote it right. One transaction; it locks the buckets, so writes wait."""
    with transaction.atomic(), connection.cursor() as cursor:
        if answered:
            cursor.execute(ANSWERED_SQL)
        if stored():
            cursor.execute("LOCK TABLE questions_listbucket IN EXCLUSIVE MODE")
            cursor.execute("SET LOCAL work_mem = '256MB'")  # the grouping fits in memory
            cursor.execute("DELETE FROM questions_listbucket")
            for statement in BUCKETS_SQL:
                cursor.execute(statement)
            cursor.execute("ANALYZE questions_listbucket")


def set_triggers(enabled: bool) -> None:
    """Switch the list triggers of PostgreSQL on or off (a bulk load; call `recount` after)."""
    if not stored():
        return
    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table in TRIGGER_TABLES:
            cursor.execute(f"ALTER TABLE {table} {action} TRIGGER USER")


def count(list_key: str) -> int:
    """The visible questions of a stored list ("all", "all:unanswered", "tag:7", ...)."""
    sort = "count" if list_key.startswith("user:") else "newest"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n), 0) FROM questions_listbucket WHERE list = %s AND sort = %s",
            [list_key, sort],
        )
        return cursor.fetchone()[0]


MEMBER_LISTS = ("questions", "answers", "accepted")


def member_count_sql(member_pk: str, name: str) -> str:
    """SQL for the count of the list `name` (of `MEMBER_LISTS`) of the member whose primary
    key is the SQL `member_pk` (a column of the outer query): a subquery of one index range."""
    assert name in MEMBER_LISTS
    return f"""SELECT COALESCE(sum(n), 0) FROM questions_listbucket
               WHERE list = 'user:' || {member_pk} || ':{name}' AND sort = 'count'"""


@dataclass(frozen=True)
class Seek:
    """Where a page starts: the rows from `bound` on (in the list's order), `skip` of them
    passed over."""

    bound: Q | Func
    skip: int


class _Row(Func):
    """A row value: `(a, b)`."""

    template = "(%(expressions)s)"


class _RowBefore(Func):
    """`(a, b) < (x, y)`: one range of a two-column index, as no OR of columns is."""

    arg_joiner = " < "
    template = "%(expressions)s"
    output_field = BooleanField()


def _bound(sort: str, bucket: int) -> Q | Func:
    """The rows of `bucket` and of every bucket after it in the `sort` order."""
    if sort == "votes":
        score = bucket // VOTES_SCORE_STEP
        block = bucket - score * VOTES_SCORE_STEP
        return _RowBefore(
            _Row(F("score"), F("id")), _Row(Value(score), Value((block + 1) * VOTES_ID_BLOCK))
        )
    field = "last_activity_at" if sort == "active" else "created_at"
    return Q(**{f"{field}__lt": datetime.fromtimestamp((bucket + 1) * DAY, UTC)})


def seek(list_key: str, sort: str, offset: int) -> Seek | None:
    """Where the row `offset` (from 0) of a bucketed list is: the bound of its bucket and the
    rows of that bucket before it. None when the list has fewer rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT bucket, above FROM (
                   SELECT bucket, sum(n) OVER (ORDER BY bucket DESC) - n AS above,
                          sum(n) OVER (ORDER BY bucket DESC) AS upto
                   FROM questions_listbucket WHERE list = %s AND sort = %s
               ) b WHERE upto > %s ORDER BY bucket DESC LIMIT 1""",
            [list_key, sort, offset],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    bucket, above = row
    return Seek(bound=_bound(sort, bucket), skip=offset - int(above))
