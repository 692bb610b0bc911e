"""The two reads every signed-in request makes, compiled once: the session row
(`accounts.sessions`) and the member by primary key (`User.objects.get(pk=...)`)."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends import db as django_db_sessions
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.sessions import SessionStore
from core.statements import readable
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
FIELDS = [field.attname for field in User._meta.concrete_fields]


def test_a_member_by_pk_is_what_the_orm_gives(django_assert_num_queries):
    member = UserFactory(username="fast-read", reputation=321, theme="dark")
    expected = User.objects.filter(pk=member.pk).first()
    for _ in range(2):  # compiled, then kept
        with django_assert_num_queries(1):
            found = User.objects.get(pk=member.pk)
        assert type(found) is User
        assert [getattr(found, f) for f in FIELDS] == [getattr(expected, f) for f in FIELDS]
        assert found._state.db == "default" and not found._state.adding


def test_a_missing_member_is_does_not_exist():
    with pytest.raises(User.DoesNotExist, match="User matching query does not exist"):
        User.objects.get(pk=987654321)


def test_other_lookups_are_django_s():
    member = UserFactory(username="other-lookup")
    assert User.objects.get(username="other-lookup") == member
    assert User.objects.get(pk=str(member.pk)) == member
    assert User.objects.get(pk=member.pk, is_active=True) == member
    with pytest.raises(User.DoesNotExist):
        User.objects.get(pk=2**70)


def test_a_session_reads_back_in_one_statement(django_assert_num_queries):
    store = SessionStore()
    store["cart"] = "打折 <b>"
    store.create()
    for _ in range(2):
        reread = SessionStore(store.session_key)
        with CaptureQueriesContext(connections["default"]) as queries:
            assert reread.load() == {"cart": "打折 <b>"}
        assert len(queries) == 1
        sql = readable(queries[0]["sql"])
        assert "django_session" in sql
        if connection.vendor == "postgresql":
            assert "EXECUTE jokesite_" in queries[0]["sql"]
        assert reread.session_key == store.session_key


def test_an_expired_or_unknown_session_is_empty():
    store = SessionStore()
    store["a"] = 1
    store.create()
    Session.objects.filter(pk=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None
    unknown = SessionStore("x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
    assert SessionStore(None).load() == {}


def test_sessions_django_wrote_are_read_and_ours_are_django_s():
    """Switching engines signs nobody out (nor back in)."""
    theirs = django_db_sessions.SessionStore()
    theirs["who"] = "before"
    theirs.create()
    assert SessionStore(theirs.session_key).load() == {"who": "before"}
    ours = SessionStore()
    ours["who"] = "after"
    ours.create()
    assert django_db_sessions.SessionStore(ours.session_key).load() == {"who": "after"}


def test_a_signed_in_page_reads_its_session_and_member(client):
    member = UserFactory(username="signed-in-reader")
    client.force_login(member)
    response = client.get("/")
    assert response.status_code == 200
    assert "signed-in-reader" in response.text


def test_without_prepared_statements_the_session_is_read_by_the_orm(settings):
    settings.JOKESITE_PREPARED_STATEMENTS = False
    store = SessionStore()
    store["a"] = 2
    store.create()
    with CaptureQueriesContext(connections["default"]) as queries:
        assert SessionStore(store.session_key).load() == {"a": 2}
    assert "EXECUTE" not in queries[0]["sql"]
