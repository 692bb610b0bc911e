"""The benchmark's floor: the cheapest page Django can serve through the site's middleware.

Only routed when `JOKESITE_BENCH_FLOOR` is on (off by default; `bench/run` turns it on), so a
production site never has it.
"""

from functools import cache

from django.http import HttpResponse
from django.views.decorators.http import require_safe

MAX_BYTES = 2_000_000


@cache
def _page(size: int) -> bytes:
    head = b"<!DOCTYPE html><html lang=en><title>floor</title><p>"
    return head + b"x" * max(0, size - len(head))


@require_safe
def floor(request, size: int):
    """A fixed HTML page of `size` bytes (at most 2 MB): no template, no query."""
    response = HttpResponse(_page(min(size, MAX_BYTES)), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "private"  # never served from the page cache
    return response
