"""What a profile reads, in a fixed number of queries that each stop early or read a few rows,
however long the member's history (the busiest member of a million-question site has tens of
thousands of answers and reputation rows).

- The totals come from the counts PostgreSQL keeps on write (`questions.liststore`), or are
  counted (SQLite).
- The milestones' dates are the first row of an index each (`answer_author_vis`,
  `answer_author_accepted`, `answer_author_nice`), and "10 answers voted up" counts to 10.
- The chart reads only the last days' ledger rows: the reputation before them is the stored
  total minus them (`User.reputation = max(1, 1 + ledger sum)`, so known above the floor).
- The first days reaching 100 and 1,000 reputation stop at the ledger row that reaches them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Exists, Func, Q, Subquery, Sum
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


def post_totals(user) -> dict[str, int]:
    """The member's shown "questions", "answers" and "accepted" answers: one query."""
    if liststore.stored():
        return liststore.member_counts(user.pk)
    questions = Question.objects.visible().filter(author=user)
    answers = Answer.objects.visible().filter(author=user)
    row = (
        type(user)
        .objects.filter(pk=user.pk)
        .values(
            n_questions=_count(questions),
            n_answers=_count(answers),
            n_accepted=_count(answers.filter(is_accepted=True)),
        )
        .get()
    )
    return {name: row[f"n_{name}"] for name in ("questions", "answers", "accepted")}


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


def reputation_days(user, today: date, days: int) -> list[tuple[date, int]]:
    """Daily ledger sums, oldest first, for a chart of the last `days` days up to `today`:
    the sums of those days, after one row (the day before them) holding all earlier ones when
    the stored reputation tells it; the whole ledger for a member at the floor. One query."""
    start = today - timedelta(days=days - 1)
    events = user.reputation_events.all()
    known = user.reputation > 1  # then the ledger sums to reputation - 1
    if known:
        events = events.filter(created_at__gte=datetime.combine(start, time.min, tzinfo=UTC))
    daily = list(
        events.annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values_list("day")
        .annotate(delta=Sum("delta"))
        .order_by("day")
    )
    if known:
        earlier = user.reputation - 1 - sum(delta for _, delta in daily)
        daily.insert(0, (start - timedelta(days=1), earlier))
    return daily


def first_days_reaching(user, levels: tuple[int, ...]) -> dict[int, date | None]:
    """The UTC day of the ledger row that first took the member to each reputation in
    `levels` (1 + the sum so far). Reads the ledger oldest first, `LEDGER_BATCH` rows a query,
    and stops once every level is reached: one query for a member who reached them early or
    has a short ledger (the planner would sort a whole ledger for a running sum instead)."""
    rows = ReputationEvent.objects.filter(user=user).order_by("created_at", "id")
    rows = rows.values_list("created_at", "id", "delta")
    found: dict[int, date] = {}
    total, batch = 0, list(rows[:LEDGER_BATCH])
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
