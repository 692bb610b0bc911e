"""Two moderators acting on one flag at the same moment decide it once (PostgreSQL row locks).

Real threads with their own connections and committed data, so these tests need
`transaction=True`. No `serialized_rollback`: reloading the content types after another
transactional test's flush has made them again collides on their unique key;
`ModeratorFactory` makes the Moderators group again when a flush has emptied it.
"""

import threading
import time

import pytest
from django.db import connection

from flags.models import Flag, FlagStatus
from moderation import services as moderation
from moderation.models import ModerationAction
from moderation.services import FlagDecision
from tests.factories import FlagFactory, ModeratorFactory, QuestionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks: SQLite lets one writer in at a time, so there is no race",
    ),
    pytest.mark.django_db(transaction=True),
]


def race(calls):
    """Run each call in its own thread, all released at once; return results and errors."""
    barrier = threading.Barrier(len(calls))
    results, errors = [], []

    def run(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except Exception as error:  # reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.fixture
def slow_settle(monkeypatch):
    """Hold the flag locks a moment, so the second moderator surely arrives while the first
    is still deciding."""
    settle = moderation._settle

    def slow(*args, **kwargs):
        flags = settle(*args, **kwargs)
        time.sleep(0.3)
        return flags

    monkeypatch.setattr(moderation, "_settle", slow)


@pytest.mark.parametrize(
    "decisions",
    [
        (FlagDecision.DELETE_AND_SUSPEND, FlagDecision.DELETE_AND_SUSPEND),
        (FlagDecision.DISMISS, FlagDecision.DELETE),
    ],
    ids=["both-delete-and-suspend", "dismiss-against-delete"],
)
def test_two_moderators_on_one_flag_decide_it_once(slow_settle, decisions):
    question = QuestionFactory()
    flag = FlagFactory(question=question)
    moderators = ModeratorFactory.create_batch(2)

    results, errors = race(
        [
            lambda moderator=moderator, decision=decision: moderation.handle_flags(
                moderator=moderator, flags=[flag], decision=decision
            )
            for moderator, decision in zip(moderators, decisions, strict=True)
        ]
    )

    assert not errors
    assert sorted(outcome.targets for outcome in results) == [0, 1]
    flag.refresh_from_db()
    assert flag.status != FlagStatus.OPEN
    assert flag.handled_by in moderators
    decided = ModerationAction.objects.exclude(action=ModerationAction.Kind.SUSPEND)
    assert decided.count() == 1
    assert decided.get().actor == flag.handled_by
    question.refresh_from_db()
    question.author.refresh_from_db()
    if decided.get().action == ModerationAction.Kind.DELETE:
        assert question.is_deleted
    else:
        assert not question.is_deleted
    suspensions = ModerationAction.objects.filter(action=ModerationAction.Kind.SUSPEND)
    assert suspensions.count() == (1 if decisions[0] == FlagDecision.DELETE_AND_SUSPEND else 0)
    assert question.author.is_suspended == suspensions.exists()


def test_moderators_on_different_flags_of_one_post_settle_them_together(slow_settle):
    question = QuestionFactory()
    first, second = FlagFactory.create_batch(2, question=question)
    moderators = ModeratorFactory.create_batch(2)

    results, errors = race(
        [
            lambda: moderation.handle_flags(
                moderator=moderators[0], flags=[first], decision=FlagDecision.DISMISS
            ),
            lambda: moderation.handle_flags(
                moderator=moderators[1], flags=[second], decision=FlagDecision.DISMISS
            ),
        ]
    )

    assert not errors
    assert sorted(outcome.flags for outcome in results) == [0, 2]
    handlers = set(Flag.objects.values_list("handled_by", flat=True))
    assert len(handlers) == 1
    assert ModerationAction.objects.count() == 1
