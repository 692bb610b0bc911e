"""The console fits its people: a moderator redacts a revision (hidden from the public
history, kept for moderators, logged); a suspended moderator loses the console; the admin's
sections have clear names; a suspended member sees no links to what they cannot do."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from moderation.models import ModerationAction
from revisions import services as revisions
from tests.factories import ModeratorFactory, QuestionFactory, UserFactory
from tests.moderation.test_admin import admin_url, run_action

pytestmark = pytest.mark.django_db

SECRET = "My phone number is 555 0100 and my street is Elm Street, do call me."
CLEAN = "A body without anything personal in it, long enough to be a question body."


def suspend(user):
    User.objects.filter(pk=user.pk).update(
        suspended_at=timezone.now(),
        suspended_until=timezone.now() + timedelta(days=3),
        suspension_reason="Cooling off",
    )


@pytest.fixture
def history():
    question = QuestionFactory(body=CLEAN)
    revisions.add_revision(post=question, editor=question.author)
    revisions.edit_post(
        editor=question.author,
        post=question,
        body=SECRET,
        title=question.title,
        tags=question.tag_names(),
        category=question.category,
    )
    question.refresh_from_db()
    revisions.edit_post(
        editor=question.author,
        post=question,
        body=CLEAN + " Edited.",
        title=question.title,
        tags=question.tag_names(),
        category=question.category,
    )
    return question


def test_a_moderator_redacts_a_revision(client, history):
    leaky = history.revisions.get(number=2)
    moderator = ModeratorFactory()
    client.force_login(moderator)
    response = run_action(client, type(leaky), "redact", [leaky])
    assert "1 revision redacted." in response.content.decode()
    leaky.refresh_from_db()
    assert leaky.redacted_by == moderator
    entry = ModerationAction.objects.get(action=ModerationAction.Kind.REDACT)
    assert entry.details == {"revision": 2}

    url = f"/questions/{history.pk}/revisions/"
    assert "555 0100" in client.get(url).content.decode()  # moderators still read it
    client.force_login(UserFactory())
    page = client.get(url).content.decode()
    assert "555 0100" not in page
    assert "A moderator redacted this revision" in page
    client.logout()
    assert "555 0100" not in client.get(url).content.decode()


def test_members_cannot_redact(client, history):
    client.force_login(UserFactory(reputation=100_000))
    run_action(client, type(history.revisions.first()), "redact", [history.revisions.first()])
    assert not history.revisions.filter(redacted_at__isnull=False).exists()


def test_a_suspended_moderator_loses_the_console(client):
    moderator = ModeratorFactory()
    client.force_login(moderator)
    assert client.get("/admin/").status_code == 200
    suspend(moderator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    assert client.get(admin_url(User, "changelist")).status_code == 302
    # ...and on the site: no moderator powers.
    question = QuestionFactory()
    assert client.post(f"/questions/{question.pk}/lock/").status_code == 403


def test_the_sections_have_clear_distinct_names(client):
    client.force_login(ModeratorFactory(is_superuser=True))
    page = client.get("/admin/").content.decode()
    assert "Members" in page
    assert page.count(">Accounts<") <= 1
    assert "shared post machinery" not in page.lower()


def test_a_suspended_member_sees_no_links_to_what_they_cannot_do(client):
    question = QuestionFactory()
    member = UserFactory(reputation=2000)
    suspend(member)
    client.force_login(member)
    page = client.get(question.get_absolute_url()).content.decode()
    assert f'href="/questions/{question.pk}/edit/"' not in page
    assert f'href="/questions/{question.pk}/flag/"' not in page
    assert 'href="/help/privileges/#privilege-flag"' not in page
    assert 'href="/review/"' not in page
    assert "Cooling off" in page  # the banner says why
