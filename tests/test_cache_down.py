"""A cache that is down (REDIS_URL pointing at a closed port) slows the site but breaks
nothing: pages, signing in and writes keep working, rate limits let requests through, and
/healthz names the cache's state while answering 200 for the database."""

import socket

import pytest

from comments.models import Comment
from jokesite import cache as failsafe
from questions import services
from revisions.services import edit_post
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def redis_down(settings, monkeypatch):
    settings.CACHES = {
        "default": {
            "BACKEND": "jokesite.cache.FailSafeRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    monkeypatch.setattr(failsafe, "_down_until", 0.0)
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_FORM_PROTECTION = True
    yield
    failsafe._down_until = 0.0


@pytest.fixture
def member():
    return UserFactory(username="ada", reputation=1000)


def test_anonymous_pages_answer(client, redis_down):
    answer = AnswerFactory()
    question = answer.question
    for path in [
        "/",
        "/questions/",
        question.get_absolute_url(),
        f"/questions/{question.pk}/revisions/",
        "/api/v1/questions/",
        f"/api/v1/questions/{question.pk}/",
        "/questions/similar/?title=Why+does+question+exist",
        "/accounts/login/",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
    assert question.title in client.get(question.get_absolute_url()).content.decode()


def test_login_and_signed_in_pages_work(client, redis_down, member):
    response = client.post(
        "/accounts/login/", {"login": "ada", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    for path in ["/", "/questions/ask/", "/inbox/", "/settings/notifications/"]:
        assert client.get(path).status_code == 200, path


def test_votes_and_comments_are_saved(client, redis_down, member, launch_mode):
    question = QuestionFactory()
    client.force_login(member)
    assert client.post(f"/questions/{question.pk}/vote/", {"value": "1"}).status_code == 302
    body = {"body": "A comment that is long enough."}
    assert client.post(f"/questions/{question.pk}/comment/", body).status_code in (302, 400)
    assert Vote.objects.filter(voter=member, question=question, value=1).exists()


def test_comment_by_an_established_member_is_saved(client, redis_down, launch_mode):
    from datetime import timedelta

    from django.utils import timezone

    member = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    question = QuestionFactory()
    client.force_login(member)
    response = client.post(f"/questions/{question.pk}/comment/", {"body": "A comment, not short."})
    assert response.status_code == 302
    assert Comment.objects.filter(author=member, question=question).exists()


def test_healthz_names_the_cache_and_stays_200(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}


def test_healthz_says_the_cache_is_ok_when_it_is(client):
    assert client.get("/healthz").json()["cache"] == "ok"


def test_a_failure_skips_the_cache_for_a_while(redis_down, monkeypatch):
    """One timeout per outage window, not one per cache call."""
    from django.core.cache import cache

    calls = []
    real = failsafe.RedisCache.get
    monkeypatch.setattr(
        failsafe.RedisCache, "get", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    assert cache.get("a", "miss") == "miss"
    assert cache.get("b", "miss") == "miss"
    assert cache.add("c", 1) is True  # callers that reserve a key go ahead
    assert len(calls) == 1


def test_revision_diffs_are_computed_without_the_cache(client, redis_down):
    question = services.ask_question(
        author=UserFactory(),
        title="How do I stop my jokes from falling flat?",
        body="The first version of this body, long enough.",
        tags=["humour"],
    )
    edit_post(
        editor=question.author,
        post=question,
        body="The second version of this body, long enough.",
        title=question.title,
        tags=question.tag_names(),
    )
    html = client.get(f"/questions/{question.pk}/revisions/").content.decode()
    removed, added = (
        '<span class="visually-hidden">removed: </span>',
        '<span class="visually-hidden">added: </span>',
    )
    assert f"The {removed}<del>first</del>{added}<ins>second</ins> version of this" in html


def test_keys_are_made_without_memcached_checks():
    """Redis takes any key: no memcached warning for a long one (a page hit makes about twenty),
    and the key is still prefixed and versioned as Django makes it."""
    import warnings

    cache = failsafe.FailSafeRedisCache("redis://127.0.0.1:1/0", {"KEY_PREFIX": "p"})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        key = cache.make_and_validate_key("k" * 300 + " with spaces", version=3)
    assert key == "p:3:" + "k" * 300 + " with spaces"


def test_replies_are_parsed_in_c():
    """hiredis (pinned in pyproject.toml) is what redis-py parses replies with."""
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE
