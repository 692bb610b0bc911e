from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    """`unread_notifications`: the signed-in member's unread count, for the header badge.

    Lazy: counted (one query on a partial index) only when a template shows it, and never for
    an anonymous visitor.
    """

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0
        return Notification.objects.unread().filter(recipient=user).count()

    return {"unread_notifications": SimpleLazyObject(count)}
