"""Stored list state: `Question.is_answered` (triggers on both databases) and, on PostgreSQL,
the list buckets (`questions.liststore`) that give counts and the place of a deep page. After
every kind of write the stored numbers equal a live COUNT, and a deep page holds the rows an
OFFSET gives."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from answers.models import Answer
from answers.services import post_answer
from flags.services import set_hidden
from moderation.services import delete_post, restore_post
from questions import liststore
from questions.listing import ListPaginator
from questions.models import LIST_ORDERS, ListBucket, Question, Tag
from questions.services import ask_question, merge_tags, set_tags
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, TagFactory, UserFactory
from votes.services import accept_answer, cast_vote

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the buckets are kept on PostgreSQL"
)


def live_counts() -> dict[str, int]:
    """Each list's count as a COUNT(*) finds it now."""
    visible = Question.objects.visible()
    counts = {"all": visible.count(), "all:unanswered": visible.unanswered().count()}
    for tag in Tag.objects.all():
        counts[f"tag:{tag.pk}"] = visible.filter(tags=tag).count()
        counts[f"tag:{tag.pk}:unanswered"] = visible.filter(tags=tag).unanswered().count()
    for category_id in Question.objects.exclude(category=None).values_list("category", flat=True):
        mine = visible.filter(category_id=category_id)
        counts[f"category:{category_id}"] = mine.count()
        counts[f"category:{category_id}:unanswered"] = mine.unanswered().count()
    for user in get_user_model().objects.all():
        counts[f"user:{user.pk}:questions"] = visible.filter(author=user).count()
        answers = Answer.objects.visible().filter(author=user)
        counts[f"user:{user.pk}:answers"] = answers.count()
        counts[f"user:{user.pk}:accepted"] = answers.filter(is_accepted=True).count()
    return counts


def assert_stored_counts_are_live():
    live = live_counts()
    assert {key: liststore.count(key) for key in live} == live
    for key, count in live.items():  # every order of a list holds its rows
        if not key.startswith("user:") and not key.endswith(":unanswered"):
            for sort in ("active", "votes"):
                stored = ListBucket.objects.filter(list=key, sort=sort)
                assert sum(stored.values_list("n", flat=True)) == count, (key, sort)


def answered_flags() -> dict[int, bool]:
    return dict(Question.objects.values_list("pk", "is_answered"))


def test_is_answered_follows_votes_accepts_and_deletions():
    asker, answerer, voter = UserFactory.create_batch(3, reputation=1000)
    question = QuestionFactory(author=asker)
    answer = post_answer(author=answerer, question=question, body="An answer long enough to post.")
    question.refresh_from_db()
    assert not question.is_answered  # an answer at 0 does not answer it
    cast_vote(voter=voter, post=answer, value=1)
    question.refresh_from_db()
    assert question.is_answered
    cast_vote(voter=voter, post=answer, value=-1)
    question.refresh_from_db()
    assert not question.is_answered
    accept_answer(answer=answer)
    question.refresh_from_db()
    assert question.is_answered
    delete_post(actor=asker, post=answer)
    question.refresh_from_db()
    assert not question.is_answered
    assert list(Question.objects.unanswered()) == [question]


def test_is_answered_follows_an_answer_removed_from_the_database():
    answer = AnswerFactory(score=2)
    assert Question.objects.get(pk=answer.question_id).is_answered
    answer.delete()
    assert not Question.objects.get(pk=answer.question_id).is_answered


def test_recount_repairs_a_wrong_answered_flag():
    answer = AnswerFactory(score=1)
    Question.objects.filter(pk=answer.question_id).update(is_answered=False)
    liststore.recount()
    assert answered_flags() == {answer.question_id: True}


@postgres_only
def test_stored_counts_follow_every_kind_of_write():
    asker, answerer, voter, moderator = UserFactory.create_batch(4, reputation=1000)
    category = CategoryFactory()
    body = "A body that is long enough for the rules of the site."
    first = ask_question(author=asker, title="The first question here", body=body, tags=["a", "b"])
    second = ask_question(
        author=asker, title="The second question here", body=body, tags=["b"], category=category
    )
    assert_stored_counts_are_live()
    answer = post_answer(author=answerer, question=first, body=body)
    cast_vote(voter=voter, post=answer, value=1)  # answered
    assert_stored_counts_are_live()
    cast_vote(voter=voter, post=first, value=1)  # moves it in the votes order
    other = post_answer(author=answerer, question=second, body=body)
    accept_answer(answer=other)
    assert_stored_counts_are_live()
    accept_answer(answer=other)  # unaccepted
    set_tags(second, ["c", "a"])  # retag
    assert_stored_counts_are_live()
    delete_post(actor=moderator, post=first)
    assert_stored_counts_are_live()
    restore_post(post=first)
    delete_post(actor=moderator, post=answer)  # unanswered again
    assert_stored_counts_are_live()
    set_hidden(second, True)
    assert_stored_counts_are_live()
    set_hidden(second, False)
    merge_tags(sources=[Tag.objects.get(name="c")], target=Tag.objects.get(name="b"))
    assert_stored_counts_are_live()
    Question.objects.filter(pk=second.pk).update(category=None, author=answerer)
    delete_post(actor=moderator, post=second)  # takes its answers out of their authors' counts
    assert_stored_counts_are_live()
    restore_post(post=second)
    first.delete()  # from the database, with its tags and answers
    assert_stored_counts_are_live()


@postgres_only
def test_recount_rebuilds_the_buckets():
    QuestionFactory.create_batch(3, tags=[TagFactory()], category=CategoryFactory())
    AnswerFactory(score=1)
    before = sorted(ListBucket.objects.filter(n__gt=0).values_list("list", "sort", "bucket", "n"))
    ListBucket.objects.all().delete()
    liststore.recount()
    after = sorted(ListBucket.objects.filter(n__gt=0).values_list("list", "sort", "bucket", "n"))
    assert after == before
    assert_stored_counts_are_live()


def spread_questions():
    """Questions over many days, scores and blocks of ids (some hidden, deleted, answered),
    most with the tag returned."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    tag, other = TagFactory.create_batch(2)
    ids = [*range(1, 30), 4998, 4999, 5000, 5001, 10_002, 15_003, 15_004, 123_456]
    for n, pk in enumerate(ids):
        created = start + timedelta(days=n % 7, hours=n)
        QuestionFactory(
            id=pk,
            tags=[tag] if n % 6 else [other],
            created_at=created,
            last_activity_at=created + timedelta(days=(n * 5) % 11),
            score=(n * 7) % 5 - 1,
            deleted_at=start if n % 13 == 5 else None,
            hidden_at=start if n % 17 == 3 else None,
        )
    for question in Question.objects.filter(pk__in=ids[::4]):
        AnswerFactory(question=question, score=1)
    return tag


@pytest.mark.parametrize("sort", LIST_ORDERS)
@pytest.mark.parametrize("of_tag", [False, True])
def test_every_page_holds_the_rows_an_offset_gives(monkeypatch, sort, of_tag):
    """Deep pages are found through the buckets (PostgreSQL) from the first row on here."""
    monkeypatch.setattr(liststore, "SEEK_FROM", 0)
    tag = spread_questions()
    questions = tag.questions.all() if of_tag else Question.objects.all()
    listed = questions.for_listing(sort)
    expected = list(listed.values_list("pk", flat=True))
    stored = f"tag:{tag.pk}" if of_tag else "all"
    paginator = ListPaginator(listed, 3, stored=stored, sort=sort)
    assert paginator.count == len(expected)
    shown = []
    for number in paginator.page_range:
        page = paginator.page(number)
        shown.extend(question.pk for question in page.object_list)
    assert shown == expected


@postgres_only
def test_a_deep_page_costs_two_queries(django_assert_num_queries, monkeypatch):
    monkeypatch.setattr(liststore, "SEEK_FROM", 0)
    spread_questions()
    paginator = ListPaginator(Question.objects.all().for_listing("votes"), 3, stored="all")
    with django_assert_num_queries(3):  # count, seek, the page (its tags are not read)
        list(paginator.page(7).object_list.prefetch_related(None))


def test_recount_lists_command_repairs_the_stored_state():
    answer = AnswerFactory(score=1)
    Question.objects.filter(pk=answer.question_id).update(is_answered=False)
    ListBucket.objects.all().delete()
    call_command("recount_lists", stdout=io.StringIO())
    assert answered_flags() == {answer.question_id: True}
    if liststore.stored():
        assert_stored_counts_are_live()
