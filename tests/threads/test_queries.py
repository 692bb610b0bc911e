"""Every list and thread page issues a fixed number of queries, however many rows it shows,
and an anonymous page view writes nothing and sets no cookie (so it can be cached).

The counts are exact on purpose: a new query on these pages should be a decision, made by
changing the number here, not an accident.
"""

import pytest

from search import related
from tests.factories import (
    AnswerCommentFactory,
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from votes import services as vote_services

pytestmark = pytest.mark.django_db

# question (with author and category), its tags, the answers (with authors), the comments on
# the question and on the answers (with authors, one query), the related questions in the sidebar
ANONYMOUS_THREAD_QUERIES = 5
# the above + the session and the viewer, the viewer's votes on the question and the answers
# (one query), the unread notification badge and whether the viewer follows the question; not
# whether they moderate, since only staff can (core.permissions.is_moderator)
MEMBER_THREAD_QUERIES = 10
# paginator count, the page of questions (with authors and categories), their tags
ANONYMOUS_LIST_QUERIES = 3
# the above + the tag or category named in the URL
ANONYMOUS_TAG_OR_CATEGORY_QUERIES = 4
# a tag page also counts the tag's followers (issue 4: the follow link)
ANONYMOUS_TAG_QUERIES = ANONYMOUS_TAG_OR_CATEGORY_QUERIES + 1
# search: the time slices (search.slices, then cached), the matching ids (which are the count),
# the page, its questions and its authors
ANONYMOUS_SEARCH_QUERIES = 5


def build_thread(answers: int, comments_each: int = 3):
    """A question with tags, a category, comments, and `answers` answers with comments, votes
    and an accepted one, written by a small pool of members."""
    people = UserFactory.create_batch(5)
    question = QuestionFactory(
        author=people[0], category=CategoryFactory(), tags=TagFactory.create_batch(3)
    )
    CommentFactory.create_batch(comments_each, question=question, author=people[1])
    for n in range(answers):
        answer = AnswerFactory(
            question=question, author=people[n % 5], score=n % 4, is_accepted=(n == 0)
        )
        AnswerCommentFactory.create_batch(comments_each, answer=answer, author=people[(n + 1) % 5])
    return question


def build_questions(count: int, tag=None, category=None):
    people = UserFactory.create_batch(3)
    tags = TagFactory.create_batch(2) + ([tag] if tag else [])
    category = category or CategoryFactory()
    for n in range(count):
        QuestionFactory(author=people[n % 3], category=category, tags=tags)


def writes(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def assert_cacheable(response):
    assert response.status_code == 200
    assert not response.cookies, f"anonymous page set cookies: {list(response.cookies)}"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("answers", [2, 50])
def test_anonymous_thread_queries_do_not_grow_with_answers(
    client, django_assert_num_queries, answers
):
    question = build_thread(answers)
    with django_assert_num_queries(ANONYMOUS_THREAD_QUERIES) as captured:
        response = client.get(question.get_absolute_url())
    assert_cacheable(response)
    assert len(response.context["answers"]) == answers
    assert response.content.decode().count('class="comment"') == 3 * answers + 3
    assert writes(captured) == []


def test_anonymous_thread_queries_with_a_stored_related_list(client, django_assert_num_queries):
    # The stored ids come with the question (a join); the related questions are one query.
    question = build_thread(2)
    others = [QuestionFactory(tags=list(question.tags.all())) for _ in range(3)]
    related.compute([question.pk])
    with django_assert_num_queries(ANONYMOUS_THREAD_QUERIES) as captured:
        response = client.get(question.get_absolute_url())
    assert_cacheable(response)
    assert {q.pk for q in response.context["related_questions"]} == {q.pk for q in others}
    assert writes(captured) == []


@pytest.mark.parametrize("answers", [2, 20])
def test_member_thread_queries_do_not_grow_with_answers(client, django_assert_num_queries, answers):
    question = build_thread(answers)
    viewer = UserFactory(reputation=200)
    vote_services.cast_vote(voter=viewer, post=question, value=1)
    for answer in question.answers.all()[:2]:
        vote_services.cast_vote(voter=viewer, post=answer, value=-1)
    client.force_login(viewer)
    with django_assert_num_queries(MEMBER_THREAD_QUERIES) as captured:
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert response.content.decode().count("vote--down is-on") == 2
    assert writes(captured) == []


@pytest.mark.parametrize("questions", [2, 50])
@pytest.mark.parametrize("path", ["/", "/questions/", "/questions/?sort=unanswered"])
def test_anonymous_list_queries_do_not_grow_with_questions(
    client, django_assert_num_queries, questions, path
):
    build_questions(questions)
    with django_assert_num_queries(ANONYMOUS_LIST_QUERIES) as captured:
        response = client.get(path)
    assert_cacheable(response)
    assert len(response.context["questions"]) == min(questions, 20)
    assert writes(captured) == []


@pytest.mark.parametrize("questions", [2, 50])
def test_anonymous_tag_page_queries_do_not_grow_with_questions(
    client, django_assert_num_queries, questions
):
    tag = TagFactory(name="jokes")
    build_questions(questions, tag=tag)
    with django_assert_num_queries(ANONYMOUS_TAG_QUERIES) as captured:
        response = client.get("/tags/jokes/")
    assert_cacheable(response)
    assert len(response.context["questions"]) == min(questions, 20)
    assert writes(captured) == []


@pytest.mark.parametrize("questions", [2, 50])
def test_anonymous_category_page_queries_do_not_grow_with_questions(
    client, django_assert_num_queries, questions
):
    category = CategoryFactory(slug="mood-talk")
    build_questions(questions, category=category)
    with django_assert_num_queries(ANONYMOUS_TAG_OR_CATEGORY_QUERIES) as captured:
        response = client.get("/categories/mood-talk/")
    assert_cacheable(response)
    assert len(response.context["questions"]) == min(questions, 20)
    assert writes(captured) == []


@pytest.mark.parametrize("questions", [2, 50])
def test_anonymous_search_queries_do_not_grow_with_results(
    client, django_assert_num_queries, questions
):
    build_questions(questions)
    with django_assert_num_queries(ANONYMOUS_SEARCH_QUERIES):
        response = client.get("/search/", {"q": "question"})
    assert_cacheable(response)
    assert response.context["page_obj"].paginator.count == questions


@pytest.mark.parametrize("tags", [2, 50])
def test_tag_list_queries_do_not_grow_with_tags(client, django_assert_num_queries, tags):
    QuestionFactory(tags=TagFactory.create_batch(tags))
    with django_assert_num_queries(2):  # paginator count, the page of tags with their counts
        response = client.get("/tags/")
    assert_cacheable(response)
