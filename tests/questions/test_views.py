"""Question pages and the actions any post has, through their URLs, as a visitor sees them."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from comments.models import Comment
from flags.models import Flag, FlagStatus
from questions.models import Question
from revisions import services as revision_services
from revisions.models import Revision
from tests.factories import (
    AnswerCommentFactory,
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from tests.helpers import BODY, OTHER_BODY, ask
from tests.pages import container, ids, json_ld, shows_error, unsafe_markup
from votes import services as vote_services
from votes.models import Vote

pytestmark = pytest.mark.django_db


def ask_data(**overrides):
    data = {"title": "Why do cats knock things off tables?", "body": BODY, "tags": "cats"}
    data.update(overrides)
    return data


def login_redirect(path: str) -> str:
    return f"/accounts/login/?next={path}"


# --- Anonymous visitors, wrong methods, unknown ids ----------------------------------------


QUESTION_ACTIONS = ["vote", "comment", "edit", "delete", "flag"]


@pytest.mark.parametrize("action", QUESTION_ACTIONS)
def test_anonymous_post_to_a_question_action_redirects_to_login(client, action):
    question = QuestionFactory()
    path = f"/questions/{question.pk}/{action}/"
    response = client.post(path, {"value": "1", "body": BODY, "reason": "spam"})
    assert response.status_code == 302
    assert response.url == login_redirect(path)
    question.refresh_from_db()
    assert (question.score, question.comment_count, question.deleted_at) == (0, 0, None)
    assert not Flag.objects.exists()


def test_anonymous_post_to_ask_redirects_to_login_and_saves_nothing(client):
    response = client.post("/questions/ask/", ask_data())
    assert response.status_code == 302
    assert response.url == login_redirect("/questions/ask/")
    assert not Question.objects.exists()


def test_anonymous_get_of_the_ask_form_redirects_to_login(client):
    response = client.get("/questions/ask/")
    assert response.status_code == 302
    assert response.url == login_redirect("/questions/ask/")


@pytest.mark.parametrize("action", ["vote", "comment", "delete"])
def test_get_on_a_post_only_question_action_is_405(client, action):
    question = QuestionFactory()
    client.force_login(UserFactory())
    assert client.get(f"/questions/{question.pk}/{action}/").status_code == 405


@pytest.mark.parametrize(
    "path", ["/questions/ask/", "/questions/{pk}/edit/", "/questions/{pk}/flag/"]
)
def test_put_on_a_form_page_is_405(client, path):
    question = QuestionFactory()
    client.force_login(question.author)
    assert client.put(path.format(pk=question.pk)).status_code == 405


@pytest.mark.parametrize(
    "path", ["/questions/{pk}/", "/questions/{pk}/slug/", "/questions/{pk}/revisions/"]
)
def test_unknown_question_page_is_404(client, path):
    assert client.get(path.format(pk=987654)).status_code == 404


@pytest.mark.parametrize("action", QUESTION_ACTIONS)
def test_action_on_an_unknown_question_is_404(client, action):
    client.force_login(UserFactory())
    data = {"value": "1", "body": BODY, "reason": "spam"}
    assert client.post(f"/questions/987654/{action}/", data).status_code == 404


# --- Canonical URLs -----------------------------------------------------------------------


def test_question_url_without_slug_redirects_permanently_to_the_canonical_url(client):
    question = QuestionFactory(title="Why is the chicken crossing the road again?")
    response = client.get(f"/questions/{question.pk}/")
    assert response.status_code == 301
    assert response.url == f"/questions/{question.pk}/why-is-the-chicken-crossing-the-road-again/"


def test_wrong_slug_redirects_permanently_to_the_canonical_url(client):
    question = QuestionFactory()
    response = client.get(f"/questions/{question.pk}/not-the-right-slug/")
    assert response.status_code == 301
    assert response.url == question.get_absolute_url()


def test_canonical_url_serves_the_thread(client):
    question = QuestionFactory()
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    assert response.context["question"] == question


def test_chinese_title_gets_a_unicode_slug_that_serves_the_thread(client):
    question = QuestionFactory(title="为什么程序员总是分不清万圣节和圣诞节？")
    assert question.slug == "为什么程序员总是分不清万圣节和圣诞节"
    assert client.get(question.get_absolute_url()).status_code == 200
    response = client.get(f"/questions/{question.pk}/")
    assert response.status_code == 301
    assert response.url == question.get_absolute_url()
    assert client.get(response.url).status_code == 200


def test_slug_that_names_an_action_is_renamed_so_the_thread_stays_reachable(client):
    question = QuestionFactory(title="Edit!!!!!!!!!!!!!!!!!!!!")
    assert question.slug == "edit-question"
    assert client.get(question.get_absolute_url()).status_code == 200


def test_thread_page_links_its_canonical_url(client):
    question = QuestionFactory()
    response = client.get(question.get_absolute_url())
    expected = f'<link rel="canonical" href="http://testserver{question.get_absolute_url()}">'
    assert expected in response.content.decode()


# --- Lists --------------------------------------------------------------------------------


def _row_ids(response):
    return ids(response, "question-row")


def test_home_lists_questions_most_recently_active_first(client):
    now = timezone.now()
    old = QuestionFactory(last_activity_at=now - timedelta(days=3))
    fresh = QuestionFactory(last_activity_at=now)
    middle = QuestionFactory(last_activity_at=now - timedelta(days=1))
    response = client.get("/")
    assert response.status_code == 200
    assert _row_ids(response) == [fresh.pk, middle.pk, old.pk]


def test_list_sorted_by_newest_puts_the_latest_question_first(client):
    now = timezone.now()
    first = QuestionFactory(created_at=now - timedelta(days=2), last_activity_at=now)
    second = QuestionFactory(created_at=now - timedelta(days=1), last_activity_at=now)
    response = client.get("/questions/?sort=newest")
    assert _row_ids(response) == [second.pk, first.pk]


def test_list_sorted_by_votes_puts_the_highest_score_first(client):
    low, high, mid = QuestionFactory(score=-1), QuestionFactory(score=9), QuestionFactory(score=3)
    response = client.get("/questions/?sort=votes")
    assert _row_ids(response) == [high.pk, mid.pk, low.pk]


def test_unanswered_lists_questions_without_accepted_or_upvoted_answers(client):
    no_answers = QuestionFactory()
    zero_score = AnswerFactory(score=0).question
    negative = AnswerFactory(score=-2).question
    upvoted = AnswerFactory(score=1).question
    accepted = AnswerFactory(score=0, is_accepted=True).question
    deleted_upvoted = AnswerFactory(score=5, deleted_at=timezone.now()).question
    response = client.get("/questions/?sort=unanswered")
    listed = set(_row_ids(response))
    assert listed == {no_answers.pk, zero_score.pk, negative.pk, deleted_upvoted.pk}
    assert upvoted.pk not in listed and accepted.pk not in listed


def test_unknown_sort_falls_back_to_active(client):
    now = timezone.now()
    older = QuestionFactory(last_activity_at=now - timedelta(hours=1), score=10)
    newer = QuestionFactory(last_activity_at=now, score=0)
    response = client.get("/questions/?sort=DROP%20TABLE")
    assert response.status_code == 200
    assert response.context["sort"] == "active"
    assert _row_ids(response) == [newer.pk, older.pk]


def test_list_is_paginated_by_twenty(client):
    QuestionFactory.create_batch(21, tags=[])
    first = client.get("/questions/")
    second = client.get("/questions/?page=2")
    assert len(_row_ids(first)) == 20
    assert len(_row_ids(second)) == 1
    assert 'rel="next" href="?page=2"' in first.content.decode()
    assert set(_row_ids(first)).isdisjoint(_row_ids(second))


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999", "1.5", "%00"])
def test_bad_page_number_still_gives_a_page(client, page):
    QuestionFactory.create_batch(3, tags=[])
    response = client.get("/questions/", {"page": page})
    assert response.status_code == 200
    assert len(_row_ids(response)) == 3


def test_sort_links_keep_other_parameters_and_drop_the_page(client):
    QuestionFactory()
    html = client.get("/questions/?sort=votes&page=2&x=y").content.decode()
    for sort in ("active", "newest", "votes", "unanswered"):
        assert f'href="?sort={sort}&amp;x=y"' in html


def test_deleted_questions_are_not_listed(client):
    kept = QuestionFactory()
    QuestionFactory(deleted_at=timezone.now())
    assert _row_ids(client.get("/questions/")) == [kept.pk]


def test_list_links_each_question_by_its_canonical_url(client):
    question = QuestionFactory()
    response = client.get("/questions/")
    assert f'href="{question.get_absolute_url()}"' in response.content.decode()


def test_tag_page_lists_only_questions_with_that_tag(client):
    jokes = TagFactory(name="jokes")
    tagged = QuestionFactory(tags=[jokes, TagFactory()])
    QuestionFactory()
    response = client.get("/tags/jokes/")
    assert response.status_code == 200
    assert _row_ids(response) == [tagged.pk]


@pytest.mark.parametrize("name", ["c#", "c++", "node.js", "笑话"])
def test_tag_page_works_for_tags_with_symbols_and_chinese(client, name):
    question = QuestionFactory(tags=[TagFactory(name=name)])
    tag_url = question.tags.get().get_absolute_url()
    assert f'href="{tag_url}"' in client.get(question.get_absolute_url()).content.decode()
    assert _row_ids(client.get(tag_url)) == [question.pk]


def test_unknown_tag_is_404(client):
    assert client.get("/tags/no-such-tag/").status_code == 404


def test_tag_list_shows_each_tag_with_its_question_count(client):
    jokes = TagFactory(name="jokes")
    QuestionFactory.create_batch(2, tags=[jokes])
    QuestionFactory(tags=[jokes], deleted_at=timezone.now())
    response = client.get("/tags/")
    assert response.status_code == 200
    counts = {tag.name: tag.question_count for tag in response.context["tags"]}
    assert counts["jokes"] == 2
    assert 'href="/tags/jokes/"' in response.content.decode()


def test_category_page_lists_only_questions_in_that_category(client):
    mood = CategoryFactory(name="Mood Talk", slug="mood-talk")
    inside = QuestionFactory(category=mood)
    QuestionFactory(category=CategoryFactory())
    QuestionFactory()
    response = client.get("/categories/mood-talk/")
    assert response.status_code == 200
    assert _row_ids(response) == [inside.pk]
    assert "Mood Talk" in response.content.decode()


def test_unknown_category_is_404(client):
    assert client.get("/categories/nope/").status_code == 404


# --- Search -------------------------------------------------------------------------------


def _search(client, q):
    """The questions of the results (an answer's result counts for its question)."""
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return {int(n) for n in re.findall(r'data-question="(\d+)"', response.content.decode())}


def test_search_finds_questions_by_title_body_answer_and_tag(client):
    by_title = QuestionFactory(title="Where did the zanzibar joke come from?")
    by_body = QuestionFactory(body="My uncle told a zanzibar story at dinner, nobody laughed.")
    by_answer = AnswerFactory(body="It is the famous Zanzibar pun, from a 1920s revue.").question
    by_tag = QuestionFactory(tags=[TagFactory(name="zanzibar")])
    QuestionFactory(title="Something else entirely, about penguins")
    assert _search(client, "zanzibar") == {by_title.pk, by_body.pk, by_answer.pk, by_tag.pk}


def test_search_needs_every_word(client):
    both = QuestionFactory(title="Penguins telling knock-knock jokes")
    QuestionFactory(title="Penguins are not funny at all, honestly")
    assert _search(client, "penguins knock-knock") == {both.pk}


def test_search_ignores_deleted_questions_and_deleted_answers(client):
    QuestionFactory(title="A deleted question about zanzibar", deleted_at=timezone.now())
    AnswerFactory(body="A deleted answer about zanzibar.", deleted_at=timezone.now())
    assert _search(client, "zanzibar") == set()


def test_search_results_link_the_canonical_url(client):
    question = QuestionFactory(title="Where did the zanzibar joke come from?")
    response = client.get("/search/", {"q": "zanzibar"})
    assert f'href="{question.get_absolute_url()}"' in response.content.decode()


@pytest.mark.parametrize(
    "q", ["%", "_", "' OR 1=1 --", '"quoted"', "\\", "a\\%b", "x" * 5000, "<script>", "　"]
)
def test_search_with_odd_input_is_a_page_not_an_error(client, q):
    QuestionFactory(title="An ordinary question about jokes and puns")
    assert _search(client, q) == set()


def test_empty_search_shows_the_form(client):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


# --- The thread ---------------------------------------------------------------------------


def test_answers_appear_accepted_first_then_by_score_then_oldest(client):
    question = QuestionFactory()
    now = timezone.now()

    def answer(score, minutes_ago, **kwargs):
        created = now - timedelta(minutes=minutes_ago)
        return AnswerFactory(question=question, score=score, created_at=created, **kwargs)

    low_old = answer(1, 50)
    high = answer(7, 10)
    accepted = answer(0, 5, is_accepted=True)
    low_new = answer(1, 20)
    negative = answer(-3, 60)
    response = client.get(question.get_absolute_url())
    assert ids(response, "answer") == [accepted.pk, high.pk, low_old.pk, low_new.pk, negative.pk]


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("votes", ["accepted", "high", "low_old", "low_new", "negative"]),
        ("newest", ["accepted", "high", "low_new", "low_old", "negative"]),
        ("oldest", ["accepted", "negative", "low_old", "low_new", "high"]),
        ("sideways", ["accepted", "high", "low_old", "low_new", "negative"]),  # falls back
    ],
)
def test_answers_sort_by_votes_newest_or_oldest_and_the_accepted_stays_first(
    client, order, expected
):
    """`?answers=votes|newest|oldest` (contract v1.3); an unknown order is the default."""
    question = QuestionFactory()
    now = timezone.now()

    def answer(score, minutes_ago, **kwargs):
        created = now - timedelta(minutes=minutes_ago)
        return AnswerFactory(question=question, score=score, created_at=created, **kwargs)

    posts = {
        "low_old": answer(1, 50),
        "high": answer(7, 10),
        "accepted": answer(0, 5, is_accepted=True),
        "low_new": answer(1, 20),
        "negative": answer(-3, 60),
    }
    response = client.get(f"{question.get_absolute_url()}?answers={order}")
    assert response.status_code == 200
    assert ids(response, "answer") == [posts[name].pk for name in expected]
    page = response.content.decode()
    shown = order if order != "sideways" else "votes"
    assert f'href="?answers={shown}#answers-heading" aria-current="page"' in page


def test_the_short_url_keeps_the_answer_order_on_its_way_to_the_canonical_one(client):
    question = QuestionFactory()
    response = client.get(f"/questions/{question.pk}/?answers=oldest")
    assert response.status_code == 301
    assert response["Location"] == f"{question.get_absolute_url()}?answers=oldest"


def test_thread_marks_posts_scores_comments_and_the_accepted_answer(client):
    question = QuestionFactory(score=4)
    accepted = AnswerFactory(question=question, score=2, is_accepted=True)
    other = AnswerFactory(question=question, score=-1)
    question_comment = CommentFactory(question=question)
    answer_comment = AnswerCommentFactory(answer=other)
    response = client.get(question.get_absolute_url())
    html = response.content.decode()
    assert ids(response, "question") == [question.pk]
    assert 'data-score="4"' in container(response, f"question-{question.pk}")
    assert 'data-score="2"' in container(response, f"answer-{accepted.pk}")
    assert 'data-score="-1"' in container(response, f"answer-{other.pk}")
    assert f'id="comment-{question_comment.pk}"' in container(response, f"question-{question.pk}")
    assert f'id="comment-{answer_comment.pk}"' in container(response, f"answer-{other.pk}")
    assert f'class="post post--answer accepted" id="answer-{accepted.pk}"' in html
    assert f'class="post post--answer" id="answer-{other.pk}"' in html


def test_thread_carries_exactly_one_qapage_json_ld(client):
    question = QuestionFactory(title="Is this </script><script>alert(1)</script> a joke?")
    accepted = AnswerFactory(question=question, is_accepted=True, score=3)
    AnswerFactory(question=question)
    AnswerFactory(question=question, deleted_at=timezone.now())
    response = client.get(question.get_absolute_url())
    blocks = json_ld(response)
    assert len(blocks) == 1
    data = blocks[0]
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "QAPage"
    main = data["mainEntity"]
    assert main["@type"] == "Question"
    assert main["name"] == question.title
    assert main["answerCount"] == 2
    assert main["acceptedAnswer"]["upvoteCount"] == 3
    assert main["acceptedAnswer"]["url"].endswith(f"#answer-{accepted.pk}")
    assert len(main["suggestedAnswer"]) == 1
    assert "<script>alert" not in response.content.decode()


def test_deleted_answer_is_hidden_from_other_visitors(client):
    answer = AnswerFactory(deleted_at=timezone.now())
    url = answer.question.get_absolute_url()
    assert ids(client.get(url), "answer") == []
    client.force_login(UserFactory())
    assert ids(client.get(url), "answer") == []


def test_deleted_answer_stays_visible_and_marked_for_its_author(client):
    answer = AnswerFactory(deleted_at=timezone.now())
    client.force_login(answer.author)
    response = client.get(answer.question.get_absolute_url())
    assert ids(response, "answer") == [answer.pk]
    html = response.content.decode()
    assert f'class="post post--answer is-deleted" id="answer-{answer.pk}"' in html
    assert "This post is deleted" in container(response, f"answer-{answer.pk}")


def test_deleted_answer_stays_visible_and_marked_for_moderators(client):
    answer = AnswerFactory(deleted_at=timezone.now())
    client.force_login(ModeratorFactory())
    response = client.get(answer.question.get_absolute_url())
    assert ids(response, "answer") == [answer.pk]
    assert "This post is deleted" in container(response, f"answer-{answer.pk}")


def test_deleted_question_is_404_for_others_but_visible_to_author_and_moderators(client):
    question = QuestionFactory(deleted_at=timezone.now())
    url = question.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(question.author)
    assert "This post is deleted" in client.get(url).content.decode()
    client.force_login(ModeratorFactory())
    assert client.get(url).status_code == 200


def test_anonymous_thread_offers_login_instead_of_the_answer_form(client):
    question = QuestionFactory()
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'href="/accounts/login/?next={question.get_absolute_url()}"' in html
    assert f'action="/questions/{question.pk}/answer/"' not in html


def test_member_sees_the_answer_form(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    html = client.get(question.get_absolute_url()).content.decode()
    assert f'action="/questions/{question.pk}/answer/"' in html


def test_the_answer_field_is_the_forms_own_in_each_language(client, compiled_translations):
    """The body field is rendered once per process and language (threads.views.answer_field):
    what each language's readers get is what the form renders in it."""
    from django.template.loader import render_to_string
    from django.utils import translation

    from questions.forms import BodyForm

    question = QuestionFactory()
    client.force_login(UserFactory())
    fields = []
    for language in ("en", "zh-hans", "en"):
        url = question.get_absolute_url()
        html = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            form = BodyForm()
            form.fields["body"].label = translation.gettext("Your answer")
            field = render_to_string("includes/field.html", {"field": form["body"]})
        assert field in html
        fields.append(field)
    assert fields[0] == fields[2] != fields[1]
    assert 'name="body"' in fields[1]


# --- Asking -------------------------------------------------------------------------------


def test_ask_form_renders_for_members(client):
    client.force_login(UserFactory())
    response = client.get("/questions/ask/")
    assert response.status_code == 200
    assert 'name="title"' in response.content.decode()


def test_asking_creates_the_question_and_redirects_to_it(client):
    author = UserFactory()
    CategoryFactory(name="Mood Talk", slug="mood-talk")
    client.force_login(author)
    data = ask_data(tags="Cats, physics  cats", category="mood-talk")
    response = client.post("/questions/ask/", data)
    question = Question.objects.get()
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    assert question.author == author
    assert question.title == "Why do cats knock things off tables?"
    assert question.tag_names() == ["cats", "physics"]
    assert question.category.slug == "mood-talk"
    assert list(question.revisions.values_list("number", "editor")) == [(1, author.pk)]


def test_question_opening_with_an_indented_code_block_shows_it_as_code(client):
    client.force_login(UserFactory())
    body = "    def joke():\n        return 'knock knock'\n\nWhy does this joke never return?"
    client.post("/questions/ask/", ask_data(body=body))
    html = client.get(Question.objects.get().get_absolute_url()).content.decode()
    assert "<pre><code>def joke():\n    return 'knock knock'\n</code></pre>" in html


def test_chinese_title_of_fifteen_characters_is_accepted(client):
    client.force_login(UserFactory())
    title = "为什么程序员总是分不清万圣节和圣诞节"[:15]
    body = "因为十月三十一日等于十二月二十五日，这是一个关于八进制和十进制的老笑话。"
    assert len(title) == 15 and len(body) >= 30
    response = client.post("/questions/ask/", ask_data(title=title, body=body, tags="笑话 程序员"))
    assert response.status_code == 302
    assert Question.objects.get().title == title


INVALID_QUESTIONS = {
    "title of 14 characters": ("title", {"title": "x" * 14}),
    "Chinese title of 7 characters (14 counted)": ("title", {"title": "程序员分不清节"}),
    "title of zero-width spaces": ("title", {"title": "\u200b" * 20}),
    "title of spaces padding a short one": ("title", {"title": "short    title     "}),
    "title of 151 characters": ("title", {"title": "x" * 151}),
    "body of 29 characters": ("body", {"body": "b" * 29}),
    "body of 30001 characters": ("body", {"body": "b" * 30_001}),
    "body of only spaces": ("body", {"body": " " * 40}),
    "no tags": ("tags", {"tags": ""}),
    "six tags": ("tags", {"tags": "a1 b2 c3 d4 e5 f6"}),
    "tag of 36 characters": ("tags", {"tags": "t" * 36}),
    "tag with a slash": ("tags", {"tags": "jokes/puns"}),
    "tag with markup": ("tags", {"tags": "<script>alert(1)</script>"}),
    "tag starting with a dot": ("tags", {"tags": ".hidden"}),
    "unknown category": ("category", {"category": "no-such-category"}),
}


@pytest.mark.parametrize("field,overrides", INVALID_QUESTIONS.values(), ids=INVALID_QUESTIONS)
def test_invalid_question_shows_the_error_with_400_and_saves_nothing(client, field, overrides):
    client.force_login(UserFactory())
    response = client.post("/questions/ask/", ask_data(**overrides))
    assert response.status_code == 400
    assert shows_error(response, field)
    assert not Question.objects.exists()
    assert not Revision.objects.exists()


def test_a_fifteen_character_title_and_five_tags_of_35_characters_are_accepted(client):
    client.force_login(UserFactory())
    tags = " ".join(f"{n}" + "t" * 34 for n in range(5))
    response = client.post("/questions/ask/", ask_data(title="x" * 15, tags=tags))
    assert response.status_code == 302
    assert Question.objects.get().tags.count() == 5


# --- Votes --------------------------------------------------------------------------------


def test_upvote_with_json_accept_returns_score_and_vote(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(
        f"/questions/{question.pk}/vote/", {"value": "1"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    assert response.json() == {"score": 1, "vote": 1}


def test_vote_from_a_plain_form_redirects_to_the_thread(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(f"/questions/{question.pk}/vote/", {"value": "1"}, HTTP_ACCEPT="*/*")
    assert response.status_code == 302
    assert response.url == question.get_absolute_url()
    question.refresh_from_db()
    assert question.score == 1


def test_voting_up_twice_keeps_one_upvote(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    url = f"/questions/{question.pk}/vote/"
    client.post(url, {"value": "1"})
    response = client.post(url, {"value": "1"}, HTTP_ACCEPT="application/json")
    assert response.json() == {"score": 1, "vote": 1}
    assert Vote.objects.count() == 1


def test_vote_can_change_direction_and_be_retracted(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    url = f"/questions/{question.pk}/vote/"
    json = {"HTTP_ACCEPT": "application/json"}
    assert client.post(url, {"value": "1"}, **json).json() == {"score": 1, "vote": 1}
    assert client.post(url, {"value": "-1"}, **json).json() == {"score": -1, "vote": -1}
    assert client.post(url, {"value": "0"}, **json).json() == {"score": 0, "vote": 0}
    assert not Vote.objects.exists()


def test_thread_shows_the_viewers_own_vote(client, launch_mode):
    question = QuestionFactory()
    voter = UserFactory()
    vote_services.cast_vote(voter=voter, post=question, value=1)
    client.force_login(voter)
    block = container(client.get(question.get_absolute_url()), f"question-{question.pk}")
    assert 'class="vote vote--up is-on" name="value" value="0" aria-pressed="true"' in block


@pytest.mark.parametrize("value", ["2", "-2", "up", "", "1.0"])
def test_vote_outside_1_minus1_0_is_400(client, launch_mode, value):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(f"/questions/{question.pk}/vote/", {"value": value})
    assert response.status_code == 400
    assert "A vote is 1, -1 or 0." in response.content.decode()
    question.refresh_from_db()
    assert question.score == 0
    assert not Vote.objects.exists()


def test_voting_on_ones_own_question_is_403(client, launch_mode):
    question = QuestionFactory()
    client.force_login(question.author)
    response = client.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    assert response.status_code == 403
    assert "You cannot vote on your own post." in response.content.decode()
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "value,reason",
    [("1", "You need 15 reputation to vote up."), ("-1", "You need 125 reputation to vote down.")],
)
def test_vote_without_the_reputation_is_403_with_the_reason(client, value, reason):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))
    response = client.post(f"/questions/{question.pk}/vote/", {"value": value})
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert not Vote.objects.exists()


def test_vote_with_enough_reputation_works_without_launch_mode(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=15))
    assert client.post(f"/questions/{question.pk}/vote/", {"value": "1"}).status_code == 302
    assert client.post(f"/questions/{question.pk}/vote/", {"value": "-1"}).status_code == 403


def test_launch_mode_lets_a_new_member_vote_both_ways(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))
    json = {"HTTP_ACCEPT": "application/json"}
    url = f"/questions/{question.pk}/vote/"
    assert client.post(url, {"value": "-1"}, **json).json() == {"score": -1, "vote": -1}


def test_upvote_through_the_site_gives_the_author_ten_reputation(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    client.post(f"/questions/{question.pk}/vote/", {"value": "1"})
    question.author.refresh_from_db()
    assert question.author.reputation == 11


def test_vote_on_a_deleted_question_is_404(client, launch_mode):
    question = QuestionFactory(deleted_at=timezone.now())
    client.force_login(UserFactory())
    assert client.post(f"/questions/{question.pk}/vote/", {"value": "1"}).status_code == 404


# --- Comments -----------------------------------------------------------------------------


def test_comment_is_saved_counted_and_redirects_to_its_anchor(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(f"/questions/{question.pk}/comment/", {"body": "A comment, not short."})
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response.url == f"{question.get_absolute_url()}#comment-{comment.pk}"
    question.refresh_from_db()
    assert question.comment_count == 1
    page = client.get(question.get_absolute_url())
    assert ids(page, "comment") == [comment.pk]


@pytest.mark.parametrize(
    "body", ["x" * 14, "x" * 601, " " * 20 + "short" + " " * 20], ids=["14", "601", "padded"]
)
def test_invalid_comment_shows_the_error_with_400_and_saves_nothing(client, launch_mode, body):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(f"/questions/{question.pk}/comment/", {"body": body})
    assert response.status_code == 400
    assert shows_error(response, "body")
    assert not Comment.objects.exists()
    question.refresh_from_db()
    assert question.comment_count == 0


def test_fifteen_chinese_characters_make_a_valid_comment(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    body = "这个笑话真好笑我笑了整整一个下午"[:15]
    response = client.post(f"/questions/{question.pk}/comment/", {"body": body})
    assert response.status_code == 302
    assert Comment.objects.get().body == body


def test_commenting_on_others_posts_needs_reputation(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))
    response = client.post(f"/questions/{question.pk}/comment/", {"body": "A comment, not short."})
    assert response.status_code == 403
    assert "You need 50 reputation to comment everywhere." in response.content.decode()
    assert not Comment.objects.exists()


def test_anyone_may_comment_on_their_own_question(client):
    question = QuestionFactory(author=UserFactory(reputation=1))
    client.force_login(question.author)
    response = client.post(f"/questions/{question.pk}/comment/", {"body": "A comment, not short."})
    assert response.status_code == 302


def test_comment_markup_is_rendered_sanitized(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    body = "**Bold** <script>alert(1)</script> [x](javascript:alert(1)) <b onclick=alert(1)>"
    client.post(f"/questions/{question.pk}/comment/", {"body": body})
    response = client.get(question.get_absolute_url())
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert unsafe_markup(response) == []


# --- Edit and revisions -------------------------------------------------------------------


def test_edit_form_is_prefilled_for_the_author(client):
    question = ask(tags=["cats", "physics"])
    client.force_login(question.author)
    response = client.get(f"/questions/{question.pk}/edit/")
    assert response.status_code == 200
    form = response.context["form"]
    assert form["title"].value() == question.title
    assert form["tags"].value() == "cats physics"


def test_edit_saves_the_post_and_a_new_revision(client):
    question = ask()
    client.force_login(question.author)
    data = ask_data(title="A better title for this question", body=OTHER_BODY, tags="jokes")
    response = client.post(f"/questions/{question.pk}/edit/", {**data, "summary": "clearer"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert response.url == f"{question.get_absolute_url()}#question-{question.pk}"
    assert question.title == "A better title for this question"
    assert question.body == OTHER_BODY
    assert question.tag_names() == ["jokes"]
    assert question.edited_at is not None
    assert list(question.revisions.order_by("number").values_list("number", "summary")) == [
        (1, ""),
        (2, "clearer"),
    ]


def test_each_edit_keeps_one_more_revision(client):
    question = ask()
    client.force_login(question.author)
    for n in range(3):
        client.post(f"/questions/{question.pk}/edit/", ask_data(body=f"{OTHER_BODY} Edit {n}."))
    assert question.revisions.count() == 4


def test_edit_that_changes_nothing_saves_nothing(client):
    question = ask(tags=["cats", "physics"])
    client.force_login(question.author)
    data = {"title": question.title, "body": question.body, "tags": "physics cats"}
    response = client.post(f"/questions/{question.pk}/edit/", data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.edited_at is None
    assert question.revisions.count() == 1


def test_editing_someone_elses_question_suggests_the_edit(client):
    """Contract v1.3: without the privilege, the edit form makes a suggested edit (302) and
    the question stays as it is."""
    question = ask()
    client.force_login(UserFactory())
    assert client.get(f"/questions/{question.pk}/edit/").status_code == 200
    response = client.post(f"/questions/{question.pk}/edit/", ask_data(body=OTHER_BODY))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.revisions.count() == 1
    assert question.body != OTHER_BODY
    assert question.suggested_edits.get().body == OTHER_BODY


def test_moderator_can_edit_someone_elses_question(client):
    question = ask()
    moderator = ModeratorFactory()
    client.force_login(moderator)
    response = client.post(f"/questions/{question.pk}/edit/", ask_data(body=OTHER_BODY))
    assert response.status_code == 302
    assert question.revisions.get(number=2).editor == moderator


def test_invalid_edit_shows_the_error_with_400_and_saves_nothing(client):
    question = ask()
    client.force_login(question.author)
    response = client.post(f"/questions/{question.pk}/edit/", ask_data(title="too short"))
    assert response.status_code == 400
    assert shows_error(response, "title")
    question.refresh_from_db()
    assert question.title == "How do I stop my jokes from falling flat?"
    assert question.revisions.count() == 1


def test_revisions_page_shows_what_each_edit_changed(client):
    question = ask(body="First line stays.\nSecond line goes away soon.")
    editor = question.author
    revision_services.edit_post(
        editor=editor,
        post=question,
        title="How do I stop my puns from falling flat?",
        body="First line stays.\nA brand new second line <here>.",
        tags=["humour", "puns"],
        summary="Reworded",
    )
    response = client.get(f"/questions/{question.pk}/revisions/")
    html = response.content.decode()
    assert response.status_code == 200
    assert ids(response, "revision") == [2, 1]
    assert "<del>Second line goes away soon</del>" in html
    assert "<ins>A brand new second line &lt;here&gt;</ins>" in html
    assert '<div class="wdiff__old">First line stays.</div>' in html
    assert "How do I stop my puns from falling flat?" in html
    assert "humour puns" in html
    assert "Reworded" in html


def test_thread_links_the_history_once_a_post_is_edited(client):
    question = ask()
    url = f'href="/questions/{question.pk}/revisions/"'
    assert url not in client.get(question.get_absolute_url()).content.decode()
    revision_services.edit_post(
        editor=question.author, post=question, body=OTHER_BODY, title=question.title, tags=["x"]
    )
    assert url in client.get(question.get_absolute_url()).content.decode()


# --- Delete -------------------------------------------------------------------------------


def test_author_deletes_a_question_softly_and_goes_home(client):
    question = QuestionFactory()
    client.force_login(question.author)
    response = client.post(f"/questions/{question.pk}/delete/")
    assert response.status_code == 302
    assert response.url == "/"
    question.refresh_from_db()
    assert question.deleted_at is not None
    assert question.deleted_by == question.author
    assert client.get("/").context["questions"].count() == 0


def test_moderator_can_delete_someone_elses_question(client):
    question = QuestionFactory()
    moderator = ModeratorFactory()
    client.force_login(moderator)
    assert client.post(f"/questions/{question.pk}/delete/").status_code == 302
    question.refresh_from_db()
    assert question.deleted_by == moderator


def test_deleting_someone_elses_question_is_403(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=100_000))
    assert client.post(f"/questions/{question.pk}/delete/").status_code == 403
    question.refresh_from_db()
    assert question.deleted_at is None


# --- Flags --------------------------------------------------------------------------------


def test_flag_form_renders(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.get(f"/questions/{question.pk}/flag/")
    assert response.status_code == 200
    assert 'value="needs-improvement"' in response.content.decode()


def test_flag_queues_the_post_for_moderators(client, launch_mode):
    question = QuestionFactory()
    flagger = UserFactory()
    client.force_login(flagger)
    response = client.post(f"/questions/{question.pk}/flag/", {"reason": "spam"})
    assert response.status_code == 302
    assert response.url == f"{question.get_absolute_url()}#question-{question.pk}"
    flag = Flag.objects.get()
    assert (flag.question, flag.flagger, flag.reason, flag.status) == (
        question,
        flagger,
        "spam",
        FlagStatus.OPEN,
    )


def test_flagging_again_updates_the_open_flag(client, launch_mode):
    question = QuestionFactory()
    client.force_login(UserFactory())
    client.post(f"/questions/{question.pk}/flag/", {"reason": "spam"})
    client.post(f"/questions/{question.pk}/flag/", {"reason": "other", "details": "Off topic."})
    flag = Flag.objects.get()
    assert (flag.reason, flag.details) == ("other", "Off topic.")


@pytest.mark.parametrize(
    "data,field",
    [
        ({"reason": "other", "details": ""}, "details"),
        ({"reason": "other", "details": "   "}, "details"),
        ({"reason": "boring"}, "reason"),
        ({"details": ""}, "reason"),
        ({"reason": "spam", "details": "d" * 501}, "details"),
    ],
    ids=["other-without-details", "other-with-blank-details", "unknown-reason", "none", "long"],
)
def test_invalid_flag_shows_the_error_with_400_and_saves_nothing(client, launch_mode, data, field):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(f"/questions/{question.pk}/flag/", data)
    assert response.status_code == 400
    assert shows_error(response, field)
    assert not Flag.objects.exists()


def test_flagging_ones_own_post_is_403(client, launch_mode):
    question = QuestionFactory()
    client.force_login(question.author)
    assert client.post(f"/questions/{question.pk}/flag/", {"reason": "spam"}).status_code == 403
    assert not Flag.objects.exists()


def test_flagging_needs_reputation_outside_launch_mode(client):
    question = QuestionFactory()
    client.force_login(UserFactory(reputation=1))
    response = client.post(f"/questions/{question.pk}/flag/", {"reason": "spam"})
    assert response.status_code == 403
    assert "You need 15 reputation to flag posts." in response.content.decode()


# --- User content cannot run script -------------------------------------------------------

XSS_BODY = """Hello <script>alert(1)</script>

<img src=x onerror=alert(1)> <a href="javascript:alert(1)">html link</a>

[md link](javascript:alert(1)) [md data](data:text/html;base64,PHNjcmlwdD4=)
![img](data:image/png;base64,iVBORw0KGgo=) ![img2](javascript:alert(1))
[spaced](  javascript:alert(1)  ) <svg onload=alert(1)> <iframe src="https://evil.example">
"""


def test_no_script_survives_in_a_thread_with_hostile_content(client, launch_mode):
    question = QuestionFactory(
        title="<script>alert('title')</script> what is this? <img src=x onerror=alert(1)>",
        body=XSS_BODY,
        tags=[TagFactory(name="\"'><img src=x onerror=alert(1)>")],
    )
    answer = AnswerFactory(question=question, body=XSS_BODY)
    CommentFactory(question=question, body=XSS_BODY.replace("\n", " "))
    AnswerCommentFactory(answer=answer, body="<script>alert(1)</script> [x](javascript:alert(1))")
    pages = [client.get(question.get_absolute_url()), client.get("/")]
    client.force_login(UserFactory())
    pages += [client.get(question.get_absolute_url()), client.get("/search/?q=what")]
    for response in pages:
        assert response.status_code == 200
        assert "<script>alert" not in response.content.decode()
        assert unsafe_markup(response) == []
    # The text stays readable, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[0].content.decode()


def test_hostile_question_posted_through_the_form_is_stored_sanitized(client):
    client.force_login(UserFactory())
    client.post("/questions/ask/", ask_data(body=XSS_BODY))
    question = Question.objects.get()
    assert unsafe_markup(question.body_html) == []
    assert "<script" not in question.body_html
    response = client.get(question.get_absolute_url())
    assert unsafe_markup(response) == []


def test_answers_shown_with_the_question_are_rendered_markdown(client):
    answer = AnswerFactory(body="Use **bold** and `code`.\n\n- one\n- two")
    html = client.get(answer.question.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert "<li>one</li>" in html
