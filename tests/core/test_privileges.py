"""Privileges come from the table in settings: without one, the button says what is needed and
the POST answers 403 with the same sentence; launch mode needs 1 for all but moderation."""

from html import unescape

import pytest
from django.conf import settings

from comments.models import Comment
from core import permissions
from flags.models import Flag
from tests.factories import AnswerFactory, ModeratorFactory, UserFactory
from votes import reputation
from votes.models import Vote

pytestmark = pytest.mark.django_db

TABLE = {
    "vote_up": 15,
    "flag": 15,
    "comment": 50,
    "vote_down": 125,
    "review": 500,
    "edit_tags": 500,
    "edit_others": 2000,
    "close_reopen": 3000,
}


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_settings_hold_stack_overflows_table():
    assert settings.JOKESITE_PRIVILEGES == TABLE
    assert permissions.privileges() == list(TABLE)  # least reputation first
    assert set(permissions.PRIVILEGE_NAMES) == set(permissions.PRIVILEGE_DESCRIPTIONS) == set(TABLE)


@pytest.mark.parametrize(("privilege", "needed"), TABLE.items())
def test_each_privilege_needs_its_reputation(privilege, needed):
    assert not permissions.has_privilege(UserFactory(reputation=needed - 1), privilege)
    assert permissions.has_privilege(UserFactory(reputation=needed), privilege)


@pytest.mark.parametrize("privilege", sorted(set(TABLE) - {"edit_others"}))
def test_launch_mode_needs_1_for_every_privilege(launch_mode, privilege):
    assert permissions.threshold(privilege) == 1
    assert permissions.has_privilege(UserFactory(), privilege)
    assert permissions.explain(privilege).startswith("You need 1 reputation to ")


@pytest.mark.parametrize("privilege", TABLE)
def test_moderators_have_every_privilege_from_the_start(privilege):
    assert permissions.has_privilege(ModeratorFactory(), privilege)


# --- 403 with the explanation, and success with the privilege -------------------------------


@pytest.fixture
def answer():
    return AnswerFactory()


@pytest.mark.parametrize("kind", ["question", "answer"])
@pytest.mark.parametrize(
    ("value", "needed", "sentence"),
    [
        ("1", 15, "You need 15 reputation to vote up."),
        ("-1", 125, "You need 125 reputation to vote down."),
    ],
)
def test_voting_without_the_privilege_is_403_with_the_reason(
    client, answer, kind, value, needed, sentence
):
    post = answer if kind == "answer" else answer.question
    url = f"/{kind}s/{post.pk}/vote/"
    client.force_login(UserFactory(reputation=needed - 1))
    response = client.post(url, {"value": value})
    assert response.status_code == 403
    assert sentence in text(response)
    assert "/help/privileges/" in text(response)
    assert not Vote.objects.exists()

    client.force_login(UserFactory(reputation=needed))
    assert client.post(url, {"value": value}).status_code == 302
    assert Vote.objects.count() == 1


def test_retracting_needs_no_privilege(client, answer):
    voter = UserFactory(reputation=15)
    client.force_login(voter)
    client.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    reputation.award_bonus(user=voter, amount=-14)  # down to 1
    assert client.post(f"/answers/{answer.pk}/vote/", {"value": "0"}).status_code == 302
    assert not Vote.objects.exists()


def test_commenting_without_the_privilege_is_403_with_the_reason(client, answer):
    url = f"/answers/{answer.pk}/comment/"
    body = {"body": "A comment long enough to be one."}
    client.force_login(UserFactory(reputation=49))
    response = client.post(url, body)
    assert response.status_code == 403
    assert "You need 50 reputation to comment everywhere." in text(response)
    assert not Comment.objects.exists()

    client.force_login(UserFactory(reputation=50))
    assert client.post(url, body).status_code == 302
    assert Comment.objects.count() == 1


def test_commenting_on_answers_to_ones_own_question_needs_no_privilege(client, answer):
    client.force_login(answer.question.author)
    body = {"body": "Thanks, that is what I needed."}
    assert client.post(f"/answers/{answer.pk}/comment/", body).status_code == 302


@pytest.mark.parametrize("method", ["get", "post"])
def test_flagging_without_the_privilege_is_403_with_the_reason(client, answer, method):
    url = f"/answers/{answer.pk}/flag/"
    client.force_login(UserFactory(reputation=14))
    response = getattr(client, method)(url, {"reason": "spam"})
    assert response.status_code == 403
    assert "You need 15 reputation to flag posts." in text(response)
    assert not Flag.objects.exists()

    client.force_login(UserFactory(reputation=15))
    assert getattr(client, method)(url, {"reason": "spam"}).status_code in (200, 302)


def test_editing_others_posts_without_the_privilege_suggests_the_edit(client, answer):
    """Below 2000 the edit form is a suggestion form: the post stays as it is (contract v1.3)."""
    url = f"/answers/{answer.pk}/edit/"
    data = {"body": "A better answer, rewritten by someone trusted to."}
    client.force_login(UserFactory(reputation=1999))
    form = client.get(url)
    assert form.status_code == 200
    assert "You are suggesting an edit" in text(form)
    assert client.post(url, data).status_code == 302
    answer.refresh_from_db()
    assert answer.body != data["body"]
    assert answer.suggested_edits.get().body == data["body"]

    client.force_login(UserFactory(reputation=2000))
    assert client.post(url, data).status_code == 302
    answer.refresh_from_db()
    assert answer.body == data["body"]


def test_own_posts_are_403_for_voting_and_flagging_whatever_the_reputation(client, answer):
    client.force_login(UserFactory(username=answer.author.username, reputation=100_000))
    response = client.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    assert (response.status_code, "You cannot vote on your own post." in text(response)) == (
        403,
        True,
    )
    response = client.post(f"/answers/{answer.pk}/flag/", {"reason": "spam"})
    assert (response.status_code, "You cannot flag your own post." in text(response)) == (
        403,
        True,
    )


def test_launch_mode_lets_a_new_member_vote_comment_and_flag(client, answer, launch_mode):
    client.force_login(UserFactory())
    assert client.post(f"/answers/{answer.pk}/vote/", {"value": "-1"}).status_code == 302
    body = {"body": "A comment long enough to be one."}
    assert client.post(f"/answers/{answer.pk}/comment/", body).status_code == 302
    assert client.post(f"/answers/{answer.pk}/flag/", {"reason": "spam"}).status_code == 302


# --- The buttons say the same ---------------------------------------------------------------


def test_the_thread_explains_each_missing_privilege_on_its_button(client, answer):
    client.force_login(UserFactory())
    html = text(client.get(answer.question.get_absolute_url()))
    for sentence in (
        "You need 15 reputation to vote up.",
        "You need 125 reputation to vote down.",
        "You need 50 reputation to comment everywhere.",
        "You need 15 reputation to flag posts.",
    ):
        assert f'title="{sentence}"' in html or f"{sentence} <a" in html, sentence
    assert 'href="/help/privileges/#privilege-flag"' in html
    # Editing others' posts is open to everyone signed in, as a suggestion.
    assert f'href="/answers/{answer.pk}/edit/" class="suggest-edit">Suggest an edit' in html


def test_a_member_with_the_privileges_gets_working_buttons(client, answer):
    client.force_login(UserFactory(reputation=2000))
    html = text(client.get(answer.question.get_absolute_url()))
    assert "You need" not in html
    assert f'href="/answers/{answer.pk}/flag/"' in html
    assert f'href="/answers/{answer.pk}/edit/"' in html


# --- /help/privileges/ ----------------------------------------------------------------------


def test_the_privileges_page_lists_the_table_for_visitors(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/help/privileges/")
    assert response.status_code == 200
    html = text(response)
    for privilege, needed in TABLE.items():
        assert f'id="privilege-{privilege}"' in html
        assert f'data-needed="{needed}"' in html
    assert "Sign up" in html
    assert "at most 200 reputation a day" in html


def test_the_privileges_page_shows_the_members_progress(client, django_assert_num_queries):
    client.force_login(UserFactory(reputation=100))
    # session, user, the inbox badge (not staff, so no moderator check)
    with django_assert_num_queries(3):
        html = text(client.get("/help/privileges/"))
    assert "You have <strong>100</strong> reputation." in html
    assert html.count("✓ You have it") == 3  # vote up, flag, comment
    assert '<progress max="125" value="100"' in html
    assert "25 more to go" in html
    assert "2900 more to go" in html


def test_the_privileges_page_in_launch_mode_and_for_moderators(client, launch_mode):
    client.force_login(ModeratorFactory())
    html = text(client.get("/help/privileges/"))
    assert "This site is in launch mode" in html
    assert "As a moderator you have every privilege." in html
    assert html.count("✓ You have it") == len(TABLE)
