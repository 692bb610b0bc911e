"""A thread's rows kept for signed-in readers (threads/rows.py): a member's second view reads
no question, answer or comment row, every reader still gets the answers they may see and
their own votes, and visitors keep nothing. (That no write leaves a kept row out of date is
tests/threads/test_fragments.py's: its readers are members, who read the kept rows.)"""

import re
from unittest import mock

import pytest
from django.test import Client

from core.statements import readable
from moderation.services import delete_post
from pagecache import fragments as shared
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from tests.threads.test_queries import MEMBER_THREAD_QUERIES, build_thread
from threads import rows
from votes.services import cast_vote

pytestmark = pytest.mark.django_db

# session, viewer, the authors' reputation, the viewer's votes, the inbox badge, whether they
# follow the question, the related questions (the fallback by first tag: none are stored)
KEPT_MEMBER_THREAD_QUERIES = 7


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300


def member(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory(reputation=200))
    return client


def answer_ids(page: str) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'<article class="post post--answer[^"]*" id="answer-(\d+)"', page)
    ]


@pytest.mark.parametrize("answers", [2, 20])
def test_a_second_view_reads_no_thread_rows(django_assert_num_queries, answers):
    question = build_thread(answers)
    client = member()
    url = question.get_absolute_url()
    with django_assert_num_queries(MEMBER_THREAD_QUERIES):
        first = client.get(url).content.decode()
    with django_assert_num_queries(KEPT_MEMBER_THREAD_QUERIES) as captured:
        second = client.get(url).content.decode()
    tables = " ".join(readable(query["sql"]) for query in captured.captured_queries)
    for read in ('FROM "answers_answer"', 'FROM "questions_comment"', "_prefetch_related_val"):
        assert read not in tables  # the answers, the comments, the question's tags
    assert answer_ids(second) == answer_ids(first)
    assert len(answer_ids(second)) == answers


def test_each_reader_gets_the_answers_they_may_see():
    question = QuestionFactory()
    public = AnswerFactory(question=question, score=3)
    gone = AnswerFactory(question=question, score=5)
    delete_post(actor=ModeratorFactory(), post=gone)
    url = question.get_absolute_url()
    readers = {
        "other": (member(), [public.pk]),
        "author": (member(gone.author), [gone.pk, public.pk]),
        "moderator": (member(ModeratorFactory()), [gone.pk, public.pk]),
    }
    for _ in range(2):  # the first reads and keeps the rows, the others read them kept
        for name, (client, expected) in readers.items():
            assert answer_ids(client.get(url).content.decode()) == expected, name


def test_each_order_is_kept_apart():
    question = QuestionFactory()
    older = AnswerFactory(question=question, score=9)
    newer = AnswerFactory(question=question, score=1)
    client = member()
    url = question.get_absolute_url()
    for _ in range(2):
        assert answer_ids(client.get(url).content.decode()) == [older.pk, newer.pk]
        newest = client.get(f"{url}?answers=newest").content.decode()
        assert answer_ids(newest) == [newer.pk, older.pk]


def test_the_viewers_votes_are_their_own():
    question = QuestionFactory()
    answer = AnswerFactory(question=question)
    voter = UserFactory(reputation=200)
    cast_vote(voter=voter, post=answer, value=1)
    url = question.get_absolute_url()
    assert "vote--up is-on" in member(voter).get(url).content.decode()
    assert "is-on" not in member().get(url).content.decode()  # from the rows the voter kept
    assert "vote--up is-on" in member(voter).get(url).content.decode()


def test_visitors_neither_read_nor_keep_rows():
    question = build_thread(2)
    with (
        mock.patch.object(shared, "get_many", wraps=shared.get_many) as reads,
        mock.patch.object(shared, "set_many", wraps=shared.set_many) as keeps,
    ):
        assert Client().get(question.get_absolute_url()).status_code == 200
    keys = [key for call in reads.call_args_list for key in call.args[0] if key]
    keys += [key for call in keeps.call_args_list for key in call.args[0]]
    assert keys and not any(key.startswith("rows:") for key in keys)


def test_the_key_carries_the_models_shape():
    assert rows._key("stamp", 1, "votes") == f"rows:{rows.SHAPE}:stamp:1:votes"
    with mock.patch("questions.models.Question._meta.concrete_fields", ()):
        assert rows._shape() != rows.SHAPE


def test_a_404_and_a_redirect_read_no_answer(django_assert_num_queries):
    question = build_thread(3)
    client = member()
    response = client.get(f"/questions/{question.pk}/not-its-slug/")
    assert response.status_code == 301
    client.get(question.get_absolute_url())  # keeps the rows
    # session, viewer, the authors' reputation: the question came from the kept rows
    with django_assert_num_queries(3):
        assert client.get(f"/questions/{question.pk}/not-its-slug/").status_code == 301
    assert client.get("/questions/999999/nothing/").status_code == 404


def test_the_kept_rows_hold_no_password_hash_or_email():
    """What a member's view keeps in the shared cache has the authors it shows, without what
    it never shows of them (accounts.models.PRIVATE_FIELDS); the page reads none of it."""
    import pickle

    from django.contrib.auth import get_user_model

    question = build_thread(3)
    with mock.patch.object(shared, "set_many", wraps=shared.set_many) as keeps:
        page = member().get(question.get_absolute_url()).content.decode()
    kept = [value for call in keeps.call_args_list for key, value in call.args[0].items()
            if key.startswith("rows:")]  # fmt: skip
    assert len(kept) == 1
    blob = pickle.dumps(kept[0])
    kept_question, answers = kept[0]
    authors = {kept_question.author, *(a.author for a in answers)}
    authors |= {c.author for post in (kept_question, *answers) for c in post.visible_comments}
    assert len(authors) == 4  # build_thread(3): the asker, answerers and commenters
    for author in get_user_model().objects.filter(pk__in=[a.pk for a in authors]):
        assert author.password and author.password.encode() not in blob
        assert author.email and author.email.encode() not in blob
        assert author.username in page
