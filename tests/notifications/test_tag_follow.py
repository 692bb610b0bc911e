"""Following a tag (issue 4): the follow link on tag pages, and new questions in the tag."""

import pytest

from notifications.models import Kind, Notification, TagFollow
from questions.services import ask_question
from tests.factories import TagFactory, UserFactory
from tests.helpers import BODY

pytestmark = pytest.mark.django_db


def _ask(author, tags, body=BODY):
    return ask_question(author=author, title="How do I tell a joke well?", body=body, tags=tags)


def test_follow_and_unfollow_a_tag(client):
    member, tag = UserFactory(), TagFactory(name="puns")
    client.force_login(member)
    response = client.post("/tags/puns/follow/", {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"] == tag.get_absolute_url()
    assert TagFollow.objects.filter(user=member, tag=tag).count() == 1
    client.post("/tags/puns/follow/", {"follow": "1"})  # setting, not toggling
    assert TagFollow.objects.filter(user=member, tag=tag).count() == 1
    response = client.post("/tags/puns/follow/", {"follow": "0"})
    assert response.status_code == 302
    assert not TagFollow.objects.filter(user=member, tag=tag).exists()


def test_follow_value_must_be_1_or_0(client):
    TagFactory(name="puns")
    client.force_login(UserFactory())
    assert client.post("/tags/puns/follow/", {"follow": "maybe"}).status_code == 400
    assert not TagFollow.objects.exists()


def test_anonymous_follow_redirects_to_login(client):
    TagFactory(name="puns")
    response = client.post("/tags/puns/follow/", {"follow": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not TagFollow.objects.exists()


def test_unknown_tag_is_404(client):
    client.force_login(UserFactory())
    assert client.post("/tags/nosuchtag/follow/", {"follow": "1"}).status_code == 404


def test_get_is_405(client):
    TagFactory(name="puns")
    client.force_login(UserFactory())
    assert client.get("/tags/puns/follow/").status_code == 405


def test_a_new_question_notifies_followers_of_its_tags_once():
    asker, fan, other = UserFactory(), UserFactory(), UserFactory()
    puns, knock = TagFactory(name="puns"), TagFactory(name="knock-knock")
    TagFactory(name="elsewhere")
    TagFollow.objects.create(user=fan, tag=puns)
    TagFollow.objects.create(user=fan, tag=knock)  # two of the question's tags: still once
    TagFollow.objects.create(user=other, tag=TagFactory(name="unrelated"))
    question = _ask(asker, ["puns", "knock-knock"])
    notifications = Notification.objects.filter(recipient=fan)
    assert list(notifications.values_list("kind", "via_follow")) == [(Kind.TAG_QUESTION, False)]
    notification = notifications.get()
    assert notification.question == question
    assert "asked a question in a tag you follow" in notification.summary()
    assert not Notification.objects.filter(recipient=other).exists()


def test_the_asker_is_not_notified_of_their_own_question():
    asker = UserFactory()
    TagFollow.objects.create(user=asker, tag=TagFactory(name="puns"))
    _ask(asker, ["puns"])
    assert not Notification.objects.filter(recipient=asker).exists()


def test_a_mentioned_follower_gets_one_notification_not_two():
    asker, fan = UserFactory(), UserFactory(username="fan")
    TagFollow.objects.create(user=fan, tag=TagFactory(name="puns"))
    _ask(asker, ["puns"], body=BODY + "What do you think, @fan?")
    kinds = list(Notification.objects.filter(recipient=fan).values_list("kind", flat=True))
    assert kinds == [Kind.MENTION]


def test_tag_page_shows_follow_button_and_count_to_members(client):
    member, tag = UserFactory(), TagFactory(name="puns")
    TagFollow.objects.create(user=UserFactory(), tag=tag)
    client.force_login(member)
    html = client.get("/tags/puns/").content.decode()
    assert 'data-follower-count="1"' in html
    assert "1 follower" in html
    assert 'action="/tags/puns/follow/"' in html
    assert 'name="follow" value="1"' in html
    assert "Follow tag" in html
    TagFollow.objects.create(user=member, tag=tag)
    html = client.get("/tags/puns/").content.decode()
    assert 'data-follower-count="2"' in html
    assert 'name="follow" value="0"' in html
    assert "Unfollow tag" in html


def test_tag_page_invites_visitors_to_log_in(client):
    TagFactory(name="puns")
    html = client.get("/tags/puns/").content.decode()
    assert 'data-follower-count="0"' in html
    assert 'action="/tags/puns/follow/"' not in html
    assert "Log in to follow this tag" in html
    assert "/accounts/login/?next=/tags/puns/" in html
