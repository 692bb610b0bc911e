"""A deleted question, or one hidden by flags, leaves every public listing with its answers:
search (the question and its answers), the site, tag and category Atom feeds, its own answers
feed (a 404) and the sitemap. Restoring it (undelete, or dismissing the flags) brings every one
of them back. Contract v1.3, "Deleted and hidden content"."""

import pytest
from django.db import transaction

from answers.services import post_answer
from flags.services import set_hidden
from moderation.services import delete_post, restore_post
from questions import services
from tests.factories import CategoryFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "A body about zanzibarite, the mineral nobody else on the site mentions at all."


@pytest.fixture
def thread():
    category = CategoryFactory()
    question = services.ask_question(
        author=UserFactory(),
        title="Which zanzibarite joke survives deletion?",
        body=BODY,
        tags=["zanzibarite"],
        category=category,
    )
    answer = post_answer(author=UserFactory(), question=question, body=f"{BODY} An answer.")
    return question, answer


def listed(client, question, answer) -> dict[str, bool]:
    """Where the thread shows, for an anonymous reader."""
    found = client.get("/search/?q=zanzibarite").content.decode()
    title = question.title
    answers_feed = client.get(f"/feeds/questions/{question.pk}/")
    return {
        "search: question": f'id="result-question-{question.pk}"' in found,
        "search: answer": f'id="result-answer-{answer.pk}"' in found,
        "feed: site": title in client.get("/feeds/questions/").content.decode(),
        "feed: tag": title in client.get("/feeds/tags/zanzibarite/").content.decode(),
        "feed: category": title
        in client.get(f"/feeds/categories/{question.category.slug}/").content.decode(),
        "feed: answers": answers_feed.status_code == 200,
        "sitemap": question.get_absolute_url() in client.get("/sitemap.xml").content.decode(),
    }


def test_a_deleted_question_leaves_every_listing_and_undelete_brings_it_back(client, thread):
    question, answer = thread
    everywhere = listed(client, question, answer)
    assert all(everywhere.values()), everywhere

    delete_post(actor=question.author, post=question)
    gone = listed(client, question, answer)
    assert not any(gone.values()), gone
    # Nor does the tag keep a sitemap entry for a question nobody sees.
    assert "/tags/zanzibarite/" not in client.get("/sitemap.xml").content.decode()

    restore_post(post=question)
    back = listed(client, question, answer)
    assert all(back.values()), back


def test_a_question_hidden_by_flags_leaves_every_listing_until_shown_again(client, thread):
    question, answer = thread
    with transaction.atomic():
        set_hidden(question, True)
    gone = listed(client, question, answer)
    assert not any(gone.values()), gone

    with transaction.atomic():
        set_hidden(question, False)  # a moderator dismissed the flags
    back = listed(client, question, answer)
    assert all(back.values()), back


def test_a_deleted_answer_leaves_search_and_the_feed_but_not_its_question(client, thread):
    question, answer = thread
    delete_post(actor=ModeratorFactory(), post=answer)
    now = listed(client, question, answer)
    assert not now["search: answer"]
    assert now["search: question"] and now["feed: site"] and now["sitemap"]
    feed = client.get(f"/feeds/questions/{question.pk}/").content.decode()
    assert "An answer." not in feed
    restore_post(post=answer)
    assert listed(client, question, answer)["search: answer"]
