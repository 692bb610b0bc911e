from django.http import JsonResponse
from django.shortcuts import render

from questions.ratelimits import RateLimited


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
            context = {"retry_after": exception.retry_after}
            response = render(request, "429.html", context, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
