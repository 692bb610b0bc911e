"""The review queue: questions with close votes, posts with open flags (hidden or not) and the
first posts of new accounts, for members with `review`; a 403 with the reason for others; a
flat query count."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from flags import services as flag_services
from moderation import close_votes
from questions.models import Question
from tests.factories import (
    AnswerFactory,
    FlagFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REVIEWER = 500


def text(response) -> str:
    return unescape(response.content.decode())


def old_member(**kwargs) -> User:
    """A member whose account is past the first-post window."""
    user = UserFactory(**kwargs)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=30))
    user.refresh_from_db()
    return user


@pytest.fixture
def reviewer(client):
    user = old_member(reputation=REVIEWER)
    client.force_login(user)
    return user


def shown(response) -> set[str]:
    page = text(response)
    return {part.split('"')[0] for part in page.split('id="review-')[1:]}


def test_the_queue_lists_each_kind_of_post_needing_attention(client, reviewer):
    author = old_member()
    quiet = QuestionFactory(author=author)
    voted = QuestionFactory(author=author)
    close_votes.cast_close_vote(
        voter=old_member(reputation=3000), question=voted, reason="off-topic"
    )
    flagged = AnswerFactory(author=author, question=quiet)
    FlagFactory(question=None, answer=flagged)
    hidden = QuestionFactory(author=author)
    for _ in range(3):
        flag_services.flag_post(flagger=old_member(reputation=15), post=hidden, reason="spam")
    assert Question.objects.get(pk=hidden.pk).is_hidden
    newcomer = UserFactory()
    first = QuestionFactory(author=newcomer)
    second = AnswerFactory(author=newcomer, question=quiet)
    deleted = QuestionFactory(author=author)
    FlagFactory(question=deleted)
    Question.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())

    response = client.get("/review/")
    assert response.status_code == 200
    assert shown(response) == {
        f"question-{voted.pk}",
        f"answer-{flagged.pk}",
        f"question-{hidden.pk}",
        f"question-{first.pk}",
    }
    page = text(response)
    assert "1 close vote" in page
    assert "3 open flags" in page
    assert "first post" in page
    assert f"/questions/{voted.pk}/close-vote/" in page
    assert f"/answers/{flagged.pk}/flag/" in page
    assert f"/answers/{flagged.pk}/edit/" in page
    assert f"answer-{second.pk}" not in shown(response)


def test_the_queue_is_paginated(client, reviewer):
    for _ in range(25):
        QuestionFactory(author=UserFactory())  # each a new member's first post
    first = client.get("/review/")
    assert len(shown(first)) == 20
    assert len(shown(client.get("/review/?page=2"))) == 5
    assert len(shown(client.get("/review/?page=nope"))) == 20


def test_the_empty_queue_says_so(client, reviewer):
    assert "Nothing needs review right now." in text(client.get("/review/"))


def test_without_the_privilege_the_queue_is_403_with_the_reason(client):
    client.force_login(UserFactory(reputation=REVIEWER - 1))
    response = client.get("/review/")
    assert response.status_code == 403
    assert "You need 500 reputation to access the review queue." in text(response)


def test_anonymous_visitors_go_to_login(client):
    response = client.get("/review/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_moderators_and_launch_mode_members_get_in(client, settings):
    client.force_login(ModeratorFactory())
    assert client.get("/review/").status_code == 200
    settings.JOKESITE_LAUNCH_MODE = True
    client.force_login(UserFactory())
    assert client.get("/review/").status_code == 200


def test_the_header_links_the_queue_only_for_members_with_the_privilege(client):
    client.force_login(UserFactory(reputation=REVIEWER))
    assert 'href="/review/"' in text(client.get("/"))
    client.force_login(UserFactory(reputation=REVIEWER - 1))
    assert 'href="/review/"' not in text(client.get("/"))


def test_the_review_page_is_read_only(client, reviewer):
    assert client.post("/review/").status_code == 405


def build(count: int):
    author = old_member()
    closer = old_member(reputation=3000)
    for _ in range(count):
        question = QuestionFactory(author=author)
        close_votes.cast_close_vote(voter=closer, question=question, reason="off-topic")
        FlagFactory(question=None, answer=AnswerFactory(question=question, author=author))
        QuestionFactory(author=UserFactory())


def test_the_query_count_does_not_grow_with_the_queue(client, reviewer):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/review/").status_code == 200
        return len(captured)

    build(2)
    small = count()
    build(5)
    assert len(shown(client.get("/review/"))) == 20
    assert count() == small
