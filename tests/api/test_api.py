"""The read-only JSON API: real responses validated against the OpenAPI document, visibility,
caching, rate limits and flat query counts."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate as validate_spec

from api.views import OPENAPI
from revisions import services as revision_services
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def check(response, path: str, status: int = 200) -> dict:
    """The response's JSON, after checking it against `paths[path].get.responses[status]`."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    operation = OPENAPI["paths"][path]["get"]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    # Resolve `#/components/...` against the whole document.
    validator = OAS31Validator(
        {**schema, "components": OPENAPI["components"]},
        format_checker=OAS31Validator.FORMAT_CHECKER,
    )
    errors = sorted(validator.iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return data


@pytest.fixture
def thread():
    """A question with an accepted answer, another answer, comments, and deleted posts."""
    asker = UserFactory(username="asker")
    question = QuestionFactory(
        author=asker,
        title="Why did the bread go to the therapist?",
        tags=[TagFactory(name="puns"), TagFactory(name="bread")],
        category=CategoryFactory(name="Joke Collection", slug="jokes"),
    )
    best = AnswerFactory(question=question, score=5, is_accepted=True)
    other = AnswerFactory(question=question, score=9)
    AnswerFactory(question=question, deleted_at=timezone.now())
    CommentFactory(question=question, body="A comment on the question itself.")
    CommentFactory(question=question, body="A deleted comment.", deleted_at=timezone.now())
    CommentFactory(question=None, answer=other, body="A comment on the other answer.")
    return question, best, other


def test_openapi_document_is_valid_openapi_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"] == "3.1.0"
    validate_spec(document)
    assert set(document["paths"]) == {
        "/questions/",
        "/questions/{id}/",
        "/tags/",
        "/users/{username}/",
        "/openapi.json",
    }


def test_question_list_validates_and_pages(client, thread):
    QuestionFactory.create_batch(25)
    QuestionFactory(deleted_at=timezone.now())
    data = check(client.get("/api/v1/questions/"), "/questions/")
    assert (data["count"], data["page"], data["pages"]) == (26, 1, 2)
    assert len(data["results"]) == 20
    assert data["previous"] is None
    assert data["next"] == "http://testserver/api/v1/questions/?page=2"
    page2 = check(client.get("/api/v1/questions/", {"page": 2}), "/questions/")
    assert len(page2["results"]) == 6
    assert page2["next"] is None
    assert page2["previous"] == "http://testserver/api/v1/questions/?page=1"


def test_question_list_sorts_like_the_page(client):
    low = QuestionFactory(score=1)
    high = QuestionFactory(score=10)
    data = check(client.get("/api/v1/questions/", {"sort": "votes"}), "/questions/")
    assert data["sort"] == "votes"
    assert [q["id"] for q in data["results"]] == [high.pk, low.pk]
    assert data["results"][0]["url"] == f"http://testserver{high.get_absolute_url()}"
    assert data["results"][0]["api_url"] == f"http://testserver/api/v1/questions/{high.pk}/"
    data = check(client.get("/api/v1/questions/", {"sort": "nonsense"}), "/questions/")
    assert data["sort"] == "active"


def test_question_detail_has_what_the_thread_shows(client, thread):
    question, best, other = thread
    data = check(client.get(f"/api/v1/questions/{question.pk}/"), "/questions/{id}/")
    assert data["title"] == question.title
    assert data["tags"] == ["bread", "puns"]
    assert data["category"] == {"slug": "jokes", "name": "Joke Collection"}
    assert data["author"]["username"] == "asker"
    assert [c["body"] for c in data["comments"]] == ["A comment on the question itself."]
    assert [a["id"] for a in data["answers"]] == [best.pk, other.pk]  # accepted first
    assert data["answers"][0]["is_accepted"] is True
    assert data["answers"][0]["url"] == f"http://testserver{best.get_absolute_url()}"
    assert [c["body"] for c in data["answers"][1]["comments"]] == ["A comment on the other answer."]
    assert "email" not in json.dumps(data)


def test_deleted_and_unknown_questions_are_json_404(client):
    deleted = QuestionFactory(deleted_at=timezone.now())
    for pk in (deleted.pk, 999999):
        data = check(client.get(f"/api/v1/questions/{pk}/"), "/questions/{id}/", 404)
        assert data["error"] == "not_found"


def test_tag_list_validates_sorts_and_filters(client):
    with freeze_time("2026-01-01"):
        puns = TagFactory(name="puns", description="Word play.")
    with freeze_time("2026-02-01"):
        bread = TagFactory(name="bread")
    QuestionFactory.create_batch(2, tags=[puns])
    QuestionFactory(tags=[bread])
    QuestionFactory(tags=[bread], deleted_at=timezone.now())
    data = check(client.get("/api/v1/tags/"), "/tags/")
    assert [(t["name"], t["question_count"]) for t in data["results"]] == [
        ("puns", 2),
        ("bread", 1),
    ]
    assert data["results"][0]["description"] == "Word play."
    data = check(client.get("/api/v1/tags/", {"sort": "new"}), "/tags/")
    assert [t["name"] for t in data["results"]] == ["bread", "puns"]
    data = check(client.get("/api/v1/tags/", {"q": "UN"}), "/tags/")
    assert [t["name"] for t in data["results"]] == ["puns"]


def test_user_detail_validates_and_shows_only_visible_posts(client, thread):
    question, best, _ = thread
    QuestionFactory(author=question.author, deleted_at=timezone.now())
    data = check(client.get("/api/v1/users/asker/"), "/users/{username}/")
    assert data["username"] == "asker"
    assert data["question_count"] == 1
    assert [q["id"] for q in data["questions"]] == [question.pk]
    data = check(client.get(f"/api/v1/users/{best.author.username}/"), "/users/{username}/")
    assert (data["answer_count"], data["accepted_count"]) == (1, 1)
    assert data["answers"][0]["question_title"] == question.title


def test_inactive_and_unknown_users_are_404(client):
    UserFactory(username="gone", is_active=False)
    for name in ("gone", "nobody"):
        check(client.get(f"/api/v1/users/{name}/"), "/users/{username}/", 404)


def test_api_is_read_only(client):
    assert client.post("/api/v1/questions/").status_code == 405
    assert client.head("/api/v1/questions/").status_code == 200


def test_api_allows_any_origin(client):
    assert client.get("/api/v1/tags/")["Access-Control-Allow-Origin"] == "*"


def test_responses_are_cached_briefly(client, settings):
    # Frozen time expires keys in the local-memory cache only; Redis keeps its own clock.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    question = QuestionFactory(title="The first title of this question")
    url = f"/api/v1/questions/{question.pk}/"
    with freeze_time(timezone.now()) as frozen:
        response = client.get(url)
        assert "max-age=30" in response["Cache-Control"]
        revision_services.edit_post(
            editor=question.author,
            post=question,
            body=question.body,
            title="A second title for this question",
            tags=question.tag_names(),
        )
        assert json.loads(client.get(url).content)["title"] == "The first title of this question"
        frozen.tick(timedelta(seconds=31))
        assert json.loads(client.get(url).content)["title"] == "A second title for this question"


def test_api_is_rate_limited_with_retry_after(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_READ_RATE_LIMITS = {**settings.JOKESITE_READ_RATE_LIMITS, "api": "3/m"}
    statuses = [client.get("/api/v1/tags/").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]  # the second and third come from the cache, and count
    response = client.get("/api/v1/tags/")
    data = check(response, "/tags/", 429)
    assert 1 <= int(response["Retry-After"]) <= 60
    assert data["retry_after"] == int(response["Retry-After"])


@pytest.mark.parametrize("rows", [2, 30])
def test_question_list_query_count_is_flat(client, django_assert_num_queries, rows):
    for _ in range(rows):
        QuestionFactory(category=CategoryFactory(), tags=[TagFactory(), TagFactory()])
    with django_assert_num_queries(3):  # count, page with authors and categories, tags
        client.get("/api/v1/questions/")


@pytest.mark.parametrize("rows", [2, 30])
def test_question_detail_query_count_is_flat(client, django_assert_num_queries, rows):
    question = QuestionFactory()
    for answer in AnswerFactory.create_batch(rows, question=question):
        CommentFactory(question=None, answer=answer)
    CommentFactory.create_batch(rows, question=question)
    # question, tags, its comments, answers, their comments
    with django_assert_num_queries(5):
        client.get(f"/api/v1/questions/{question.pk}/")


@pytest.mark.parametrize("rows", [2, 30])
def test_tag_list_query_count_is_flat(client, django_assert_num_queries, rows):
    for _ in range(rows):
        QuestionFactory(tags=[TagFactory()])
    with django_assert_num_queries(2):  # count, page
        client.get("/api/v1/tags/")


@pytest.mark.parametrize("rows", [2, 30])
def test_user_detail_query_count_is_flat(client, django_assert_num_queries, rows):
    user = UserFactory(username="busy")
    QuestionFactory.create_batch(rows, author=user)
    AnswerFactory.create_batch(rows, author=user)
    # user, 3 counts, recent questions, recent answers with their questions
    with django_assert_num_queries(6):
        client.get("/api/v1/users/busy/")
