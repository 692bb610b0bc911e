"""`{% visitor_include "includes/header.html" %}`: the include, for a reader not signed in
rendered once per process for each language and theme and reused with the page's path put in.

The site's header and footer are the same for every visitor who is not signed in, but for the
page's own path (the login link's `next`, the theme and language forms' `next`): about 80
template nodes, a third of the template time of a visitor's thread page (bench/README.md,
session 9). So the part is rendered once with a marker in place of `request.get_full_path` and
kept as a skeleton; each page puts its path where the marker stands, quoted where the template
URL-quoted it (`|urlencode`), HTML-escaped where it was printed, in one pass, so nothing put in
is read again. The skeleton is kept only when, filled in, it gives what rendering the part
gives, for the first page's path and for a long one full of what quoting and escaping change;
a part that transforms the path otherwise (another filter) is rendered for every page, as is
any part for a signed-in member, and the header of a page that shows a search query.

`{% shared_include %}` keeps a part that shows nothing of the reader (the footer, the header's
site navigation and tools) the same way for every reader, members included: it is made as a
visitor sees it, and tests/accounts/test_visitors.py checks that each such part renders the
same for a member. A member's header is then only its account menu, rendered.

A skeleton depends on nothing but the code, the language and the theme: nothing another
process must see. Changed settings (in tests) forget them all.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django import template
from django.contrib.auth.models import AnonymousUser
from django.core.signals import setting_changed
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from accounts import themes

register = template.Library()

MARK = "\x01jokesite-page-path\x01"  # get_full_path() percent-encodes control characters
QUOTED = quote(MARK, safe="/")  # what `|urlencode` makes of it
ESCAPED = str(escape(MARK))  # what autoescaping makes of it: the same
_MARKS = re.compile(f"{re.escape(QUOTED)}|{re.escape(ESCAPED)}")
# A path with what quoting and escaping change: a skeleton is kept only if, filled with it
# and with the first page's path, it gives what rendering the part gives.
PROBE = "/questions/1/%E2%9C%93/?q=%22%3C%3E&a='b'&c=<d>&" + "x" * 200
_SKELETONS: dict[tuple[str, str, str], str | None] = {}
_MAX = 64


class _AtPath:
    """The request, with another path."""

    def __init__(self, request, path: str):
        self._request = request
        self._path = path

    def get_full_path(self) -> str:
        return self._path

    def __getattr__(self, name):
        return getattr(self._request, name)


def _fill(html: str, path: str) -> str:
    values = {QUOTED: quote(path, safe="/"), ESCAPED: str(escape(path))}
    return _MARKS.sub(lambda match: values[match[0]], html)


def _skeleton(engine, name: str, request, user) -> str | None:
    key = (name, get_language(), themes.theme_for(request))
    if key not in _SKELETONS:
        part = engine.get_template(name)

        def render(path: str) -> str:
            context = {"request": _AtPath(request, path), "user": user, "query": ""}
            return part.render(template.Context(context))

        html = render(MARK)
        trials = (request.get_full_path(), PROBE)
        if len(_SKELETONS) >= _MAX:
            _SKELETONS.clear()
        _SKELETONS[key] = html if all(_fill(html, p) == render(p) for p in trials) else None
    return _SKELETONS[key]


@register.simple_tag(takes_context=True)
def visitor_include(context, name: str) -> SafeString:
    """`{% include name %}`, from the kept skeleton for a reader not signed in."""
    request = context.get("request")
    user = context.get("user")
    engine = context.template.engine
    visitor = request is not None and user is not None and not user.is_authenticated
    html = _skeleton(engine, name, request, user) if visitor and not context.get("query") else None
    return _included(context, name, html)


@register.simple_tag(takes_context=True)
def shared_include(context, name: str) -> SafeString:
    """`{% include name %}`, from the kept skeleton, for a part that reads nothing of the
    reader: kept for members too, made as a visitor sees it."""
    request = context.get("request")
    engine = context.template.engine
    html = None
    if request is not None and not context.get("query"):
        html = _skeleton(engine, name, request, AnonymousUser())
    return _included(context, name, html)


def _included(context, name: str, skeleton: str | None) -> SafeString:
    """The skeleton filled with the page's path, or, without one, the part rendered."""
    if skeleton is not None:
        return mark_safe(_fill(skeleton, context["request"].get_full_path()))
    with context.push():
        return mark_safe(context.template.engine.get_template(name).render(context))


def _forget(**kwargs):
    _SKELETONS.clear()


setting_changed.connect(_forget, dispatch_uid="accounts.visitors.forget")
