"""Rate limits on every write, counted in the shared cache (Redis in production), so they hold
across processes and machines. Built on django-ratelimit's `get_usage`, which also tells how
long the current window has left: that becomes the 429's `Retry-After`.

Accounts younger than `JOKESITE_NEW_ACCOUNT_DAYS` get the stricter rate of each pair.
"""

from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.utils import timezone
from django_ratelimit.core import get_usage


class RateLimited(Exception):
    """Raised by a limited view; `jokesite.middleware.RateLimitMiddleware` answers 429."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after))


def _is_new(user) -> bool:
    if not user.is_authenticated:
        return True
    age = timezone.now() - user.date_joined
    return age < timedelta(days=settings.JOKESITE_NEW_ACCOUNT_DAYS)


def rate_for(group: str, request) -> str:
    """The rate for this action and this member: `(normal, new account)` in settings."""
    normal, new = settings.JOKESITE_RATE_LIMITS[group]
    return new if _is_new(request.user) else normal


def limit(group: str, *, unless=None):
    """Limit POSTs to a view per member (per IP address for anonymous requests). A request for
    which `unless(request)` is true is neither limited nor counted (a form's preview step).

    Only what went through counts: the count is read first (a request over the limit gets
    429), and raised only when the view answered below 400. An invalid form (400), a refusal
    (403, 404) or an error adds nothing, so a member who fixes a too-short title is not locked
    out by their own attempts. Requests running at the same moment may each see the count
    below the limit: the limit can be passed by as many requests as arrive together.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if unless is not None and unless(request):
                return view(request, *args, **kwargs)
            usage = _usage(request, group, increment=False)
            if usage and usage["count"] >= usage["limit"]:
                raise RateLimited(usage["time_left"])
            response = view(request, *args, **kwargs)
            if response.status_code < 400:
                _usage(request, group, increment=True)
            return response

        return wrapped

    return decorator


def _usage(request, group: str, *, increment: bool):
    return get_usage(
        request,
        group=group,
        key="user_or_ip",
        rate=rate_for,
        method="POST",
        increment=increment,
    )


def limit_reads(group: str):
    """Limit GET and HEAD requests to a view per IP address, at the rate
    `JOKESITE_READ_RATE_LIMITS[group]`: for reads a script may repeat (the API, the
    similar-questions fragment), not for pages people browse."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            usage = get_usage(
                request,
                group=f"read:{group}",
                key="ip",
                rate=settings.JOKESITE_READ_RATE_LIMITS[group],
                method=["GET", "HEAD"],
                increment=True,
            )
            if usage and usage["should_limit"]:
                raise RateLimited(usage["time_left"])
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
