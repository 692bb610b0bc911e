"""What search engines and link previews read: canonical URLs, titles, descriptions, OpenGraph,
and the thread's schema.org QAPage, checked against Google's QAPage requirements."""

import json
from datetime import datetime
from html.parser import HTMLParser

import jsonschema
import pytest
from django.utils import timezone

from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from votes.services import accept_answer

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The <head> facts of a page: title, meta by name/property, links by rel, JSON-LD blocks."""

    def __init__(self, html: str):
        super().__init__()
        self.title = ""
        self.meta: dict[str, list[str]] = {}
        self.links: dict[str, list[dict]] = {}
        self.json_ld: list[str] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in = "title"
        elif tag == "meta" and (key := attrs.get("name") or attrs.get("property")):
            self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), []).append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in = "json_ld"
            self.json_ld.append("")

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "title":
            self.title += data
        elif self._in == "json_ld":
            self.json_ld[-1] += data

    def one(self, key) -> str:
        values = self.meta.get(key, [])
        assert len(values) == 1, f"{key}: {values}"
        return values[0]

    @property
    def canonical(self) -> str:
        links = self.links.get("canonical", [])
        assert len(links) == 1, links
        return links[0]["href"]


def head(client, url) -> Head:
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.content.decode())


@pytest.fixture
def site():
    tag = TagFactory(name="puns", description="Jokes that play on words.")
    category = CategoryFactory(name="Mood Talk", slug="mood-talk")
    author = UserFactory(username="alice")
    question = QuestionFactory(
        title="Why did the bread go to the therapist?", tags=[tag], category=category, author=author
    )
    QuestionFactory.create_batch(25)  # two pages of questions
    return question


def pages(question) -> list[str]:
    return [
        "/",
        "/questions/",
        "/questions/?page=2",
        "/questions/?sort=newest",
        "/tags/",
        "/tags/?sort=name",
        "/tags/puns/",
        "/categories/",
        "/categories/mood-talk/",
        question.get_absolute_url(),
        "/users/alice/",
    ]


def test_every_page_has_its_own_title_and_description(client, site):
    heads = {url: head(client, url) for url in pages(site)}
    titles = {url: h.title for url, h in heads.items()}
    assert len(set(titles.values())) == len(titles), titles
    descriptions = {url: h.one("description") for url, h in heads.items()}
    assert all(descriptions.values())
    assert len(set(descriptions.values())) == len(descriptions), descriptions


def test_every_indexable_page_has_a_canonical_url_and_opengraph(client, site):
    for url in pages(site):
        page = head(client, url)
        assert page.canonical.startswith("http://testserver/"), url
        assert page.one("og:url") == page.canonical
        assert page.one("og:title")
        assert page.one("og:description")
        assert page.one("og:site_name") == "jokesite"
        assert page.one("og:type") in ("website", "article", "profile")


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("/questions/?utm_source=x", "/questions/"),
        ("/questions/?sort=active&page=1", "/questions/"),
        ("/questions/?sort=votes&page=2", "/questions/?sort=votes&page=2"),
        ("/questions/?sort=bogus", "/questions/"),
        ("/questions/?page=999", "/questions/?page=2"),
        ("/tags/puns/?sort=newest", "/tags/puns/?sort=newest"),
        ("/tags/?sort=popular", "/tags/"),
        ("/categories/mood-talk/?page=1", "/categories/mood-talk/"),
    ],
)
def test_canonical_url_keeps_only_meaningful_parameters(client, site, url, canonical):
    assert head(client, url).canonical == f"http://testserver{canonical}"


def test_thread_canonical_and_opengraph(client, site):
    assert client.get(f"/questions/{site.pk}/")["Location"] == site.get_absolute_url()
    page = head(client, site.get_absolute_url())
    assert page.canonical == f"http://testserver{site.get_absolute_url()}"
    assert page.one("og:type") == "article"
    assert page.one("og:title") == site.title
    assert page.title == f"{site.title} · jokesite"
    assert "<" not in page.one("description")  # body text, not its HTML


def test_noindex_pages(client, site):
    assert head(client, "/search/?q=bread").one("robots") == "noindex"
    assert head(client, "/tags/?q=pun").one("robots") == "noindex"


# --- schema.org QAPage ---------------------------------------------------------------------

PERSON = {
    "type": "object",
    "required": ["@type", "name", "url"],
    "properties": {
        "@type": {"const": "Person"},
        "name": {"type": "string", "minLength": 1},
        "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
    },
}
DATE = {"type": "string", "format": "date-time"}
# Google's QAPage structured data: Answer requires `text`; `author`, `dateCreated`,
# `upvoteCount` and `url` are recommended (and used by the rich result), so required here.
ANSWER = {
    "type": "object",
    "required": ["@type", "text", "author", "dateCreated", "upvoteCount", "url"],
    "properties": {
        "@type": {"const": "Answer"},
        "text": {"type": "string", "minLength": 1},
        "author": PERSON,
        "dateCreated": DATE,
        "upvoteCount": {"type": "integer"},
        "url": {"type": "string", "format": "uri", "pattern": "^https?://[^#]+#answer-[0-9]+$"},
    },
}
# Question requires `name` and `answerCount`, and `acceptedAnswer` or `suggestedAnswer` once
# there is an answer; `text`, `author`, `dateCreated` and `upvoteCount` are recommended.
QA_PAGE = {
    "type": "object",
    "required": ["@context", "@type", "mainEntity"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "QAPage"},
        "mainEntity": {
            "type": "object",
            "required": ["@type", "name", "text", "answerCount", "dateCreated", "author", "url"],
            "properties": {
                "@type": {"const": "Question"},
                "name": {"type": "string", "minLength": 1},
                "text": {"type": "string", "minLength": 1},
                "answerCount": {"type": "integer", "minimum": 0},
                "upvoteCount": {"type": "integer"},
                "dateCreated": DATE,
                "author": PERSON,
                "url": {"type": "string", "format": "uri", "pattern": "^https?://"},
                "acceptedAnswer": ANSWER,
                "suggestedAnswer": {"type": "array", "items": ANSWER, "minItems": 1},
            },
            "if": {"properties": {"answerCount": {"minimum": 1}}},
            "then": {
                "anyOf": [{"required": ["acceptedAnswer"]}, {"required": ["suggestedAnswer"]}]
            },
        },
    },
}


def qa_page(client, question) -> dict:
    page = head(client, question.get_absolute_url())
    assert len(page.json_ld) == 1
    data = json.loads(page.json_ld[0])
    jsonschema.validate(
        data, QA_PAGE, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return data["mainEntity"]


def test_qa_page_with_accepted_and_suggested_answers(client):
    asker = UserFactory()
    question = QuestionFactory(author=asker, title="Why did the bread go to the therapist?")
    best = AnswerFactory(question=question, score=7)
    other = AnswerFactory(question=question, score=3)
    AnswerFactory(question=question, deleted_at=timezone.now())
    accept_answer(answer=best)

    main = qa_page(client, question)

    assert main["name"] == question.title
    assert main["text"] == question.body
    assert main["answerCount"] == 2  # the deleted answer is not counted
    assert main["author"] == {
        "@type": "Person",
        "name": asker.username,
        "url": f"http://testserver{asker.get_absolute_url()}",
    }
    assert main["url"] == f"http://testserver{question.get_absolute_url()}"
    assert datetime.fromisoformat(main["dateCreated"]) == question.created_at
    accepted = main["acceptedAnswer"]
    assert accepted["upvoteCount"] == 7
    assert accepted["url"] == f"http://testserver{best.get_absolute_url()}"
    assert accepted["text"] == best.body
    assert [a["url"] for a in main["suggestedAnswer"]] == [
        f"http://testserver{other.get_absolute_url()}"
    ]
    assert main["suggestedAnswer"][0]["upvoteCount"] == 3


def test_qa_page_without_answers(client):
    main = qa_page(client, QuestionFactory())
    assert main["answerCount"] == 0
    assert "acceptedAnswer" not in main and "suggestedAnswer" not in main


def test_qa_page_escapes_script_breakers(client):
    question = QuestionFactory(body="Try </script><script>alert(1)</script> & see what happens.")
    html = client.get(question.get_absolute_url()).content.decode()
    block = html[html.index('type="application/ld+json">') :]
    block = block[: block.index("</script>")]
    assert "<" not in block.split(">", 1)[1]
    assert qa_page(client, question)["text"] == question.body


def test_thread_description_is_plain_text(client):
    question = QuestionFactory(body="**Tom** & *Jerry*\n\nchase   each other around the house.")
    page = head(client, question.get_absolute_url())
    assert page.one("description") == "Tom & Jerry chase each other around the house."
    assert page.one("og:description") == page.one("description")
