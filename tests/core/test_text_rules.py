"""Invisible-only text is refused as empty and minimum lengths count what a reader sees;
titles lose bidirectional overrides (core/textrules.py)."""

import pytest

from answers.models import Answer
from comments.models import Comment
from core.textrules import strip_bidi_controls, weighted_length
from questions.models import Question
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

ZWSP = "\u200b"
TITLE = "Why do jokes about time never get old?"
BODY = "Every time I tell one, the timing is off. What makes it work?"
INVISIBLES = {
    "zero-width spaces": ZWSP * 40,
    "joiners and marks": "\u200c\u200d\u2060\ufeff\u200e\u200f" * 8,
    "fillers": "\u3164\u2800\u115f\uffa0" * 10,
    "no-break and ideographic spaces": "\u00a0\u3000" * 20,
}


def test_weighted_length_skips_invisible_characters_and_counts_cjk_twice():
    assert weighted_length(f"a{ZWSP}b{ZWSP}") == 2
    assert weighted_length("为什么") == 6


def test_strip_bidi_controls_keeps_marks():
    assert strip_bidi_controls("a\u202eb\u2066c\u2069\u200fd") == "abc\u200fd"


@pytest.mark.parametrize("blank", INVISIBLES.values(), ids=INVISIBLES)
@pytest.mark.parametrize("field", ["title", "body"])
def test_invisible_question_text_is_refused(client, blank, field):
    client.force_login(UserFactory())
    data = {"title": TITLE, "body": BODY, "tags": "timing", field: blank}
    response = client.post("/questions/ask/", data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not Question.objects.exists()


def test_invisible_padding_does_not_reach_the_minimum(client):
    client.force_login(UserFactory())
    data = {"title": "short" + ZWSP * 20, "body": BODY, "tags": "timing"}
    response = client.post("/questions/ask/", data)
    assert response.status_code == 400
    assert "at least 15 characters" in response.content.decode()
    assert not Question.objects.exists()


@pytest.mark.parametrize("blank", INVISIBLES.values(), ids=INVISIBLES)
def test_invisible_answers_and_comments_are_refused(client, launch_mode, blank):
    question = QuestionFactory()
    client.force_login(UserFactory())
    assert client.post(f"/questions/{question.pk}/answer/", {"body": blank}).status_code == 400
    assert client.post(f"/questions/{question.pk}/comment/", {"body": blank}).status_code == 400
    assert not Answer.objects.exists()
    assert not Comment.objects.exists()


def test_a_title_loses_right_to_left_overrides(client):
    client.force_login(UserFactory())
    title = "Why is this title \u202ereversed\u202c in lists?"
    response = client.post("/questions/ask/", {"title": title, "body": BODY, "tags": "timing"})
    assert response.status_code == 302
    assert Question.objects.get().title == "Why is this title reversed in lists?"
