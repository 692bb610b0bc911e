"""Per-address limits behind reverse proxies: `JOKESITE_TRUSTED_PROXIES` (core/client_ip.py)
decides the client's address for django-ratelimit and allauth alike."""

import pytest
from django.test import RequestFactory

from core.client_ip import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def request_from(remote="10.0.0.1", xff=None):
    headers = {"X-Forwarded-For": xff} if xff is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


@pytest.mark.parametrize(
    "proxies, xff, expected",
    [
        (0, None, "10.0.0.1"),
        (0, "203.0.113.9", "10.0.0.1"),  # not trusted: ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "1.2.3.4, 203.0.113.9", "203.0.113.9"),  # the client's own claim is skipped
        (2, "1.2.3.4, 203.0.113.9, 192.0.2.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.1"),  # fewer hops than proxies: not through them all
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "2001:DB8::1", "2001:db8::1"),
    ],
)
def test_client_ip(settings, proxies, xff, expected):
    settings.JOKESITE_TRUSTED_PROXIES = proxies
    assert client_ip(request_from(xff=xff)) == expected


def fail_login(client, n, **headers):
    for i in range(n):
        data = {"login": f"made-up-{i}", "password": "wrong"}
        client.post(LOGIN, data, headers=headers)


def test_without_trusted_proxies_forged_forwarded_for_cannot_dodge_the_login_limit(client):
    member = UserFactory(username="ada")
    for i in range(10):
        client.post(
            LOGIN,
            {"login": f"made-up-{i}", "password": "x"},
            headers={"X-Forwarded-For": f"198.51.100.{i}"},
        )
    response = client.post(
        LOGIN,
        {"login": "ada", "password": "correct-horse-battery"},
        headers={"X-Forwarded-For": "198.51.100.200"},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)
    if response.status_code == 429:
        assert int(response["Retry-After"]) >= 1
    assert member.last_login is None


def test_behind_a_trusted_proxy_one_clients_failures_do_not_lock_out_another(client, settings):
    """Before: every client was the proxy's address, so ten failed logins with made-up names
    locked every member out."""
    settings.JOKESITE_TRUSTED_PROXIES = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    member = UserFactory(username="ada")
    fail_login(client, 11, **{"X-Forwarded-For": "203.0.113.7"})
    response = client.post(
        LOGIN,
        {"login": "ada", "password": "correct-horse-battery"},
        headers={"X-Forwarded-For": "198.51.100.2"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_behind_a_trusted_proxy_one_client_is_still_limited(client, settings):
    settings.JOKESITE_TRUSTED_PROXIES = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    UserFactory(username="ada")
    fail_login(client, 10, **{"X-Forwarded-For": "203.0.113.7"})
    client.post(
        LOGIN,
        {"login": "ada", "password": "correct-horse-battery"},
        headers={"X-Forwarded-For": "1.1.1.1, 203.0.113.7"},  # a claim in front changes nothing
    )
    assert "_auth_user_id" not in client.session


def test_api_limit_is_per_client_behind_a_trusted_proxy(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_READ_RATE_LIMITS = {**settings.JOKESITE_READ_RATE_LIMITS, "api": "2/m"}
    settings.JOKESITE_TRUSTED_PROXIES = 1
    first = [
        client.get("/api/v1/tags/", headers={"X-Forwarded-For": "203.0.113.7"}) for _ in range(3)
    ]
    other = client.get("/api/v1/tags/", headers={"X-Forwarded-For": "198.51.100.2"})
    assert [r.status_code for r in first] == [200, 200, 429]
    assert other.status_code == 200


def test_api_limit_ignores_forwarded_for_without_trusted_proxies(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_READ_RATE_LIMITS = {**settings.JOKESITE_READ_RATE_LIMITS, "api": "2/m"}
    statuses = [
        client.get("/api/v1/tags/", headers={"X-Forwarded-For": f"203.0.113.{i}"}).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]


def test_allauth_429_carries_retry_after(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "signup": "2/m/ip"}
    data = {"email": "x@example.com", "username": "x", "password1": "a", "password2": "b"}
    statuses = [client.post("/accounts/signup/", data).status_code for _ in range(3)]
    response = client.post("/accounts/signup/", data)
    assert statuses[:2] == [200, 200]
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Slow down" in response.content.decode()
