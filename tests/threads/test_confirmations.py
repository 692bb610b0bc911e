"""Confirmations where the eye lands: after answering, commenting, accepting, flagging or
editing, the redirect ends in the item's anchor and the thread shows the message inside that
item, not at the top of the page."""

import re

import pytest

from answers.models import Answer
from comments.models import Comment
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "A body long enough for every form: thirty characters and then some more."


def item_html(html: str, anchor: str) -> str:
    """The element with id `anchor` up to the next post or comment: where a note shows."""
    start = html.index(f'id="{anchor}"')
    rest = html[start + 1 :]
    end = re.search(r'id="(question|answer|comment)-\d+"', rest)
    return rest[: end.start()] if end else rest


def top_of(html: str) -> str:
    """The page up to the thread's first post."""
    return html[: html.index('class="thread"')]


def follow_and_check(client, response, anchor: str, text: str):
    assert response.status_code == 302
    url = response["Location"]
    assert url.endswith(f"#{anchor}"), url
    page = client.get(url.split("#")[0]).content.decode()
    assert text in item_html(page, anchor)
    assert text not in top_of(page)
    assert page.count(text) == 1


def test_a_new_answer_is_confirmed_inside_the_answer(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=100))
    response = client.post(question.get_answer_url(), {"body": BODY})
    answer = Answer.objects.get()
    follow_and_check(client, response, f"answer-{answer.pk}", "Your answer is posted.")


def test_a_new_comment_is_confirmed_inside_the_comment(client):
    answer = AnswerFactory()
    client.force_login(UserFactory(reputation=100))
    body = "A comment long enough to pass the rules."
    response = client.post(f"/answers/{answer.pk}/comment/", {"body": body})
    comment = Comment.objects.get()
    follow_and_check(client, response, f"comment-{comment.pk}", "Your comment is posted.")


def test_accepting_is_confirmed_inside_the_answer(client):
    answer = AnswerFactory()
    client.force_login(answer.question.author)
    response = client.post(f"/answers/{answer.pk}/accept/")
    follow_and_check(client, response, f"answer-{answer.pk}", "You accepted this answer.")


def test_flagging_is_confirmed_inside_the_post(client):
    answer = AnswerFactory()
    client.force_login(UserFactory(reputation=100))
    response = client.post(f"/answers/{answer.pk}/flag/", {"reason": "rude", "details": ""})
    text = "Thank you. Moderators will look at this post."
    follow_and_check(client, response, f"answer-{answer.pk}", text)


def test_an_edit_of_the_question_is_confirmed_inside_it(client):
    question = QuestionFactory()
    client.force_login(question.author)
    data = {"title": question.title, "body": BODY, "tags": "puns", "summary": ""}
    response = client.post(question.get_edit_url(), data)
    follow_and_check(client, response, f"question-{question.pk}", "Your edit is saved.")


def test_a_note_about_an_item_not_shown_goes_to_the_top(client):
    """A post hidden from the flagger by its flags still gets its thank-you, at the top."""
    answer = AnswerFactory()
    member = UserFactory(reputation=100)
    client.force_login(member)
    response = client.post(f"/answers/{answer.pk}/flag/", {"reason": "rude", "details": ""})
    Answer.objects.filter(pk=answer.pk).update(deleted_at=answer.question.created_at)
    page = client.get(response["Location"].split("#")[0]).content.decode()
    assert "Moderators will look at this post." in top_of(page)
