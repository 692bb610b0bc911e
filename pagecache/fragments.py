"""Parts of pages that every reader sees alike, rendered once and kept in the shared cache
under the content versions (`pagecache.versions`), so signed-in readers (whom the page cache
does not serve) reuse them too; the parts that depend on the reader are rendered around them.

Never stale: a part is kept under a stamp of the versions read before any of the rows it
shows, so what is kept under a stamp is at least as new as it; the stamp also holds the
language, scheme and host. Threads (`threads.fragments`) use the site and thread versions;
every other page (lists, tags, search: `lists_stamp`) the site and list versions, which every
write to what such a page shows moves on. When the cache is off or down, everything is
rendered and nothing kept; `JOKESITE_FRAGMENT_CACHE_SECONDS` bounds how long relative dates
("3 hours ago") can lag.

In a template, `{% load shared %}{% shared "name" %}...{% endshared %}` (core.templatetags.
shared) keeps what it encloses under the page's full path, for views decorated with
`@lists_fragments` (which read the stamp before the view reads any row); nothing the block
encloses may depend on the reader (tests check that readers get the same block).
"""

from __future__ import annotations

import functools
import hashlib
import logging

from django.conf import settings
from django.utils.translation import get_language

from . import versions

logger = logging.getLogger(__name__)

# Bump when a `{% shared %}` block's templates change shape, so no process reads another
# release's blocks (threads.fragments has its own).
LISTS_LAYOUT = 1
# What `lists_fragments` leaves on the request: the stamp, or None (nothing is kept).
REQUEST_ATTRIBUTE = "lists_fragment_stamp"


def stamp(request, keys: list[str], layout: int) -> str | None:
    """What parts depending on the versions of `keys` (rendered by templates of this `layout`)
    are kept under now, or None when nothing is to be kept (the cache off or down). Read it
    before the rows the parts show."""
    if not settings.JOKESITE_FRAGMENT_CACHE_SECONDS:
        return None
    if getattr(request, "reads_replica", False):
        # jokesite.replica: its rows may be older than the versions; rendered, never kept.
        return None
    # The page cache read them before this request's view ran (an anonymous visitor's miss):
    # no second read.
    known = getattr(request, "page_versions", None)
    if known is not None and not set(keys) <= set(known):
        known = None
    found = versions.current_many(keys, known=known)
    if found is None:
        return None
    origin = f"{request.scheme}://{request.get_host()}"
    origin = hashlib.md5(origin.encode(), usedforsecurity=False).hexdigest()[:12]
    numbers = ":".join(str(found[key]) for key in keys)
    return f"{layout}:{get_language()}:{origin}:{numbers}"


def lists_stamp(request) -> str | None:
    """The stamp of a page that is not a thread: the site and list versions."""
    return stamp(request, [versions.VERSION_KEY, versions.LISTS_KEY], LISTS_LAYOUT)


def lists_fragments(view):
    """Let the view's template keep `{% shared %}` blocks: reads the stamp before the view
    reads any row."""

    @functools.wraps(view)
    def with_stamp(request, *args, **kwargs):
        setattr(request, REQUEST_ATTRIBUTE, lists_stamp(request))
        return view(request, *args, **kwargs)

    return with_stamp


def page_key(request, name: str) -> str | None:
    """The key of the block `name` on this page (its full path), None when nothing is kept."""
    found = getattr(request, REQUEST_ATTRIBUTE, None)
    if not found:
        return None
    path = hashlib.md5(request.get_full_path().encode(), usedforsecurity=False).hexdigest()
    return f"fragment:{found}:{name}:{path}"


def get_many(keys: list[str]) -> dict:
    try:
        return versions.cache().get_many(keys)
    except Exception:
        logger.warning("fragment cache unreachable: rendering without it", exc_info=True)
        return {}


def set_many(entries: dict) -> None:
    try:
        versions.cache().set_many(entries, settings.JOKESITE_FRAGMENT_CACHE_SECONDS)
    except Exception:
        logger.warning("fragment cache unreachable: fragments not kept", exc_info=True)
