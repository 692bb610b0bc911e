"""A real SMTP conversation (aiosmtpd on a free port, Django's SMTP backend): notifications
emailed while the server is down are not lost and arrive exactly once when it is back, however
often the retry runs. tests/notifications/test_email_delivery.py covers the same rules with a
fake backend; this one proves them against a server that really refuses connections."""

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from django_tasks import task_backends

from answers.services import post_answer
from notifications.models import EmailPreferences, Notification
from notifications.services import follow
from notifications.tasks import send_notification_emails
from tests.factories import QuestionFactory, UserFactory
from tests.notifications.test_email_delivery import BODY, queued, verified
from tests.processes import free_port

pytestmark = pytest.mark.django_db


class Inbox:
    """aiosmtpd handler: keeps every message the server accepted, by recipient."""

    def __init__(self):
        self.received: list[tuple[str, bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        for recipient in envelope.rcpt_tos:
            self.received.append((recipient, envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(settings):
    """The SMTP backend pointed at a free port where, for now, nothing listens."""
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    yield controller, inbox
    if getattr(controller, "_thread", None) is not None:
        controller.stop()


def test_mail_queued_while_smtp_is_down_arrives_once_when_it_is_up(
    smtp, django_capture_on_commit_callbacks
):
    controller, inbox = smtp
    asker = verified(UserFactory())
    question = QuestionFactory(author=asker)
    followers = [verified(UserFactory()) for _ in range(2)]
    for member in followers:
        follow(user=member, question=question)
        EmailPreferences.objects.update_or_create(user=member, defaults={"following": True})
    with django_capture_on_commit_callbacks(execute=True):
        post_answer(author=UserFactory(), question=question, body=BODY)
    [first] = queued()
    task_backends["default"].clear()

    # Down: the connection is refused; nothing is marked emailed, a retry is queued.
    assert send_notification_emails.call(*first.args, **first.kwargs) == 0
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    [retry] = queued()
    assert retry.kwargs == {"attempt": 2}
    assert retry.task.run_after > timezone.now()

    # Up: the retry delivers each message once; running it again (a worker that ran the task
    # twice) sends nothing more.
    controller.start()
    assert send_notification_emails.call(*retry.args, **retry.kwargs) == 3
    assert send_notification_emails.call(*retry.args, **retry.kwargs) == 0
    assert send_notification_emails.call(*first.args, **first.kwargs) == 0
    recipients = sorted(recipient for recipient, _content in inbox.received)
    assert recipients == sorted(member.email for member in [asker, *followers])
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
