"""Atom feeds, the sitemap (and its index) and robots.txt, parsed as XML."""

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.utils import timezone

from questions import sitemaps
from questions.models import Question
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def atom(client, url) -> ET.Element:
    """The feed at `url`, checked for what RFC 4287 requires of a feed and its entries."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}") is not None, name
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.iter(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "author/" + ATOM + "name"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://")
        datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    return feed


def entry_titles(feed) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]


def entry_links(feed) -> list[str]:
    return [e.find(f"{ATOM}link[@rel='alternate']").get("href") for e in feed.iter(f"{ATOM}entry")]


def test_site_feed_lists_newest_visible_questions(client):
    older = QuestionFactory(title="The older question of the two")
    newer = QuestionFactory(title="The newer question of the two")
    QuestionFactory(title="A deleted question nobody sees", deleted_at=timezone.now())
    feed = atom(client, "/feeds/questions/")
    assert entry_titles(feed) == [newer.title, older.title]


def test_tag_feed_lists_the_tags_visible_questions(client):
    puns = TagFactory(name="puns")
    mine = QuestionFactory(title="A pun about bread and dough", tags=[puns])
    QuestionFactory(title="Not about puns at all, sorry")
    QuestionFactory(title="A deleted pun", tags=[puns], deleted_at=timezone.now())
    feed = atom(client, "/feeds/tags/puns/")
    assert entry_titles(feed) == [mine.title]
    assert "puns" in feed.find(f"{ATOM}title").text
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href").endswith("/tags/puns/")


def test_category_feed_lists_the_categorys_visible_questions(client):
    mood = CategoryFactory(name="Mood Talk", slug="mood-talk")
    mine = QuestionFactory(title="Feeling blue on a Monday morning", category=mood)
    QuestionFactory(title="Elsewhere entirely, no category")
    QuestionFactory(title="A deleted mood", category=mood, deleted_at=timezone.now())
    feed = atom(client, "/feeds/categories/mood-talk/")
    assert entry_titles(feed) == [mine.title]


def test_question_feed_lists_its_visible_answers(client):
    question = QuestionFactory()
    first = AnswerFactory(question=question)
    second = AnswerFactory(question=question)
    AnswerFactory(question=question, deleted_at=timezone.now())
    AnswerFactory()  # another question's
    feed = atom(client, f"/feeds/questions/{question.pk}/")
    assert entry_links(feed) == [
        f"http://testserver{second.get_absolute_url()}",
        f"http://testserver{first.get_absolute_url()}",
    ]
    assert question.title in feed.find(f"{ATOM}title").text


def test_question_feed_query_count_is_flat(client, django_assert_num_queries):
    question = QuestionFactory()
    AnswerFactory.create_batch(2, question=question)
    with django_assert_num_queries(2):  # question, answers with authors
        client.get(f"/feeds/questions/{question.pk}/")
    AnswerFactory.create_batch(20, question=question)
    with django_assert_num_queries(2):
        client.get(f"/feeds/questions/{question.pk}/")


@pytest.mark.parametrize(
    "url",
    ["/feeds/tags/nothing/", "/feeds/categories/nothing/", "/feeds/questions/999999/"],
)
def test_unknown_feed_is_404(client, url):
    assert client.get(url).status_code == 404


def test_deleted_questions_feed_is_404(client):
    question = QuestionFactory(deleted_at=timezone.now())
    assert client.get(f"/feeds/questions/{question.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("page", "feed"),
    [("tag", "/feeds/tags/puns/"), ("category", "/feeds/categories/mood-talk/"), ("thread", "")],
)
def test_pages_link_their_feed(client, page, feed):
    tag = TagFactory(name="puns")
    category = CategoryFactory(name="Mood Talk", slug="mood-talk")
    question = QuestionFactory(tags=[tag], category=category)
    url = {
        "tag": "/tags/puns/",
        "category": "/categories/mood-talk/",
        "thread": question.get_absolute_url(),
    }[page]
    feed = feed or f"/feeds/questions/{question.pk}/"
    html = client.get(url).content.decode()
    assert 'type="application/atom+xml"' in html
    assert f'href="{feed}"' in html
    assert 'href="/feeds/questions/"' in html  # the site-wide feed, on every page


# --- sitemap and robots --------------------------------------------------------------------


def sitemap_urls(content) -> dict[str, str]:
    """{loc: lastmod} of a sitemap's <url> elements."""
    root = ET.fromstring(content)
    assert root.tag == f"{SM}urlset"
    return {u.find(f"{SM}loc").text: u.find(f"{SM}lastmod").text for u in root.iter(f"{SM}url")}


def test_sitemap_lists_visible_threads_tags_and_categories_with_lastmod(client):
    tag = TagFactory(name="puns")
    category = CategoryFactory(slug="mood-talk")
    question = QuestionFactory(tags=[tag], category=category)
    gone = QuestionFactory(deleted_at=timezone.now(), tags=[TagFactory(name="gone")])
    TagFactory(name="empty")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = sitemap_urls(response.content)
    base = "http://testserver"
    assert f"{base}{question.get_absolute_url()}" in urls
    assert f"{base}{gone.get_absolute_url()}" not in urls
    assert f"{base}/tags/puns/" in urls
    assert f"{base}/tags/gone/" not in urls  # only tags with visible questions
    assert f"{base}/tags/empty/" not in urls
    assert f"{base}/categories/mood-talk/" in urls
    for lastmod in urls.values():
        datetime.fromisoformat(lastmod)
    lastmod = urls[f"{base}{question.get_absolute_url()}"]
    assert lastmod.startswith(question.last_activity_at.date().isoformat())


def test_sitemap_becomes_an_index_past_the_limit(client, monkeypatch):
    monkeypatch.setattr(sitemaps.QuestionSitemap, "limit", 2)
    questions = QuestionFactory.create_batch(5)
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    assert root.tag == f"{SM}sitemapindex"
    locs = [s.find(f"{SM}loc").text for s in root.iter(f"{SM}sitemap")]
    base = "http://testserver/sitemap-questions.xml"
    assert [loc for loc in locs if loc.startswith(base)] == [base, f"{base}?p=2", f"{base}?p=3"]
    assert "http://testserver/sitemap-tags.xml" in locs
    for sitemap in root.iter(f"{SM}sitemap"):
        if "categories" not in sitemap.find(f"{SM}loc").text:  # none yet: no date
            datetime.fromisoformat(sitemap.find(f"{SM}lastmod").text)

    listed = []
    for loc in locs[:3]:
        section = client.get(loc.removeprefix("http://testserver"))
        assert section.status_code == 200
        listed += list(sitemap_urls(section.content))
    assert sorted(listed) == sorted(f"http://testserver{q.get_absolute_url()}" for q in questions)


def test_sitemap_index_lastmod_is_one_aggregate(django_assert_num_queries):
    QuestionFactory.create_batch(5)
    latest = Question.objects.order_by("-last_activity_at").first().last_activity_at
    with django_assert_num_queries(1):
        assert sitemaps.QuestionSitemap().get_latest_lastmod() == latest


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /api/" in lines
    assert "Disallow: /admin/" in lines
