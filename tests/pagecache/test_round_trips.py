"""Round trips to Redis per page: each costs the web process more than most of what a cached
page does, so a thread's first anonymous view reads its versions once, makes the missing ones
in one pipelined trip, and a hit is one trip. Counted on the wire (redis-py's connection), so
the counts hold whatever the code above it does. Needs Redis (REDIS_URL); skipped otherwise."""

import os
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.test import Client
from redis.connection import AbstractConnection

from pagecache import versions
from pagecache.middleware import CACHE_HEADER
from tests.factories import AnswerFactory, QuestionFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (REDIS_URL)"),
]


@pytest.fixture(autouse=True)
def _caches_on(settings, launch_mode):
    settings.JOKESITE_PAGE_CACHE_SECONDS = 300
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300
    cache.clear()


@contextmanager
def round_trips():
    """Count what is sent to Redis: a command, or a whole pipeline, is one send."""
    sent = []
    original = AbstractConnection.send_packed_command

    def counting(self, command, check_health=True):
        sent.append(command)
        return original(self, command, check_health)

    AbstractConnection.send_packed_command = counting
    try:
        yield sent
    finally:
        AbstractConnection.send_packed_command = original


def test_a_first_view_reads_each_version_once_and_a_hit_is_one_trip():
    question = QuestionFactory(title="How many trips does a cold page take?")
    AnswerFactory(question=question)
    AnswerFactory(question=question)
    cache.clear()  # no version of the thread or of its members exists yet: all are made
    with round_trips() as cold:
        response = Client().get(question.get_absolute_url())
    assert response[CACHE_HEADER] == "miss"
    # The versions with the page; the missing ones made and read back; the post fragments read;
    # and kept; the dependencies' versions read, the missing made; the page kept.
    assert len(cold) == 7
    with round_trips() as warm:
        response = Client().get(question.get_absolute_url())
    assert response[CACHE_HEADER] == "hit"
    assert len(warm) == 1


def test_missing_versions_are_made_in_one_trip_and_known_ones_not_read_again():
    keys = [versions.VERSION_KEY, *(versions.thread_key(pk) for pk in range(1, 6))]
    known = versions.current_many(keys[:1])
    with round_trips() as sent:
        found = versions.current_many(keys, known=known)
    assert len(sent) == 1
    assert set(found) == set(keys) and found[keys[0]] == known[keys[0]]
    # Made once: a second reader finds the same numbers.
    assert versions.current_many(keys) == found
