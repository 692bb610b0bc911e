"""Search in Chinese and English on stock PostgreSQL and on SQLite.

- `text`: what a token is (CJK bigrams, folded accents) and the snippet highlighter;
- `query`: the query language, parsed in pure Python;
- `index`: keeping `SearchEntry` current (`index_post`, `refresh_counts`, `rebuild`);
- `backends`: running a parsed query on PostgreSQL (tsvector) or SQLite (FTS5).
"""

from django.core.paginator import Paginator

from .backends import MAX_RESULTS, SORTS, Results, search
from .index import index_post, rebuild, refresh_counts, refresh_scores, reindex_questions
from .query import MAX_QUERY_LENGTH, MAX_TERMS, ParsedQuery, parse_query
from .text import highlight, highlight_pattern

SNIPPET_LENGTH = 240


class ResultPaginator(Paginator):
    """Pages through `Results`, using the count the search already made."""

    def __init__(self, results: Results, per_page: int):
        super().__init__(results.entries, per_page)
        self.__dict__["count"] = results.count  # Paginator.count is a cached_property


def with_snippets(entries, query: ParsedQuery) -> list:
    """The entries as a list, each with `title_html` and `snippet_html`: escaped text with the
    query's matches in <mark>."""
    pattern = highlight_pattern(query.parts)
    entries = list(entries)
    for entry in entries:
        entry.title_html = highlight(entry.title, pattern)
        entry.snippet_html = highlight(entry.body, pattern, length=SNIPPET_LENGTH)
    return entries


__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_RESULTS",
    "Results",
    "ResultPaginator",
    "MAX_TERMS",
    "SORTS",
    "ParsedQuery",
    "index_post",
    "parse_query",
    "rebuild",
    "refresh_counts",
    "refresh_scores",
    "reindex_questions",
    "search",
    "with_snippets",
]
