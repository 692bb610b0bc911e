"""Background work: emailing notifications, outside the request that caused them.

Queued with django-tasks (`TASKS` in settings): the database backend in development and
production, run by `manage.py db_worker`; the immediate backend in tests.
"""

import contextlib
import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django_tasks import task

from accounts.models import User
from core.permissions import suspension_notice

from .emails import build_message
from .models import EmailPreferences, Kind, Notification

logger = logging.getLogger(__name__)

# A failed send is tried again RETRY_BASE_SECONDS later, then four times longer each time.
MAX_ATTEMPTS = 6
RETRY_BASE_SECONDS = 60
# What a mail backend raises when the server is away or refuses a message (SMTPException is
# an OSError too).
SEND_ERRORS = (smtplib.SMTPException, OSError)


def _server_away(error: Exception) -> bool:
    """Whether `error` says the server is away or unusable (a socket error, a lost or refused
    connection) rather than that it refused one message (recipient, sender, data)."""
    away = (
        smtplib.SMTPConnectError,
        smtplib.SMTPServerDisconnected,
        smtplib.SMTPHeloError,
        smtplib.SMTPAuthenticationError,
    )
    return isinstance(error, away) or not isinstance(error, smtplib.SMTPException)


def _verified_addresses(user_ids: set[int]) -> dict[int, str]:
    """Each member's verified address, the primary one first: mail goes nowhere else."""
    from allauth.account.models import EmailAddress

    addresses: dict[int, str] = {}
    rows = EmailAddress.objects.filter(user_id__in=user_ids, verified=True).order_by("-primary")
    for user_id, email in rows.values_list("user_id", "email"):
        addresses.setdefault(user_id, email)
    return addresses


def _preferences(notification: Notification) -> EmailPreferences:
    try:
        return notification.recipient.email_preferences
    except EmailPreferences.DoesNotExist:
        return EmailPreferences(user=notification.recipient)


def retry_delay(attempt: int) -> timedelta:
    """How long after failed attempt number `attempt` (1, 2, ...) the next one runs: one
    minute, then four times longer each time (1, 4, 16, 64 minutes, about 4 hours)."""
    return timedelta(seconds=RETRY_BASE_SECONDS * 4 ** (attempt - 1))


def _pending_messages(notification_ids: list[int]) -> list[tuple[Notification, EmailMessage]]:
    """Each notification still to email (not emailed yet, wanted, to an active member with a
    verified address, about something not deleted meanwhile), with its message."""
    notifications = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient__email_preferences", "actor", "question", "answer", "comment")
        .order_by("pk")
    )
    notifications = list(notifications)
    addresses = _verified_addresses({n.recipient_id for n in notifications})
    pending = []
    for notification in notifications:
        address = addresses.get(notification.recipient_id)
        if not (address and notification.recipient.is_active):
            continue
        preferences = _preferences(notification)
        # What a moderator acted on is still news to its author; anything else removed is not.
        removed = notification.target_is_deleted or (
            notification.target_is_removed and notification.kind != Kind.MODERATION
        )
        if removed or not preferences.wants(notification):
            continue
        # In the recipient's language, whatever language the worker runs in.
        language = preferences.language_of(preferences.language) or settings.LANGUAGE_CODE
        with translation.override(language):
            pending.append((notification, build_message(notification, address)))
    return pending


def _close(connection) -> None:
    with contextlib.suppress(*SEND_ERRORS):  # a broken session; the next send opens a new one
        connection.close()


def _schedule_retry(notification_ids: list[int], attempt: int) -> None:
    if attempt >= MAX_ATTEMPTS:
        logger.error(
            "gave up emailing notifications %s after %s attempts", notification_ids, attempt
        )
        return
    task = send_notification_emails.using(run_after=timezone.now() + retry_delay(attempt))
    if not task.get_backend().supports_defer:
        # The immediate backend (tests, TASKS_BACKEND=immediate) cannot wait: no retry there.
        logger.warning("cannot schedule a retry for notifications %s", notification_ids)
        return
    task.enqueue(notification_ids, attempt=attempt + 1)


@task()
def send_notification_emails(notification_ids: list[int], attempt: int = 1) -> int:
    """Email each notification whose recipient wants it (see `_pending_messages`), one message
    at a time, and mark it emailed (`emailed_at`) only once the mail server took it: a retried
    task sends nothing twice, and a failure loses nothing. Messages the server refused or could
    not take (it is down, one address is rejected) are tried again by a new task after
    `retry_delay(attempt)`, at most `MAX_ATTEMPTS` times in all; one recipient's failure never
    stops the others'. Returns how many were sent."""
    pending = _pending_messages(notification_ids)
    if not pending:
        return 0
    sent, failed = 0, []
    connection = get_connection()
    try:
        for index, (notification, message) in enumerate(pending):
            try:
                delivered = connection.send_messages([message])
            except SEND_ERRORS as error:
                if _server_away(error):
                    # No point knocking again now: this one and the rest wait for the retry.
                    logger.warning("mail server unreachable: %s", error)
                    failed += [n.pk for n, _message in pending[index:]]
                    break
                logger.warning("emailing notification %s failed: %s", notification.pk, error)
                _close(connection)
                delivered = 0
            if not delivered:
                failed.append(notification.pk)
                continue
            sent += Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
    finally:
        _close(connection)
    if failed:
        _schedule_retry(failed, attempt)
    return sent


@task()
def send_suspension_email(user_id: int) -> int:
    """Tell a member of their suspension, its reason and its end, in their language, at their
    verified address (whatever their notification switches say: it is about their account).
    Sent after the commit; a suspension lifted meanwhile sends nothing."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    address = _verified_addresses({user_id}).get(user_id) if user else None
    if not (address and user.is_suspended):
        return 0
    try:
        language = user.email_preferences.language
    except EmailPreferences.DoesNotExist:
        language = settings.LANGUAGE_CODE
    with translation.override(EmailPreferences.language_of(language) or settings.LANGUAGE_CODE):
        subject = translation.gettext("Your jokesite account is suspended")
        body = "\n\n".join(
            [
                suspension_notice(user),
                translation.gettext(
                    "You can still read the site, but not post, vote, comment, flag or edit "
                    "until then. Reply to this email if you think this is a mistake."
                ),
            ]
        )
    return EmailMessage(subject, body, to=[address]).send()
