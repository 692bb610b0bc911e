from django.core.exceptions import BadRequest
from django.http import JsonResponse
from django.shortcuts import render

from core.ratelimits import RateLimited


class RejectNulMiddleware:
    """Answer 400 to a request with a NUL character in its path, query string or cookies.

    PostgreSQL refuses NUL in text, so looking up such a value (a tag or user name from the URL,
    a search term, a session key from a cookie) raised ValueError: a 500 anyone could cause.
    Form fields need no help here: Django's forms already refuse NUL.
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
