"""Notification emails: queued outside the request, sent to those who want them, with one-click
unsubscribe links that work without logging in."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from answers.services import post_answer
from comments.services import add_comment
from notifications import emails
from notifications.models import EmailPreferences, Notification
from notifications.services import follow
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "An answer: because the second line lands better than the first one."


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def thread(client):
    """An asker with a verified address, their question, and a signed-in answerer."""
    asker = verified(UserFactory())
    question = QuestionFactory(author=asker)
    answerer = UserFactory()
    client.force_login(answerer)
    return asker, question, answerer


def answer_through_the_site(client, question, capture):
    with capture(execute=True):
        response = client.post(f"/questions/{question.pk}/answer/", {"body": BODY})
    assert response.status_code == 302


def unsubscribe_links(message) -> list[str]:
    return re.findall(r"http://testserver(/notifications/unsubscribe/[^/\s]+/)", message.body)


def test_new_answer_emails_the_asker_after_the_commit(
    client, thread, django_capture_on_commit_callbacks, settings
):
    settings.JOKESITE_SITE_URL = "http://testserver"
    asker, question, answerer = thread
    answer_through_the_site(client, question, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    answer = question.answers.get()
    assert message.to == [asker.email]
    assert message.subject == (
        f"[jokesite] {answerer.username} answered your question: {question.title}"
    )
    assert f"http://testserver{answer.get_absolute_url()}" in message.body
    assert BODY in message.body
    one, everything = unsubscribe_links(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{one}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(recipient=asker).emailed_at is not None


def test_nothing_is_sent_before_the_commit(client, thread):
    asker, question, _ = thread
    client.post(f"/questions/{question.pk}/answer/", {"body": BODY})
    assert Notification.objects.filter(recipient=asker).exists()
    assert mail.outbox == []  # the test's transaction never commits


def test_unsubscribe_link_works_without_login_and_stops_that_kind(
    client, thread, django_capture_on_commit_callbacks, settings
):
    settings.JOKESITE_SITE_URL = "http://testserver"
    asker, question, answerer = thread
    answer_through_the_site(client, question, django_capture_on_commit_callbacks)
    one, _ = unsubscribe_links(mail.outbox[0])
    visitor = Client()
    response = visitor.post(one)
    assert response.status_code == 200
    assert "You are unsubscribed" in response.content.decode()
    assert visitor.post(one).status_code == 200  # twice: no harm
    preferences = EmailPreferences.objects.get(user=asker)
    assert (preferences.answer, preferences.comment) == (False, True)
    answer_through_the_site(client, question, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1  # the second answer is in the inbox only
    assert Notification.objects.filter(recipient=asker).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        add_comment(author=answerer, post=question, body="A comment still emailed to the asker.")
    assert len(mail.outbox) == 2


def test_one_click_post_from_a_mail_client_needs_no_csrf_token(thread):
    asker, _, _ = thread
    token = emails.unsubscribe_token(asker.pk, "all")
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        f"/notifications/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    preferences = EmailPreferences.objects.get(user=asker)
    assert not any(getattr(preferences, name) for name in EmailPreferences.kinds())


@pytest.mark.parametrize("method", ["get", "head"])
def test_fetching_the_unsubscribe_link_changes_nothing(thread, method):
    """A link scanner fetching the "stop all" link used to turn off every email."""
    asker, _, _ = thread
    EmailPreferences.objects.create(user=asker, following=True)
    token = emails.unsubscribe_token(asker.pk, "all")
    response = getattr(Client(), method)(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 200
    preferences = EmailPreferences.objects.get(user=asker)
    assert all(getattr(preferences, name) for name in EmailPreferences.kinds())


def test_unsubscribe_link_shows_a_confirmation_whose_button_posts(thread):
    asker, _, _ = thread
    token = emails.unsubscribe_token(asker.pk, "answer")
    url = f"/notifications/unsubscribe/{token}/"
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(url).content.decode()
    assert '<form method="post" class="unsubscribe">' in html
    assert "Stop emails about: " in html
    assert not EmailPreferences.objects.filter(user=asker).exists()
    assert "You are unsubscribed" in visitor.post(url).content.decode()
    assert EmailPreferences.objects.get(user=asker).answer is False


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        emails.unsubscribe_token(1, "all") + "x",
        emails.signing.dumps([1, "password"], salt=emails.UNSUBSCRIBE_SALT),
        emails.signing.dumps({"u": 1}, salt=emails.UNSUBSCRIBE_SALT),
        emails.signing.dumps([1, "all"], salt="another.purpose"),
    ],
    # Named, not shown: the signed tokens carry a timestamp, and pytest-xdist's workers must
    # collect the same test ids.
    ids=["nonsense", "tampered", "another-kind", "another-shape", "another-salt"],
)
def test_forged_unsubscribe_tokens_are_refused(client, token):
    response = client.get(f"/notifications/unsubscribe/{token}/")
    assert response.status_code == 400
    assert "does not work" in response.content.decode()
    assert not EmailPreferences.objects.exists()


def test_no_email_without_a_verified_address(client, django_capture_on_commit_callbacks):
    asker = UserFactory()
    EmailAddress.objects.create(user=asker, email=asker.email, verified=False, primary=True)
    question = QuestionFactory(author=asker)
    client.force_login(UserFactory())
    answer_through_the_site(client, question, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=asker).exists()


def test_followed_activity_is_emailed_only_when_asked_for(django_capture_on_commit_callbacks):
    follower = verified(UserFactory())
    question = QuestionFactory()
    follow(user=follower, question=question)
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=UserFactory(), question=question, body=BODY)
    assert [m.to for m in mail.outbox] == []  # the asker has no verified address
    EmailPreferences.objects.create(user=follower, following=True)
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=UserFactory(), question=question, body=BODY)
    [message] = mail.outbox
    assert message.to == [follower.email]
    assert "answered a question you follow" in message.subject


def test_content_deleted_before_the_worker_runs_is_not_emailed(
    django_capture_on_commit_callbacks,
):
    asker = verified(UserFactory())
    answer = AnswerFactory(question=QuestionFactory(author=asker))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = add_comment(author=UserFactory(), post=answer.question, body="Buy cheap pills!")
    comment.deleted_at = comment.created_at
    comment.save()
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_emails_go_through_the_database_queue(
    settings, django_capture_on_commit_callbacks, monkeypatch
):
    """With the database backend the request only stores a task; `db_worker` sends it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # The worker recycles connections between tasks; here the test's transaction owns it.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    asker = verified(UserFactory())
    question = QuestionFactory(author=asker)
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=UserFactory(), question=question, body=BODY)
    assert mail.outbox == []
    [task] = DBTaskResult.objects.all()
    assert task.task_path == "notifications.tasks.send_notification_emails"
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    [message] = mail.outbox
    assert message.to == [asker.email]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert len(mail.outbox) == 1  # sent once


def test_a_retried_task_sends_nothing_twice(django_capture_on_commit_callbacks):
    from notifications.tasks import send_notification_emails

    asker = verified(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=UserFactory(), question=QuestionFactory(author=asker), body=BODY)
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert send_notification_emails.call(ids) == 0
    assert len(mail.outbox) == 1
