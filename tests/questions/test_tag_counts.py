"""A tag stores how many of its questions are not deleted (`Tag.question_count`), for /tags/:
every way a question's tags or its deletion change keeps it equal to a fresh count."""

import pytest
from django.db.models import Count, Q

from moderation.services import delete_post, restore_post
from questions import services
from questions.models import Tag
from revisions.services import edit_post
from tests.factories import ModeratorFactory, QuestionFactory, TagFactory, UserFactory
from tests.moderation.test_admin import admin_url, change_form_data, logged_in

pytestmark = pytest.mark.django_db


def stored() -> dict[str, int]:
    return dict(Tag.objects.values_list("name", "question_count"))


def counted() -> dict[str, int]:
    visible = Q(questions__deleted_at__isnull=True)
    tags = Tag.objects.annotate(n=Count("questions", filter=visible))
    return {tag.name: tag.n for tag in tags}


def test_ask_counts_each_tag():
    services.ask_question(
        author=UserFactory(), title="Why do tags count?", body="A body long enough.",
        tags=["python", "django"],
    )  # fmt: skip
    services.ask_question(
        author=UserFactory(), title="And again?", body="A body long enough too.", tags=["python"]
    )
    assert stored() == counted() == {"python": 2, "django": 1}


def test_retag_moves_the_counts():
    question = QuestionFactory(tags=[TagFactory(name="old-tag"), TagFactory(name="kept")])
    edit_post(editor=question.author, post=question, body=question.body, title=question.title,
              tags=["kept", "new-tag"], category=question.category)  # fmt: skip
    assert stored() == counted() == {"old-tag": 0, "kept": 1, "new-tag": 1}


def test_delete_and_restore():
    tag = TagFactory(name="gone")
    question = QuestionFactory(tags=[tag])
    QuestionFactory(tags=[tag])
    delete_post(actor=ModeratorFactory(), post=question)
    assert stored() == counted() == {"gone": 1}
    restore_post(post=question)
    assert stored() == counted() == {"gone": 2}


def test_merge_and_clear():
    source, target = TagFactory(name="source"), TagFactory(name="target")
    first = QuestionFactory(tags=[source])
    QuestionFactory(tags=[source, target])
    services.merge_tags(sources=[source], target=target)
    assert stored() == counted() == {"target": 2}
    first.tags.clear()
    assert stored() == counted() == {"target": 1}
    target.questions.add(first)  # from the tag's side
    assert stored() == counted() == {"target": 2}


def test_an_admin_edit_of_the_tags():
    question = QuestionFactory(tags=[TagFactory(name="before")])
    after = TagFactory(name="after")
    client = logged_in("superuser")
    url = admin_url(type(question), "change", question.pk)
    data = change_form_data(client.get(url))
    data["tags"] = [str(after.pk)]
    assert client.post(url, data).status_code == 302
    assert stored() == counted() == {"before": 0, "after": 1}


def test_tags_page_sorts_on_the_stored_count(client, django_assert_max_num_queries):
    busy, quiet = TagFactory(name="busy"), TagFactory(name="quiet")
    for _ in range(3):
        QuestionFactory(tags=[busy])
    QuestionFactory(tags=[quiet])
    with django_assert_max_num_queries(3):
        response = client.get("/tags/")
    assert [t.name for t in response.context["tags"]][:2] == ["busy", "quiet"]
    assert [t.question_count for t in response.context["tags"]][:2] == [3, 1]
