"""Reputation follows Stack Overflow's rules, every change is a ledger row, and the total is
always max(1, 1 + the ledger)."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.models import Sum
from freezegun import freeze_time

from moderation.services import delete_post, restore_post
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from votes import reputation
from votes.models import ReputationEvent, ReputationReason
from votes.services import accept_answer, cast_vote, invalidate_votes

pytestmark = pytest.mark.django_db

R = ReputationReason


def rep(user) -> int:
    user.refresh_from_db(fields=["reputation"])
    return user.reputation


def ledger(user) -> list[tuple[str, int]]:
    """The member's rows, oldest first, bonuses (the factory's starting reputation) left out."""
    rows = user.reputation_events.exclude(reason=R.BONUS).order_by("created_at", "pk")
    return list(rows.values_list("reason", "delta"))


def assert_total_matches_ledger(*users):
    for user in users:
        total = user.reputation_events.aggregate(total=Sum("delta"))["total"] or 0
        assert rep(user) == max(1, 1 + total)


def voters(n):
    return UserFactory.create_batch(n)


# --- Votes ----------------------------------------------------------------------------------


@pytest.mark.parametrize("factory", [QuestionFactory, AnswerFactory])
def test_an_upvote_gives_the_author_10_and_costs_the_voter_nothing(factory):
    post = factory()
    voter = UserFactory()
    cast_vote(voter=voter, post=post, value=1)
    assert (rep(post.author), rep(voter)) == (11, 1)
    event = post.author.reputation_events.get()
    assert (event.reason, event.delta, event.post) == (R.UPVOTE, 10, post)
    assert ledger(voter) == []


def test_a_downvote_on_a_question_costs_the_author_2_and_the_voter_nothing():
    question = QuestionFactory(author=UserFactory(reputation=100))
    voter = UserFactory(reputation=200)
    cast_vote(voter=voter, post=question, value=-1)
    assert (rep(question.author), rep(voter)) == (98, 200)
    assert ledger(question.author) == [(R.DOWNVOTE, -2)]


def test_a_downvote_on_an_answer_costs_the_author_2_and_the_voter_1():
    answer = AnswerFactory(author=UserFactory(reputation=100))
    voter = UserFactory(reputation=200)
    cast_vote(voter=voter, post=answer, value=-1)
    assert (rep(answer.author), rep(voter)) == (98, 199)
    assert ledger(answer.author) == [(R.DOWNVOTE, -2)]
    assert ledger(voter) == [(R.DOWNVOTED_ANSWER, -1)]
    assert voter.reputation_events.get(reason=R.DOWNVOTED_ANSWER).answer == answer


def test_retracting_an_upvote_reverses_it():
    answer = AnswerFactory()
    voter = UserFactory()
    cast_vote(voter=voter, post=answer, value=1)
    cast_vote(voter=voter, post=answer, value=0)
    assert rep(answer.author) == 1
    assert ledger(answer.author) == [(R.UPVOTE, 10), (R.VOTE_REVERSED, -10)]


def test_retracting_a_downvote_on_an_answer_gives_both_back():
    answer = AnswerFactory(author=UserFactory(reputation=50))
    voter = UserFactory(reputation=50)
    cast_vote(voter=voter, post=answer, value=-1)
    cast_vote(voter=voter, post=answer, value=0)
    assert (rep(answer.author), rep(voter)) == (50, 50)
    assert ledger(answer.author) == [(R.DOWNVOTE, -2), (R.VOTE_REVERSED, 2)]
    assert ledger(voter) == [(R.DOWNVOTED_ANSWER, -1), (R.VOTE_REVERSED, 1)]


def test_changing_a_vote_reverses_the_old_one_and_books_the_new_one():
    answer = AnswerFactory(author=UserFactory(reputation=100))
    voter = UserFactory(reputation=200)
    assert cast_vote(voter=voter, post=answer, value=1) == 1
    assert cast_vote(voter=voter, post=answer, value=-1) == -1
    assert (rep(answer.author), rep(voter)) == (98, 199)
    assert ledger(answer.author) == [(R.UPVOTE, 10), (R.VOTE_REVERSED, -10), (R.DOWNVOTE, -2)]
    assert answer.votes.get().value == -1


def test_casting_the_same_vote_again_changes_nothing():
    answer = AnswerFactory()
    voter = UserFactory()
    cast_vote(voter=voter, post=answer, value=1)
    cast_vote(voter=voter, post=answer, value=1)
    assert rep(answer.author) == 11
    assert ledger(answer.author) == [(R.UPVOTE, 10)]


def test_reputation_never_shows_below_1_but_the_ledger_keeps_the_debt():
    """The floor is applied to the total only: a member at 1 who is downvoted owes the 2."""
    question = QuestionFactory()
    first, second = voters(2)
    cast_vote(voter=first, post=question, value=-1)
    assert rep(question.author) == 1
    assert ledger(question.author) == [(R.DOWNVOTE, -2)]
    cast_vote(voter=second, post=question, value=1)
    assert rep(question.author) == 9  # 1 - 2 + 10
    assert_total_matches_ledger(question.author, first, second)


# --- The daily cap --------------------------------------------------------------------------


@pytest.fixture
def author_with_posts():
    author = UserFactory()
    return author, QuestionFactory(author=author), AnswerFactory(author=author)


def test_votes_earn_at_most_200_a_day_and_the_next_day_starts_again(author_with_posts):
    author, question, answer = author_with_posts
    members = voters(22)
    with freeze_time("2026-03-02 08:00"):
        for voter in members[:11]:
            cast_vote(voter=voter, post=question, value=1)
        for voter in members[11:21]:
            cast_vote(voter=voter, post=answer, value=1)
        assert rep(author) == 201  # 21 upvotes, 20 of them paid
        assert len(ledger(author)) == 20  # the capped one earned nothing: no row
    with freeze_time("2026-03-03 00:00"):  # a new UTC day
        cast_vote(voter=members[21], post=question, value=1)
    assert rep(author) == 211
    assert_total_matches_ledger(author, *members)


def test_a_downvote_still_costs_after_the_cap_and_later_upvotes_earn_up_to_it(author_with_posts):
    author, question, answer = author_with_posts
    members = voters(23)
    with freeze_time("2026-03-02 08:00") as clock:
        for voter in members[:21]:
            cast_vote(voter=voter, post=question, value=1)
            clock.tick(1)
        cast_vote(voter=members[21], post=answer, value=-1)
        clock.tick(1)
        assert rep(author) == 199
        cast_vote(voter=members[22], post=answer, value=1)
    assert rep(author) == 201  # the last upvote earned 2: back to the cap, not past it
    assert ledger(author)[-2:] == [(R.DOWNVOTE, -2), (R.UPVOTE, 2)]


def test_retracting_a_vote_past_the_cap_costs_nothing(author_with_posts):
    """Each day is worked out from the votes standing: with 21 upvotes, any 20 earn 200."""
    author, question, _ = author_with_posts
    members = voters(22)
    with freeze_time("2026-03-02 08:00") as clock:
        for voter in members[:22]:
            cast_vote(voter=voter, post=question, value=1)
            clock.tick(1)
    with freeze_time("2026-03-04 08:00"):
        cast_vote(voter=members[0], post=question, value=0)  # the first one, which had paid
        cast_vote(voter=members[1], post=question, value=0)
        assert rep(author) == 201
        cast_vote(voter=members[2], post=question, value=0)
    assert rep(author) == 191
    assert ledger(author)[-1] == (R.VOTE_REVERSED, -10)
    assert reputation.recount(author.pk, fix=False).drifted is False


def test_accept_bonuses_and_downvoting_costs_are_outside_the_cap(author_with_posts):
    author, question, answer = author_with_posts
    asker = UserFactory()
    their_question = QuestionFactory(author=asker)
    accepted = AnswerFactory(author=author, question=their_question)
    other_answer = AnswerFactory(author=asker)
    with freeze_time("2026-03-02 08:00"):
        for voter in voters(21):
            cast_vote(voter=voter, post=answer, value=1)
        accept_answer(answer=accepted)
        cast_vote(voter=author, post=other_answer, value=-1)
    assert rep(author) == 1 + 200 + 15 - 1


# --- Accepted answers -----------------------------------------------------------------------


def test_accepting_gives_the_answerer_15_and_the_asker_2():
    answer = AnswerFactory()
    asker = answer.question.author
    assert accept_answer(answer=answer) is True
    assert (rep(answer.author), rep(asker)) == (16, 3)
    assert ledger(answer.author) == [(R.ACCEPTED, 15)]
    assert ledger(asker) == [(R.ACCEPTER, 2)]
    assert asker.reputation_events.get().answer == answer


def test_unaccepting_takes_both_back():
    answer = AnswerFactory()
    accept_answer(answer=answer)
    assert accept_answer(answer=answer) is False
    assert (rep(answer.author), rep(answer.question.author)) == (1, 1)
    assert ledger(answer.author) == [(R.ACCEPTED, 15), (R.UNACCEPTED, -15)]
    assert ledger(answer.question.author) == [(R.ACCEPTER, 2), (R.UNACCEPTED, -2)]


def test_accepting_ones_own_answer_earns_nothing():
    question = QuestionFactory()
    own = AnswerFactory(question=question, author=question.author)
    assert accept_answer(answer=own) is True
    assert rep(question.author) == 1
    assert ledger(question.author) == []


def test_accepting_another_answer_moves_the_bonus():
    question = QuestionFactory()
    first, second = AnswerFactory.create_batch(2, question=question)
    accept_answer(answer=first)
    accept_answer(answer=second)
    assert (rep(first.author), rep(second.author), rep(question.author)) == (1, 16, 3)
    assert ledger(question.author) == [(R.ACCEPTER, 2), (R.UNACCEPTED, -2), (R.ACCEPTER, 2)]


# --- Deleting and undeleting ----------------------------------------------------------------


def test_deleting_a_post_takes_its_vote_reputation_and_undeleting_gives_it_back():
    answer = AnswerFactory(author=UserFactory(reputation=100))
    up, down = voters(2)
    cast_vote(voter=up, post=answer, value=1)
    cast_vote(voter=down, post=answer, value=-1)
    assert (rep(answer.author), rep(down)) == (108, 1)  # the downvoter owes 1

    delete_post(actor=answer.author, post=answer)
    assert (rep(answer.author), rep(down)) == (100, 1)
    assert ledger(answer.author)[-1] == (R.POST_DELETED, -8)
    assert ledger(down)[-1] == (R.POST_DELETED, 1)

    restore_post(post=answer)
    assert rep(answer.author) == 108
    assert ledger(answer.author)[-1] == (R.POST_RESTORED, 8)
    assert ledger(down)[-1] == (R.POST_RESTORED, -1)
    assert_total_matches_ledger(answer.author, up, down)


def test_deleting_an_accepted_answer_takes_the_accept_and_undeleting_does_not_return_it():
    answer = AnswerFactory()
    asker = answer.question.author
    accept_answer(answer=answer)
    delete_post(actor=answer.author, post=answer)
    assert (rep(answer.author), rep(asker)) == (1, 1)
    assert ledger(answer.author)[-1] == (R.UNACCEPTED, -15)
    assert ledger(asker)[-1] == (R.UNACCEPTED, -2)
    restore_post(post=answer)
    assert (rep(answer.author), rep(asker)) == (1, 1)


def test_deleting_a_question_keeps_its_answers_reputation():
    answer = AnswerFactory()
    question = answer.question
    cast_vote(voter=UserFactory(), post=question, value=1)
    cast_vote(voter=UserFactory(), post=answer, value=1)
    delete_post(actor=question.author, post=question)
    assert (rep(question.author), rep(answer.author)) == (1, 11)


def test_votes_on_a_deleted_post_are_worth_nothing_until_it_is_undeleted():
    question = QuestionFactory(author=UserFactory(reputation=50))
    cast_vote(voter=UserFactory(), post=question, value=1)
    delete_post(actor=question.author, post=question)
    late = UserFactory()
    cast_vote(voter=late, post=question, value=1)  # the service trusts the view; still exact
    assert rep(question.author) == 50
    restore_post(post=question)
    assert rep(question.author) == 70


def test_a_delete_can_free_room_under_the_cap_for_the_days_other_votes(author_with_posts):
    author, question, answer = author_with_posts
    members = voters(25)
    with freeze_time("2026-03-02 08:00") as clock:
        for voter in members[:5]:
            cast_vote(voter=voter, post=answer, value=1)
            clock.tick(1)
        for voter in members[5:]:
            cast_vote(voter=voter, post=question, value=1)
            clock.tick(1)
    assert rep(author) == 201
    delete_post(actor=author, post=answer)
    assert rep(author) == 201  # the question's 20 upvotes now earn the whole 200
    restore_post(post=answer)
    assert rep(author) == 201
    assert reputation.recount(author.pk, fix=False).drifted is False


# --- Bonus, rows and totals -----------------------------------------------------------------


def test_a_bonus_is_a_ledger_row_too():
    member = UserFactory()
    reputation.award_bonus(user=member, amount=100)
    assert rep(member) == 101
    assert list(member.reputation_events.values_list("reason", "delta")) == [(R.BONUS, 100)]


def test_rows_carry_the_time_of_the_change():
    answer = AnswerFactory()
    with freeze_time("2026-05-01 12:00"):
        cast_vote(voter=UserFactory(), post=answer, value=1)
    event = ReputationEvent.objects.get(user=answer.author)
    assert event.created_at == datetime(2026, 5, 1, 12, tzinfo=UTC)


def test_a_day_total_climbs_to_the_cap_and_downvotes_always_count():
    assert reputation.day_total([1] * 25) == 200
    assert reputation.day_total([1] * 20 + [-1, 1]) == 200
    assert reputation.day_total([1] * 20 + [-1] * 3) == 194
    assert reputation.day_total([-1] * 3 + [1] * 21) == 200
    assert reputation.day_total([1, 1, 1], cap=25) == 25


def test_the_utc_day_decides_the_cap_not_the_local_one(settings, author_with_posts):
    settings.TIME_ZONE = "Asia/Shanghai"  # 23:50 UTC is 07:50 there: one local day
    author, question, _ = author_with_posts
    members = voters(21)
    start = datetime(2026, 3, 2, 23, 50, tzinfo=UTC)
    for i, voter in enumerate(members):
        with freeze_time(start + timedelta(minutes=i)):  # 10 before midnight UTC, 11 after
            cast_vote(voter=voter, post=question, value=1)
    assert rep(author) == 211


# --- Concurrency ----------------------------------------------------------------------------

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so nothing races; the row locks need PostgreSQL",
)


def run_together(*calls):
    """Start every call in its own thread (own database connection) at the same moment."""
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_vote_and_its_retraction_racing_leave_score_and_ledger_exact():
    author = UserFactory(reputation=100)
    voter = UserFactory(reputation=200)
    bystander = UserFactory(reputation=200)
    for _ in range(8):
        answer = AnswerFactory(author=author)
        other = AnswerFactory(author=author)
        run_together(
            lambda a=answer: cast_vote(voter=voter, post=a, value=-1),
            lambda a=answer: cast_vote(voter=voter, post=a, value=0),
            lambda o=other: cast_vote(voter=bystander, post=o, value=1),
        )
        answer.refresh_from_db()
        standing = list(answer.votes.values_list("value", flat=True))
        assert standing in ([], [-1])
        assert answer.score == sum(standing)
    assert_total_matches_ledger(author, voter, bystander)
    for member in (author, voter, bystander):
        assert reputation.recount(member.pk, fix=False).drifted is False
    downvotes = author.answers.filter(votes__value=-1).count()
    assert rep(author) == 100 + 8 * 10 - 2 * downvotes
    assert rep(voter) == 200 - downvotes


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_members_changing_votes_on_each_others_answers_do_not_deadlock():
    """A changed vote books twice (the retraction, then the new vote); the members are locked
    in one id-ordered batch first, or each would hold one member's row and wait for the
    other's."""
    ann, bob = UserFactory(reputation=200), UserFactory(reputation=200)
    for _ in range(6):
        anns, bobs = AnswerFactory(author=ann), AnswerFactory(author=bob)
        cast_vote(voter=bob, post=anns, value=1)
        cast_vote(voter=ann, post=bobs, value=1)
        run_together(
            lambda a=anns: cast_vote(voter=bob, post=a, value=-1),
            lambda b=bobs: cast_vote(voter=ann, post=b, value=-1),
        )
    assert_total_matches_ledger(ann, bob)
    assert (rep(ann), rep(bob)) == (200 - 6 * 3, 200 - 6 * 3)


@on_postgresql
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_daily_cap_holds_when_upvotes_arrive_at_once():
    author = UserFactory()
    answers = AnswerFactory.create_batch(24, author=author)
    members = voters(24)
    run_together(
        *(
            lambda v=voter, a=answer: cast_vote(voter=v, post=a, value=1)
            for voter, answer in zip(members, answers, strict=True)
        )
    )
    assert rep(author) == 201
    assert ledger(author) == [(R.UPVOTE, 10)] * 20
    assert reputation.recount(author.pk, fix=False).drifted is False


# --- Invalidating a member's votes ----------------------------------------------------------


def test_invalidating_votes_removes_them_and_everything_they_were_worth():
    spammer = UserFactory(reputation=500)
    question = QuestionFactory(author=UserFactory(reputation=100))
    answer = AnswerFactory(author=UserFactory(reputation=100))
    downvoted = AnswerFactory(author=UserFactory(reputation=100))
    cast_vote(voter=spammer, post=question, value=1)
    cast_vote(voter=spammer, post=answer, value=1)
    cast_vote(voter=spammer, post=downvoted, value=-1)
    honest = UserFactory()
    cast_vote(voter=honest, post=answer, value=1)

    assert invalidate_votes(voter=spammer) == 3

    assert not spammer.votes.exists()
    assert honest.votes.count() == 1
    for post, score in ((question, 0), (answer, 1), (downvoted, 0)):
        post.refresh_from_db()
        assert post.score == score
    assert [rep(p.author) for p in (question, answer, downvoted)] == [100, 110, 100]
    assert rep(spammer) == 500
    assert ledger(question.author)[-1] == (R.VOTES_INVALIDATED, -10)
    assert ledger(downvoted.author)[-1] == (R.VOTES_INVALIDATED, 2)
    assert ledger(spammer)[-1] == (R.VOTES_INVALIDATED, 1)
    assert_total_matches_ledger(spammer, honest, question.author, answer.author, downvoted.author)


def test_invalidating_votes_also_removes_those_on_deleted_posts():
    spammer = UserFactory(reputation=500)
    answer = AnswerFactory(author=UserFactory(reputation=100))
    cast_vote(voter=spammer, post=answer, value=-1)
    delete_post(actor=answer.author, post=answer)
    assert invalidate_votes(voter=spammer) == 1
    restore_post(post=answer)
    answer.refresh_from_db()
    assert (answer.score, rep(answer.author), rep(spammer)) == (0, 100, 500)


def test_invalidating_a_vote_past_the_cap_costs_its_author_nothing(author_with_posts):
    author, question, _ = author_with_posts
    spammer, *members = voters(22)
    with freeze_time("2026-03-02 08:00") as clock:
        cast_vote(voter=spammer, post=question, value=1)
        for voter in members:
            clock.tick(1)
            cast_vote(voter=voter, post=question, value=1)
    assert invalidate_votes(voter=spammer) == 1
    assert rep(author) == 201
    assert ledger(author)[-1] == (R.UPVOTE, 10)  # nothing booked: the day still earns 200


def test_invalidating_a_member_without_votes_does_nothing():
    assert invalidate_votes(voter=UserFactory()) == 0
    assert not ReputationEvent.objects.exclude(reason=R.BONUS).exists()
