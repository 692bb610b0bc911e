from django.utils.functional import SimpleLazyObject

from core.statements import Statement

from .models import Notification

# Compiled once per process (core.statements): the count's compilation cost more than the
# count, on every page a member reads.
_UNREAD = Statement(
    Notification, lambda user_id: Notification.objects.unread().filter(recipient_id=user_id)
)


def unread_notifications(request):
    """`unread_notifications`: the signed-in member's unread count, for the header badge.

    Lazy: counted (one query on a partial index) only when a template shows it, and never for
    an anonymous visitor.
    """

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return _UNREAD.count(user.pk)

    return {"unread_notifications": SimpleLazyObject(count)}
