"""A thread's posts are written in Python (threads/render.py), not through template includes:
everything a reader's words or a member's input can reach is escaped, every comment form
carries its own single-use guard, and the markup hooks of the contract are where they were."""

import re

import pytest
from django.core import signing
from django.test import Client

from core.protection import SALT
from tests.factories import (
    AnswerCommentFactory,
    AnswerFactory,
    QuestionFactory,
    UserFactory,
)
from threads import readers
from threads.render import ThreadRenderer

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(settings):
    settings.JOKESITE_LAUNCH_MODE = False
    question = QuestionFactory()
    answers = AnswerFactory.create_batch(3, question=question)
    AnswerCommentFactory(answer=answers[0])
    return question, answers


def page(client, question) -> str:
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_each_comment_form_has_its_own_valid_single_use_guard(thread, settings):
    from django.utils import timezone

    settings.JOKESITE_FORM_PROTECTION = True
    question, answers = thread
    client = Client()
    client.force_login(UserFactory(reputation=500, date_joined=timezone.now()))  # a new account
    html = page(client, question)
    forms = re.findall(r'<form method="post" action="[^"]*/comment/">(.*?)</form>', html, re.S)
    assert len(forms) == 4  # the question and its three answers
    started = [re.search(r'name="form_started" value="([^"]+)"', f).group(1) for f in forms]
    tokens = [re.search(r'name="form_token" value="([^"]+)"', f).group(1) for f in forms]
    assert len(set(started)) == len(set(tokens)) == 4
    nonces = {signing.loads(value, salt=SALT)["n"] for value in started}
    assert len(nonces) == 4
    for form in forms:
        assert 'name="csrfmiddlewaretoken"' in form
        assert 'name="website"' in form  # the honeypot


def test_established_members_comment_forms_carry_only_their_own_token(thread, settings):
    """The robot checks leave an established account alone (core.protection.is_checked): no
    signed stamp or honeypot for it, but each form's token still spares a double submit."""
    from datetime import timedelta

    from django.utils import timezone

    from comments.models import Comment

    settings.JOKESITE_FORM_PROTECTION = True
    question, answers = thread
    client = Client()
    client.force_login(UserFactory(reputation=500, date_joined=timezone.now() - timedelta(days=90)))
    html = page(client, question)
    forms = re.findall(r'<form method="post" action="([^"]*/comment/)">(.*?)</form>', html, re.S)
    assert len(forms) == 4
    tokens = [re.search(r'name="form_token" value="([^"]+)"', f).group(1) for _, f in forms]
    assert len(set(tokens)) == 4
    assert not any('name="form_started"' in f or 'name="website"' in f for _, f in forms)
    action, _ = forms[1]
    data = {"body": "A comment from an old hand, sent twice.", "form_token": tokens[1]}
    before = Comment.objects.count()
    first, second = client.post(action, data), client.post(action, data)
    assert first.status_code == second.status_code == 302
    assert Comment.objects.count() == before + 1


def test_visitors_get_login_links_back_to_the_thread(thread):
    question, _ = thread
    html = page(Client(), question)
    path = question.get_absolute_url()
    assert html.count(f'class="vote vote--up" href="/accounts/login/?next={path}"') == 4
    assert "csrfmiddlewaretoken" not in html.split('class="your-answer"')[0]
    assert "comments__add" not in html


def test_members_get_vote_forms_that_post_to_each_post(thread):
    question, answers = thread
    client = Client()
    client.force_login(UserFactory(reputation=500))
    html = page(client, question)
    for post in (question, *answers):
        url = post.get_vote_url()
        assert f'<form method="post" action="{url}" class="votes__form">' in html
        assert f'data-vote-url="{url}"' in html


def test_every_value_is_escaped(thread, rf):
    """The page's words, a refusal's sentence, the URLs: all escaped as autoescape would, while
    the shared parts (already HTML) pass through."""
    question, _ = thread
    member = UserFactory(reputation=500)
    request = rf.get("/")
    request.user = member
    words = {name: f"<i>{name}</i>" for name in readers.words()}
    renderer = ThreadRenderer(
        request,
        member,
        words=words,
        placed={},
        login_next_url="/login/?next=/a&b",
        privileges_url='/p"q',
        extra={"close_reasons": [], "close_votes_needed": 3},
    )
    question.visible_comments = []
    question.shared = {"head": "<p>body</p>", "share": "<details>s</details>", "signature": ""}
    question.reader = readers.Facts(vote_why="<script>x</script>", flag_off=True)
    html = renderer.post(question)
    assert "<script>" not in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
    assert "<i>" not in html and "&lt;i&gt;edit&lt;/i&gt;" not in html  # not shown here
    assert "&lt;i&gt;flag&lt;/i&gt;" in html
    assert 'href="/p&quot;q#privilege-flag"' in html
    assert "<p>body</p>" in html and "<details>s</details>" in html
