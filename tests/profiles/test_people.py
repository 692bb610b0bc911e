"""People on the site: generated avatars in every post, editing one's own profile, the account
menu, the light/dark choice, the icon, and why voting is off, in words."""

import re

import pytest

from accounts.avatars import avatar_svg
from accounts.models import AvatarStyle, Theme
from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from tests.pages import container

pytestmark = pytest.mark.django_db


def test_every_question_and_answer_shows_its_authors_avatar(client):
    question = QuestionFactory(author=UserFactory(username="ann"))
    answer = AnswerFactory(question=question, author=UserFactory(username="bo"))
    response = client.get(question.get_absolute_url())
    for element_id, name in [(f"question-{question.pk}", "ann"), (f"answer-{answer.pk}", "bo")]:
        html = container(response, element_id)
        assert '<svg class="avatar"' in html, element_id
        assert f">{name[0].upper()}</text>" in html


def test_no_page_asks_another_origin(client):
    question = QuestionFactory()
    AnswerFactory(question=question)
    client.force_login(UserFactory())
    for path in ["/", question.get_absolute_url(), f"/users/{question.author.username}/"]:
        html = client.get(path).content.decode()
        external = re.findall(r'(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert [url for url in external if "testserver" not in url] == [], path


def test_avatars_are_the_same_for_a_name_and_differ_between_names():
    ann, bo = UserFactory.build(username="ann"), UserFactory.build(username="bo")
    assert avatar_svg(ann) == avatar_svg(UserFactory.build(username="ann"))
    assert avatar_svg(ann) != avatar_svg(bo)
    pattern = avatar_svg(ann, style=AvatarStyle.PATTERN)
    assert "<rect x=" in pattern and "<text" not in pattern


def test_avatar_initial_is_escaped():
    user = UserFactory.build(username="x", display_name="<b>")
    assert "<b>" not in avatar_svg(user)


def test_a_member_edits_their_own_profile(client):
    member = UserFactory(username="lin")
    client.force_login(member)
    form = client.get("/settings/profile/").content.decode()
    assert 'name="display_name"' in form and 'name="avatar_style"' in form
    response = client.post(
        "/settings/profile/",
        {"display_name": "  Lin  Wei ", "about": "Likes\nbanks.", "avatar_style": "pattern",
         "theme": "dark"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.url == "/users/lin/"
    member.refresh_from_db()
    assert (member.display_name, member.about) == ("Lin Wei", "Likes\nbanks.")
    assert (member.avatar_style, member.theme) == (AvatarStyle.PATTERN, Theme.DARK)
    profile = client.get("/users/lin/").content.decode()
    assert "Lin Wei" in profile and "@lin" in profile
    assert "Likes<br>banks." in profile
    assert 'data-avatar="pattern"' in profile
    assert '<html lang="en" data-theme="dark">' in profile


def test_a_display_name_of_invisible_characters_is_none(client):
    member = UserFactory()
    client.force_login(member)
    data = {"display_name": "\u200b\u3164 ", "about": "", "avatar_style": "initial", "theme": ""}
    assert client.post("/settings/profile/", data).status_code == 302
    member.refresh_from_db()
    assert member.display_name == ""


def test_an_invalid_profile_is_shown_again_and_nothing_saved(client):
    member = UserFactory(display_name="Old")
    client.force_login(member)
    data = {"display_name": "x" * 51, "about": "", "avatar_style": "photo", "theme": "pink"}
    response = client.post("/settings/profile/", data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    member.refresh_from_db()
    assert member.display_name == "Old"


def test_profile_editing_needs_a_login(client):
    response = client.get("/settings/profile/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_own_profile_links_to_the_edit_form_and_others_do_not(client):
    member, other = UserFactory(), UserFactory()
    client.force_login(member)
    assert "/settings/profile/" in container(client.get(f"/users/{member.username}/"), "main")
    assert "/settings/profile/" not in container(client.get(f"/users/{other.username}/"), "main")


def test_the_account_menu_holds_profile_settings_password_and_log_out(client):
    member = UserFactory()
    client.force_login(member)
    html = client.get("/").content.decode()
    menu = html[html.index('<details class="account-menu">') : html.index("</details>")]
    for href in [f"/users/{member.username}/", "/settings/profile/", "/settings/notifications/",
                 "/accounts/password/change/", "/accounts/logout/"]:  # fmt: skip
        assert href in menu, href


def test_the_theme_toggle_works_for_visitors_through_a_cookie(client):
    response = client.post("/settings/theme/", {"theme": "dark", "next": "/questions/"})
    assert response.status_code == 302
    assert response.url == "/questions/"
    assert response.cookies["theme"].value == "dark"
    assert '<html lang="en" data-theme="dark">' in client.get("/").content.decode()
    client.post("/settings/theme/", {"theme": "", "next": "/"})
    html = client.get("/").content.decode()
    assert "data-theme" not in html.split(">", 2)[1]
    assert '<meta name="color-scheme" content="light dark">' in html


def test_a_members_theme_is_saved_and_outranks_the_cookie(client):
    member = UserFactory()
    client.force_login(member)
    client.post("/settings/theme/", {"theme": "light", "next": "/"})
    member.refresh_from_db()
    assert member.theme == Theme.LIGHT
    client.cookies["theme"] = "dark"
    assert '<html lang="en" data-theme="light">' in client.get("/").content.decode()


@pytest.mark.parametrize(
    "data,status,target",
    [
        ({"theme": "pink", "next": "/"}, 400, None),
        ({"theme": "dark", "next": "https://evil.example/"}, 302, "/"),
    ],
)
def test_the_theme_toggle_refuses_unknown_themes_and_foreign_targets(client, data, status, target):
    response = client.post("/settings/theme/", data)
    assert response.status_code == status
    if target:
        assert response.url == target
    else:
        assert "theme" not in response.cookies


def test_the_theme_toggle_is_a_form_that_needs_no_javascript(client):
    html = client.get("/").content.decode()
    form = html[html.index('<form class="theme-toggle"') :]
    form = form[: form.index("</form>")]
    assert 'action="/settings/theme/"' in form
    assert 'name="theme" value="dark"' in form
    assert client.get("/settings/theme/").status_code == 405


def test_favicon_answers_200_with_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # the ICO header
    html = client.get("/").content.decode()
    assert 'rel="apple-touch-icon"' in html and 'rel="manifest"' in html


def test_a_new_member_reads_why_voting_is_off(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))
    html = container(client.get(question.get_absolute_url()), f"question-{question.pk}")
    reason_id = f"vote-reason-question-{question.pk}"
    assert f'<p class="vote-reason muted small" id="{reason_id}">You need 15 reputation' in html
    assert f'aria-describedby="{reason_id}"' in html


def test_an_author_reads_that_they_cannot_vote_on_their_own_post(client):
    member = UserFactory(reputation=500)
    question = QuestionFactory(author=member)
    client.force_login(member)
    html = container(client.get(question.get_absolute_url()), f"question-{question.pk}")
    assert "You cannot vote on your own post." in html.split('class="vote-reason')[1]


def test_no_reason_shows_when_a_member_may_vote_both_ways(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=5000))
    html = container(client.get(question.get_absolute_url()), f"question-{question.pk}")
    assert "vote-reason" not in html


def test_the_score_is_a_live_region(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=5000))
    html = container(client.get(question.get_absolute_url()), f"question-{question.pk}")
    assert re.search(r'aria-live="polite"[^>]*>.*?<span data-score="0">0</span>', html, re.S)
