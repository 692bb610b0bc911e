"""What a profile reads, in a fixed number of queries that each stop early or read a few rows,
however long the member's history (the busiest member of a million-question site has tens of
thousands of answers and reputation rows).

- The totals come from the counts PostgreSQL keeps on write (`questions.liststore`), or are
  counted (SQLite), in the query that reads the member.
- The milestones' dates are the first row of an index each (`answer_author_vis`,
  `answer_author_accepted`, `answer_author_nice`), and "10 answers voted up" counts to 10.
- The chart reads only the last days' ledger rows: the reputation before them is the stored
  total minus them (`User.reputation = max(1, 1 + ledger sum)`, so known above the floor).
- The first days reaching 100 and 1,000 reputation stop at the ledger row that reaches them;
  the first batch of ledger rows is read with the chart's days, in one query.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    DateField,
    DateTimeField,
    Exists,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, TruncDate

from answers.models import Answer
from questions import liststore
from questions.models import Question
from votes.models import ReputationEvent

UPVOTED_ANSWERS = 10  # the milestone "10 answers voted up"
LEDGER_BATCH = 1000


def _count(queryset):
    """A subquery counting the rows of `queryset` (0 when none)."""
    return Coalesce(
        Subquery(queryset.order_by().annotate(n=Func("pk", function="COUNT")).values("n")), 0
    )


def members_with_totals():
    """Active members, each with their shown questions, answers and accepted answers
    (`n_questions`, `n_answers`, `n_accepted`) read with the member: one query. From the
    counts PostgreSQL keeps on write (`questions.liststore`), else counted."""
    User = get_user_model()
    members = User.objects.filter(is_active=True)
    if liststore.stored():
        pk = f'"{User._meta.db_table}"."{User._meta.pk.column}"'
        return members.annotate(
            **{
                f"n_{name}": RawSQL(liststore.member_count_sql(pk, name), (), IntegerField())
                for name in liststore.MEMBER_LISTS
            }
        )
    questions = Question.objects.visible().filter(author=OuterRef("pk"))
    answers = Answer.objects.visible().filter(author=OuterRef("pk"))
    return members.annotate(
        n_questions=_count(questions),
        n_answers=_count(answers),
        n_accepted=_count(answers.filter(is_accepted=True)),
    )


def firsts(user) -> dict:
    """The dates and facts the milestones need, each from the first rows of an index: one
    query."""
    questions = Question.objects.visible().filter(author=user)
    answers = Answer.objects.visible().filter(author=user)
    upvoted = Answer.objects.filter(
        pk__in=answers.filter(score__gt=0).values("pk")[:UPVOTED_ANSWERS]
    )
    return (
        type(user)
        .objects.filter(pk=user.pk)
        .values(
            first_question=Subquery(questions.order_by("created_at").values("created_at")[:1]),
            first_answer=Subquery(answers.order_by("created_at").values("created_at")[:1]),
            first_accepted=Subquery(
                answers.filter(is_accepted=True).order_by("accepted_at").values("accepted_at")[:1]
            ),
            nice=Exists(answers.filter(score__gte=10)),
            upvoted=_count(upvoted),
        )
        .get()
    )


_DAYS, _FIRST = 0, 1
_NEVER = datetime(9999, 12, 31, tzinfo=UTC)


def ledger_reads(
    user, today: date, days: int, *, first_rows: int | None = None
) -> tuple[list[tuple[date, int]], list[tuple[datetime, int, int]]]:
    """What the profile's chart and milestones read of the ledger, in one query:

    - the daily ledger sums, oldest first, for a chart of the last `days` days up to `today`:
      the sums of those days, after one row (the day before them) holding all earlier ones
      when the stored reputation tells it; the whole ledger for a member at the floor;
    - the ledger's first `first_rows` rows (`LEDGER_BATCH` by default; 0 for none) as
      (created_at, id, delta), oldest first, for `first_days_reaching`."""
    first_rows = LEDGER_BATCH if first_rows is None else first_rows
    start = today - timedelta(days=days - 1)
    events = ReputationEvent.objects.filter(user=user)
    known = user.reputation > 1  # then the ledger sums to reputation - 1
    recent = events
    if known:
        recent = events.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=UTC))
    # Both parts give (part, day, created_at, id, delta); the first part's types convert all.
    rows = (
        recent.annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("day")
        .annotate(delta=Sum("delta"))
        .values_list(
            Value(_DAYS),
            "day",
            Value(None, output_field=DateTimeField()),
            Value(None, output_field=IntegerField()),
            "delta",
        )
    )
    if first_rows:
        # The rows up to the moment of the `first_rows`th (all, for a shorter ledger): a range
        # of the (user, created_at) index, cut to `first_rows` below.
        nth = events.order_by("created_at", "id").values("created_at")[first_rows - 1 :][:1]
        last = Coalesce(Subquery(nth), Value(_NEVER, output_field=DateTimeField()))
        rows = rows.union(
            events.filter(created_at__lte=last).values_list(
                Value(_FIRST), Value(None, output_field=DateField()), "created_at", "id", "delta"
            ),
            all=True,
        )
    daily, first = [], []
    for part, day, created_at, pk, delta in rows:
        if part == _DAYS:
            daily.append((day, delta))
        else:
            first.append((created_at, pk, delta))
    daily.sort()
    first.sort(key=lambda row: row[:2])
    del first[first_rows:]  # rows at the same moment as the last one
    if known:
        earlier = user.reputation - 1 - sum(delta for _, delta in daily)
        daily.insert(0, (start - timedelta(days=1), earlier))
    return daily, first


def first_days_reaching(
    user, levels: tuple[int, ...], first: list | None = None
) -> dict[int, date | None]:
    """The UTC day of the ledger row that first took the member to each reputation in
    `levels` (1 + the sum so far). Reads the ledger oldest first, `LEDGER_BATCH` rows a query,
    and stops once every level is reached: one query for a member who reached them early or
    has a short ledger (the planner would sort a whole ledger for a running sum instead), none
    when `first` holds that first batch (`ledger_reads`)."""
    rows = ReputationEvent.objects.filter(user=user).order_by("created_at", "id")
    rows = rows.values_list("created_at", "id", "delta")
    found: dict[int, date] = {}
    total, batch = 0, list(rows[:LEDGER_BATCH]) if first is None else first
    while batch:
        for created_at, _, delta in batch:
            total += delta
            for level in levels:
                if level not in found and 1 + total >= level:
                    found[level] = created_at.astimezone(UTC).date()
        if len(found) == len(levels) or len(batch) < LEDGER_BATCH:
            break
        last_at, last_id = batch[-1][:2]
        later = Q(created_at__gt=last_at) | Q(created_at=last_at, id__gt=last_id)
        batch = list(rows.filter(later)[:LEDGER_BATCH])
    return {level: found.get(level) for level in levels}
