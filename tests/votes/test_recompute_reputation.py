"""`manage.py recompute_reputation` rebuilds reputation from the votes and accepts: after any
history made through the services it finds nothing to fix, and it fixes what was tampered."""

import random
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from freezegun import freeze_time

from answers.models import Answer
from moderation.services import delete_post, restore_post
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from votes import reputation
from votes.models import ReputationEvent, ReputationReason, Vote
from votes.services import accept_answer, cast_vote, invalidate_votes

pytestmark = pytest.mark.django_db


def recompute(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("recompute_reputation", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def random_history(rng: random.Random, steps: int):
    """Votes, changed and retracted votes, accepts and unaccepts, deletions and undeletions
    and spammer cleanups, as the site's views allow them, spread over a few UTC days. One
    member writes many posts and gets most votes, so the daily cap is reached; returns them."""
    members = UserFactory.create_batch(30)
    popular = members[0]
    for member in members[1:4]:
        reputation.award_bonus(user=member, amount=300)
    own = [QuestionFactory(author=popular) for _ in range(4)]
    questions = own + [QuestionFactory(author=rng.choice(members)) for _ in range(4)]
    own += [AnswerFactory(author=popular, question=rng.choice(questions)) for _ in range(4)]
    answers = [a for a in own if isinstance(a, Answer)] + [
        AnswerFactory(author=rng.choice(members), question=rng.choice(questions)) for _ in range(10)
    ]
    posts = questions + answers
    moment = datetime(2026, 3, 1, 22, 0, tzinfo=UTC)
    with freeze_time(moment) as clock:
        for step in range(1, steps + 1):
            moment += timedelta(hours=20) if rng.random() < 0.008 else timedelta(minutes=2)
            clock.move_to(moment)
            roll = rng.random()
            post = rng.choice(own if rng.random() < 0.7 else posts)
            post.refresh_from_db()
            if step % 150 == 0:
                invalidate_votes(voter=rng.choice(members[1:]))
            elif roll < 0.82:
                voter = rng.choice([m for m in members if m.pk != post.author_id])
                if not post.is_deleted:
                    cast_vote(voter=voter, post=post, value=rng.choice([1, 1, 1, -1, 0]))
            elif roll < 0.93:
                answer = rng.choice(answers)
                answer.refresh_from_db()
                if not answer.is_deleted:
                    accept_answer(answer=answer)
            else:
                post = rng.choice(posts)
                post.refresh_from_db()
                if post.is_deleted:
                    restore_post(post=post)
                else:
                    delete_post(actor=post.author, post=post)
    return popular


def most_upvotes_in_a_day(author) -> int:
    counting = Vote.objects.filter(
        Q(question__author=author, question__deleted_at__isnull=True)
        | Q(answer__author=author, answer__deleted_at__isnull=True),
        value=1,
    )
    days = counting.annotate(day=TruncDate("created_at")).values("day").annotate(n=Count("pk"))
    return max(day["n"] for day in days)


@pytest.mark.parametrize("seed", [7, 2026])
def test_after_a_random_history_there_is_nothing_to_fix(seed):
    popular = random_history(random.Random(seed), steps=400)
    # The history covered every rule it is meant to test, the cap included.
    reasons = set(ReputationEvent.objects.values_list("reason", flat=True))
    assert reasons >= {
        ReputationReason.UPVOTE,
        ReputationReason.DOWNVOTE,
        ReputationReason.DOWNVOTED_ANSWER,
        ReputationReason.ACCEPTED,
        ReputationReason.ACCEPTER,
        ReputationReason.UNACCEPTED,
        ReputationReason.VOTE_REVERSED,
        ReputationReason.POST_DELETED,
        ReputationReason.POST_RESTORED,
        ReputationReason.VOTES_INVALIDATED,
    }
    assert most_upvotes_in_a_day(popular) > 20
    rows = ReputationEvent.objects.count()

    out, err = recompute()

    assert out.strip() == "30 members checked: no drift."
    assert ReputationEvent.objects.count() == rows


def test_drift_is_reported_old_to_new_and_fixed():
    answer = AnswerFactory(author=UserFactory(username="ann"))
    voter = UserFactory(username="bob", reputation=200)
    cast_vote(voter=voter, post=answer, value=-1)
    ann, bob = answer.author, voter
    type(ann).objects.filter(pk=ann.pk).update(reputation=500)  # the stored total is off
    ReputationEvent.objects.filter(user=bob, reason=ReputationReason.DOWNVOTED_ANSWER).delete()

    out, err = recompute()

    assert "ann: 500 -> 1 (the stored total did not match the ledger)" in out
    assert "bob: 199 -> 199 (ledger -1 to match the votes and accepts)" in out
    assert "3 members checked, 2 drifted and fixed." in out  # and the asker, who did not
    assert "100%" in err and "3/3 members" in err
    correction = bob.reputation_events.get(reason=ReputationReason.CORRECTION)
    assert correction.delta == -1
    ann.refresh_from_db()
    assert ann.reputation == 1
    assert recompute()[0].strip() == "3 members checked: no drift."


def test_a_dry_run_reports_and_writes_nothing():
    member = UserFactory(username="cat")
    type(member).objects.filter(pk=member.pk).update(reputation=42)

    out, _ = recompute("--dry-run")

    assert "cat: 42 -> 1" in out
    assert "dry run: nothing written" in out
    member.refresh_from_db()
    assert member.reputation == 42
    assert not ReputationEvent.objects.exists()


def test_bonuses_and_opening_balances_are_kept():
    """A bonus is taken as granted; an opening balance (from the migration) is checked
    against the votes like any other row."""
    granted = UserFactory(reputation=1000)
    carried = UserFactory()
    question = QuestionFactory(author=carried)
    cast_vote(voter=granted, post=question, value=1)
    opening = carried.reputation_events.get()
    opening.reason = ReputationReason.OPENING
    opening.save()

    assert recompute()[0].strip() == "2 members checked: no drift."
    granted.refresh_from_db()
    assert granted.reputation == 1000


def test_no_progress_bar_at_verbosity_0():
    UserFactory()
    out, err = StringIO(), StringIO()
    call_command("recompute_reputation", verbosity=0, stdout=out, stderr=err)
    assert err.getvalue() == ""
