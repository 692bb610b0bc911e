from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from core.ratelimits import RateLimited


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query string, cookies or
    POST fields.

    PostgreSQL refuses NUL in text, so looking up or saving such a value (a tag or user name
    from the URL, a search term, a session key from a cookie, a POST field read without a
    Django form, such as a rejection reason) raised ValueError: a 500 anyone could cause.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in text for text in _texts(request)):
            raise BadRequest("NUL character in the request")
        return self.get_response(request)


def _texts(request):
    yield request.path
    for key, values in request.GET.lists():
        yield key
        yield from values
    for key, value in request.COOKIES.items():
        yield key
        yield value
    if request.method == "POST":
        for key, values in request.POST.lists():
            yield key
            yield from values


class RateLimitMiddleware:
    """Turn `RateLimited` into a readable 429 page with `Retry-After` (JSON under /api/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RateLimited):
            return None
        if request.path.startswith("/api/"):
            body = {"error": "rate_limited", "retry_after": exception.retry_after}
            response = JsonResponse(body, status=429)
        else:
            seconds = exception.retry_after
            # Waits of a minute or more read as minutes, rounded up ("38 minutes", not "2251").
            context = {"retry_after": seconds, "retry_minutes": -(-seconds // 60)}
            response = render(request, "429.html", context, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response


class PrivateCacheMiddleware:
    """`Cache-Control: private` on every page served to a signed-in member: it shows their
    name, badge and buttons, so no shared cache (a proxy, a CDN) may keep it for others."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
