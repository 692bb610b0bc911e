"""Background work: emailing notifications, outside the request that caused them.

Queued with django-tasks (`TASKS` in settings): the database backend in development and
production, run by `manage.py db_worker`; the immediate backend in tests.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone, translation
from django_tasks import task

from accounts.models import User
from core.permissions import suspension_notice

from .emails import build_message
from .models import EmailPreferences, Notification


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


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification whose recipient wants it, has a verified address and is active,
    unless what it is about was deleted meanwhile. Each is claimed (`emailed_at`) before it is
    sent, so a retried task sends nothing twice. Returns how many were sent."""
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
        .select_related("recipient__email_preferences", "actor", "question", "answer", "comment")
        .order_by("pk")
    )
    addresses = _verified_addresses({n.recipient_id for n in notifications})
    messages = []
    for notification in notifications:
        address = addresses.get(notification.recipient_id)
        if not (address and notification.recipient.is_active):
            continue
        preferences = _preferences(notification)
        if notification.target_is_deleted or not preferences.wants(notification):
            continue
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if claimed:
            # In the recipient's language, whatever language the worker runs in.
            language = preferences.language_of(preferences.language) or settings.LANGUAGE_CODE
            with translation.override(language):
                messages.append(build_message(notification, address))
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


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
