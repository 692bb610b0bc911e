"""Anonymous pages from the shared cache, with ETag and 304, never stale after a write.

For a GET or HEAD from a visitor who is not signed in and carries no cookie that could change
the page (a session, flash messages; the language cookie is part of the key), the rendered
HTML is kept in the shared cache under the path and the language, marked with the content
versions (`pagecache.versions`) current when rendering began: the site's, and the thread's for
a thread page (`/questions/<id>/...`) or the list version for any other page; the versions and
the page are read in one round trip. A thread page also records the versions of what else it
shows (related questions, members' reputation): each process remembers their names per page, so
they are read in that same round trip (a second one when it does not know them yet). The next
such request, while none of them has moved, is answered from the cache without running the
view or the middleware below this one; a request whose `If-None-Match` matches gets a 304.

A page is kept only if it is a 200 HTML response that sets no cookie and is not marked
`Cache-Control: private`, `no-cache` or `no-store`; paths under JOKESITE_PAGE_CACHE_SKIP are
never kept. Any successful request other than GET, HEAD or OPTIONS moves the site version on
(on top of the writes the database connection reports), so the page a member reads after
acting is rendered afresh, unless all it wrote was placed in a thread by its service (then
those versions moved). If the cache is down, pages are rendered as if there were none.

It sits near the top, below only the security, static-file and NUL-check middleware, so a hit
skips the session, locale, CSRF, auth, message and CSP middleware: the headers those added are
kept with the page and replayed. Before they run it tells an anonymous visitor by the cookies
(no session cookie) and the language as the locale middleware will choose it; after the view
it checks both again (the user is anonymous, the language is the one in the key) before
keeping anything.
"""

from __future__ import annotations

import hashlib
import logging
import re

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags

from . import versions

logger = logging.getLogger(__name__)

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Cookies that may come with a cacheable request: the language is part of the key, and a
# CSRF cookie changes nothing on a page that shows no form token (pages that do set one).
HARMLESS_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
CACHE_HEADER = "X-Page-Cache"
THREAD_PATH = re.compile(r"^/questions/(\d+)/")
# Per process, the names (never the values) of the versions a cached page last recorded as
# its dependencies, so the next hit fetches them in the same round trip as the page. Only a
# hint: when it is missing or out of date, a second round trip reads them. Bounded.
_DEPENDENCY_HINTS: dict[str, tuple[str, ...]] = {}
_HINTS_MAX = 20_000


def _remember_dependencies(key: str, deps: dict) -> None:
    if len(_DEPENDENCY_HINTS) >= _HINTS_MAX:
        _DEPENDENCY_HINTS.clear()
    _DEPENDENCY_HINTS[key] = tuple(deps)


def _moves_site_version(request, response, bumped: set[str]) -> bool:
    """After a request that is not a GET, HEAD or OPTIONS: move the site version on, unless it
    failed, or its writes were all placed in a thread, or it wrote nothing and answered with a
    page (a form shown again with its errors: nothing any reader sees has changed)."""
    if request.method in SAFE_METHODS or response.status_code >= 400:
        return False
    if bumped == {"scoped"}:
        return False
    reshown = response.status_code == 200 and response.get("Content-Type", "").startswith(
        "text/html"
    )
    return bool(bumped) or not reshown


def _cacheable_request(request) -> bool:
    """Could this request be answered from the cache? It carries no cookie that could change
    the page, so no session: the visitor is not signed in (checked again after the view)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if not settings.JOKESITE_PAGE_CACHE_SECONDS:
        return False
    if any(request.path.startswith(prefix) for prefix in settings.JOKESITE_PAGE_CACHE_SKIP):
        return False
    return not (set(request.COOKIES) - HARMLESS_COOKIES)


def _cacheable_response(request, response, language: str) -> bool:
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return False
    if getattr(request, "LANGUAGE_CODE", None) != language:
        return False  # the locale middleware chose otherwise than the key says
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("private", "no-cache", "no-store"))


def _key(request, language: str) -> str:
    """The page's key; the entry holds the version it was rendered at, and counts only while
    that is the current one."""
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"pagecache:page:{language}:{path}"


# Headers of the finished response that are not replayed from the cache: the server's own,
# the length (recomputed), the validator and the cache's marker (set per answer).
_NOT_KEPT = {"content-length", "date", "server", "etag", CACHE_HEADER.lower(), "set-cookie"}


def _etag(content: bytes) -> str:
    return f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'


def _not_modified(request, etag: str) -> bool:
    tags = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in tags or etag in tags


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _cacheable_request(request):
            bumped: set[str] = set()
            token = versions._bumped.set(bumped)
            try:
                response = self.get_response(request)
            finally:
                versions._bumped.reset(token)
            if _moves_site_version(request, response, bumped):
                versions.bump()
            return response
        # What django.middleware.locale will choose (no i18n_patterns here): the key needs it
        # before that middleware has run; a page rendered in another language is not kept.
        language = translation.get_language_from_request(request)
        key = _key(request, language)
        thread = THREAD_PATH.match(request.path)
        base = [versions.VERSION_KEY, versions.LISTS_KEY]
        if thread:
            base.append(versions.thread_key(int(thread[1])))
        hint = _DEPENDENCY_HINTS.get(key, ())
        try:  # one round trip for the versions, the page and (as last time) its dependencies
            found = versions.cache().get_many([*base, *hint, key])
        except Exception:
            logger.warning("page cache unreachable: rendering without it", exc_info=True)
            return self.get_response(request)
        current = {name: found[name] for name in base if name in found}
        if len(current) < len(base):
            current = versions.current_many(base, known=current)
        if current is None:  # the cache went down meanwhile: render, and keep nothing
            return self.get_response(request)
        # Read before the view: what it keeps under them is at least as new (threads.fragments).
        request.page_versions = current
        # A thread page does not depend on the lists: the list version only guards its render.
        own = {k: v for k, v in current.items() if not (thread and k == versions.LISTS_KEY)}
        hit = found.get(key)
        if (
            hit is not None
            and hit.get("versions") == own
            and self._still_valid(key, hit, found, hint)
        ):
            return self._answer(request, hit, "hit")
        depends: set[str] = set()
        token = versions._depends.set(depends)
        try:
            response = self.get_response(request)
        finally:
            versions._depends.reset(token)
        if not _cacheable_response(request, response, language):
            return response
        content = response.content
        entry = {
            "versions": own,  # read before the view ran
            "deps": {},
            "content": content,
            "etag": _etag(content),
            # Every header the middleware below this one added (CSP, frame options, Vary,
            # Content-Language...): a hit answers before they run.
            "headers": {
                name: value for name, value in response.items() if name.lower() not in _NOT_KEPT
            },
        }
        keep = True
        depends -= set(base)
        if depends:
            after = versions.current_many([versions.LISTS_KEY, *sorted(depends)])
            # A thread write committed while this page rendered: its data may be older than
            # the versions just read (see pagecache.versions). Serve it, keep nothing.
            keep = (
                after is not None and after.pop(versions.LISTS_KEY) == current[versions.LISTS_KEY]
            )
            entry["deps"] = after or {}
            _remember_dependencies(key, entry["deps"])
        if keep:
            try:
                # A lower bound may come from above (jokesite.replica: a replica's page).
                seconds = getattr(request, "page_cache_seconds", None)
                seconds = settings.JOKESITE_PAGE_CACHE_SECONDS if seconds is None else seconds
                versions.cache().set(key, entry, seconds)
            except Exception:
                logger.warning("page cache unreachable: page not kept", exc_info=True)
        response["ETag"] = entry["etag"]
        response[CACHE_HEADER] = "miss"
        patch_vary_headers(response, ["Cookie"])
        if _not_modified(request, entry["etag"]):
            return self._not_modified(response.get("Vary"), entry["etag"])
        return response

    @staticmethod
    def _still_valid(key: str, entry: dict, found: dict, hint: tuple[str, ...]) -> bool:
        """The versions of what else the page shows have not moved: read with the page when
        the hint named them all, else in a second round trip."""
        deps = entry.get("deps")
        if not deps:
            return True
        if set(deps) <= set(hint):
            return all(found.get(name) == value for name, value in deps.items())
        try:
            now = versions.cache().get_many(list(deps))
        except Exception:
            return False
        _remember_dependencies(key, deps)
        return now == deps

    def _answer(self, request, entry: dict, state: str):
        if _not_modified(request, entry["etag"]):
            return self._not_modified(entry["headers"].get("Vary"), entry["etag"])
        response = HttpResponse(entry["content"])
        for name, value in entry["headers"].items():
            response[name] = value
        response["ETag"] = entry["etag"]
        response[CACHE_HEADER] = state
        patch_vary_headers(response, ["Cookie"])
        return response

    @staticmethod
    def _not_modified(vary: str | None, etag: str):
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        if vary:
            not_modified["Vary"] = vary
        patch_vary_headers(not_modified, ["Cookie"])
        return not_modified
