"""The `preview` submit of the ask, answer and edit forms (contract v1.3): 200, the form again
as typed, the post rendered and sanitised by the site's own renderer in `.preview`; nothing
saved."""

import re

import pytest

from answers.models import Answer
from questions.models import Question
from revisions.models import Revision
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import unsafe_markup
from tests.test_xss_corpus import PAYLOADS, payload_markup

pytestmark = pytest.mark.django_db

BODY = "A **bold** claim with `code` and <script>alert(1)</script> in it, long enough."


def preview_of(response) -> str:
    match = re.search(
        r'<section class="preview[^"]*"[^>]*>(.*?)</section>', response.content.decode(), re.S
    )
    assert match, "no .preview on the page"
    return match.group(1)


def assert_previewed(response):
    assert response.status_code == 200
    shown = preview_of(response)
    assert "<strong>bold</strong>" in shown and "<code>code</code>" in shown
    assert "<script" not in shown  # sanitised as every post is
    assert "A **bold** claim" in response.content.decode()  # the form again, as typed


def test_previewing_a_question_saves_nothing(client):
    client.force_login(UserFactory())
    data = {"title": "Why does my pun fall flat?", "body": BODY, "tags": "puns", "preview": "1"}
    response = client.post("/questions/ask/", data)
    assert_previewed(response)
    assert 'value="Why does my pun fall flat?"' in response.content.decode()
    assert not Question.objects.exists()


def test_previewing_an_answer_saves_nothing(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(question.get_answer_url(), {"body": BODY, "preview": "1"})
    assert_previewed(response)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_previewing_an_edit_saves_nothing(client, kind):
    post = QuestionFactory() if kind == "question" else AnswerFactory()
    before = post.body
    client.force_login(post.author)
    data = {"body": BODY, "summary": "", "preview": "1"}
    if kind == "question":
        data.update(title=post.title, tags="puns")
    response = client.post(post.get_edit_url(), data)
    assert_previewed(response)
    post.refresh_from_db()
    assert post.body == before
    assert not Revision.objects.filter(**{kind: post}).exists()


def test_the_forms_offer_a_preview_button(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    for url in ["/questions/ask/", question.get_absolute_url(), question.get_edit_url()]:
        page = client.get(url).content.decode()
        assert 'name="preview"' in page, url


def test_live_preview_renders_with_the_site_renderer_and_saves_nothing(client):
    client.force_login(UserFactory())
    response = client.post("/questions/preview/", {"body": BODY})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<script" not in html
    assert not Question.objects.exists() and not Answer.objects.exists()


def test_live_preview_needs_a_member_and_a_post(client):
    response = client.post("/questions/preview/", {"body": BODY})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory())
    assert client.get("/questions/preview/").status_code == 405


def test_live_preview_is_rate_limited(client, settings, monkeypatch):
    """On a frozen clock with windows starting on the minute (see tests/core/test_ratelimits):
    with the real clock a window could end between two of the requests."""
    import django_ratelimit.core
    from freezegun import freeze_time

    from tests.core.test_ratelimits import _window_without_jitter

    monkeypatch.setattr(django_ratelimit.core, "_get_window", _window_without_jitter)
    frozen = freeze_time("2026-12-06 10:00:01")
    frozen.start()
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_RATE_LIMITS = {**settings.JOKESITE_RATE_LIMITS, "preview": ("2/m", "2/m")}
    client.force_login(UserFactory())
    try:
        statuses = [
            client.post("/questions/preview/", {"body": BODY}).status_code for _ in range(3)
        ]
    finally:
        frozen.stop()
    assert statuses == [200, 200, 429]


def test_the_forms_carry_the_editor_hooks(client):
    question = QuestionFactory()
    client.force_login(question.author)
    for url in ["/questions/ask/", question.get_absolute_url(), question.get_edit_url()]:
        page = client.get(url).content.decode()
        assert 'data-preview-url="/questions/preview/"' in page, url
        assert "js/editor.js" in page, url


@pytest.mark.parametrize("marker", list(PAYLOADS)[::3])
def test_live_preview_lets_no_payload_through(client, marker):
    """The XSS corpus, each payload also in a fenced block with a language (highlighted)."""
    client.force_login(UserFactory())
    body = f"{PAYLOADS[marker]}\n\n```html\n{PAYLOADS[marker]}\n```"
    html = client.post("/questions/preview/", {"body": body}).content.decode()
    assert not unsafe_markup(html), html
    assert not payload_markup(html, marker), html
