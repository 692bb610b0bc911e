"""`reverse()` for the routes a page links many times (a post's actions, a member's profile,
a question's address), by string formatting.

A thread links about ten such URLs per post, and `reverse()` costs some 70 µs each (it walks
the candidate patterns, checks the result against the regex and quotes it): a sixth of a
50-answer thread's render. Here each route is reversed once per process (and script prefix
and URL conf) with digit markers for its arguments; later calls put the values, quoted as
`reverse()` quotes them, in the markers' places. Only `int` and `str` arguments are filled in
so (the converters whose regexes any such value passes: a non-negative int, a non-empty
string without "/" other than "." and ".."); anything else goes to `reverse()`, which answers
exactly as it always did.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote

from django.core.signals import setting_changed
from django.urls import (
    NoReverseMatch,
    Resolver404,
    get_script_prefix,
    get_urlconf,
    resolve,
    reverse,
)
from django.utils.http import RFC3986_SUBDELIMS

_SAFE = RFC3986_SUBDELIMS + "/~:@"  # what URLResolver._reverse_with_prefix leaves unquoted
_CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>\w+)>")


def _marker(index: int) -> str:
    return f"8675309{index}0319"


@functools.lru_cache(maxsize=256)
def _parts(name: str, args: tuple[str, ...], prefix: str, urlconf) -> tuple | None:
    """(the text before the first argument, ((argument, its converter, the text after it),
    ...)), or None when the route cannot be filled in by formatting."""
    markers = {arg: _marker(i) for i, arg in enumerate(args)}
    try:
        url = reverse(name, urlconf=urlconf, kwargs=markers)
        route = resolve("/" + url[len(prefix) :], urlconf=urlconf).route
    except (NoReverseMatch, Resolver404):
        return None  # an argument's pattern refuses digits: only reverse() can tell
    if "(" in route:
        return None  # a regular expression's groups (re_path) may refuse what formatting takes
    converters = {m["name"]: m["converter"] or "str" for m in _CONVERTER.finditer(route)}
    if any(converters.get(arg) not in ("int", "str") for arg in args):
        return None
    found = sorted((url.find(marker), arg) for arg, marker in markers.items())
    if any(url.count(markers[arg]) != 1 for arg in args):
        return None
    head = url[: found[0][0]] if found else url
    pieces = []
    for n, (start, arg) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(url)
        pieces.append((arg, converters[arg], url[start + len(markers[arg]) : end]))
    return head, tuple(pieces)


def _text(value, converter: str) -> str | None:
    """The value as `reverse()` would put it in the URL, or None when only it can tell."""
    if converter == "int":
        if type(value) is int and value >= 0:
            return str(value)
        return None
    text = str(value)
    if not text or "/" in text or text in (".", ".."):
        return None
    return quote(text, safe=_SAFE)


# The URLs made last, by route, prefix, URL conf and arguments (int and str ones only, so that
# True or 1.0 never finds the URL of 1): a thread page asks for its question's URL once per
# answer (an answer's is the question's with an anchor) and for each author's twice (the
# signature and the JSON-LD). Emptied when full.
_MADE: dict[tuple, str] = {}
_MADE_MAX = 4096


def reverse_fast(name: str, /, **kwargs) -> str:
    """`reverse(name, kwargs=kwargs)`, formatted from the route reversed once."""
    prefix, urlconf = get_script_prefix(), get_urlconf()
    if not all(type(value) is int or type(value) is str for value in kwargs.values()):
        return _format(name, prefix, urlconf, kwargs)
    key = (name, prefix, urlconf, *kwargs.items())
    url = _MADE.get(key)
    if url is None:
        url = _format(name, prefix, urlconf, kwargs)
        if len(_MADE) >= _MADE_MAX:
            _MADE.clear()
        _MADE[key] = url
    return url


def _format(name: str, prefix: str, urlconf, kwargs: dict) -> str:
    parts = _parts(name, tuple(kwargs), prefix, urlconf)
    if parts is None:
        return reverse(name, kwargs=kwargs)
    head, pieces = parts
    out = [head]
    for arg, converter, tail in pieces:
        text = _text(kwargs[arg], converter)
        if text is None:
            return reverse(name, kwargs=kwargs)
        out.append(text)
        out.append(tail)
    return "".join(out)


class PkUrls:
    """For one request: the URLs of routes whose only argument is an integer `pk`, escaped for
    HTML. Each route is reversed once (through `reverse_fast`, with a marker for the pk) and
    then only formatted: a member's view of a 50-answer thread links some 260 of them, and each
    `reverse_fast` call still asks the request's script prefix and URL conf (two context-local
    lookups) and hashes its cache key. Within one request neither changes."""

    _MARK = 9182736450123

    def __init__(self):
        self._routes: dict[str, tuple[str, str] | None] = {}

    def __call__(self, name: str, pk) -> str:
        try:
            route = self._routes[name]
        except KeyError:
            route = self._routes[name] = self._split(name)
        if route is None or type(pk) is not int or pk < 0:
            return html.escape(reverse_fast(name, pk=pk))
        return f"{route[0]}{pk}{route[1]}"

    def _split(self, name: str) -> tuple[str, str] | None:
        parts = reverse_fast(name, pk=self._MARK).split(str(self._MARK))
        if len(parts) != 2:
            return None
        return html.escape(parts[0]), html.escape(parts[1])


class Absolute:
    """`request.build_absolute_uri(path)` for one request's many paths (a thread's JSON-LD
    names every answer and author by its absolute URL): the scheme and host are worked out
    once, and a path `reverse()` made (absolute, already quoted, nothing `iri_to_uri` would
    change) is put after them as Django would; any other goes to Django."""

    _PLAIN = re.compile(r"/(?!/)[A-Za-z0-9\-._~!$&'()*+,;=:@/%#?]*\Z")

    def __init__(self, request):
        self._request = request
        self._origin = request.build_absolute_uri("/")[:-1]

    def __call__(self, path: str) -> str:
        if self._PLAIN.match(path) and "/./" not in path and "/../" not in path:
            return self._origin + path
        return self._request.build_absolute_uri(path)


def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _parts.cache_clear()
        _MADE.clear()


setting_changed.connect(_forget, dispatch_uid="core.fasturls.forget")
