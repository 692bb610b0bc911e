"""Search over time slices (search.slices): the index cut by creation time, read newest first,
with bounded candidates. Runs on SQLite (slices are ranges) and PostgreSQL (partial indexes)."""

from datetime import UTC, datetime, timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from search import backends, slices
from search import fulltext as search
from search.models import SearchEntry, SearchSlice
from tests.factories import UserFactory
from tests.search.test_search import ask, ids

START = datetime(2024, 1, 1, tzinfo=UTC)


def dated(title, days, **kwargs):
    """A question created `days` days after START."""
    question = ask(title, **kwargs)
    SearchEntry.objects.filter(question=question).update(created_at=START + timedelta(days=days))
    return question


def slice_indexes() -> set[str]:
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'search_slice_%%'")
        return {name for (name,) in cursor.fetchall()}


@pytest.fixture
def twelve(db):
    """Twelve questions about otters, one a month apart, the oldest first."""
    return [dated(f"Question number {n} about otters", 30 * n) for n in range(12)]


def test_without_slices_there_is_one_slice_of_everything(db):
    assert slices.newest_first() == [slices.EVERYTHING]
    assert slices.split(rows=5, concurrently=False) == 0  # too few posts to cut


def test_split_cuts_time_into_contiguous_slices_with_their_indexes(twelve):
    made = slices.split(rows=3, concurrently=False)
    assert made == 4
    pieces = slices.newest_first()
    assert len(pieces) == 4
    assert pieces[0].ends_at is None and pieces[-1].starts_at is None
    for newer, older in zip(pieces, pieces[1:], strict=False):
        assert older.ends_at == newer.starts_at
    for piece in pieces:  # about 3 posts each
        assert SearchEntry.objects.filter(piece.condition()).count() == 3
    if connection.vendor == "postgresql":
        assert slice_indexes() == {piece.index_name for piece in pieces}


def test_split_again_cuts_only_the_newest_slice(twelve):
    slices.split(rows=6, concurrently=False)
    before = slices.newest_first()
    assert len(before) == 2
    for n in range(12, 18):
        dated(f"Question number {n} about otters", 30 * n)
    assert slices.split(rows=6, concurrently=False) == 2
    after = slices.newest_first()
    assert after[-1] == before[-1]  # the older slice is untouched
    assert len(after) == 3
    assert [SearchEntry.objects.filter(p.condition()).count() for p in after] == [6, 6, 6]
    if connection.vendor == "postgresql":  # the replaced slice's index is gone
        assert before[0].index_name not in slice_indexes()
        assert slice_indexes() == {piece.index_name for piece in after}


def test_slices_are_cached_until_split(twelve, django_assert_num_queries):
    slices.newest_first()
    with django_assert_num_queries(0):
        slices.newest_first()
    slices.split(rows=3, concurrently=False)
    assert len(slices.newest_first()) == 4


def test_results_are_the_same_with_or_without_slices(twelve):
    """Slices change how posts are found, never which (nor their order)."""
    queries = ["otters", 'otters "number 4"', "number", "nothing"]
    before = {(q, sort): ids(q, sort=sort) for q in queries for sort in backends.SORTS}
    slices.split(rows=3, concurrently=False)
    assert {(q, sort): ids(q, sort=sort) for q in queries for sort in backends.SORTS} == before
    assert before["otters", "newest"] == [q.pk for q in reversed(twelve)]
    assert before['otters "number 4"', "relevance"] == [twelve[4].pk]


@pytest.mark.parametrize("rows", [None, 3])
@pytest.mark.parametrize("walk", [100, 1])
def test_capped_newest_sort_shows_the_newest_matches(twelve, monkeypatch, rows, walk):
    """Whether the walk of the newest posts finds enough (common words) or the slice's index
    has to be asked (walk 1), the newest sort is exact."""
    monkeypatch.setattr("search.backends.MAX_RESULTS", 5)
    monkeypatch.setattr("search.backends.WALK", walk)
    if rows:
        slices.split(rows=rows, concurrently=False)
    results = search.search(search.parse_query("otters"), sort="newest")
    assert (results.count, results.capped) == (5, True)
    assert [e.question_id for e in results.entries] == [q.pk for q in reversed(twelve[-5:])]


@pytest.mark.parametrize("sort", ["relevance", "newest", "votes"])
def test_capped_results_come_from_the_newest_slices(twelve, monkeypatch, sort):
    """With more matches than MAX_RESULTS, relevance ranks matches of the newest slices only;
    votes still finds the best voted of all."""
    monkeypatch.setattr("search.backends.MAX_RESULTS", 4)
    monkeypatch.setattr("search.backends.WALK", 1)  # the walk finds too few: the probe's rows
    slices.split(rows=3, concurrently=False)
    best = twelve[0]
    SearchEntry.objects.filter(question=best).update(score=10)
    results = search.search(search.parse_query("otters"), sort=sort)
    page = search.ResultPaginator(results, 20).get_page(1)
    found = [e.question_id for e in page.object_list]
    assert len(found) == 4
    if sort == "votes":
        assert found[0] == best.pk
    else:  # the newest slice's 3, and 1 of the next one's
        assert set(found) > {q.pk for q in twelve[-3:]}
        assert set(found) < {q.pk for q in twelve[-6:]}


def test_uncapped_search_reads_every_slice(twelve):
    slices.split(rows=3, concurrently=False)
    old = dated("A lone question about beavers", 1)
    assert ids("beavers") == [old.pk]
    assert ids("otters beavers") == []


def test_capped_search_page_query_count(twelve, client, monkeypatch, django_assert_num_queries):
    monkeypatch.setattr("search.backends.MAX_RESULTS", 4)
    slices.split(rows=3, concurrently=False)
    slices.newest_first()  # cached, as it is nearly always
    # the probe, the walk of the slice it stopped in, the page, its questions, its authors
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "otters"})
    assert "More than 4 posts match" in response.text


def test_search_slices_command_splits(twelve, capsys):
    call_command("search_slices", rows=4, concurrently=False)
    assert len(slices.newest_first()) == 3
    assert SearchSlice.objects.count() == 3
    assert "3 slices" in capsys.readouterr().out
    call_command("search_slices", rows=4, concurrently=False)
    assert "nothing to split" in capsys.readouterr().out


def full_index_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [slices.FULL_INDEX])
        return cursor.fetchone() is not None


def test_first_split_puts_the_oldest_posts_in_bigger_slices(db, monkeypatch):
    """Past FIRST_SLICES slices, the older posts go into slices as big as the newest ones
    together, each with its own index; the full index is dropped, as any replaced slice's."""
    monkeypatch.setattr("search.slices.FIRST_SLICES", 2)
    posts = [dated(f"Question number {n} about otters", 30 * n) for n in range(14)]
    if connection.vendor == "postgresql":
        assert full_index_exists()
    assert slices.split(rows=2, concurrently=False) == 5
    pieces = slices.newest_first()
    assert [SearchEntry.objects.filter(p.condition()).count() for p in pieces] == [2, 2, 4, 4, 2]
    assert pieces[-1].starts_at is None and pieces[0].ends_at is None
    for newer, older in zip(pieces, pieces[1:], strict=False):
        assert older.ends_at == newer.starts_at
    assert all(p.index_name for p in pieces)
    if connection.vendor == "postgresql":
        assert slice_indexes() == {p.index_name for p in pieces}
        assert not full_index_exists()
    assert ids("otters", sort="newest") == [q.pk for q in reversed(posts)]
    assert ids('otters "number 1"') == [posts[1].pk]


def test_a_split_never_leaves_a_slice_without_an_index(twelve):
    slices.split(rows=3, concurrently=False)
    assert all(p.index_name for p in slices.newest_first())
    if connection.vendor == "postgresql":
        assert not full_index_exists()


@pytest.mark.parametrize("walk", [100, 1])
@pytest.mark.parametrize("cap", [2, 3])
def test_capped_walk_keeps_every_filter(db, monkeypatch, walk, cap):
    """The walk of a slice's newest posts reads them through the same filters (joins and
    subqueries included) as the rest of the search."""
    monkeypatch.setattr("search.backends.MAX_RESULTS", cap)
    monkeypatch.setattr("search.backends.WALK", walk)
    lin = UserFactory(username="lin")
    mine = [
        dated(f"Tagged question {n} about herons", n, author=lin, tags=["birds"]) for n in range(4)
    ]
    dated("Someone else's question about herons", 10, tags=["birds"])
    dated("Untagged question about herons by lin", 11, author=lin)
    slices.split(rows=2, concurrently=False)
    for q in ("herons user:lin [birds]", "user:lin [birds]"):
        results = search.search(search.parse_query(q), sort="newest")
        assert results.capped
        assert [e.question_id for e in results.entries] == [q.pk for q in mine[::-1][:cap]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partial indexes: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_unmigrating_the_slices_brings_the_full_index_back(twelve):
    """The migration's reverse (search 0004): the full index first, then the slices' dropped,
    so a search never meets a table without a GIN index."""
    slices.split(rows=3, concurrently=False)
    assert not full_index_exists() and slice_indexes()
    migration = import_module("search.migrations.0004_search_slices")
    with connection.schema_editor(atomic=False) as editor:
        migration.drop_slices(apps, editor)
    assert full_index_exists()
    assert not slice_indexes()
    SearchSlice.objects.all().delete()
    slices.cache.delete(slices.CACHE_KEY)
    assert ids("otters", sort="newest") == [q.pk for q in reversed(twelve)]
