"""Notification emails: their text, and the signed one-click unsubscribe links they carry.

An unsubscribe token is `[user id, switch]` signed with SECRET_KEY (salted): it needs no login
and never expires, and it can only turn one member's email switch off.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from .models import EmailPreferences, Notification

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
ALL = "all"


def unsubscribe_token(user_id: int, switch: str) -> str:
    """`switch` is an EmailPreferences field name, or "all"."""
    return signing.dumps([user_id, switch], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, switch) from a token; raises `signing.BadSignature` for anything forged or
    malformed."""
    try:
        user_id, switch = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (TypeError, ValueError) as exc:
        raise signing.BadSignature("malformed unsubscribe token") from exc
    if not isinstance(user_id, int) or switch not in [*EmailPreferences.kinds(), ALL]:
        raise signing.BadSignature("unknown unsubscribe switch")
    return user_id, switch


def absolute(path: str) -> str:
    return settings.JOKESITE_SITE_URL.rstrip("/") + path


def unsubscribe_url(user_id: int, switch: str) -> str:
    path = reverse(
        "notifications:unsubscribe", kwargs={"token": unsubscribe_token(user_id, switch)}
    )
    return absolute(path)


def switch_for(notification: Notification) -> str:
    """The EmailPreferences switch that governs this notification's email."""
    return "following" if notification.via_follow else notification.kind


def build_message(notification: Notification, to: str) -> EmailMessage:
    """A plain-text email for one notification, with List-Unsubscribe headers (RFC 8058)."""
    user_id = notification.recipient_id
    switch = switch_for(notification)
    one_kind = unsubscribe_url(user_id, switch)
    context = {
        "notification": notification,
        "summary": notification.summary(),
        "excerpt": notification.excerpt(),
        "title": notification.question.title,
        "url": absolute(notification.get_absolute_url()),
        "unsubscribe_url": one_kind,
        "unsubscribe_all_url": unsubscribe_url(user_id, ALL),
        "settings_url": absolute(reverse("notifications:settings")),
        "switch_label": EmailPreferences._meta.get_field(switch).verbose_name,
    }
    subject = render_to_string("notifications/email/subject.txt", context)
    body = render_to_string("notifications/email/body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{one_kind}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
