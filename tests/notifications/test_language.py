"""The language of a member's emails: the one they signed up in, then the one they choose with
the site's switcher or on the email settings page. (tests/test_i18n.py checks the emails
themselves come in it.)"""

import pytest
from django.test import Client

from notifications.models import EmailPreferences
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def language_of(user) -> str:
    return EmailPreferences.objects.get(user=user).language


def test_members_without_preferences_get_the_site_language(settings):
    assert EmailPreferences(user=UserFactory()).language == settings.LANGUAGE_CODE == "en"


def test_a_new_member_gets_emails_in_the_language_they_signed_up_in():
    response = Client(HTTP_ACCEPT_LANGUAGE="zh-CN").post(
        "/accounts/signup/",
        {
            "email": "li@example.com",
            "username": "xiaoli",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
        },
    )
    assert response.status_code == 302
    assert EmailPreferences.objects.get(user__username="xiaoli").language == "zh-hans"


def test_the_switcher_sets_a_members_email_language_too():
    member = UserFactory()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member)
    response = browser.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    assert language_of(member) == "zh-hans"
    browser.post("/i18n/setlang/", {"language": "xx", "next": "/"})  # unknown: ignored
    assert language_of(member) == "zh-hans"


def test_the_switcher_stores_nothing_for_a_visitor():
    Client().post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert not EmailPreferences.objects.exists()


def test_the_email_language_is_a_setting(client):
    member = UserFactory()
    client.force_login(member)
    page = client.get("/settings/notifications/").content.decode()
    assert '<label for="id_language">Email language' in page
    assert '<option value="zh-hans">简体中文</option>' in page  # each language in its own words
    client.post("/settings/notifications/", {"answer": "on", "language": "zh-hans"})
    assert language_of(member) == "zh-hans"
    client.post("/settings/notifications/", {"answer": "on"})  # a form without it keeps it
    assert language_of(member) == "zh-hans"
    response = client.post("/settings/notifications/", {"language": "fr"})
    assert response.status_code == 400
