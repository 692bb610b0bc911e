"""While the database cannot be reached, every page answers 503 with `Retry-After` (JSON under
/api/), not a 500, and /healthz says 503; any other error is still the plain 500 page. The real
outage, with a PostgreSQL cluster stopped under gunicorn, is in tests/test_faults.py."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False  # Django's own debugging page otherwise
    return Client(raise_request_exception=False)


def database_away():
    error = OperationalError('connection to server at "db", port 5432 failed: Connection refused')
    return mock.patch.object(BaseDatabaseWrapper, "ensure_connection", side_effect=error)


@pytest.mark.parametrize("path", ["/", "/questions/", "/tags/", "/users/someone/", "/search/?q=a"])
def test_pages_answer_503_with_retry_after(production, path):
    QuestionFactory()
    with database_away():
        response = production.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Temporarily unavailable" in response.content.decode()


def test_a_signed_in_member_and_a_write_get_503_too(production):
    member = UserFactory()
    question = QuestionFactory()
    production.force_login(member)
    with database_away():
        response = production.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_the_api_answers_json(production):
    with database_away():
        response = production.get("/api/v1/questions/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json() == {"error": "unavailable", "retry_after": 30}


def test_healthz_says_503(production):
    with database_away():
        response = production.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_any_other_error_is_still_a_500(production):
    with mock.patch("questions.views.question_listing", side_effect=ValueError("a bug")):
        response = production.get("/questions/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()
