"""Profiles and the django-allauth pages: they render, and signing up signs the member in."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from votes.services import accept_answer

pytestmark = pytest.mark.django_db

User = get_user_model()


def test_profile_shows_reputation_questions_and_answers(client):
    member = UserFactory(username="ada", reputation=1234)
    asked = QuestionFactory(author=member, title="How do penguins tell jokes, exactly?")
    QuestionFactory(
        author=member, title="A deleted question of mine, gone now", deleted_at=timezone.now()
    )
    answer = AnswerFactory(author=member)
    accept_answer(answer=answer)
    member.refresh_from_db()
    response = client.get("/users/ada/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'data-reputation="{member.reputation}"' in html
    assert member.reputation == 1249
    assert f'href="{asked.get_absolute_url()}"' in html
    assert "A deleted question of mine" not in html
    assert f'href="{answer.question.get_absolute_url()}#answer-{answer.pk}"' in html
    assert (response.context["question_count"], response.context["answer_count"]) == (1, 1)
    assert response.context["accepted_count"] == 1


def test_posts_link_their_authors_profile(client):
    question = QuestionFactory(author=UserFactory(username="grace"))
    html = client.get(question.get_absolute_url()).content.decode()
    assert 'href="/users/grace/"' in html


def test_profile_of_an_unknown_or_inactive_member_is_404(client):
    UserFactory(username="gone", is_active=False)
    assert client.get("/users/nobody/").status_code == 404
    assert client.get("/users/gone/").status_code == 404


def test_profile_of_a_chinese_username_works(client):
    UserFactory(username="小明")
    response = client.get("/users/小明/")
    assert response.status_code == 200
    assert 'data-reputation="1"' in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"],
)
def test_account_pages_render_for_visitors(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "<form" in response.content.decode()


def test_logout_page_renders_for_members_and_logs_out_on_post(client):
    client.force_login(UserFactory())
    assert client.get("/accounts/logout/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_signup_creates_the_member_and_signs_them_in(client, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "newbie@example.com",
            "username": "newbie",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    member = User.objects.get(username="newbie")
    assert member.email == "newbie@example.com"
    assert member.reputation == 1
    assert client.session["_auth_user_id"] == str(member.pk)
    page = client.get(response.url)
    assert page.context["user"] == member
    assert len(mailoutbox) == 1  # the (optional) address confirmation
    assert "newbie@example.com" in mailoutbox[0].to


def test_signup_with_mismatched_passwords_creates_nobody(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "newbie@example.com",
            "username": "newbie",
            "password1": "a long and unusual passphrase",
            "password2": "another long passphrase",
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_login_by_username_signs_in(client):
    member = UserFactory(username="ada")
    response = client.post(
        "/accounts/login/", {"login": "ada", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_login_with_a_wrong_password_fails(client):
    UserFactory(username="ada")
    response = client.post("/accounts/login/", {"login": "ada", "password": "wrong"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_login_returns_to_the_page_that_asked(client):
    UserFactory(username="ada")
    response = client.post(
        "/accounts/login/?next=/questions/ask/",
        {"login": "ada", "password": "correct-horse-battery", "next": "/questions/ask/"},
    )
    assert response.status_code == 302
    assert response.url == "/questions/ask/"


@pytest.mark.parametrize("posts", [2, 30])
def test_profile_queries_do_not_grow_with_posts(client, django_assert_num_queries, posts):
    member = UserFactory(username="ada")
    for _ in range(posts):
        QuestionFactory(author=member)
        AnswerFactory(author=member)
    # member with the post totals, the chart's days with the ledger up to 1,000 reputation,
    # latest ledger rows, the milestones' firsts, questions, answers
    with django_assert_num_queries(6):
        response = client.get("/users/ada/")
    assert response.status_code == 200
    assert not response.cookies
