"""Time slices of the search index, so a search reads the newest posts first and stops.

One GIN index over every post's tsvector answers "which posts hold this word?" with all of
them: for a word in half of 4,000,000 posts that is a bitmap of 2,000,000 rows (lossy past
`work_mem`, so every row of every page is read and its vector decompressed again) before the
first row comes back. Splitting the index by `created_at` bounds that: each slice is a partial
GIN index over the posts created in one range of time (about `ROWS_PER_SLICE` posts), and a
search asks the slices newest first, stopping as soon as it has what it needs.

A slice is a `SearchSlice` row, [starts_at, ends_at) with None for "unbounded"; the oldest
starts at None and the newest, open one ends at None, so the slices cover all of time without
gaps or overlap. With no rows there is one implicit slice, everything (a small site, SQLite, a
fresh test database), whose index is the full one the migration made (`FULL_INDEX`). Every
slice has its own index, and a split drops the index of the slice it replaces: after the first
split that is the full index, so each post is in exactly one GIN index, which a write keeps up
and a bulk load builds, not two. On SQLite slices are only ranges of time (FTS5 has no partial
indexes), so the same code runs and is tested on both databases.

New posts land in the open slice; `manage.py search_slices` (daily is plenty) splits it when it
has grown past `ROWS_PER_SLICE`. Until then searches are correct, only slower.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps as global_apps
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q

ROWS_PER_SLICE = 100_000
# The first cut makes slices of ROWS_PER_SLICE of the newest FIRST_SLICES x ROWS_PER_SLICE posts
# only; the older ones go into slices as big as those together: a search only gets there when
# the words are rare among newer posts, so its bitmaps are small, and fewer slices mean fewer
# index scans for it (a site that grows cuts its newest slice again). Their indexes are built
# side by side where there are cores for it (`loadbench`), which one full index cannot be.
FIRST_SLICES = 10
CACHE_KEY = "search:slices"
CACHE_SECONDS = 300
TABLE = "questions_searchentry"


@dataclass(frozen=True)
class Slice:
    starts_at: datetime | None
    ends_at: datetime | None
    index_name: str = ""

    def condition(self) -> Q:
        """The rows of this slice, written as its partial index's predicate is, so that
        PostgreSQL sees the index applies."""
        condition = Q()
        if self.starts_at is not None:
            condition &= Q(created_at__gte=self.starts_at)
        if self.ends_at is not None:
            condition &= Q(created_at__lt=self.ends_at)
        return condition

    def predicate_sql(self) -> str:
        """The partial index's WHERE clause (timestamps as literals, whole seconds, UTC)."""
        terms = []
        if self.starts_at is not None:
            terms.append(f"created_at >= '{self.starts_at.isoformat()}'::timestamptz")
        if self.ends_at is not None:
            terms.append(f"created_at < '{self.ends_at.isoformat()}'::timestamptz")
        return " AND ".join(terms) or "true"


FULL_INDEX = "questions_searchentry_vector_gin"  # questions/migrations/0006_search.py
EVERYTHING = Slice(None, None, FULL_INDEX)


def newest_first() -> list[Slice]:
    """The slices, newest first (cached in the shared cache; `split` clears it)."""
    slices = cache.get(CACHE_KEY)
    if slices is None:
        slices = _load(global_apps.get_model("search", "SearchSlice"))
        cache.set(CACHE_KEY, slices, CACHE_SECONDS)
    return slices


def _load(SearchSlice) -> list[Slice]:
    rows = SearchSlice.objects.values_list("starts_at", "ends_at", "index_name")
    # Sorted here: NULL comes first in a descending order on PostgreSQL, last on SQLite.
    return sorted(
        (Slice(*row) for row in rows),
        key=lambda s: (s.starts_at is not None, s.starts_at),
        reverse=True,
    ) or [EVERYTHING]


def boundaries(SearchEntry, rows: int, *, after: datetime | None = None) -> list[datetime]:
    """`created_at` values (whole seconds) that cut the posts created after `after` into runs
    of about `rows` each; none when there are fewer than 2 x `rows` of them."""
    entries = SearchEntry.objects.all()
    if after is not None:
        entries = entries.filter(created_at__gte=after)
    total = entries.count()
    if total < 2 * rows:
        return []
    pieces = round(total / rows)
    # 0-based positions of the first post of each slice but the oldest; percentile_disc(p)
    # returns the value at 1-based position ceil(p * total).
    positions = [round(n * total / pieces) for n in range(1, pieces)]
    fractions = [(position + 0.5) / total for position in positions]
    if connection.vendor == "postgresql":
        sql, params = entries.values("created_at").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY created_at) "
                f"FROM ({sql}) AS e",
                [fractions, *params],
            )
            cuts = cursor.fetchone()[0]
    else:
        ordered = entries.order_by("created_at").values_list("created_at", flat=True)
        cuts = [ordered[position] for position in positions]
    seconds = sorted({cut.replace(microsecond=0) for cut in cuts})
    return [cut for cut in seconds if after is None or cut > after]


def index_name(piece: Slice) -> str:
    def stamp(moment):
        return str(int(moment.timestamp())) if moment else "x"

    return f"search_slice_{stamp(piece.starts_at)}_{stamp(piece.ends_at)}"


def create_index_sql(piece: Slice, *, concurrently: bool) -> str:
    """CREATE INDEX for a slice: GIN without the pending list (fastupdate off), so a search
    never has to read an unsorted list of recent entries, which a write-heavy table grows."""
    how = "CONCURRENTLY " if concurrently else ""
    return (
        f"CREATE INDEX {how}IF NOT EXISTS {piece.index_name} ON {TABLE} "
        f"USING gin (vector) WITH (fastupdate = off) WHERE {piece.predicate_sql()}"
    )


def _create_indexes(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.in_atomic_block:
            # PostgreSQL refuses to index a table with deferred constraint checks pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for statement in statements:
            cursor.execute(statement)


def _drop_index(name: str, *, concurrently: bool) -> None:
    if connection.vendor != "postgresql" or not name:
        return
    how = "CONCURRENTLY " if concurrently else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {how}IF EXISTS {name}")


@dataclass(frozen=True)
class Cut:
    """A planned split: the slice it replaces, the slices that replace it, and the CREATE INDEX
    statements of their partial indexes."""

    newest: Slice
    pieces: list[Slice]
    statements: list[str]


def plan(*, rows: int = ROWS_PER_SLICE, concurrently: bool = True, apps=None) -> Cut | None:
    """How `split` would cut the newest slice now, or None when it would not."""
    apps = apps or global_apps
    SearchSlice = apps.get_model("search", "SearchSlice")
    newest = _load(SearchSlice)[0]
    cuts = boundaries(apps.get_model("search", "SearchEntry"), rows, after=newest.starts_at)
    if not cuts:
        return None
    if newest.starts_at is None and len(cuts) > FIRST_SLICES:
        # The older posts: every FIRST_SLICES-th cut, counted back from the newest slices'.
        older = range(len(cuts) - 2 * FIRST_SLICES, -1, -FIRST_SLICES)
        cuts = [cuts[n] for n in reversed(older)] + cuts[-FIRST_SLICES:]
    edges = [newest.starts_at, *cuts, None]
    pieces = [Slice(start, end) for start, end in zip(edges, edges[1:], strict=False)]
    pieces = [Slice(p.starts_at, p.ends_at, index_name(p)) for p in pieces]
    statements = []
    if connection.vendor == "postgresql":  # the oldest, biggest first
        statements = [create_index_sql(p, concurrently=concurrently) for p in pieces]
    return Cut(newest, pieces, statements)


def save(cut: Cut, *, concurrently: bool = True, apps=None) -> int:
    """Replace the newest slice by the planned ones, once their indexes are built; drop the
    replaced slice's index (on the first split, the full index). Returns how many slices were
    made."""
    apps = apps or global_apps
    SearchSlice = apps.get_model("search", "SearchSlice")
    with transaction.atomic():
        SearchSlice.objects.filter(starts_at=cut.newest.starts_at, ends_at=None).delete()
        SearchSlice.objects.bulk_create(
            SearchSlice(starts_at=p.starts_at, ends_at=p.ends_at, index_name=p.index_name)
            for p in cut.pieces
        )
        transaction.on_commit(lambda: cache.delete(CACHE_KEY))
    cache.delete(CACHE_KEY)
    _drop_index(cut.newest.index_name, concurrently=concurrently)
    return len(cut.pieces)


def split(
    *,
    rows: int = ROWS_PER_SLICE,
    concurrently: bool = True,
    report: Callable[[str], object] | None = None,
    create: Callable[[list[str]], None] | None = None,
    apps=None,
) -> int:
    """Cut the newest slice (all of time, when there are no slices yet) into slices of about
    `rows` posts, each with its partial index; returns how many slices were made.

    The new indexes are built before the new slices are saved, and the replaced slice's index
    is dropped after, so every search meets slices with their indexes. `concurrently` builds
    and drops without blocking writes (outside a transaction only). `create` runs the CREATE
    INDEX statements (default: one after the other). `apps` lets a migration run this with its
    historical models. (`loadbench` calls `plan` and `save` itself, to build the indexes beside
    its others.)
    """
    cut = plan(rows=rows, concurrently=concurrently, apps=apps)
    if cut is None:
        return 0
    if create and cut.statements:
        create(cut.statements)
    for number, (piece, statement) in enumerate(zip(cut.pieces, cut.statements, strict=False), 1):
        if report:
            report(f"slice index {number}/{len(cut.pieces)}: {piece.predicate_sql()}")
        if not create:
            _create_indexes([statement])
    return save(cut, concurrently=concurrently, apps=apps)
