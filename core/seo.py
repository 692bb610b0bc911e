"""What search engines read besides the page: canonical URLs, titles, descriptions."""

from django.utils.http import urlencode
from django.utils.translation import gettext as _


def canonical_url(request, path: str | None = None, **params) -> str:
    """The absolute URL of `path` (the request's own path by default) with only the given query
    parameters that have a value: `?utm_source=...` and defaults never make a second URL for
    the same page. Pass the page number only when it is past 1, the sort only when it is not the
    default."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    url = request.build_absolute_uri(path or request.path)
    return f"{url}?{query}" if query else url


def listing_canonical_url(request, context: dict, default_sort: str) -> str:
    """Canonical URL of a paginated, sorted question list, from `question_listing`'s context."""
    page = context["page_obj"].number
    sort = context["sort"]
    return canonical_url(
        request,
        sort=sort if sort != default_sort else None,
        page=page if page > 1 else None,
    )


def listing_title_suffix(context: dict, default_sort: str, sort_names: dict) -> str:
    """The " · Newest · page 2" that makes the title of each sort and page of a list its own."""
    parts = []
    if context["sort"] != default_sort:
        parts.append(str(sort_names[context["sort"]]))
    if context["page_obj"].number > 1:
        parts.append(_("page %(n)d") % {"n": context["page_obj"].number})
    return "".join(f" · {part}" for part in parts)
