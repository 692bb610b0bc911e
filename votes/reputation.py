"""Reputation as Stack Overflow earns and loses it, kept in a ledger (`accounts.ReputationEvent`).

The rules
    an upvote on a question or an answer      +10 to its author
    a downvote on a question or an answer      -2 to its author
    downvoting an answer                       -1 to the voter (downvoting a question is free)
    an accepted answer                         +15 to its author, +2 to the asker; nothing when
                                               askers accept their own answer
    a bonus granted by hand (`award_bonus`)    as granted

What counts. A vote counts while it stands and its post is not deleted; an accept counts while
the answer is accepted and not deleted. So retracting or changing a vote, deleting or undeleting
a post, unaccepting, and `votes.services.invalidate_votes` all move reputation back, and every
move is a ledger row. A post's reputation follows that post alone: deleting a question takes
its own votes away, not its answers'.

The daily cap. Per member and UTC day, the votes received that were cast that day are added up
in the order they were cast, and the running total never climbs past `DAILY_CAP`: an upvote past
the cap earns nothing, a downvote still costs 2, and a later upvote earns again up to the cap.
Accepts, bonuses and the -1 for downvoting are outside the cap. Whenever the votes of a day
change, that day is worked out again from the votes standing then, so the total is a function
of the data alone: retracting a vote past the cap costs nothing, and `recompute_reputation`
(the same measures over all time) finds the ledger exact.

The floor. Ledger rows are never clipped; `User.reputation = max(1, 1 + sum of the rows)`. A
member at 1 who receives a downvote owes those 2 before the next upvote shows. The cap limits a
day's vote earnings (a ledger quantity) and the floor only the total, so the two never meet.

How it stays exact. Every write that can change what a member's votes, downvotes or accepts are
worth runs inside a `booking`, in the caller's transaction, after the caller has locked the
posts involved (question rows before answer rows). The booking locks the members' rows in id
order (posts, then users: the lock order of `questions.services`), measures what the standing
data is worth to them, lets the caller write, measures again, adds the differences to the
ledger and sets `User.reputation` from it. Measuring rather than adding rule by rule is what
keeps the incremental ledger and a full recount equal.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest

from pagecache import versions as page_versions
from questions.models import Question
from votes.models import ReputationEvent, ReputationReason, Vote

if TYPE_CHECKING:
    from accounts.models import User
    from core.models import Post

UPVOTE_RECEIVED = 10
DOWNVOTE_RECEIVED = -2
DOWNVOTE_ANSWER_GIVEN = -1
ANSWER_ACCEPTED = 15
ACCEPTER = 2
DAILY_CAP = 200
SUGGESTED_EDIT = 2
SUGGESTED_EDIT_CAP = 1000  # in total, over all time, as on Stack Overflow

# The kinds of reputation a booking measures, in the order rows are written.
RECEIVED, DOWNVOTES, ACCEPTED, ACCEPTER_KIND = "received", "downvotes", "accepted", "accepter"
KINDS = (RECEIVED, DOWNVOTES, ACCEPTED, ACCEPTER_KIND)


def _answer_model():
    return apps.get_model("answers", "Answer")


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def day_total(values: Iterable[int], cap: int | None = None) -> int:
    """What the votes one member received for one UTC day earn, in the order they were cast:
    the running total never climbs past the cap; downvotes always count."""
    cap = DAILY_CAP if cap is None else cap
    total = 0
    for value in values:
        if value == 1:
            total = max(total, min(cap, total + UPVOTE_RECEIVED))
        elif value == -1:
            total += DOWNVOTE_RECEIVED
    return total


# --- Measures: what the standing data is worth, per member ----------------------------------


def _received(days: dict[int, set[date]] | None, user_ids: Iterable[int] = ()) -> Counter:
    """Capped vote reputation each author receives on the given UTC days (`days`: author ->
    days), or on every day for `user_ids` when `days` is None."""
    authors = list(days) if days is not None else list(user_ids)
    if not authors:
        return Counter()
    # Votes on the authors' visible posts, found through the posts' author index.
    posts = {"author_id__in": authors, "deleted_at__isnull": True}
    votes = Vote.objects.filter(
        Q(question__in=Question.objects.filter(**posts).values("pk"))
        | Q(answer__in=_answer_model().objects.filter(**posts).values("pk"))
    )
    if days is not None:
        every_day = set().union(*days.values())
        if not every_day:
            return Counter()
        start = datetime.combine(min(every_day), time(), UTC)
        end = datetime.combine(max(every_day) + timedelta(days=1), time(), UTC)
        votes = votes.filter(created_at__gte=start, created_at__lt=end)
    rows = (
        votes.annotate(author=Coalesce("question__author_id", "answer__author_id"))
        .order_by("created_at", "pk")
        .values_list("author", "created_at", "value")
    )
    by_day: dict[tuple[int, date], list[int]] = defaultdict(list)
    for author, created_at, value in rows.iterator(chunk_size=2000):
        day = utc_day(created_at)
        if days is None or day in days[author]:
            by_day[author, day].append(value)
    earned: Counter = Counter()
    for (author, _day), values in by_day.items():
        earned[author] += day_total(values)
    return earned


def _downvote_costs(user_ids: Iterable[int]) -> Counter:
    rows = (
        Vote.objects.filter(
            voter_id__in=list(user_ids),
            value=-1,
            answer__isnull=False,
            answer__deleted_at__isnull=True,
        )
        .values_list("voter_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({voter: n * DOWNVOTE_ANSWER_GIVEN for voter, n in rows})


def _counting_accepts():
    """Accepted answers that earn reputation: not deleted, not accepted by their own author."""
    return (
        _answer_model()
        .objects.filter(is_accepted=True, deleted_at__isnull=True)
        .exclude(author_id=F("question__author_id"))
    )


def _accepted(user_ids: Iterable[int]) -> Counter:
    rows = (
        _counting_accepts()
        .filter(author_id__in=list(user_ids))
        .values_list("author_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({author: n * ANSWER_ACCEPTED for author, n in rows})


def _accepter(user_ids: Iterable[int]) -> Counter:
    rows = (
        _counting_accepts()
        .filter(question__author_id__in=list(user_ids))
        .values_list("question__author_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({asker: n * ACCEPTER for asker, n in rows})


# --- Bookings -------------------------------------------------------------------------------


@dataclass
class Change:
    """Whose reputation a write may move, by which kind, and the reason each kind is booked
    under (`reason`, or `reasons[kind]`). Build one with `for_votes` or `for_accept`."""

    reason: str
    post: Post | None = None
    received: dict[int, set[date]] = field(default_factory=lambda: defaultdict(set))
    downvoters: set[int] = field(default_factory=set)
    answerers: set[int] = field(default_factory=set)
    askers: set[int] = field(default_factory=set)
    reasons: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_votes(
        cls, votes: Iterable[Vote], *, reason: str, post: Post | None = None, **reasons: str
    ) -> Change:
        """A change to whether `votes` count. Without `post`, each vote's post must be loaded
        (`select_related("question", "answer")`)."""
        change = cls(reason=reason, post=post, reasons=reasons)
        for vote in votes:
            vote_post = post or vote.post
            change.received[vote_post.author_id].add(utc_day(vote.created_at))
            if vote.value == -1 and not isinstance(vote_post, Question):
                change.downvoters.add(vote.voter_id)
        return change

    @classmethod
    def for_accept(cls, answer, *, asker_id: int, reason: str, **reasons: str) -> Change:
        """A change to whether `answer` is accepted (or counts as accepted)."""
        return cls(
            reason=reason,
            post=answer,
            answerers={answer.author_id},
            askers={asker_id},
            reasons=reasons,
        )

    def include_accept(self, answer, *, asker_id: int, reason: str) -> None:
        self.answerers.add(answer.author_id)
        self.askers.add(asker_id)
        self.reasons.setdefault(ACCEPTED, reason)
        self.reasons.setdefault(ACCEPTER_KIND, reason)

    @property
    def user_ids(self) -> set[int]:
        return set(self.received) | self.downvoters | self.answerers | self.askers

    def reason_for(self, kind: str) -> str:
        return self.reasons.get(kind, self.reason)

    def measure(self) -> dict[str, Counter]:
        return {
            RECEIVED: _received(self.received) if self.received else Counter(),
            DOWNVOTES: _downvote_costs(self.downvoters) if self.downvoters else Counter(),
            ACCEPTED: _accepted(self.answerers) if self.answerers else Counter(),
            ACCEPTER_KIND: _accepter(self.askers) if self.askers else Counter(),
        }


def lock_users(user_ids: Iterable[int]) -> None:
    """Lock members' rows in id order: whoever books for a member waits for the last booking
    for them to commit, and then measures what it wrote."""
    ids = sorted(set(user_ids))
    if ids:
        list(
            get_user_model()
            .objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def _post_fields(post: Post | None) -> dict:
    if post is None:
        return {}
    return {post.kind: post}


def _write(deltas: dict[tuple[int, str], int], post: Post | None) -> None:
    """Add ledger rows for the non-zero deltas and bring the members' totals up to date."""
    rows = [
        ReputationEvent(user_id=user_id, reason=reason, delta=delta, **_post_fields(post))
        for (user_id, reason), delta in deltas.items()
        if delta
    ]
    if rows:
        ReputationEvent.objects.bulk_create(rows)
        sync_totals({row.user_id for row in rows})


def sync_totals(user_ids: Iterable[int]) -> None:
    """Set `User.reputation = max(1, 1 + ledger sum)`. Call with the members' rows locked."""
    total = (
        ReputationEvent.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(total=Sum("delta"))
        .values("total")
    )
    get_user_model().objects.filter(pk__in=list(user_ids)).update(
        reputation=Greatest(Value(1), Value(1) + Coalesce(Subquery(total), Value(0)))
    )


@contextmanager
def booking(change: Change) -> Iterator[None]:
    """Book what the write in the `with` block does to the members `change` names.

    Precondition: inside a transaction, with the posts involved already locked. Locks the
    members, measures, runs the block, measures again and writes the differences. A write that
    books more than once locks all its members with one `lock_users` call first: members are
    only ever locked in one id-ordered batch per transaction, or two could deadlock.
    """
    lock_users(change.user_ids)
    page_versions.touch_users(change.user_ids)  # in a thread's write: their cards elsewhere
    before = change.measure()
    yield
    after = change.measure()
    deltas: dict[tuple[int, str], int] = Counter()
    for kind in KINDS:
        for user_id in set(before[kind]) | set(after[kind]):
            deltas[user_id, change.reason_for(kind)] += after[kind][user_id] - before[kind][user_id]
    _write(deltas, change.post)


@transaction.atomic
def award_bonus(*, user: User, amount: int) -> ReputationEvent:
    """Grant (or, negative, take) reputation by hand. A bonus is outside the daily cap and is
    kept as it is by `recompute_reputation`."""
    lock_users([user.pk])
    event = ReputationEvent.objects.create(user=user, delta=amount, reason=ReputationReason.BONUS)
    sync_totals([user.pk])
    user.refresh_from_db(fields=["reputation"])
    return event


@transaction.atomic
def award_suggested_edit(*, user: User, post: Post) -> ReputationEvent | None:
    """+2 to the member whose suggested edit was approved, until their suggested edits have
    earned `SUGGESTED_EDIT_CAP` in total; None once they have.

    Booked once, when the suggestion is approved, like a bonus: `recompute_reputation` keeps
    these rows as they are (the suggestions live in `revisions`, a sibling this app does not
    read), so the recount and the ledger agree by construction. The member's row is locked
    first, so two approvals at once cannot both pass the cap.
    """
    lock_users([user.pk])
    earned = ReputationEvent.objects.filter(
        user=user, reason=ReputationReason.SUGGESTED_EDIT
    ).aggregate(total=Coalesce(Sum("delta"), 0))["total"]
    delta = min(SUGGESTED_EDIT, SUGGESTED_EDIT_CAP - earned)
    if delta <= 0:
        return None
    event = ReputationEvent.objects.create(
        user=user, delta=delta, reason=ReputationReason.SUGGESTED_EDIT, **_post_fields(post)
    )
    sync_totals([user.pk])
    return event


# --- Recount --------------------------------------------------------------------------------


class Recount(NamedTuple):
    user_id: int
    old: int  # stored reputation before
    new: int  # stored reputation after (or that it should have)
    correction: int  # ledger row added: what the votes and accepts say minus the ledger

    @property
    def drifted(self) -> bool:
        return self.old != self.new or bool(self.correction)


def worth(user_id: int) -> int:
    """What the standing votes, downvotes and accepts are worth to a member, all days."""
    ids = [user_id]
    return sum(
        counter[user_id]
        for counter in (_received(None, ids), _downvote_costs(ids), _accepted(ids), _accepter(ids))
    )


def worth_of(user_ids: Iterable[int]) -> Counter:
    """`worth` for many members at once (a bulk import): four queries, whatever their number."""
    ids = list(user_ids)
    total: Counter = Counter()
    for counter in (_received(None, ids), _downvote_costs(ids), _accepted(ids), _accepter(ids)):
        total.update(counter)
    return total


@transaction.atomic
def recount(user_id: int, *, fix: bool = True) -> Recount:
    """Check one member's ledger against the votes and accepts, and their total against the
    ledger. With `fix`, add a correction row for the first and store the right total.

    Locks the member's row, so no booking for them runs meanwhile.
    """
    lock_users([user_id])
    User = get_user_model()
    old = User.objects.values_list("reputation", flat=True).get(pk=user_id)
    sums = ReputationEvent.objects.filter(user_id=user_id).aggregate(
        total=Coalesce(Sum("delta"), 0),
        derived=Coalesce(
            Sum("delta", filter=Q(reason__in=ReputationReason.from_votes_and_accepts())), 0
        ),
    )
    correction = worth(user_id) - sums["derived"]
    new = max(1, 1 + sums["total"] + correction)
    if fix:
        if correction:
            ReputationEvent.objects.create(
                user_id=user_id, delta=correction, reason=ReputationReason.CORRECTION
            )
        if new != old:
            User.objects.filter(pk=user_id).update(reputation=new)
    return Recount(user_id, old, new, correction)
