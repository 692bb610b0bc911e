"""The revisions page: a post's history, newest first, paged, each revision with the diff of
its body against the one before.

A word diff (revisions/diffs.py, bounded work) is computed once per revision and kept in the shared
cache under the revision's id: revisions never change, so the entry never goes stale. A page
holds at most `PAGE_SIZE` revisions and reads their bodies and the one before in one query.
"""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import Page, Paginator

from .diffs import word_diff

PAGE_SIZE = 10
DIFF_CACHE_SECONDS = 7 * 24 * 60 * 60
# Bump when the diff's shape changes, so old entries are not read as new ones.
DIFF_CACHE_VERSION = 2


def diff_key(revision_pk: int) -> str:
    return f"revision-diff:{DIFF_CACHE_VERSION}:{revision_pk}"


def revision_page(post, page_number, *, moderator: bool = False) -> Page:
    """One page of `post`'s revisions (newest first), each with `diff` (`word_diff` ops),
    `title_changed` and `tags_changed`. Three queries: count, page, previous one.

    A redacted revision's text is for moderators only: for anyone else it is `hidden` (no
    diff), and the revision after it is compared with the last one they may read (worked out
    then, not cached: redactions are rare)."""
    revisions = post.revisions.select_related("editor").order_by("-number")
    page = Paginator(revisions, PAGE_SIZE).get_page(page_number)
    shown = list(page.object_list)
    page.object_list = shown
    if not shown:
        return page
    lowest = shown[-1].number
    before = post.revisions.filter(number__lt=lowest).order_by("-number").first()
    chain = [*shown, before]  # newest first; each revision's predecessor is the next item
    cached = cache.get_many([diff_key(rev.pk) for rev in shown])
    fresh = {}
    for rev, previous in zip(shown, chain[1:], strict=True):
        rev.hidden = rev.is_redacted and not moderator
        if rev.hidden:
            rev.diff, rev.title_changed, rev.tags_changed = [], False, False
            continue
        if previous is not None and previous.is_redacted and not moderator:
            previous = (
                post.revisions.filter(number__lt=rev.number, redacted_at__isnull=True)
                .order_by("-number")
                .first()
            )
            old_title = previous.title if previous else ""
            rev.title_changed = bool(rev.title) and rev.title != old_title
            rev.tags_changed = rev.tags != (previous.tags if previous else "")
            rev.diff = word_diff(previous.body if previous else "", rev.body).ops
            continue
        rev.title_changed = bool(rev.title) and rev.title != (previous.title if previous else "")
        rev.tags_changed = rev.tags != (previous.tags if previous else "")
        key = diff_key(rev.pk)
        if key in cached:
            rev.diff = cached[key]
        else:
            rev.diff = word_diff(previous.body if previous else "", rev.body).ops
            fresh[key] = rev.diff
    if fresh:
        cache.set_many(fresh, DIFF_CACHE_SECONDS)
    return page
