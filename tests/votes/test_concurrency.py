"""Many requests at once against one thread: counters and reputation stay exact.

Real threads, each with its own database connection, released together by a barrier. SQLite
serialises every writer, so these only prove something on PostgreSQL; run them with

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jokesite \
        pytest tests/votes/test_concurrency.py
"""

import threading

import pytest
from django.db import connection
from django.test import Client

from answers import services as answer_services
from answers.models import Answer
from moderation import services as moderation_services
from revisions import services as revision_services
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.helpers import BODY
from votes import services as vote_services
from votes.models import Vote

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs concurrent writers and row locks: set DATABASE_URL to PostgreSQL",
    ),
    pytest.mark.django_db(transaction=True),
]


def run_together(*calls):
    """Run every call in its own thread, all released at once; return their results in order.

    Each thread closes its database connection when done, so none is left open for the test
    database teardown. Any exception in a thread fails the test.
    """
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)
    errors = []

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as exc:  # reported below, with the thread it came from
            errors.append((index, exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    assert errors == []
    return results


def logged_in_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_thirty_members_upvoting_one_answer_at_once_all_count(launch_mode):
    answer = AnswerFactory()
    clients = [logged_in_client(UserFactory()) for _ in range(30)]
    url = f"/answers/{answer.pk}/vote/"

    def vote(client):
        return lambda: client.post(url, {"value": "1"}, HTTP_ACCEPT="application/json")

    responses = run_together(*(vote(client) for client in clients))
    assert [r.status_code for r in responses] == [200] * 30
    assert sorted(r.json()["score"] for r in responses) == list(range(1, 31))
    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.score == 30
    assert Vote.objects.filter(answer=answer).count() == 30
    assert answer.author.reputation == 1 + 200  # 30 upvotes in one day: the daily cap


def test_one_member_upvoting_twenty_times_at_once_counts_once():
    answer = AnswerFactory()
    voter = UserFactory()

    def vote():
        return vote_services.cast_vote(voter=voter, post=answer, value=1)

    assert run_together(*[vote] * 20) == [1] * 20
    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.score == 1
    assert Vote.objects.filter(answer=answer, voter=voter).count() == 1
    assert answer.author.reputation == 11


def test_twenty_answers_posted_at_once_are_all_counted():
    question = QuestionFactory()
    clients = [logged_in_client(UserFactory()) for _ in range(20)]
    url = f"/questions/{question.pk}/answer/"

    def answer(client):
        return lambda: client.post(url, {"body": BODY})

    responses = run_together(*(answer(client) for client in clients))
    assert [r.status_code for r in responses] == [302] * 20
    question.refresh_from_db()
    assert question.answer_count == 20
    assert Answer.objects.filter(question=question).count() == 20


@pytest.mark.parametrize("round_", range(5))
def test_accepting_two_answers_at_once_leaves_exactly_one_accepted(round_):
    question = QuestionFactory()
    first, second = AnswerFactory.create_batch(2, question=question)

    def accept(answer):
        return lambda: vote_services.accept_answer(answer=answer)

    assert run_together(accept(first), accept(second)) == [True, True]
    accepted = list(Answer.objects.filter(question=question, is_accepted=True))
    assert len(accepted) == 1
    loser = first if accepted[0] == second else second
    accepted[0].author.refresh_from_db()
    loser.author.refresh_from_db()
    question.author.refresh_from_db()
    assert (accepted[0].author.reputation, loser.author.reputation) == (16, 1)
    assert question.author.reputation == 3


@pytest.mark.parametrize("round_", range(10))
def test_deleting_accepting_and_editing_one_answer_at_once_neither_deadlock_nor_drift(round_):
    question = QuestionFactory()
    answer = answer_services.post_answer(author=UserFactory(), question=question, body=BODY)
    answer = Answer.objects.select_related("question").get(pk=answer.pk)

    run_together(
        lambda: moderation_services.delete_post(actor=answer.author, post=answer),
        lambda: vote_services.accept_answer(answer=answer),
        lambda: revision_services.edit_post(
            editor=answer.author, post=answer, body=BODY + " Edited."
        ),
    )
    answer.refresh_from_db()
    question.refresh_from_db()
    answer.author.refresh_from_db()
    question.author.refresh_from_db()
    # Whatever order the database ran them in: deleted, not accepted, nothing earned.
    assert answer.is_deleted and not answer.is_accepted
    assert question.answer_count == 0
    assert (answer.author.reputation, question.author.reputation) == (1, 1)
