"""The optional read replica: anonymous reads go to it, everything else and whoever just wrote
read the primary (jokesite/replica.py). The routing decisions, without a second database."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from jokesite import replica

factory = RequestFactory()


@pytest.fixture
def configured(monkeypatch):
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


def through_middleware(request, status=200):
    """(the database a read in the view goes to, the response)."""
    seen = {}

    def view(request):
        seen["db"] = replica.ReplicaRouter().db_for_read(None)
        return HttpResponse(status=status)

    response = replica.ReplicaMiddleware(view)(request)
    return seen["db"], response


def test_an_anonymous_read_goes_to_the_replica(configured, settings):
    settings.JOKESITE_PAGE_CACHE_SECONDS = 300
    request = factory.get("/questions/")
    db, response = through_middleware(request)
    assert db == replica.REPLICA
    assert request.page_cache_seconds == settings.REPLICA_STICKY_SECONDS  # not 300
    assert replica.COOKIE not in response.cookies


@pytest.mark.parametrize(
    "request_",
    [
        factory.post("/questions/1/answer/"),
        factory.get("/", HTTP_COOKIE="sessionid=abc"),  # maybe signed in: the primary
        factory.get("/", HTTP_COOKIE=f"{replica.COOKIE}=1"),  # just wrote
    ],
    ids=["post", "session", "just wrote"],
)
def test_the_primary_otherwise(configured, request_):
    db, _ = through_middleware(request_)
    assert db is None  # the default database
    assert not hasattr(request_, "page_cache_seconds")


def test_a_replica_read_keeps_no_shared_fragment(configured, settings):
    """Its rows may be older than the versions in the cache: parts rendered from them must
    not be kept under those versions, where members reading the primary would get them."""
    from pagecache import fragments, versions

    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300
    stamps = []

    def view(request):
        stamps.append(fragments.stamp(request, [versions.VERSION_KEY], 1))
        return HttpResponse()

    replica.ReplicaMiddleware(view)(factory.get("/questions/1/x/"))
    replica.ReplicaMiddleware(view)(factory.get("/questions/1/x/", HTTP_COOKIE="sessionid=a"))
    assert stamps[0] is None
    assert stamps[1] is not None  # the primary's reads are kept as before


def test_nothing_goes_to_a_replica_that_is_not_configured():
    db, _ = through_middleware(factory.get("/"))
    assert db is None


def test_outside_a_request_reads_the_primary(configured):
    """Management commands and task workers: no middleware marked them."""
    assert replica.ReplicaRouter().db_for_read(None) is None


def test_a_write_keeps_the_writer_on_the_primary_for_a_few_seconds(configured, settings):
    _, response = through_middleware(factory.post("/answers/1/vote/"), status=302)
    cookie = response.cookies[replica.COOKIE]
    assert cookie["max-age"] == settings.REPLICA_STICKY_SECONDS
    assert cookie["httponly"]
    _, refused = through_middleware(factory.post("/answers/1/vote/"), status=403)
    assert replica.COOKIE not in refused.cookies


def test_migrations_run_on_the_primary_only():
    router = replica.ReplicaRouter()
    assert router.allow_migrate("default", "questions")
    assert not router.allow_migrate(replica.REPLICA, "questions")
