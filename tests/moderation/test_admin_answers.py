"""Answers in the moderation console."""

import pytest
from django.urls import reverse

from answers.models import Answer
from answers.services import post_answer
from moderation import services as moderation_services
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    QuestionFactory,
    RevisionFactory,
    UserFactory,
)
from tests.moderation.test_admin import (
    admin_url,
    assert_changelist_is_flat,
    change_form_data,
    count_queries,
    logged_in,
    messages_of,
    run_action,
)
from votes.services import accept_answer


def answer_to_its_own_question(i):
    AnswerFactory(is_accepted=bool(i % 2))


@pytest.mark.parametrize("who", ["superuser", "moderator"])
def test_answer_changelist_and_change_page_open_for_moderators(db, who):
    answer = AnswerFactory()
    client = logged_in(who)
    assert client.get(admin_url(Answer, "changelist")).status_code == 200
    assert client.get(admin_url(Answer, "change", answer.pk)).status_code == 200


def test_member_is_sent_to_admin_login(db):
    answer = AnswerFactory()
    client = logged_in("member")
    for url in (admin_url(Answer, "changelist"), admin_url(Answer, "change", answer.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("query", ["", "?_facets=1"], ids=["plain", "facets"])
def test_answer_changelist_query_count_is_flat(db, query):
    assert_changelist_is_flat(logged_in("moderator"), Answer, answer_to_its_own_question, query)


def test_answer_change_page_query_count_is_flat(db):
    client = logged_in("moderator")
    answer = AnswerFactory()
    url = admin_url(Answer, "change", answer.pk)
    RevisionFactory(question=None, answer=answer)
    CommentFactory(question=None, answer=answer)
    few = count_queries(client, url)
    RevisionFactory.create_batch(9, question=None, answer=answer)
    CommentFactory.create_batch(9, question=None, answer=answer)
    assert count_queries(client, url) == few


def test_answers_link_of_a_question_lists_its_answers(db):
    client = logged_in("moderator")
    mine, _other = AnswerFactory(), AnswerFactory()
    url = admin_url(Answer, "changelist") + f"?question__id__exact={mine.question_id}"

    assert list(client.get(url).context["cl"].result_list) == [mine]


def test_soft_delete_and_restore_answers_keep_answer_count(db):
    client = logged_in("moderator")
    question = QuestionFactory()
    accepted, other = AnswerFactory.create_batch(2, question=question)
    accept_answer(answer=accepted)

    response = run_action(client, Answer, "soft_delete", [accepted, other])

    assert messages_of(response) == ["2 posts deleted."]
    question.refresh_from_db()
    accepted.refresh_from_db()
    assert question.answer_count == 0
    assert accepted.is_deleted
    assert accepted.deleted_by == response.wsgi_request.user
    assert not accepted.is_accepted  # a deleted answer loses its accepted mark

    run_action(client, Answer, "soft_delete", [accepted])  # already deleted: counted once
    question.refresh_from_db()
    assert question.answer_count == 0

    response = run_action(client, Answer, "restore", [accepted])

    assert messages_of(response) == ["1 post restored."]
    question.refresh_from_db()
    accepted.refresh_from_db()
    assert question.answer_count == 1
    assert not accepted.is_deleted


def test_editing_an_answer_in_the_admin_adds_a_revision(db):
    client = logged_in("moderator")
    answer = post_answer(
        author=UserFactory(),
        question=QuestionFactory(),
        body="Because seven ate nine, which everybody knows.",
    )
    url = admin_url(Answer, "change", answer.pk)
    body = "Because seven *ate* nine, which everybody knows."

    response = client.post(url, change_form_data(client.get(url), body=body))

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == body
    assert "<em>ate</em>" in answer.body_html
    assert answer.edited_at is not None
    assert list(answer.revisions.values_list("number", "body")) == [
        (2, body),
        (1, "Because seven ate nine, which everybody knows."),
    ]
    assert answer.revisions.first().editor == response.wsgi_request.user


def test_moderator_cannot_move_or_accept_an_answer_in_the_admin(db):
    client = logged_in("moderator")
    answer = AnswerFactory()
    elsewhere = QuestionFactory()
    url = admin_url(Answer, "change", answer.pk)
    data = change_form_data(client.get(url), question=str(elsewhere.pk), is_accepted="on")

    client.post(url, data)

    answer.refresh_from_db()
    assert answer.question_id != elsewhere.pk
    assert not answer.is_accepted


def test_search_finds_answers_by_author(db):
    client = logged_in("moderator")
    wanted = AnswerFactory(author=UserFactory(username="punster"))
    AnswerFactory()
    moderation_services.delete_post(
        actor=wanted.author, post=wanted
    )  # deleted answers are found too

    response = client.get(admin_url(Answer, "changelist") + "?q=punster")

    assert list(response.context["cl"].result_list) == [wanted]
