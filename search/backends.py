"""Running a parsed query. The text part differs per database; filters and order are shared.

User text reaches SQL only as parameters: on PostgreSQL through plainto_tsquery /
phraseto_tsquery (which accept any text), on SQLite as an FTS5 query string in which every
token is double-quoted (so AND, OR, NEAR, *, ^, column: and parentheses are plain text).

Cost stays bounded however common the words are (a single character such as 的 is in nearly
every Chinese post): one query fetches the ids of at most MAX_RESULTS + 1 matches, which is
both the count and the set the page query ranks. When more posts match, only MAX_RESULTS of
them, the first in the chosen order (for relevance: the newest), are ranked and paged through,
instead of computing a text rank for every match.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    Lookup,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)

from .query import ParsedQuery
from .text import Part, has_letters, tag_token

SORTS = ("relevance", "newest", "votes")
MAX_RESULTS = 5000
# Relevance: posts whose title holds every term first (only questions have titles in the index),
# then the database's text rank (title > tags > body), then score, accepted, newer.
# ts_rank_cd weights for D, C, B, A: body (C) 0.2, tags (B) 0.4, title (A) 1.0.
POSTGRESQL_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
_RELEVANCE = ("-title_hit", "relevance", "-score", "-is_accepted", "-created_at", "-id")
# Both served by an index on SearchEntry.
_ORDERS = {
    "newest": ("-created_at", "-id"),
    "votes": ("-score", "-created_at", "-id"),
}
_CANDIDATES = ("-id",)  # relevance: when too many match, rank the newest MAX_RESULTS


class _AnyOf(Lookup):
    """PostgreSQL `column = ANY(%s)`: a list of thousands of values as one array parameter."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]


@dataclass
class Results:
    """What a search found: `entries` in order (with `question` and `author`), `count` of them
    (at most MAX_RESULTS), and whether more posts matched than are shown (`capped`)."""

    entries: QuerySet
    count: int = 0
    capped: bool = False


def search(query: ParsedQuery, *, sort: str = "relevance") -> Results:
    """Run `query` over the visible posts: the (bounded) ids at once, the page lazily."""
    from questions.models import Question
    from search.models import SearchEntry

    entries = SearchEntry.objects.filter(is_visible=True)
    parts = query.parts
    if query.is_empty or (query.terms and not parts):
        return Results(entries.none())  # nothing to search by, or only punctuation
    if query.kind:
        entries = entries.filter(kind=query.kind)
    if query.user is not None:
        entries = entries.filter(author__username__iexact=query.user)
    if query.answers is not None:
        entries = entries.filter(kind="question", answer_count=query.answers)
    if query.min_score is not None:
        entries = entries.filter(score__gte=query.min_score)
    # [tag]: a synonym (or a merged tag's old name) stands for its tag. The tag's token in the
    # full-text index narrows the matches fast; the tag table has the last word.
    tags = _canonical_tags(query.tags) if query.tags else []
    for tag in tags:
        tagged = Question.tags.through.objects.filter(
            question_id=OuterRef("question_id"), tag__name=tag
        )
        entries = entries.filter(Exists(tagged))
    annotations = {}
    tag_parts = [Part("tag", tag_token(tag)) for tag in tags]
    if parts or tag_parts:
        text = _postgresql if connection.vendor == "postgresql" else _sqlite
        condition, annotations = text(parts, tag_parts)
        entries = entries.filter(condition)
    if sort not in _ORDERS and not parts:
        sort = "votes"
    # The ids of at most MAX_RESULTS + 1 matches, in no order: the count, and (when that is all
    # of them) the set the page query ranks. Without an order the database stops as soon as it
    # has enough; asking for an order here would make PostgreSQL either fetch every match or
    # walk an index testing each row, whichever its estimate favours, often wrongly.
    ids = list(entries.order_by().values_list("pk", flat=True)[: MAX_RESULTS + 1])
    capped = len(ids) > MAX_RESULTS
    if capped:  # many matches, so an ordered index walk meets MAX_RESULTS of them soon
        ordered = entries.order_by(*_ORDERS.get(sort, _CANDIDATES)).values_list("pk", flat=True)
        ids = list(ordered[:MAX_RESULTS])
    if not ids:
        return Results(entries.none())
    if connection.vendor == "postgresql":
        entries = SearchEntry.objects.filter(_AnyOf(F("pk"), ids))
    else:
        entries = SearchEntry.objects.filter(pk__in=ids)
        if parts:
            entries = entries.filter(condition)  # FTS5's rank column needs its MATCH
    # Question and author are fetched for the page's rows only, after the sort: joining them
    # first would join every match.
    entries = (
        entries.defer("vector")
        .annotate(**annotations)
        .prefetch_related(
            Prefetch("question", Question.objects.only("id", "slug")),
            Prefetch("author", get_user_model().objects.only("id", "username")),
        )
    )
    order = _ORDERS.get(sort, _RELEVANCE)
    return Results(entries.order_by(*order), len(ids), capped)


def _canonical_tags(names: list[str]) -> list[str]:
    """The tag names `names` stand for: a synonym's tag, or the name itself."""
    from questions.models import TagSynonym

    synonyms = dict(TagSynonym.objects.filter(name__in=names).values_list("name", "tag__name"))
    return list(dict.fromkeys(synonyms.get(name, name) for name in names))


def _postgresql(parts: list[Part], tag_parts: list[Part]) -> tuple[Q, dict]:
    from django.contrib.postgres.search import (
        SearchQuery,
        SearchRank,
        SearchVectorExact,
        SearchVectorField,
    )

    from .index import CJK_CONFIG, WORDS_CONFIG

    def tsquery(parts):
        queries = []
        for part in parts:
            if part.kind == "words":
                kind = "phrase" if part.phrase else "plain"
                queries.append(SearchQuery(part.text, config=WORDS_CONFIG, search_type=kind))
            elif part.kind == "cjk":
                queries.append(SearchQuery(part.text, config=CJK_CONFIG, search_type="phrase"))
            elif part.kind == "prefix":  # one CJK character (never a quote or an operator)
                queries.append(SearchQuery(f"{part.text}:*", config=CJK_CONFIG, search_type="raw"))
            else:  # a tag token: letters and digits
                queries.append(SearchQuery(part.text, config=CJK_CONFIG, search_type="plain"))
        combined = queries[0]
        for extra in queries[1:]:
            combined &= extra
        return combined

    condition = Q(vector=tsquery(parts + tag_parts))
    if not parts:
        return condition, {}
    words = tsquery(parts)
    # Negated so that ascending order is best first, as SQLite's bm25 rank is.
    rank = SearchRank(F("vector"), words, weights=POSTGRESQL_WEIGHTS, cover_density=True)
    title = Func(F("vector"), Value("{a}"), function="ts_filter", output_field=SearchVectorField())
    return condition, {
        "title_hit": SearchVectorExact(title, words),
        "relevance": -rank,
    }


def fts5_query(parts: list[Part]) -> str:
    """An FTS5 MATCH expression: every token double-quoted, terms ANDed."""

    def quoted(text: str) -> str:
        return '"' + text.replace('"', '""') + '"'

    items = []
    for part in parts:
        if part.kind == "words" and not part.phrase:
            # A token of punctuation only would be an empty phrase, which matches nothing.
            items += [quoted(word) for word in part.text.split() if has_letters(word)]
        elif part.kind == "prefix":
            items.append(quoted(part.text) + "*")
        else:
            items.append(quoted(part.text))
    return " AND ".join(items)


def _sqlite(parts: list[Part], tag_parts: list[Part]) -> tuple[Q, dict]:
    from search.models import SearchEntryFTS

    condition = Q(fts__document__match=fts5_query(parts + tag_parts))
    if not parts:
        return condition, {}
    in_title = SearchEntryFTS.objects.filter(title__match=fts5_query(parts)).values("entry_id")
    return condition, {
        "title_hit": ExpressionWrapper(Q(pk__in=in_title), output_field=BooleanField()),
        "relevance": F("fts__rank"),
    }
