"""Running a parsed query. The text part differs per database; filters and order are shared.

User text reaches SQL only as parameters: on PostgreSQL through plainto_tsquery /
phraseto_tsquery (which accept any text), on SQLite as an FTS5 query string in which every
token is double-quoted (so AND, OR, NEAR, *, ^, column: and parentheses are plain text).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Value,
)

from .query import ParsedQuery
from .text import Part

SORTS = ("relevance", "newest", "votes")
# Relevance: posts whose title holds every term first (only questions have titles in the index),
# then the database's text rank (title > tags > body), then score, accepted, newer.
# ts_rank_cd weights for D, C, B, A: body (C) 0.2, tags (B) 0.4, title (A) 1.0.
POSTGRESQL_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
_TIEBREAK = ("-score", "-is_accepted", "-created_at", "-id")
_ORDERS = {
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-is_accepted", "-created_at", "-id"),
}


def search(query: ParsedQuery, *, sort: str = "relevance") -> QuerySet:
    """Entries matching `query`, visible ones only, in `sort` order, with question and author
    joined (everything a result row shows). An empty query matches nothing."""
    from ..models import Question, SearchEntry

    entries = SearchEntry.objects.filter(is_deleted=False).select_related("question", "author")
    if query.is_empty:
        return entries.none()
    if query.kind:
        entries = entries.filter(kind=query.kind)
    if query.user is not None:
        entries = entries.filter(author__username__iexact=query.user)
    if query.answers is not None:
        entries = entries.filter(kind="question", answer_count=query.answers)
    if query.min_score is not None:
        entries = entries.filter(score__gte=query.min_score)
    for tag in query.tags:
        tagged = Question.tags.through.objects.filter(
            question_id=OuterRef("question_id"), tag__name=tag
        )
        entries = entries.filter(Exists(tagged))
    parts = query.parts
    if parts:
        if connection.vendor == "postgresql":
            entries = _postgresql(entries, parts)
        else:
            entries = _sqlite(entries, parts)
    elif query.terms:
        return entries.none()  # words that index to nothing, e.g. only punctuation
    if sort not in _ORDERS and parts:
        return entries.order_by("-title_hit", "relevance", *_TIEBREAK)
    return entries.order_by(*_ORDERS.get(sort, _ORDERS["votes"]))


def _postgresql(entries: QuerySet, parts: list[Part]) -> QuerySet:
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVectorExact,
        SearchVectorField,
    )

    from .index import CJK_CONFIG, WORDS_CONFIG

    queries = []
    for part in parts:
        if part.kind == "words":
            kind = "phrase" if part.phrase else "plain"
            queries.append(SearchQuery(part.text, config=WORDS_CONFIG, search_type=kind))
        elif part.kind == "cjk":
            queries.append(SearchQuery(part.text, config=CJK_CONFIG, search_type="phrase"))
        else:  # one CJK character (never a quote or an operator), as a prefix
            queries.append(SearchQuery(f"{part.text}:*", config=CJK_CONFIG, search_type="raw"))
    tsquery = queries[0]
    for extra in queries[1:]:
        tsquery &= extra
    # Negated so that ascending order is best first, as SQLite's bm25 rank is.
    rank = SearchRank(F("vector"), tsquery, weights=POSTGRESQL_WEIGHTS, cover_density=True)
    title = Func(F("vector"), Value("{a}"), function="ts_filter", output_field=SearchVectorField())
    return entries.filter(vector=tsquery).annotate(
        title_hit=SearchVectorExact(title, tsquery), relevance=-rank
    )


def fts5_query(parts: list[Part]) -> str:
    """An FTS5 MATCH expression: every token double-quoted, terms ANDed."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    items = []
    for part in parts:
        if part.kind == "words" and not part.phrase:
            items += [quoted(word) for word in part.text.split()]
        elif part.kind == "prefix":
            items.append(quoted(part.text) + "*")
        else:
            items.append(quoted(part.text))
    return " AND ".join(items)


def _sqlite(entries: QuerySet, parts: list[Part]) -> QuerySet:
    from ..models import SearchEntryFTS

    match = fts5_query(parts)
    in_title = SearchEntryFTS.objects.filter(title__match=match).values("entry_id")
    return entries.filter(fts__document__match=match).annotate(
        title_hit=ExpressionWrapper(Q(pk__in=in_title), output_field=BooleanField()),
        relevance=F("fts__rank"),
    )
