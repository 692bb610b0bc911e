"""Anonymous pages come from the shared cache with an ETag, and every kind of write shows at
once: the ETag changes and the new content is there."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse

from answers.models import Answer
from pagecache import versions
from pagecache.middleware import CACHE_HEADER
from questions.models import Question
from tests.factories import (
    AnswerFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)
from tests.moderation.test_admin import admin_url, change_form_data, logged_in
from votes.services import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings, launch_mode):
    settings.JOKESITE_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def thread():
    question = QuestionFactory(title="How do cached pages learn of a new vote?")
    AnswerFactory(question=question, body="The first answer says the version moves on.")
    return question


def member_client(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory())
    return client


def read(url):
    """An anonymous GET: (ETag, body, cache state)."""
    response = Client().get(url)
    assert response.status_code == 200
    return response["ETag"], response.content.decode(), response[CACHE_HEADER]


def test_a_hit_carries_the_headers_the_skipped_middleware_added(client, thread):
    """A hit is answered above the session, locale, CSP and frame middleware: the headers they
    added to the page when it was rendered come back with it, in either language."""
    url = thread.get_absolute_url()
    for language in ("en", "zh-hans"):
        first = client.get(url, headers={"accept-language": language})
        second = client.get(url, headers={"accept-language": language})
        assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
        assert second["Content-Language"] == language
        skipped = ("Content-Security-Policy", "X-Frame-Options", "Vary", "Content-Type")
        for name in skipped:
            assert second[name] == first[name], name
        assert "Accept-Language" in second["Vary"] and "Cookie" in second["Vary"]
        assert not second.cookies


def test_a_session_cookie_means_no_cache_even_before_the_session_is_read(client, thread):
    url = thread.get_absolute_url()
    client.get(url)
    client.cookies["sessionid"] = "not-a-real-session"
    response = client.get(url)
    assert CACHE_HEADER not in response


def test_second_anonymous_view_comes_from_the_cache(client, thread, django_assert_num_queries):
    url = thread.get_absolute_url()
    first = client.get(url)
    assert first[CACHE_HEADER] == "miss"
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert thread.title in second.content.decode()
    assert "Cookie" in second["Vary"]


def test_a_matching_if_none_match_gets_304(client, thread):
    url = thread.get_absolute_url()
    etag = client.get(url)["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_304_also_on_the_first_view(client, thread):
    """A validator from before a cache flush still matches an unchanged page."""
    url = thread.get_absolute_url()
    etag = client.get(url)["ETag"]
    versions.cache().clear()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_signed_in_pages_are_not_cached(thread):
    client = member_client()
    first = client.get(thread.get_absolute_url())
    assert CACHE_HEADER not in first
    assert "ETag" not in first


def test_each_language_is_cached_apart(client, thread):
    url = thread.get_absolute_url()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert chinese[CACHE_HEADER] == "miss"
    assert chinese["Content-Language"] == "zh-hans"
    assert english["Content-Language"] == "en"


def test_a_visitor_with_a_session_is_not_served_from_the_cache(client, thread):
    """A session may hold flash messages meant for that visitor alone."""
    url = thread.get_absolute_url()
    client.get(url)
    client.cookies["sessionid"] = "whatever"
    assert CACHE_HEADER not in client.get(url)


def test_pages_that_set_a_cookie_are_not_kept(client):
    """The login page sets a CSRF cookie: it must never be shared."""
    client.get("/accounts/login/")
    assert CACHE_HEADER not in client.get("/accounts/login/")


# --- every kind of write --------------------------------------------------------------------


def assert_write_shows(url, write, expect_in=(), expect_not_in=()):
    """Read the page, write, read again: a new ETag, a fresh render, the change shown."""
    etag, _, _ = read(url)
    assert read(url)[2] == "hit"
    with TestCase.captureOnCommitCallbacks(execute=True):  # as when the write commits
        write()
    new_etag, body, state = read(url)
    assert state == "miss"
    assert new_etag != etag
    for text in expect_in:
        assert text in body
    for text in expect_not_in:
        assert text not in body


def test_vote(thread):
    answer = thread.answers.get()
    voter = member_client()

    def write():
        response = voter.post(f"/answers/{answer.pk}/vote/", {"value": 1})
        assert response.status_code == 302

    assert_write_shows(thread.get_absolute_url(), write)
    assert Answer.objects.get(pk=answer.pk).score == 1


def test_answer(thread):
    def write():
        body = "A second answer: written, committed, and shown to the next reader at once."
        member_client().post(f"/questions/{thread.pk}/answer/", {"body": body})

    assert_write_shows(thread.get_absolute_url(), write, ["A second answer: written, committed"])


def test_comment(thread):
    def write():
        url = f"/questions/{thread.pk}/comment/"
        member_client().post(url, {"body": "A comment that every reader sees at once."})

    assert_write_shows(thread.get_absolute_url(), write, ["A comment that every reader sees"])


def test_edit(thread):
    client = member_client(thread.author)

    def write():
        response = client.post(
            f"/questions/{thread.pk}/edit/",
            {
                "title": thread.title,
                "body": "The body after the edit, long enough to be a valid body.",
                "tags": " ".join(thread.tag_names()),
                "summary": "clearer",
            },
        )
        assert response.status_code == 302

    assert_write_shows(thread.get_absolute_url(), write, ["The body after the edit"])


def test_accept(thread):
    answer = thread.answers.get()
    client = member_client(thread.author)

    def write():
        client.post(f"/answers/{answer.pk}/accept/")

    assert_write_shows(thread.get_absolute_url(), write)
    assert Answer.objects.get(pk=answer.pk).is_accepted


def test_close(thread):
    client = member_client(ModeratorFactory())

    def write():
        response = client.post(f"/questions/{thread.pk}/close/", {"reason": "off-topic"})
        assert response.status_code == 302

    assert_write_shows(thread.get_absolute_url(), write)
    assert Question.objects.get(pk=thread.pk).is_closed


def test_delete(thread):
    answer = thread.answers.get()
    client = member_client(answer.author)

    def write():
        client.post(f"/answers/{answer.pk}/delete/")

    assert_write_shows(
        thread.get_absolute_url(), write, [], ["The first answer says the version moves on."]
    )


def test_moderation_in_the_admin(thread):
    client = logged_in("superuser")

    def write():
        url = admin_url(Question, "change", thread.pk)
        data = change_form_data(client.get(url), title="A title a moderator set in the admin")
        response = client.post(url, data)
        assert response.status_code == 302

    assert_write_shows(reverse("questions:list"), write, ["A title a moderator set in the admin"])


def test_a_service_write_outside_any_request(thread, django_capture_on_commit_callbacks):
    """Management commands and task workers write through the services, with no request:
    the database connection reports the write, and the version moves when it commits."""
    answer = thread.answers.get()
    voter = UserFactory()

    def write():
        with django_capture_on_commit_callbacks(execute=True):
            cast_vote(voter=voter, post=answer, value=1)

    assert_write_shows(thread.get_absolute_url(), write)


def test_a_management_command(thread, django_capture_on_commit_callbacks):
    def write():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("recompute_reputation", verbosity=0)  # fixes nothing: no bump
        with django_capture_on_commit_callbacks(execute=True):
            call_command("loadbench", "--questions", "1", "--users", "3", verbosity=0)

    assert_write_shows(reverse("questions:list"), write, [Question.objects.last().title])


def test_a_rolled_back_write_moves_nothing(thread, django_capture_on_commit_callbacks):
    before = versions.current()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        Question.objects.filter(pk=thread.pk).update(title="never committed at all")
        raise RuntimeError
    assert callbacks == []
    assert versions.current() == before


def test_a_transaction_moves_the_version_once(thread, django_capture_on_commit_callbacks):
    before = versions.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(3):
            Question.objects.filter(pk=thread.pk).update(score=n)
        Answer.objects.filter(question=thread).update(score=2)
    assert len(callbacks) == 1
    assert versions.current() == before + 1


def test_reads_and_ignored_tables_move_nothing(client, thread):
    before = versions.current()
    client.get(thread.get_absolute_url())
    member_client().get(thread.get_absolute_url())
    assert versions.current() == before


def test_logging_in_moves_nothing(thread, django_capture_on_commit_callbacks):
    """A login saves `last_login`, which no page shows: cached pages stay."""
    member = UserFactory()
    member.set_password("a long password for logging in")
    member.save()
    before = versions.current()
    # Each block in its own savepoint: a bump already waiting at the test's own level (the
    # fixtures' writes) would take in a new one.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert Client().login(username=member.username, password="a long password for logging in")
    member.refresh_from_db()
    assert member.last_login is not None
    assert versions.current() == before
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        type(member).objects.filter(pk=member.pk).update(about="Changed")  # shown on profiles
    assert versions.current() == before + 1


# --- the cache down -------------------------------------------------------------------------


@pytest.fixture
def redis_down(settings):
    """The page cache is a Redis that does not answer (nothing listens on port 1)."""
    settings.CACHES = {
        **settings.CACHES,
        "down": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        },
    }
    settings.JOKESITE_PAGE_CACHE = "down"


def test_pages_and_writes_work_with_the_cache_down(redis_down, thread):
    first = Client().get(thread.get_absolute_url())
    assert first.status_code == 200
    assert thread.title in first.content.decode()
    assert CACHE_HEADER not in first
    voter = member_client()
    answer = thread.answers.get()
    response = voter.post(f"/answers/{answer.pk}/vote/", {"value": 1})
    assert response.status_code == 302
    assert Answer.objects.get(pk=answer.pk).score == 1


# --- per-thread versions: a thread's write leaves other threads' pages cached ----------------


@pytest.fixture
def other_thread():
    question = QuestionFactory(title="A thread nobody touches while the other one is voted on")
    AnswerFactory(question=question, body="An answer on the untouched thread, cached meanwhile.")
    return question


def write_then_read(url, write):
    """Cache `url`, commit `write`, read it again: the cache state of that read."""
    read(url)
    assert read(url)[2] == "hit"
    with TestCase.captureOnCommitCallbacks(execute=True):
        write()
    return read(url)


def vote_on(post):
    client = member_client()
    kind = post.kind + "s"
    return lambda: client.post(f"/{kind}/{post.pk}/vote/", {"value": 1})


@pytest.mark.parametrize(
    "kind", ["vote", "answer", "comment", "accept", "delete comment", "restore comment"]
)
def test_a_thread_write_leaves_other_threads_cached(thread, other_thread, kind):
    from comments.services import add_comment, delete_comment, restore_comment

    answer = thread.answers.get()
    comment = add_comment(author=UserFactory(), post=answer, body="A comment to take away.")
    member, asker = member_client(), member_client(thread.author)  # logins write too
    writes = {
        "vote": lambda: member.post(f"/answers/{answer.pk}/vote/", {"value": 1}),
        "answer": lambda: member.post(
            f"/questions/{thread.pk}/answer/",
            {"body": "Another answer, written and committed, long enough to count."},
        ),
        "comment": lambda: member.post(
            f"/questions/{thread.pk}/comment/", {"body": "A new comment on the thread."}
        ),
        "accept": lambda: asker.post(f"/answers/{answer.pk}/accept/"),
        "delete comment": lambda: delete_comment(comment=comment),
        "restore comment": lambda: (
            delete_comment(comment=comment),
            restore_comment(comment=comment),
        ),
    }
    untouched = other_thread.get_absolute_url()
    read(untouched)
    changed = write_then_read(thread.get_absolute_url(), writes[kind])
    assert changed[2] == "miss"
    assert read(untouched)[2] == "hit"


def test_a_thread_write_moves_the_lists(thread):
    """Home, lists, tags and profiles show scores and counts: any thread's write renews them."""
    answer = thread.answers.get()
    for url in ["/", reverse("questions:list"), answer.author.get_absolute_url()]:
        _, _, state = write_then_read(url, vote_on(answer))
        assert state == "miss", url


def test_an_unplaced_write_moves_every_page(thread, other_thread):
    """A write no service placed in a thread (here a question edit, which changes titles
    other threads list) makes every cached page out of date, as before."""
    client = member_client(thread.author)

    def write():
        client.post(
            f"/questions/{thread.pk}/edit/",
            {"title": "A new title for the edited thread", "body": "The body after the edit, "
             "long enough to be valid.", "tags": " ".join(thread.tag_names()), "summary": "t"},
        )  # fmt: skip

    _, _, state = write_then_read(other_thread.get_absolute_url(), write)
    assert state == "miss"


def test_a_related_questions_write_renews_the_thread_listing_it(monkeypatch, thread, other_thread):
    """The sidebar shows the related questions' scores and answer counts."""
    import threads.fragments

    monkeypatch.setattr(
        threads.fragments, "related_questions", lambda question, limit: [other_thread]
    )
    url = thread.get_absolute_url()
    assert f'href="{other_thread.get_absolute_url()}"' in read(url)[1]
    _, body, state = write_then_read(url, vote_on(other_thread))
    assert state == "miss"


def test_a_reputation_change_renews_the_threads_showing_that_member(thread, other_thread):
    """A vote on one thread changes its author's reputation, shown on their other threads."""
    mine = AnswerFactory(question=other_thread, author=thread.author, body="The same author here.")
    del mine
    _, _, state = write_then_read(other_thread.get_absolute_url(), vote_on(thread))
    assert state == "miss"


def test_a_page_rendered_across_a_thread_write_is_not_kept(monkeypatch, thread):
    """Its related questions and members were read before the write committed: the list
    version that moved meanwhile keeps the page out of the cache."""
    import threads.fragments

    def related_then_a_write_elsewhere(question, limit):
        versions.bump_keys((versions.thread_key(999_999),))
        return []

    monkeypatch.setattr(threads.fragments, "related_questions", related_then_a_write_elsewhere)
    url = thread.get_absolute_url()
    assert read(url)[2] == "miss"
    assert read(url)[2] == "miss"


def test_a_form_shown_again_moves_nothing(thread, django_capture_on_commit_callbacks):
    """A preview, a similar-questions check or a refused form writes nothing: the cached pages
    stay. A post that writes moves the version as before."""
    member = member_client()
    url = reverse("questions:ask")
    typed = {"title": "Why do previews leave cached pages alone?", "body": "x" * 40, "tags": "a"}
    before = versions.current()
    with django_capture_on_commit_callbacks(execute=True):
        preview = member.post(url, {**typed, "preview": "1"})
        check = member.post(url, {**typed, "check_similar": "1"})
        refused = member.post(url, {"title": "", "body": ""})
    assert (preview.status_code, check.status_code, refused.status_code) == (200, 200, 400)
    assert versions.current() == before
