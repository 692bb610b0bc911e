"""The inbox, the header badge, following and the email settings page, as a member uses them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.services import add_comment
from core.statements import readable
from notifications.models import EmailPreferences, Follow, Kind, Notification
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_notifications(recipient, n, **kwargs):
    question = QuestionFactory(author=recipient)
    return [
        Notification.objects.create(
            recipient=recipient,
            actor=UserFactory(),
            kind=Kind.ANSWER,
            question=question,
            answer=AnswerFactory(question=question),
            event=f"test:{i}",
            **kwargs,
        )
        for i in range(n)
    ]


def notification_queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    sqls = [readable(q["sql"]) for q in captured.captured_queries]  # EXECUTEs as their SQL
    return [sql for sql in sqls if "notifications_" in sql]


def test_inbox_needs_login(client):
    response = client.get("/inbox/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_inbox_lists_newest_first_with_links_and_marks_them_read_by_a_post(client):
    member = UserFactory()
    older, newer = make_notifications(member, 2)
    Notification.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2020))
    make_notifications(UserFactory(), 1)  # someone else's
    client.force_login(member)
    html = client.get("/inbox/").content.decode()
    assert html.index(f'id="notification-{newer.pk}"') < html.index(f'id="notification-{older.pk}"')
    assert html.count('class="notification notification--unread"') == 2  # new when first seen
    assert f'href="{newer.get_absolute_url()}"' in html
    assert "answered your question" in html
    assert Notification.objects.filter(recipient=member).unread().count() == 2  # GET: no change
    response = client.post("/inbox/read/", {"ids": [newer.pk, older.pk], "page": "1"})
    assert response.status_code == 302 and response.url == "/inbox/"
    assert Notification.objects.filter(recipient=member).unread().count() == 0
    html = client.get("/inbox/").content.decode()
    assert "notification--unread" not in html


def test_an_image_pointing_at_the_inbox_clears_no_badge(client):
    """A post's ![x](/inbox/) made every reader's browser GET the inbox, which marked all read."""
    member = UserFactory()
    make_notifications(member, 3)
    client.force_login(member)
    client.get("/inbox/")
    client.head("/inbox/")
    assert Notification.objects.filter(recipient=member).unread().count() == 3


def test_inbox_is_paginated_and_mark_these_read_marks_only_the_page(
    client, django_assert_num_queries
):
    member = UserFactory()
    make_notifications(member, 25)
    someone_elses = make_notifications(UserFactory(), 1)[0]
    client.force_login(member)
    # session, user, count, page, badge
    with django_assert_num_queries(5):
        response = client.get("/inbox/")
    shown = [n.pk for n in response.context["page_obj"].object_list]
    assert len(shown) == 20
    html = response.content.decode()
    assert html.count('<input type="hidden" name="ids"') == 20
    response = client.post("/inbox/read/", {"ids": [*shown, someone_elses.pk], "page": "2"})
    assert response.url == "/inbox/?page=2"
    assert Notification.objects.filter(recipient=member).unread().count() == 5
    assert Notification.objects.filter(pk=someone_elses.pk).unread().exists()


@pytest.mark.parametrize("ids", [["x"], ["1e3"], ["9" * 30], [str(n) for n in range(101)]])
def test_mark_read_with_bad_ids_is_400_and_marks_nothing(client, ids):
    member = UserFactory()
    make_notifications(member, 2)
    client.force_login(member)
    assert client.post("/inbox/read/", {"ids": ids}).status_code == 400
    assert Notification.objects.filter(recipient=member).unread().count() == 2


@pytest.mark.parametrize("rows", [1, 15])
def test_inbox_query_count_is_flat(client, django_assert_num_queries, rows):
    member = UserFactory()
    make_notifications(member, rows, read_at="2024-01-01T00:00:00Z")
    client.force_login(member)
    with django_assert_num_queries(5):  # session, user, count, page, badge
        client.get("/inbox/")


def test_mark_all_read(client):
    member = UserFactory()
    make_notifications(member, 3)
    client.force_login(member)
    assert client.get("/inbox/read/").status_code == 405
    response = client.post("/inbox/read/")
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
    assert Notification.objects.filter(recipient=member).unread().count() == 0


def test_a_deleted_target_is_marked_in_the_inbox(client):
    member = UserFactory()
    [notification] = make_notifications(member, 1)
    type(notification.answer).objects.filter(pk=notification.answer_id).update(
        deleted_at="2024-01-01T00:00:00Z"
    )
    client.force_login(member)
    assert "(deleted)" in client.get("/inbox/").content.decode()


def test_header_badge_shows_the_unread_count_in_one_query(client):
    member = UserFactory()
    make_notifications(member, 3)
    client.force_login(member)
    queries = notification_queries(client, "/tags/")
    assert len(queries) == 1
    assert "COUNT(*)" in queries[0]
    html = client.get("/tags/").content.decode()
    assert 'data-unread="3"' in html
    client.post("/inbox/read/")
    assert "data-unread" not in client.get("/tags/").content.decode()


def test_header_badge_costs_anonymous_visitors_nothing(client):
    question = QuestionFactory()
    AnswerFactory.create_batch(2, question=question)
    CommentFactory(question=question)
    assert notification_queries(client, question.get_absolute_url()) == []
    assert notification_queries(client, "/") == []
    assert "/inbox/" not in client.get("/").content.decode()


def test_follow_and_unfollow(client):
    member = UserFactory()
    question = QuestionFactory()
    client.force_login(member)
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'action="/questions/{question.pk}/follow/"' in html
    assert ">Follow<" in html
    response = client.post(f"/questions/{question.pk}/follow/")
    assert response.status_code == 302
    assert response["Location"] == question.get_absolute_url()
    assert Follow.objects.filter(user=member, question=question).exists()
    client.post(f"/questions/{question.pk}/follow/", {"follow": "1"})  # again: no change
    assert Follow.objects.filter(user=member, question=question).count() == 1
    assert ">Unfollow<" in client.get(question.get_absolute_url()).content.decode()
    client.post(f"/questions/{question.pk}/follow/", {"follow": "0"})
    assert not Follow.objects.filter(user=member, question=question).exists()


def test_follow_answers_json_and_refuses_bad_input(client):
    client.force_login(UserFactory())
    question = QuestionFactory()
    url = f"/questions/{question.pk}/follow/"
    response = client.post(url, {"follow": "1"}, headers={"accept": "application/json"})
    assert response.json() == {"following": True}
    assert client.post(url, {"follow": "maybe"}).status_code == 400
    assert client.get(url).status_code == 405
    assert client.post("/questions/999999/follow/").status_code == 404


def test_follow_needs_login_and_a_visible_question(client):
    question = QuestionFactory(deleted_at="2024-01-01T00:00:00Z")
    response = client.post(f"/questions/{question.pk}/follow/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    client.force_login(UserFactory())
    assert client.post(f"/questions/{question.pk}/follow/").status_code == 404


def test_a_question_titled_follow_keeps_its_page(client):
    question = QuestionFactory(title="Follow")
    assert question.slug == "follow-question"
    assert client.get(question.get_absolute_url()).status_code == 200


def test_following_brings_the_threads_comments(client):
    follower, author = UserFactory(), UserFactory()
    question = QuestionFactory(author=author)
    client.force_login(follower)
    client.post(f"/questions/{question.pk}/follow/")
    add_comment(author=UserFactory(), post=question, body="Funny, but the punchline is late.")
    assert Notification.objects.filter(recipient=follower, kind=Kind.COMMENT).exists()


def test_email_settings_page(client):
    member = UserFactory()
    assert client.get("/settings/notifications/").status_code == 302
    client.force_login(member)
    response = client.get("/settings/notifications/")
    assert response.status_code == 200
    assert response.context["form"]["answer"].value() is True
    response = client.post("/settings/notifications/", {"answer": "on", "mention": "on"})
    assert response.status_code == 302
    preferences = EmailPreferences.objects.get(user=member)
    assert (preferences.answer, preferences.mention) == (True, True)
    assert (preferences.comment, preferences.accepted, preferences.following) == (
        False,
        False,
        False,
    )


@pytest.mark.parametrize("path", ["/questions/{pk}/follow/", "/tags/{tag}/follow/"])
def test_a_suspended_member_cannot_follow(client, path):
    """Found by the URL x role matrix: every other write refused them already."""
    from moderation import services as moderation
    from notifications.models import TagFollow
    from tests.factories import ModeratorFactory

    question = QuestionFactory()
    member = UserFactory()
    moderation.suspend_user(moderator=ModeratorFactory(), user=member, days=7, reason="spam")
    client.force_login(member)
    tag = question.tags.first().name
    response = client.post(path.format(pk=question.pk, tag=tag), {"follow": "1"})
    assert response.status_code == 403
    assert "suspended" in response.content.decode()
    assert not Follow.objects.filter(user=member).exists()
    assert not TagFollow.objects.filter(user=member).exists()


@pytest.mark.parametrize("removal", ["deleted_at", "hidden_at"])
def test_the_inbox_shows_no_excerpt_of_removed_text(client, removal):
    """Removed text lingered in inbox excerpts (issue 9, Low)."""
    from django.utils import timezone

    member = UserFactory()
    [notification] = make_notifications(member, 1)
    answer = notification.answer
    answer.body = "Spam spam spam, buy cheap things at this address right now."
    answer.save()
    client.force_login(member)
    assert "buy cheap things" in client.get("/inbox/").content.decode()
    type(answer).objects.filter(pk=answer.pk).update(**{removal: timezone.now()})
    assert "buy cheap things" not in client.get("/inbox/").content.decode()
