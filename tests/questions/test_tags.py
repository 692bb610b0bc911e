"""Tags and categories: the tag list (sorts, filter), tag pages, synonyms, merges, categories."""

import re

import pytest
from django.utils import timezone
from freezegun import freeze_time

from questions import services
from questions.models import Question, Tag, TagSynonym
from tests.factories import (
    CategoryFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from tests.moderation.test_admin import admin_url, logged_in, run_action

pytestmark = pytest.mark.django_db


def listed_tags(response) -> list[str]:
    return [tag.name for tag in response.context["tags"]]


@pytest.fixture
def three_tags():
    """`old` has 3 questions, `middle` 1, `zeta` (newest) 2 and a deleted one."""
    with freeze_time("2026-01-01"):
        old = TagFactory(name="old")
    with freeze_time("2026-02-01"):
        middle = TagFactory(name="middle")
    with freeze_time("2026-03-01"):
        zeta = TagFactory(name="zeta")
    QuestionFactory.create_batch(3, tags=[old])
    QuestionFactory(tags=[middle])
    QuestionFactory.create_batch(2, tags=[zeta])
    QuestionFactory.create_batch(2, tags=[zeta], deleted_at=timezone.now())
    return old, middle, zeta


# --- the tag list --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("popular", ["old", "zeta", "middle"]),
        ("name", ["middle", "old", "zeta"]),
        ("new", ["zeta", "middle", "old"]),
        ("bogus", ["old", "zeta", "middle"]),  # an unknown sort falls back to popular
        (None, ["old", "zeta", "middle"]),
    ],
)
def test_tag_list_sorts(client, three_tags, sort, expected):
    response = client.get("/tags/", {"sort": sort} if sort else {})
    assert response.status_code == 200
    assert listed_tags(response) == expected


def test_tag_list_counts_only_visible_questions(client, three_tags):
    counts = {t.name: t.question_count for t in client.get("/tags/").context["tags"]}
    assert counts == {"old": 3, "middle": 1, "zeta": 2}


def test_tag_list_filter_matches_part_of_the_name(client, three_tags):
    response = client.get("/tags/", {"q": "ET", "sort": "name"})
    assert listed_tags(response) == ["zeta"]
    html = response.content.decode()
    assert 'value="ET"' in html
    assert '<meta name="robots" content="noindex">' in html  # filtered lists stay out of search


def test_tag_list_filter_without_match_says_so(client, three_tags):
    response = client.get("/tags/", {"q": "%_\\'"})
    assert response.status_code == 200
    assert listed_tags(response) == []
    assert "No tag matches" in response.content.decode()


def test_tag_list_has_a_live_filter_script_and_sort_tabs(client, three_tags):
    html = client.get("/tags/").content.decode()
    assert "js/tag_filter.js" in html
    assert 'data-live-filter=".tag-grid > li"' in html
    assert 'href="?sort=name"' in html


def test_tag_list_query_count_is_flat(client, django_assert_num_queries):
    for _ in range(3):
        QuestionFactory(tags=[TagFactory()])
    with django_assert_num_queries(2):  # count, page
        client.get("/tags/")
    for _ in range(40):
        QuestionFactory(tags=[TagFactory()])
    with django_assert_num_queries(2):
        client.get("/tags/")


# --- a tag's page --------------------------------------------------------------------------


def test_tag_page_shows_description_count_and_feed(client):
    tag = TagFactory(name="puns", description="Jokes that play on words.")
    QuestionFactory.create_batch(2, tags=[tag])
    QuestionFactory(tags=[tag], deleted_at=timezone.now())
    response = client.get("/tags/puns/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jokes that play on words." in html
    assert 'data-question-count="2"' in html
    assert "2 questions" in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert 'href="/feeds/tags/puns/"' in html


def test_tag_page_counts_all_visible_questions_on_the_unanswered_tab(client):
    tag = TagFactory(name="puns")
    QuestionFactory.create_batch(2, tags=[tag])
    response = client.get("/tags/puns/", {"sort": "unanswered"})
    assert response.context["question_count"] == 2


def test_unknown_tag_is_404(client):
    assert client.get("/tags/nothing-here/").status_code == 404


# --- synonyms ------------------------------------------------------------------------------


@pytest.fixture
def javascript():
    tag = TagFactory(name="javascript")
    TagSynonym.objects.create(name="js", tag=tag)
    return tag


def test_synonym_page_redirects_permanently_to_the_tag(client, javascript):
    response = client.get("/tags/js/")
    assert response.status_code == 301
    assert response["Location"] == "/tags/javascript/"
    response = client.get("/tags/js/", {"sort": "newest", "page": "2"})
    assert response["Location"] == "/tags/javascript/?sort=newest&page=2"


def test_asking_with_a_synonym_stores_the_tag(client, javascript):
    client.force_login(UserFactory())
    data = {
        "title": "Why is typeof null an object?",
        "body": "It says object, which surprises everyone the first time.",
        "tags": "js javascript JS wat",
    }
    response = client.post("/questions/ask/", data)
    assert response.status_code == 302
    question = Question.objects.get()
    assert sorted(question.tag_names()) == ["javascript", "wat"]
    assert not Tag.objects.filter(name="js").exists()
    assert question.revisions.get().tags in ("javascript wat", "wat javascript")


def test_editing_with_a_synonym_stores_the_tag_and_is_no_change(client, javascript):
    author = UserFactory()
    question = services.ask_question(
        author=author,
        title="Why is typeof null an object?",
        body="It says object, which surprises everyone the first time.",
        tags=["javascript"],
    )
    client.force_login(author)
    data = {"title": question.title, "body": question.body, "tags": "js"}
    response = client.post(question.get_edit_url(), data)
    assert response.status_code == 302
    assert question.tag_names() == ["javascript"]
    assert question.revisions.count() == 1  # the same tag by another name changed nothing


def test_services_resolve_synonyms_too(javascript):
    question = services.ask_question(
        author=UserFactory(),
        title="Why is typeof null an object?",
        body="It says object, which surprises everyone the first time.",
        tags=["js"],
    )
    assert question.tag_names() == ["javascript"]


def test_synonym_feed_is_the_tag_feed(client, javascript):
    QuestionFactory(title="A javascript question for the feed", tags=[javascript])
    response = client.get("/feeds/tags/js/")
    assert response.status_code == 200
    assert "A javascript question for the feed" in response.content.decode()


# --- merges --------------------------------------------------------------------------------


def test_merge_moves_questions_creates_synonyms_and_deletes_the_sources():
    target = TagFactory(name="javascript")
    js, ecmascript = TagFactory(name="js", description="JS"), TagFactory(name="ecmascript")
    TagSynonym.objects.create(name="es", tag=ecmascript)
    both = QuestionFactory(tags=[target, js])
    only_js = QuestionFactory(tags=[js, ecmascript])
    untouched = QuestionFactory(tags=[TagFactory(name="python")])

    moved = services.merge_tags(sources=[js, ecmascript], target=target)

    assert moved == 2
    assert both.tag_names() == ["javascript"]
    assert only_js.tag_names() == ["javascript"]
    assert untouched.tag_names() == ["python"]
    assert set(Tag.objects.values_list("name", flat=True)) == {"javascript", "python"}
    synonyms = dict(TagSynonym.objects.values_list("name", "tag__name"))
    assert synonyms == {"js": "javascript", "ecmascript": "javascript", "es": "javascript"}
    target.refresh_from_db()
    assert target.description == "JS"  # the target had none


def test_merge_into_itself_changes_nothing():
    tag = TagFactory(name="javascript")
    QuestionFactory(tags=[tag])
    assert services.merge_tags(sources=[tag], target=tag) == 0
    assert Tag.objects.filter(name="javascript").exists()


def test_admin_merge_asks_which_tag_to_keep_then_merges(db):
    client = logged_in("moderator")
    target, source = TagFactory(name="javascript"), TagFactory(name="js")
    question = QuestionFactory(tags=[source])

    response = run_action(client, Tag, "merge_tags", [target, source])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Keep which tag?" in html
    assert Tag.objects.count() == 2  # nothing merged yet

    response = client.post(
        admin_url(Tag, "changelist"),
        {"action": "merge_tags", "_selected_action": [target.pk, source.pk], "target": target.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "Merged js into javascript; 1 question retagged." in response.content.decode()
    assert question.tag_names() == ["javascript"]
    assert TagSynonym.objects.get(name="js").tag == target
    assert client.get("/tags/js/").status_code == 301


def test_admin_merge_needs_two_tags(db):
    client = logged_in("moderator")
    tag = TagFactory(name="javascript")
    response = run_action(client, Tag, "merge_tags", [tag])
    assert "Select at least two tags to merge." in response.content.decode()


def test_moderators_manage_synonyms_on_the_tag_page(db):
    client = logged_in("moderator")
    tag = TagFactory(name="javascript")
    url = admin_url(Tag, "change", tag.pk)
    assert client.get(url).status_code == 200
    data = {
        "name": "javascript",
        "description": "The language of the web.",
        "synonyms-TOTAL_FORMS": "1",
        "synonyms-INITIAL_FORMS": "0",
        "synonyms-0-name": "JS",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    assert TagSynonym.objects.get().name == "js"


@pytest.mark.parametrize("who", ["moderator", "member"])
def test_synonym_admin_is_for_moderators(who):
    response = logged_in(who).get(admin_url(TagSynonym, "changelist"))
    assert response.status_code == (200 if who == "moderator" else 302)


def test_a_synonym_cannot_be_a_tag_and_a_tag_cannot_be_a_synonym(db):
    client = logged_in("moderator")
    javascript, python = TagFactory(name="javascript"), TagFactory(name="python")
    TagSynonym.objects.create(name="js", tag=javascript)
    response = client.post(admin_url(TagSynonym, "add"), {"name": "python", "tag": javascript.pk})
    assert response.status_code == 200
    assert "is a tag: merge it instead" in response.content.decode()
    response = client.post(admin_url(Tag, "change", python.pk), {"name": "js"})
    assert "is a synonym" in response.content.decode()


# --- categories ----------------------------------------------------------------------------


def test_categories_index_lists_categories_with_counts(client):
    mood = CategoryFactory(name="Mood Talk", slug="mood-talk", description="How are you?")
    jokes = CategoryFactory(name="Joke Collection", slug="jokes")
    QuestionFactory.create_batch(2, category=mood)
    QuestionFactory(category=mood, deleted_at=timezone.now())
    response = client.get("/categories/")
    html = response.content.decode()
    assert response.status_code == 200
    assert [c.slug for c in response.context["categories"]] == ["jokes", "mood-talk"]
    assert mood.get_absolute_url() in html and jokes.get_absolute_url() in html
    assert "How are you?" in html
    assert "2 questions" in html and "0 questions" in html


def test_category_page_lists_its_questions_and_links_its_feed(client):
    mood = CategoryFactory(name="Mood Talk", slug="mood-talk")
    mine = QuestionFactory(category=mood)
    other = QuestionFactory()
    html = client.get("/categories/mood-talk/").content.decode()
    assert mine.get_absolute_url() in html
    assert other.get_absolute_url() not in html
    assert 'href="/feeds/categories/mood-talk/"' in html


def test_header_links_tags_and_categories(client):
    html = client.get("/").content.decode()
    assert re.search(r'<a href="/categories/">', html)
    assert re.search(r'<a href="/tags/">', html)
