"""Robots and double submits: the honeypot, the minimum fill time, and one post per form."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone, translation
from freezegun import freeze_time

from answers.models import Answer
from comments.models import Comment
from core import protection
from questions.models import Question
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

QUESTION = {
    "title": "Why do jokes about time never get old?",
    "body": "Every time I tell one, the timing is off. What makes it work?",
    "tags": "timing",
}
ANSWER = {"body": "Pause before the punchline: the silence does half of the work."}
COMMENT = {"body": "The pause trick works, I tried it yesterday."}
INPUT_RE = re.compile(
    r'<input type="(?:hidden|text)" name="(website|form_started|form_token)"'
    r'(?: value="([^"]*)")?'
)


@pytest.fixture
def protected(settings):
    settings.JOKESITE_FORM_PROTECTION = True


def guard_fields(client, url, action="") -> dict[str, str]:
    """The guard fields of the first protected form on a page (the first one posting to
    `action`, when given), as a browser sends them."""
    html = client.get(url).content.decode()
    if action:
        html = html[html.index(f'action="{action}"') :]
    fields = {}
    for name, value in INPUT_RE.findall(html):
        if name in fields:
            break  # the next form's
        fields[name] = value or ""
    return fields


def new_member():
    return UserFactory()  # joined just now


def old_member():
    return UserFactory(date_joined=timezone.now() - timedelta(days=30))


# --- signup ---------------------------------------------------------------------------------

SIGNUP = {
    "username": "newcomer",
    "email": "newcomer@example.com",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


def test_signup_sent_after_a_few_seconds_creates_the_account(client, protected):
    with freeze_time() as frozen:
        fields = guard_fields(client, "/accounts/signup/")
        assert set(fields) == {"website", "form_started"}
        frozen.tick(5)
        response = client.post("/accounts/signup/", {**SIGNUP, **fields})
    assert response.status_code == 302
    assert get_user_model().objects.filter(username="newcomer").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"website": "http://spam.example"}, "A field that people cannot see was filled in"),
        ({"form_started": ""}, "This form is incomplete or out of date"),
        ({"form_started": "forged:value"}, "This form is incomplete or out of date"),
    ],
)
def test_robot_signups_are_refused_and_create_nothing(client, protected, change, message):
    with freeze_time() as frozen:
        fields = guard_fields(client, "/accounts/signup/")
        frozen.tick(5)
        response = client.post("/accounts/signup/", {**SIGNUP, **fields, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_signup_sent_too_fast_is_refused(client, protected):
    with freeze_time() as frozen:
        fields = guard_fields(client, "/accounts/signup/")
        frozen.tick(1)
        response = client.post("/accounts/signup/", {**SIGNUP, **fields})
    assert response.status_code == 400
    assert "less than 3 seconds" in response.content.decode()
    assert not get_user_model().objects.filter(username="newcomer").exists()


def test_a_form_left_open_too_long_is_refused(client, protected):
    with freeze_time() as frozen:
        fields = guard_fields(client, "/accounts/signup/")
        frozen.tick(timedelta(days=2))
        response = client.post("/accounts/signup/", {**SIGNUP, **fields})
    assert response.status_code == 400
    assert "opened too long ago" in response.content.decode()


def test_signup_without_the_fields_works_when_protection_is_off(client):
    assert client.post("/accounts/signup/", SIGNUP).status_code == 302
    assert get_user_model().objects.filter(username="newcomer").exists()


# --- posts by new accounts ------------------------------------------------------------------


@pytest.fixture
def question():
    return QuestionFactory()


def ask(client, data):
    return client.post("/questions/ask/", data)


def answer(client, question, data):
    return client.post(f"/questions/{question.pk}/answer/", data)


def comment(client, question, data):
    return client.post(f"/questions/{question.pk}/comment/", data)


POSTS = {  # kind: (page with the form, post it, data, model, the form's action)
    "ask": (lambda q: "/questions/ask/", ask, QUESTION, Question, lambda q: ""),
    "answer": (
        lambda q: q.get_absolute_url(),
        answer,
        ANSWER,
        Answer,
        lambda q: q.get_answer_url(),
    ),
    "comment": (
        lambda q: q.get_absolute_url(),
        comment,
        COMMENT,
        Comment,
        lambda q: q.get_comment_url(),
    ),
}


def form_of(client, kind, question) -> dict[str, str]:
    page, *_, action = POSTS[kind]
    return guard_fields(client, page(question), action(question))


def send(client, kind, question, extra):
    _, post, data, _, _ = POSTS[kind]
    if kind == "ask":
        return post(client, {**data, **extra})
    return post(client, question, {**data, **extra})


def count(kind, question):
    model = POSTS[kind][3]
    return (
        model.objects.exclude(pk=question.pk).count()
        if model is Question
        else model.objects.count()
    )


@pytest.mark.parametrize("kind", POSTS)
def test_new_accounts_posting_too_fast_are_refused(client, protected, launch_mode, question, kind):
    client.force_login(new_member())
    with freeze_time() as frozen:
        fields = form_of(client, kind, question)
        frozen.tick(1)
        response = send(client, kind, question, fields)
        assert response.status_code == 400
        assert "less than 3 seconds" in response.content.decode()
        assert count(kind, question) == 0
        frozen.tick(3)
        assert send(client, kind, question, fields).status_code == 302
    assert count(kind, question) == 1


@pytest.mark.parametrize("kind", POSTS)
def test_new_accounts_filling_the_honeypot_are_refused(
    client, protected, launch_mode, question, kind
):
    client.force_login(new_member())
    with freeze_time() as frozen:
        fields = form_of(client, kind, question)
        frozen.tick(10)
        response = send(client, kind, question, {**fields, "website": "buy pills"})
    assert response.status_code == 400
    assert "A field that people cannot see was filled in" in response.content.decode()
    assert count(kind, question) == 0


@pytest.mark.parametrize("kind", POSTS)
def test_new_accounts_posting_without_the_form_are_refused(
    client, protected, launch_mode, question, kind
):
    client.force_login(new_member())
    assert send(client, kind, question, {}).status_code == 400
    assert count(kind, question) == 0


def test_a_form_shown_to_someone_else_is_refused(client, protected):
    client.force_login(new_member())
    with freeze_time() as frozen:
        fields = guard_fields(client, "/questions/ask/")
        client.force_login(new_member())
        frozen.tick(10)
        response = ask(client, fields | QUESTION)
    assert response.status_code == 400
    assert not Question.objects.exists()


@pytest.mark.parametrize("kind", POSTS)
def test_established_accounts_are_not_timed(client, protected, launch_mode, question, kind):
    client.force_login(old_member())
    assert send(client, kind, question, {"website": "autofilled"}).status_code == 302
    assert count(kind, question) == 1


# --- double submit --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", POSTS)
def test_double_submit_posts_once_and_lands_on_the_first_post(client, launch_mode, question, kind):
    client.force_login(old_member())
    fields = form_of(client, kind, question)
    first = send(client, kind, question, fields)
    second = send(client, kind, question, fields)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert count(kind, question) == 1
    follow = client.get(second["Location"].split("#")[0])
    assert "You sent this form twice; it was posted once." in follow.content.decode()


@pytest.mark.parametrize("kind", POSTS)
def test_posts_without_a_token_are_not_deduplicated(client, launch_mode, question, kind):
    client.force_login(old_member())
    send(client, kind, question, {})
    send(client, kind, question, {})
    assert count(kind, question) == 2


def test_each_rendered_form_has_its_own_token(client, launch_mode, question):
    client.force_login(old_member())
    first = form_of(client, "answer", question)
    second = form_of(client, "answer", question)
    assert first["form_token"] != second["form_token"]
    send(client, "answer", question, first)
    send(client, "answer", question, second)
    assert Answer.objects.count() == 2


def test_an_invalid_first_submit_does_not_use_up_the_token(client, launch_mode, question):
    client.force_login(old_member())
    fields = form_of(client, "answer", question)
    assert answer(client, question, {**fields, "body": "short"}).status_code == 400
    assert answer(client, question, {**fields, **ANSWER}).status_code == 302
    assert Answer.objects.count() == 1


def test_the_same_token_from_another_member_is_theirs_alone(client, launch_mode, question):
    client.force_login(old_member())
    fields = form_of(client, "answer", question)
    answer(client, question, {**fields, **ANSWER})
    client.force_login(old_member())
    answer(client, question, {**fields, **ANSWER})
    assert Answer.objects.count() == 2


def test_a_submit_while_the_first_is_still_running_waits_then_says_so(
    client, launch_mode, question, monkeypatch
):
    member = old_member()
    client.force_login(member)
    fields = form_of(client, "answer", question)
    path = f"/questions/{question.pk}/answer/"
    cache.set(f"form-token:{member.pk}:{path}:{fields['form_token']}", protection.PENDING)
    monkeypatch.setattr(protection, "WAIT_STEPS", 2)
    monkeypatch.setattr(protection.time, "sleep", lambda seconds: None)
    response = answer(client, question, {**fields, **ANSWER})
    assert response.status_code == 409
    assert "still being sent" in response.content.decode()
    assert Answer.objects.count() == 0


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get("/accounts/signup/").content.decode()
    wrapper = re.search(r'<div class="hp" aria-hidden="true"><label>[^<]*<input [^>]*>', html)
    assert wrapper
    assert 'tabindex="-1"' in wrapper.group(0)
    assert 'autocomplete="off"' in wrapper.group(0)


def test_checking_for_similar_questions_is_not_timed(client, protected):
    """The no-JavaScript 'check for similar questions' step saves nothing: no robot check."""
    client.force_login(new_member())
    response = ask(client, {"title": QUESTION["title"], "check_similar": "1"})
    assert response.status_code == 200
    assert not Question.objects.exists()


# --- the form timer is single-use -----------------------------------------------------------


def test_a_signup_stamp_cannot_be_replayed(client, protected):
    """A robot used to wait once and replay one `form_started` for a day of signups."""
    with freeze_time() as frozen:
        fields = guard_fields(client, "/accounts/signup/")
        frozen.tick(5)
        assert client.post("/accounts/signup/", {**SIGNUP, **fields}).status_code == 302
        client.logout()
        other = {
            **SIGNUP,
            "username": "second",
            "email": "second@example.com",
            **fields,
        }
        response = client.post("/accounts/signup/", other)
    assert response.status_code == 400
    assert "This form was sent already" in response.content.decode()
    assert not get_user_model().objects.filter(username="second").exists()


@pytest.mark.parametrize("kind", POSTS)
def test_a_new_accounts_stamp_cannot_be_replayed_without_the_token(
    client, protected, launch_mode, question, kind
):
    client.force_login(new_member())
    with freeze_time() as frozen:
        fields = form_of(client, kind, question)
        del fields["form_token"]  # as a robot would, to dodge the double-submit check
        frozen.tick(5)
        assert send(client, kind, question, fields).status_code == 302
        frozen.tick(5)
        response = send(client, kind, question, {**fields, "body": POSTS[kind][2]["body"] + "!"})
    assert response.status_code == 400
    assert "This form was sent already" in response.content.decode()
    assert count(kind, question) == 1


def test_an_invalid_post_does_not_use_up_the_stamp(client, protected, launch_mode, question):
    client.force_login(new_member())
    with freeze_time() as frozen:
        fields = form_of(client, "answer", question)
        frozen.tick(5)
        assert answer(client, question, {**fields, "body": "short"}).status_code == 400
        assert answer(client, question, {**fields, **ANSWER}).status_code == 302
    assert Answer.objects.count() == 1


def test_a_stamp_without_a_nonce_is_out_of_date(client, protected, launch_mode, question):
    """Stamps signed before they carried a nonce could be replayed: refused."""
    from django.core import signing

    client.force_login(member := new_member())
    with freeze_time() as frozen:
        fields = form_of(client, "answer", question)
        old = {"u": member.pk, "t": round(timezone.now().timestamp() - 10, 3)}
        fields["form_started"] = signing.dumps(old, salt=protection.SALT)
        frozen.tick(5)
        response = answer(client, question, {**fields, **ANSWER})
    assert response.status_code == 400
    assert Answer.objects.count() == 0


def test_form_guard_tag_writes_what_the_guard_form_renders(monkeypatch, protected):
    """The tag writes the fields out by hand (for speed): exactly the widgets' HTML."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context, Template
    from django.test import RequestFactory

    from core import protection

    monkeypatch.setattr(protection, "started_value", lambda user: "signed:time")
    monkeypatch.setattr(protection.secrets, "token_urlsafe", lambda n: "a-fixed-token-123")
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    for language in ("en", "zh-hans"):
        with translation.override(language):
            tag = Template("{% load form_guard %}{% form_guard %}").render(
                Context({"request": request})
            )
            form = "".join(str(field) for field in protection.GuardForm(None))
            assert tag == form
            assert 'name="form_token" value="a-fixed-token-123"' in tag


def test_established_members_forms_carry_only_the_token(client, protected, launch_mode, question):
    """The checks leave them alone: no stamp to sign or honeypot, every form its token."""
    client.force_login(old_member())
    for kind in ("ask", "answer"):
        page = client.get(POSTS[kind][0](question)).content.decode()
        assert 'name="form_token"' in page
        assert 'name="form_started"' not in page
        assert 'name="website"' not in page
    client.force_login(UserFactory())  # a new account: checked
    page = client.get(question.get_absolute_url()).content.decode()
    assert 'name="form_started"' in page and 'name="website"' in page
