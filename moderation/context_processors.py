from django.utils.functional import SimpleLazyObject

from core import permissions

from . import review


def review_waiting(request):
    """`review_waiting`: items waiting in the review queues, for the header's Review link.

    Lazy, and only for members who may decide reviews: counted when a template shows it, from
    the shared cache (`moderation.review.waiting`, a minute old at most)."""

    def count() -> int:
        user = getattr(request, "user", None)
        if user is None or not permissions.can_decide_review(user):
            return 0
        return review.waiting()

    return {"review_waiting": SimpleLazyObject(count)}
