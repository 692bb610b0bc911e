"""Every write is limited: accepting, following, close and reopen votes, deleting and the ask
form's similar-questions check, besides asking, answering, voting, commenting, flagging and
editing (tests/questions/test_ratelimits.py). Past the limit: 429, nothing changed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from answers.models import Answer
from moderation.models import CloseVote
from notifications.models import Follow
from questions.models import Question
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def limited(settings):
    """Two of each a minute, for old and new accounts alike."""
    settings.RATELIMIT_ENABLE = True

    def tighten(*groups):
        settings.JOKESITE_RATE_LIMITS = {
            **settings.JOKESITE_RATE_LIMITS,
            **dict.fromkeys(groups, ("2/m", "2/m")),
        }

    return tighten


def old_member(**kwargs):
    return UserFactory(date_joined=timezone.now() - timedelta(days=30), **kwargs)


def test_accept_toggling_is_limited(client, limited):
    limited("accept")
    answer = AnswerFactory()
    client.force_login(answer.question.author)
    url = f"/answers/{answer.pk}/accept/"
    statuses = [client.post(url).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]
    assert not Answer.objects.get(pk=answer.pk).is_accepted  # accepted, unaccepted, refused


def test_follow_toggling_is_limited(client, limited):
    limited("follow")
    question = QuestionFactory()
    member = old_member()
    client.force_login(member)
    url = f"/questions/{question.pk}/follow/"
    statuses = [client.post(url, {"follow": f}).status_code for f in ("1", "0", "1")]
    assert statuses == [302, 302, 429]
    assert not Follow.objects.filter(user=member, question=question).exists()


def test_close_votes_are_limited(client, limited, launch_mode):
    limited("close")
    member = old_member(reputation=3000)
    client.force_login(member)
    questions = QuestionFactory.create_batch(3)
    statuses = [
        client.post(f"/questions/{q.pk}/close-vote/", {"reason": "off-topic"}).status_code
        for q in questions
    ]
    assert statuses == [302, 302, 429]
    assert not CloseVote.objects.filter(question=questions[2]).exists()


def test_moderator_close_and_reopen_are_limited(client, limited):
    limited("close")
    question = QuestionFactory()
    client.force_login(ModeratorFactory())
    assert (
        client.post(f"/questions/{question.pk}/close/", {"reason": "off-topic"}).status_code == 302
    )
    assert client.post(f"/questions/{question.pk}/reopen/").status_code == 302
    response = client.post(f"/questions/{question.pk}/close/", {"reason": "off-topic"})
    assert response.status_code == 429
    assert not Question.objects.get(pk=question.pk).is_closed


def test_deleting_is_limited(client, limited):
    limited("delete")
    member = old_member()
    client.force_login(member)
    questions = QuestionFactory.create_batch(3, author=member)
    statuses = [client.post(f"/questions/{q.pk}/delete/").status_code for q in questions]
    assert statuses == [302, 302, 429]
    assert Question.objects.get(pk=questions[2].pk).deleted_at is None


def test_the_ask_forms_similar_check_is_limited(client, limited):
    limited("similar_check")
    client.force_login(old_member())
    data = {"title": "Why does my joke fall flat?", "tags": "jokes", "check_similar": "1"}
    statuses = [client.post("/questions/ask/", data).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_lock_and_unlock_are_limited(client, limited):
    limited("moderate")
    question = QuestionFactory()
    client.force_login(ModeratorFactory())
    paths = ["lock", "unlock", "lock"]
    statuses = [client.post(f"/questions/{question.pk}/{p}/").status_code for p in paths]
    assert statuses == [302, 302, 429]
    assert Question.objects.get(pk=question.pk).locked_at is None
