"""Running a parsed query. The text part differs per database; filters and order are shared.

User text reaches SQL only as parameters: on PostgreSQL through plainto_tsquery /
phraseto_tsquery (which accept any text), on SQLite as an FTS5 query string in which every
token is double-quoted (so AND, OR, NEAR, *, ^, column: and parentheses are plain text).

Cost stays bounded however common the words are (a single character such as 的 is in nearly
every Chinese post), because no statement reads more than about MAX_RESULTS matches:

1. The probe: the ids of at most MAX_RESULTS + 1 matches, asked of the time slices newest
   first (`search.slices`: one partial index per slice) in one UNION ALL that stops as soon as
   it has enough. That is the count ("more than MAX_RESULTS" past it) and, when it is all of
   them, the set the page query sorts.
2. When more match, MAX_RESULTS of them: all the probe found in the slices it read through
   (complete, and newer than the rest) and the newest of the slice it stopped in, by a walk of
   that slice's newest WALK posts (`_newest_in`). For newest, exactly the newest (the slice's
   index is asked when the walk finds too few); for relevance, when the walk finds too few
   (the words are not that common), the probe's other rows of that slice make up the number.
   For votes, the matches among the WALK best-voted posts, made up to the number with the
   probe's when they are fewer (exact for common words; bounded whatever the words).
3. The page: ranked (or sorted) among those ids only, with its questions and authors.
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
    Lookup,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce

from .query import ParsedQuery
from .slices import EVERYTHING, Slice, newest_first
from .text import Part, has_letters, tag_token

SORTS = ("relevance", "newest", "votes")
MAX_RESULTS = 200
# Posts of a slice tested one by one, newest first, before its index is asked instead.
WALK = 2 * MAX_RESULTS
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
    slices = newest_first()
    found = _probe(entries, slices, MAX_RESULTS + 1)
    if not found:
        return Results(entries.none())
    capped = len(found) > MAX_RESULTS
    if not capped:
        ids = [pk for _, pk in found]
    elif sort == "votes":
        ids = _best_voted(entries, found)
    else:
        ids = _newest(entries, slices, found, exact=sort == "newest")
    if connection.vendor == "postgresql":
        page = SearchEntry.objects.filter(_AnyOf(F("pk"), ids))
    else:
        page = SearchEntry.objects.filter(pk__in=ids)
        if parts and sort not in _ORDERS:
            page = page.filter(condition)  # FTS5's rank column needs its MATCH
    # Question and author are fetched for the page's rows only, after the sort: joining them
    # first would join every match. The rank is only computed when it is the order.
    page = page.defer("vector", "title_vector").prefetch_related(
        Prefetch("question", Question.objects.only("id", "slug")),
        Prefetch("author", get_user_model().objects.only("id", "username")),
    )
    if sort in _ORDERS:
        page = page.order_by(*_ORDERS[sort])
    else:
        page = page.annotate(**annotations).order_by(*_RELEVANCE)
    return Results(page, min(len(found), MAX_RESULTS), capped)


def _probe(entries: QuerySet, slices: list[Slice], limit: int) -> list[tuple[int, int]]:
    """(slice number, id) of at most `limit` matches, in no order within a slice but the
    slices newest first: one UNION ALL of a query per slice, which PostgreSQL runs one slice
    after the other, each through its partial index, stopping once `limit` rows came back.

    Every slice before the last one returned is complete (all its matches are there)."""
    branches, params = [], []
    for number, piece in enumerate(slices):
        sql, branch_params = (
            entries.filter(piece.condition()).order_by().values_list("pk")[:limit]
        ).query.sql_with_params()
        branches.append(f"SELECT {number}, e{number}.* FROM ({sql}) e{number}")
        params += branch_params
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches) + " LIMIT %s", [*params, limit])
        return cursor.fetchall()


def _newest(
    entries: QuerySet, slices: list[Slice], found: list[tuple[int, int]], *, exact: bool
) -> list[int]:
    """The ids of MAX_RESULTS matches, given a probe that found more: all it found in the slices
    it read through (complete, and newer than the rest) and the newest of the slice it stopped
    in. With `exact`, those are the newest there are; else the probe's own rows of that slice
    make up the number when the newest are not found cheaply (see `_newest_in`)."""
    last = found[-1][0]
    ids = [pk for number, pk in found if number < last]
    count = MAX_RESULTS - len(ids)
    newest = _newest_in(entries, slices[last], count, exact=exact)
    if len(newest) < count:  # not exact: the probe's other rows of that slice, any of them
        seen = set(newest)
        newest += [pk for number, pk in found if number == last and pk not in seen]
    return ids + newest[:count]


def _best_voted(entries: QuerySet, found: list[tuple[int, int]]) -> list[int]:
    """The ids of MAX_RESULTS matches for the votes order, given a probe that found more: the
    matches among the WALK best-voted posts (exact when they are enough: common words), made
    up to the number with the probe's, so the cost stays bounded when they are rarer."""
    ids = _walk(entries, EVERYTHING, _ORDERS["votes"], MAX_RESULTS)
    seen = set(ids)
    return ids + [pk for _, pk in found if pk not in seen][: MAX_RESULTS - len(ids)]


def _walk(entries: QuerySet, piece: Slice, order: tuple, count: int) -> list[int]:
    """The ids of the matches among the first WALK posts of a slice in `order`, at most
    `count`: one statement over a window named like the table, so every column reference
    (and join) of the statement reads from it."""
    from search.models import SearchEntry

    sql, params = (
        entries.filter(piece.condition()).order_by(*order).values_list("pk")[:count]
    ).query.sql_with_params()
    window = SearchEntry.objects.filter(piece.condition()).order_by(*order)[:WALK]
    window_sql, window_params = window.query.sql_with_params()
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    walk = sql.replace(f" FROM {table}", f" FROM ({window_sql}) {table}", 1)
    with connection.cursor() as cursor:
        cursor.execute(walk, [*window_params, *params])
        return [pk for (pk,) in cursor.fetchall()]


def _newest_in(entries: QuerySet, piece: Slice, count: int, *, exact: bool) -> list[int]:
    """The ids of the newest `count` matches in one slice (fewer if not `exact`), found without
    trusting the planner's guess of how many posts hold the words (it cannot see that testing a
    post means decompressing its vector, and picks a walk that may test a whole slice):

    - walk the slice newest first, testing each post, but only its newest WALK posts: enough
      when the words are common, and at most WALK tests;
    - else, when `exact`, fewer than count / WALK of its posts match: fetch all of them
      through the slice's index and keep the newest.
    """
    if count <= 0:
        return []
    matches = entries.filter(piece.condition())
    ids = _walk(entries, piece, _ORDERS["newest"], count)
    if len(ids) == count or not exact:
        return ids
    with connection.cursor() as cursor:
        # OFFSET 0 keeps PostgreSQL from walking the newest index with no end in sight: the
        # inner query is planned as "all matches", which the slice's partial index serves.
        sql, params = matches.order_by().values_list("pk", "created_at").query.sql_with_params()
        fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
        cursor.execute(
            f"SELECT m.pk FROM ({sql}{fence}) m ORDER BY m.created_at DESC, m.pk DESC LIMIT %s",
            [*params, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


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
    # Questions only have a title vector (answers: NULL, so not a title hit): small, stored
    # in the row, unlike the post vector, which ts_filter would have to decompress again.
    title_hit = Coalesce(
        SearchVectorExact(F("title_vector"), words), Value(False), output_field=BooleanField()
    )
    return condition, {"title_hit": title_hit, "relevance": -rank}


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
