"""The thread page's "Related questions", stored ahead of the request (search.related): the
stored list is what the page shows, a cheap tag fallback when there is none (and no write:
nothing is queued from a GET), recomputed when a question's title or tags change, never a
deleted or hidden one."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.statements import readable
from questions import services as question_services
from questions.models import Question
from revisions import services as revision_services
from search import related
from search.models import RelatedQuestions
from tests.factories import QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def sidebar(client, question) -> str:
    html = client.get(question.get_absolute_url()).content.decode()
    return html[html.index('class="sidebar"') : html.index("</aside>")]


def stored(question) -> list[int] | None:
    row = RelatedQuestions.objects.filter(question=question).first()
    return row.ids if row else None


def test_the_page_shows_the_stored_list_not_a_fresh_search(client):
    tag = TagFactory(name="banks")
    question = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    similar = QuestionFactory(title="Best bank for students abroad", tags=[tag])
    chosen = QuestionFactory(title="Cats and cucumbers, a love story")
    RelatedQuestions.objects.create(question=question, ids=[chosen.pk], computed_at=timezone.now())
    html = sidebar(client, question)
    assert chosen.get_absolute_url() in html
    assert similar.get_absolute_url() not in html


def test_without_a_stored_list_the_page_shows_the_first_tags_newest_and_writes_nothing(
    client, django_capture_on_commit_callbacks
):
    banks, cats = TagFactory(name="banks"), TagFactory(name="cats")
    question = QuestionFactory(title="Which bank is best for students?", tags=[banks, cats])
    older = QuestionFactory(title="Opening hours on Sunday", tags=[banks])
    newer = QuestionFactory(title="Best bank for students abroad", tags=[banks])
    other = QuestionFactory(title="Cats and cucumbers", tags=[cats])
    with django_capture_on_commit_callbacks(execute=True):
        html = sidebar(client, question)
    # The fallback: the first tag by name ("banks"), newest first, the question itself not.
    assert html.index(newer.get_absolute_url()) < html.index(older.get_absolute_url())
    assert other.get_absolute_url() not in html
    assert question.get_absolute_url() not in html
    # A GET queues nothing (tests run tasks at once: a queued task would have stored it).
    assert stored(question) is None


def test_the_fallback_reads_no_titles_and_costs_one_query(client):
    tag = TagFactory(name="banks")
    question = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    QuestionFactory.create_batch(3, tags=[tag])
    question = Question.objects.prefetch_related("tags").get(pk=question.pk)
    with CaptureQueriesContext(connection) as queries:
        shown = related.related_questions(question, limit=2)
    assert len(shown) == 2
    # The stored-list lookup (no join here, so its own query) and the tag range.
    assert len(queries) == 2
    assert "LIKE" not in readable(queries[-1]["sql"]).upper()


def test_asking_stores_the_list(django_capture_on_commit_callbacks):
    author = UserFactory()
    similar = QuestionFactory(title="Best bank for students abroad", tags=[TagFactory(name="x")])
    with django_capture_on_commit_callbacks(execute=True):
        question = question_services.ask_question(
            author=author, title="Which bank is best for students?", body="b" * 40, tags=["x"]
        )
    assert stored(question) == [similar.pk]


def test_editing_the_title_or_tags_recomputes_the_list(django_capture_on_commit_callbacks):
    banks, cats = TagFactory(name="banks"), TagFactory(name="cats")
    question = QuestionFactory(title="Which bank is best for students?", tags=[banks])
    bank = QuestionFactory(title="Best bank for students abroad", tags=[banks])
    cat = QuestionFactory(title="Cats and cucumbers, a love story", tags=[cats])
    related.compute([question.pk])
    assert stored(question) == [bank.pk]
    with django_capture_on_commit_callbacks(execute=True):
        revision_services.edit_post(
            editor=question.author,
            post=question,
            body=question.body,
            title="Why are cats afraid of cucumbers?",
            tags=["cats"],
        )
    assert stored(question) == [cat.pk]


def test_a_tag_merge_recomputes_the_lists(django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(related, "TASK_BATCH", 1)  # one task per question
    banks, money = TagFactory(name="banks"), TagFactory(name="money")
    first = QuestionFactory(title="Opening hours on Sunday?", tags=[banks])
    second = QuestionFactory(title="Closing hours on Monday?", tags=[banks])
    other = QuestionFactory(title="Interest rates this year", tags=[money])
    related.compute([first.pk, second.pk])
    RelatedQuestions.objects.update(ids=[])
    with django_capture_on_commit_callbacks(execute=True):
        question_services.merge_tags(sources=[banks], target=money)
    assert set(stored(first)) == {second.pk, other.pk}
    assert set(stored(second)) == {first.pk, other.pk}


@pytest.mark.parametrize("how", ["deleted", "hidden"])
def test_a_stored_question_deleted_or_hidden_since_is_not_shown(client, how):
    tag = TagFactory(name="banks")
    question = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    gone, kept = QuestionFactory.create_batch(2, title="Best bank for students abroad", tags=[tag])
    related.compute([question.pk])
    assert set(stored(question)) == {gone.pk, kept.pk}
    change = {"deleted_at": timezone.now()} if how == "deleted" else {"hidden_at": timezone.now()}
    Question.objects.filter(pk=gone.pk).update(**change)
    html = sidebar(client, question)
    assert kept.get_absolute_url() in html
    assert gone.get_absolute_url() not in html


def test_compute_related_command_fills_missing_lists(capsys):
    tag = TagFactory(name="banks")
    first, second, third = QuestionFactory.create_batch(3, tags=[tag])
    related.compute([first.pk])
    RelatedQuestions.objects.filter(question=first).update(ids=[])
    call_command("compute_related", "--missing", "--batch", "1")
    assert stored(first) == []  # kept: it had a list
    assert set(stored(second)) == {first.pk, third.pk}
    assert set(stored(third)) == {first.pk, second.pk}
    assert "Stored 2 lists" in capsys.readouterr().out
    call_command("compute_related", "--newest", "1")
    assert stored(first) == []  # only the newest, `third`, was computed again


def test_compute_related_command_refreshes_old_lists():
    tag = TagFactory(name="banks")
    old, recent = QuestionFactory.create_batch(2, tags=[tag])
    related.compute([old.pk, recent.pk])
    RelatedQuestions.objects.filter(question=old).update(
        ids=[], computed_at=timezone.now() - timedelta(days=30)
    )
    RelatedQuestions.objects.filter(question=recent).update(ids=[])
    call_command("compute_related", "--older-than", "7")
    assert stored(old) == [recent.pk]
    assert stored(recent) == []  # computed a moment ago: left as it is


@pytest.mark.parametrize(
    "args", [["--batch", "0"], ["--newest", "-1"], ["--missing", "--older-than", "3"]]
)
def test_compute_related_command_refuses_bad_options(args):
    with pytest.raises(CommandError):
        call_command("compute_related", *args)
