"""Two reviewers deciding one review item at the same moment decide it in turn (PostgreSQL
row locks): a suggested edit is applied once, and a moderator's decision racing a member's
leaves exactly the decisions the queue allows. See tests/flags/test_flag_race.py for why these
run in real threads with `transaction=True`."""

import time

import pytest
from django.db import connection

from moderation import review
from moderation.models import ReviewDecision, ReviewItem
from revisions import services as revisions
from revisions.models import SuggestedEdit, SuggestionStatus
from tests.factories import ModeratorFactory, QuestionFactory, UserFactory
from tests.flags.test_flag_race import race
from votes.models import ReputationEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks: SQLite lets one writer in at a time, so there is no race",
    ),
    pytest.mark.django_db(transaction=True),
]

BODY = "A clearer body for this post, with the typo fixed and nothing else changed."


@pytest.fixture
def slow_check(monkeypatch):
    """Hold the locks a moment after the check, so the second reviewer surely arrives while
    the first is still deciding."""
    item_of = review.item_of  # looked up under the post's lock

    def slow(*args, **kwargs):
        result = item_of(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(review, "item_of", slow)


def test_two_reviewers_approving_one_suggestion_apply_it_once(slow_check):
    question = QuestionFactory(author=UserFactory(seasoned=True))
    suggester = UserFactory()
    suggestion = revisions.suggest_edit(
        suggester=suggester,
        post=question,
        body=BODY,
        title=question.title,
        tags=question.tag_names(),
    )
    reviewers = [ModeratorFactory(), UserFactory(reputation=2000, seasoned=True)]

    def approve(reviewer):
        return lambda: review.decide(
            reviewer=reviewer, queue="suggested-edits", target=suggestion, decision="approve"
        )

    results, errors = race([approve(reviewer) for reviewer in reviewers])

    assert len(results) == 1
    assert [type(error) for error in errors] == [review.ReviewClosed]
    assert SuggestedEdit.objects.get().status == SuggestionStatus.APPROVED
    assert question.revisions.filter(editor=suggester).count() == 1
    assert ReputationEvent.objects.filter(user=suggester).count() == 1
    assert ReviewDecision.objects.count() == 1


def test_a_moderator_and_two_members_on_one_first_post(slow_check, settings):
    """Needed: 2. Whatever the order, no more decisions are recorded than end the review."""
    settings.JOKESITE_REVIEWS_NEEDED = 2
    first = QuestionFactory(author=UserFactory())
    reviewers = [ModeratorFactory(), *UserFactory.create_batch(2, reputation=500, seasoned=True)]

    def looks_ok(reviewer):
        return lambda: review.decide(
            reviewer=reviewer, queue="first-posts", target=first, decision="looks-ok"
        )

    results, errors = race([looks_ok(reviewer) for reviewer in reviewers])

    decisions = list(ReviewDecision.objects.order_by("created_at", "pk"))
    assert len(results) == len(decisions)
    assert all(isinstance(error, review.ReviewClosed) for error in errors)
    # The review ended exactly at the decision that ended it: a binding one, or the 2nd.
    ended = (
        [d.binding for d in decisions].index(True) + 1 if any(d.binding for d in decisions) else 2
    )
    assert len(decisions) == min(ended, 2)
    item = ReviewItem.objects.get(question=first)
    assert not item.is_open
    assert item.reviews_done == len(decisions)
