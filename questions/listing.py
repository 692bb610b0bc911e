"""Paginating long lists at the cost of a short one.

`ListPaginator` is Django's Paginator with two changes that matter once a list holds a
million questions:

- a list named by `stored` ("all", "tag:<id>", "category:<id>") takes its count from the
  counts PostgreSQL keeps on write (`questions.liststore`): a few small rows instead of a
  COUNT(*) over every visible question (hundreds of milliseconds at a million, cold). Other
  lists, and every list on SQLite, count once and keep the count in the shared cache (for
  `COUNT_SECONDS`, keyed by the count's SQL): it only moves the last page number;
- a page is read by a "deferred join": the ids of the page are found by a subquery that walks
  the sort's index (index-only on PostgreSQL, through the partial indexes of visible
  questions), and only those 20 rows are read in full;
- a deep page of a stored list (any sort, and its unanswered part) starts where the stored
  buckets say its first row is (`liststore.seek`): page 25,000 reads the index from its
  bucket's bound and skips at most one bucket's rows, as page 1 reads from the top. The rows
  are the ones an OFFSET would give.
"""

from __future__ import annotations

import contextlib
import hashlib

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from . import liststore

COUNT_SECONDS = 300


def stored_key(stored: str, sort: str) -> str:
    """The `ListBucket.list` of a stored list shown in `sort` ("unanswered": its part)."""
    return f"{stored}:unanswered" if sort == "unanswered" else stored


def list_count(queryset, stored: str | None = None) -> int:
    """How many rows `queryset` holds: from `liststore` when it is the stored list named
    `stored` (PostgreSQL), else counted and kept in the shared cache for `COUNT_SECONDS`."""
    if stored and liststore.stored():
        return liststore.count(stored)
    query = queryset.order_by().values("pk").query
    sql, params = query.sql_with_params()
    digest = hashlib.md5(f"{sql}|{params}".encode(), usedforsecurity=False).hexdigest()
    key = f"listcount:{digest}"
    try:
        count = cache.get(key)
    except Exception:  # the cache is down: count every time
        count = None
    if count is None:
        count = queryset.count()
        with contextlib.suppress(Exception):  # the cache is down: nothing kept
            cache.set(key, count, COUNT_SECONDS)
    return count


class ListPaginator(Paginator):
    def __init__(self, object_list, per_page, *, stored: str | None = None, sort: str = ""):
        """`stored`: the list's name in `questions.liststore` when `object_list` is exactly
        its visible questions in the `sort` order (`QuestionQuerySet.for_listing(sort)`)."""
        super().__init__(object_list, per_page)
        self.stored = stored if stored and liststore.stored() else None
        self.sort = sort

    @cached_property
    def count(self) -> int:
        return list_count(
            self.object_list, stored_key(self.stored, self.sort) if self.stored else None
        )

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = self.object_list.values("pk")
        if self.stored and bottom >= liststore.SEEK_FROM:
            sort = "newest" if self.sort == "unanswered" else self.sort
            seek = liststore.seek(stored_key(self.stored, self.sort), sort, bottom)
            if seek is not None:
                rows, bottom = rows.filter(seek.bound), seek.skip
        ids = rows[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)
