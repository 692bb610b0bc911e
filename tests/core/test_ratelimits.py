import time
from datetime import timedelta

import django_ratelimit.core
import pytest
from django.utils import timezone
from freezegun import freeze_time

from questions.models import Question
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from votes.models import Vote


def _window_without_jitter(value, period):
    """django-ratelimit's window end, without the per-key offset it adds (a hash of the key),
    so a test knows how much of the window is left."""
    now = int(time.time())
    return now - now % period + period


@pytest.fixture
def limits(settings, launch_mode, monkeypatch):
    """Limits on, and the clock one second into a whole hour with windows starting on the
    hour: a window never ends in the middle of a test, and Retry-After is the window's length
    less a second. (With the real clock and the per-key offset, a window can end between two
    requests, and the wait left can be anything from 1 second to the whole period.)"""
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_RATE_LIMITS = {
        **settings.JOKESITE_RATE_LIMITS,
        "vote": ("3/m", "2/m"),
        "answer": ("2/h", "1/h"),
    }
    monkeypatch.setattr(django_ratelimit.core, "_get_window", _window_without_jitter)
    with freeze_time("2026-12-06 10:00:01"):
        yield


def _old_member():
    return UserFactory(date_joined=timezone.now() - timedelta(days=30))


@pytest.mark.django_db
def test_votes_over_the_limit_get_429_with_retry_after(client, limits):
    client.force_login(_old_member())
    answers = AnswerFactory.create_batch(4)
    statuses = [client.post(f"/answers/{a.pk}/vote/", {"value": "1"}).status_code for a in answers]
    assert statuses == [302, 302, 302, 429]
    response = client.post(f"/answers/{answers[0].pk}/vote/", {"value": "0"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "Slow down" in response.content.decode()
    assert Vote.objects.count() == 3  # nothing beyond the limit was written


@pytest.mark.django_db
def test_new_accounts_get_the_stricter_rate(client, limits):
    client.force_login(UserFactory())  # joined just now
    question = QuestionFactory()
    body = {"body": "An answer that is long enough to be accepted by the form."}
    assert client.post(f"/questions/{question.pk}/answer/", body).status_code == 302
    assert client.post(f"/questions/{question.pk}/answer/", body).status_code == 429
    assert question.answers.count() == 1


@pytest.mark.django_db
def test_limit_is_per_member_and_resets_with_the_window(client, limits):
    member, other = _old_member(), _old_member()
    answers = AnswerFactory.create_batch(5)
    with freeze_time(timezone.now()) as frozen:
        client.force_login(member)
        for answer in answers[:3]:
            client.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
        assert client.post(f"/answers/{answers[3].pk}/vote/", {"value": "1"}).status_code == 429
        client.force_login(other)
        assert client.post(f"/answers/{answers[3].pk}/vote/", {"value": "1"}).status_code == 302
        frozen.tick(timedelta(minutes=2))
        client.force_login(member)
        assert client.post(f"/answers/{answers[4].pk}/vote/", {"value": "1"}).status_code == 302


@pytest.mark.django_db
def test_reading_is_never_limited(client, limits):
    question = QuestionFactory()
    for _ in range(10):
        assert client.get(question.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_refused_questions_do_not_count_toward_the_limit(client, limits, settings):
    """A new member who sends a too-short title three times can still post the fixed one."""
    settings.JOKESITE_RATE_LIMITS = {**settings.JOKESITE_RATE_LIMITS, "ask": ("6/h", "1/h")}
    client.force_login(UserFactory())  # joined just now: 1 question an hour
    short = {"title": "太短", "body": "A body that is long enough for the form.", "tags": "a"}
    for _ in range(3):
        response = client.post("/questions/ask/", short)
        assert response.status_code == 400
        assert "at least 15 characters" in response.content.decode()
    good = {**short, "title": "支付宝转账为什么收费？"}
    assert client.post("/questions/ask/", good).status_code == 302
    assert client.post("/questions/ask/", good).status_code == 429
    assert Question.objects.filter(title="支付宝转账为什么收费？").count() == 1


@pytest.mark.django_db
def test_long_waits_are_shown_in_minutes(client, limits):
    client.force_login(UserFactory())
    question = QuestionFactory()
    body = {"body": "An answer that is long enough to be accepted by the form."}
    client.post(f"/questions/{question.pk}/answer/", body)
    with freeze_time(timezone.now()):
        response = client.post(f"/questions/{question.pk}/answer/", body)
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert seconds > 60
    text = response.content.decode()
    assert f"{-(-seconds // 60)} minutes" in text
    assert "seconds" not in text
