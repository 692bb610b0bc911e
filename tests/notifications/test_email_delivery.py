"""Notification emails survive a mail server that is down or refuses one address: marked
emailed only once sent, tried again with growing delays, one failure never costs another."""

import smtplib
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone
from django_tasks import task_backends

from answers.services import post_answer
from notifications import tasks
from notifications.models import EmailPreferences, Notification
from notifications.services import follow
from notifications.tasks import send_notification_emails
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "An answer: because the second line lands better than the first one."


class FlakyBackend(EmailBackend):
    """The test outbox, but the server can be down, or refuse some addresses."""

    down = False
    refused: set[str] = set()

    def send_messages(self, messages):
        if FlakyBackend.down:
            raise ConnectionRefusedError(111, "Connection refused")
        for message in messages:
            if set(message.to) & FlakyBackend.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"No such user")})
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    # A queue that keeps what is enqueued (and accepts run_after) instead of running it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    FlakyBackend.down = False
    FlakyBackend.refused = set()
    yield FlakyBackend
    FlakyBackend.down = False
    FlakyBackend.refused = set()


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def queued():
    results = task_backends["default"].results
    return [r for r in results if r.task.name == "send_notification_emails"]


@pytest.fixture
def three_recipients(flaky, django_capture_on_commit_callbacks):
    """An answer that notifies the asker and two followers (who asked for followed mail)."""
    asker = verified(UserFactory())
    question = QuestionFactory(author=asker)
    followers = [verified(UserFactory()) for _ in range(2)]
    for member in followers:
        follow(user=member, question=question)
        EmailPreferences.objects.update_or_create(user=member, defaults={"following": True})
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=UserFactory(), question=question, body=BODY)
    ids = sorted(Notification.objects.values_list("pk", flat=True))
    assert len(ids) == 3
    [first] = queued()  # the task the answer queued; the test runs it by hand
    task_backends["default"].clear()
    return [asker, *followers], list(first.args[0])


def test_server_down_marks_nothing_and_schedules_a_retry(three_recipients, flaky):
    members, ids = three_recipients
    flaky.down = True
    before = timezone.now()
    assert send_notification_emails.call(ids) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    [retry] = queued()
    assert sorted(retry.args[0]) == sorted(ids)
    assert retry.kwargs == {"attempt": 2}
    assert (
        before + timedelta(seconds=59)
        <= retry.task.run_after
        <= timezone.now() + timedelta(seconds=61)
    )
    # The server is back when the retry runs: every email arrives, once.
    flaky.down = False
    assert send_notification_emails.call(*retry.args, **retry.kwargs) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert send_notification_emails.call(ids) == 0
    assert len(mail.outbox) == 3


def test_one_refused_address_does_not_cost_the_others(three_recipients, flaky):
    members, ids = three_recipients
    refused = members[1]
    flaky.refused = {refused.email}
    assert send_notification_emails.call(ids) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in members if m != refused)
    unsent = Notification.objects.filter(emailed_at__isnull=True)
    assert [n.recipient for n in unsent] == [refused]
    [retry] = queued()
    assert retry.args[0] == [unsent.get().pk]


def test_gives_up_after_the_last_attempt(three_recipients, flaky):
    _members, ids = three_recipients
    flaky.down = True
    assert send_notification_emails.call(ids, attempt=tasks.MAX_ATTEMPTS) == 0
    assert queued() == []


def test_retry_delays_grow():
    assert [tasks.retry_delay(n) for n in (1, 2, 3)] == [
        timedelta(minutes=1),
        timedelta(minutes=4),
        timedelta(minutes=16),
    ]


def test_no_email_about_a_post_hidden_by_flags(flaky, django_capture_on_commit_callbacks):
    asker = verified(UserFactory())
    question = QuestionFactory(author=asker)
    with django_capture_on_commit_callbacks(execute=True):
        answer = post_answer(author=UserFactory(), question=question, body=BODY)
    [first] = queued()
    type(answer).objects.filter(pk=answer.pk).update(hidden_at=timezone.now())
    assert send_notification_emails.call(*first.args) == 0
    assert mail.outbox == []
