"""A thread page reuses the parts every reader sees alike (threads/fragments.py): the page is
the same with and without them, they hold nothing of the reader who rendered them, and no
reader sees one that a write has made out of date."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone

from answers.models import Answer
from comments.models import Comment
from comments.services import delete_comment
from core.protection import STARTED, TOKEN
from pagecache import versions
from questions.models import Question
from search import related
from tests.factories import (
    AnswerCommentFactory,
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from threads import fragments
from votes.services import cast_vote

pytestmark = pytest.mark.django_db

SIDEBAR = "questions/_related.html"
FIRST_BODY = "The first answer explains how the parts are kept and renewed."


@pytest.fixture(autouse=True)
def _fragments_on(settings, launch_mode):
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def thread():
    """A question with tags and a comment, two answers (one edited, one with comments) by
    different members, a related question listed in the sidebar; every date days old, so the
    relative dates do not move while a test runs."""
    tags = TagFactory.create_batch(2)
    question = QuestionFactory(title="How do the parts of a thread stay fresh?", tags=tags)
    CommentFactory(question=question, body="A comment on the question, shown to everyone.")
    first = AnswerFactory(question=question, body=FIRST_BODY)
    AnswerCommentFactory.create_batch(2, answer=first)
    second = AnswerFactory(question=question, body="The second answer agrees with the first one.")
    Answer.objects.filter(pk=second.pk).update(edited_at=timezone.now() - timedelta(days=2))
    other = QuestionFactory(title="Another question sharing both of the tags", tags=tags)
    days_ago = timezone.now() - timedelta(days=3)
    for model in (Question, Answer, Comment):
        model.objects.update(created_at=days_ago)
    Question.objects.update(last_activity_at=days_ago)
    related.compute([question.pk, other.pk])
    return question


def member(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory(reputation=200))
    return client


def read(client, url, **headers):
    """(page, how many posts' parts were rendered, whether the sidebar was rendered)."""
    made = []
    original = fragments.render_parts

    def counting(request, post, *args):
        made.append(post)
        return original(request, post, *args)

    with mock.patch.object(fragments, "render_parts", counting):
        response = client.get(url, **headers)
    assert response.status_code == 200
    names = [t.name for t in response.templates]
    return response.content.decode(), len(made), SIDEBAR in names


def normal(page: str) -> str:
    """The page without what differs on every render: CSRF and form-guard tokens."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'<input type="hidden" name="[^"]+" value="[^"]+">', "", page)


def test_a_second_reader_reuses_the_parts_and_the_sidebar(thread, django_assert_num_queries):
    url = thread.get_absolute_url()
    page, parts, sidebar = read(member(), url)
    assert (parts, sidebar) == (3, True)  # the question and its two answers
    assert "Another question sharing both of the tags" in page
    _, parts, sidebar = read(member(), url)
    assert (parts, sidebar) == (0, False)
    _, parts, sidebar = read(Client(), url)
    assert (parts, sidebar) == (0, False)


def test_the_kept_sidebar_spares_its_query(thread, django_assert_num_queries):
    url = thread.get_absolute_url()
    client = Client()
    with django_assert_num_queries(5):
        client.get(url)
    with django_assert_num_queries(4):  # the related questions come with the sidebar
        client.get(url)


@pytest.mark.parametrize("who", ["visitor", "member", "answerer", "asker", "moderator"])
def test_the_page_is_the_same_with_and_without_the_parts(settings, thread, who):
    answer = thread.answers.order_by("pk").first()
    users = {
        "visitor": None,
        "member": UserFactory(reputation=200),
        "answerer": answer.author,
        "asker": thread.author,
        "moderator": ModeratorFactory(),
    }
    client = member(users[who]) if users[who] else Client()
    url = thread.get_absolute_url()
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 0
    without, parts, _ = read(client, url)
    assert parts == 3
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300
    cold, parts, _ = read(client, url)
    assert parts == 3
    warm, parts, _ = read(client, url)
    assert parts == 0
    assert normal(without) == normal(cold) == normal(warm)
    assert FIRST_BODY in warm


def test_the_parts_hold_nothing_of_the_reader_who_rendered_them(thread):
    """The first reader is the answer's author, has voted, and moderates: none of that
    reaches the next readers, who get the parts that reader's render kept."""
    answer = thread.answers.order_by("pk").first()
    other = thread.answers.order_by("pk").last()
    author = answer.author
    author.groups.add(*ModeratorFactory().groups.all())
    cast_vote(voter=author, post=other, value=1)
    first = member(author)
    url = thread.get_absolute_url()
    mine, parts, _ = read(first, url)
    assert parts == 3
    assert "vote--up is-on" in mine
    assert f'<a href="/answers/{answer.pk}/edit/">Edit</a>' in mine
    assert "mod-actions" in mine
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', mine)[1]
    guards = re.findall(rf'name="(?:{STARTED}|{TOKEN})" value="([^"]+)"', mine)
    assert guards

    reader = member()
    theirs, parts, _ = read(reader, url)
    assert parts == 0
    assert "is-on" not in theirs
    assert f'<a href="/answers/{answer.pk}/edit/">Edit</a>' not in theirs
    assert "mod-actions" not in theirs
    assert token not in theirs
    assert not any(value in theirs for value in guards)
    visitor, parts, _ = read(Client(), url)
    assert parts == 0
    assert "csrfmiddlewaretoken" not in visitor
    assert "mod-actions" not in visitor
    assert "Log in to vote" in visitor


# --- every kind of write, seen at once by a signed-in reader whose parts were kept -----------


def assert_reader_sees(thread, write, expect_in=(), expect_not_in=(), reader=None):
    """Read twice (the second from the kept parts), write as it commits, read again: the
    change is there. `write` makes no member (a new member moves every version)."""
    reader = reader or member()
    url = thread.get_absolute_url()
    before, parts, _ = read(reader, url)
    assert parts == 3
    assert read(reader, url)[1] == 0
    for text in expect_in:
        assert text not in before
    with TestCase.captureOnCommitCallbacks(execute=True):
        write()
    after, _, _ = read(reader, url)
    for text in expect_in:
        assert text in after
    for text in expect_not_in:
        assert text not in after
    return after


def first_answer(thread):
    return thread.answers.order_by("pk").first()


def test_edit(thread):
    answer = first_answer(thread)
    author = member(answer.author)

    def write():
        response = author.post(
            f"/answers/{answer.pk}/edit/",
            {"body": "The answer after its edit, long enough to count as a body.", "summary": "x"},
        )
        assert response.status_code == 302

    assert_reader_sees(thread, write, ["The answer after its edit"], [FIRST_BODY])


def test_vote_changes_the_author_reputation(thread):
    answer = first_answer(thread)
    reputation = answer.author.reputation
    voter = member()

    def write():
        response = voter.post(f"/answers/{answer.pk}/vote/", {"value": 1})
        assert response.status_code == 302

    page = assert_reader_sees(thread, write)
    assert '"upvoteCount": 1' in page  # the JSON-LD, kept for the thread
    answer.author.refresh_from_db()
    assert answer.author.reputation > reputation
    signature = page.split(f'id="answer-{answer.pk}"')[1].split('class="rep"')[1]
    assert f">{answer.author.reputation}</span>" in signature[:80]


def test_a_vote_in_another_thread_changes_the_reputation_shown_here(thread):
    """That vote moves only the other thread's version: the author's reputation is in the key."""
    answer = first_answer(thread)
    elsewhere = AnswerFactory(author=answer.author)
    voter = member()

    def write():
        assert voter.post(f"/answers/{elsewhere.pk}/vote/", {"value": 1}).status_code == 302

    page = assert_reader_sees(thread, write)
    answer.author.refresh_from_db()
    signature = page.split(f'id="answer-{answer.pk}"')[1].split('class="rep"')[1]
    assert f">{answer.author.reputation}</span>" in signature[:80]


def test_comment(thread):
    answer = first_answer(thread)
    commenter = member()

    def write():
        body = "A new comment every reader sees at once."
        response = commenter.post(f"/answers/{answer.pk}/comment/", {"body": body})
        assert response.status_code == 302

    assert_reader_sees(thread, write, ["A new comment every reader sees at once."])


def test_comment_deleted(thread):
    comment = Comment.objects.filter(answer=first_answer(thread)).first()

    def write():
        with transaction.atomic():
            delete_comment(comment=comment)

    assert_reader_sees(thread, write, [], [f'id="comment-{comment.pk}"'])


def test_accept(thread):
    answer = thread.answers.order_by("pk").last()
    asker = member(thread.author)

    def write():
        assert asker.post(f"/answers/{answer.pk}/accept/").status_code == 302

    assert_reader_sees(thread, write, ["Accepted answer"])


def test_delete_seen_by_its_author(thread):
    answer = first_answer(thread)
    author = member(answer.author)

    def write():
        assert author.post(f"/answers/{answer.pk}/delete/").status_code == 302

    assert_reader_sees(thread, write, ["This post is deleted"], reader=author)


def test_delete_seen_by_others(thread):
    answer = first_answer(thread)
    author = member(answer.author)

    def write():
        assert author.post(f"/answers/{answer.pk}/delete/").status_code == 302

    assert_reader_sees(thread, write, [], [FIRST_BODY])


def test_lock_by_a_moderator(thread):
    answer = first_answer(thread)
    moderator = member(ModeratorFactory())

    def write():
        assert moderator.post(f"/answers/{answer.pk}/lock/").status_code == 302

    assert_reader_sees(thread, write, ["This post is locked by a moderator"])


def test_moderation_in_the_admin(thread):
    """A direct write no service placed in a thread (as the admin makes) moves every part."""
    answer = first_answer(thread)

    def write():
        with transaction.atomic():
            Answer.objects.filter(pk=answer.pk).update(
                body="Rewritten by a moderator in the admin.",
                body_html="<p>Rewritten by a moderator in the admin.</p>",
            )

    assert_reader_sees(thread, write, ["Rewritten by a moderator in the admin."], [FIRST_BODY])


def test_a_write_placed_in_the_thread(thread):
    """A service's write placed in the thread moves only the thread's version (and the lists):
    the parts are kept under it."""
    answer = first_answer(thread)

    def write():
        with versions.thread_scope(thread.pk), transaction.atomic():
            Answer.objects.filter(pk=answer.pk).update(
                body="Changed by a service placed in the thread.",
                body_html="<p>Changed by a service placed in the thread.</p>",
            )

    before = versions.current()
    assert_reader_sees(thread, write, ["<p>Changed by a service placed in the thread.</p>"])
    assert versions.current() == before


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [("display_name", "Renamed Member", "Renamed Member"), ("avatar_style", "pattern", "pattern")],
)
def test_author_name_and_avatar(thread, field, value, shown):
    answer = first_answer(thread)
    author = answer.author
    client = member(author)

    def write():
        data = {"display_name": author.display_name, "about": "", "avatar_style": "initial"}
        data[field] = value
        assert client.post("/settings/profile/", data).status_code == 302

    page = assert_reader_sees(thread, write)
    signature = page.split(f'id="answer-{answer.pk}"')[1].split('class="signature__user"')[1]
    assert shown in signature[:800]


def test_related_question_answered(thread):
    """The sidebar shows each related question's answer count: an answer there renews it."""
    other = Question.objects.get(title="Another question sharing both of the tags")
    answerer = member()

    def write():
        body = "An answer to the related question, which changes its count."
        assert answerer.post(f"/questions/{other.pk}/answer/", {"body": body}).status_code == 302

    page = assert_reader_sees(thread, write)
    sidebar = page.split('id="related-heading"')[1]
    assert 'score-pill--answered" title="1 answer">1<' in sidebar


def test_language(thread, compiled_translations):
    reader = member()
    url = thread.get_absolute_url()
    english, _, _ = read(reader, url)
    chinese, parts, _ = read(reader, url, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert parts == 3
    assert english.count("Link to this answer") == 2
    assert "Link to this answer" not in chinese
    assert read(reader, url, HTTP_ACCEPT_LANGUAGE="zh-hans")[1] == 0


def test_cache_down_renders_everything(settings, thread):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "jokesite.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    page, parts, _ = read(member(), thread.get_absolute_url())
    assert parts == 3
    assert FIRST_BODY in page
