"""Site-wide pages and HTTP behaviour: health check, robots, sitemap, feed, error pages."""

import re
from datetime import timedelta
from unittest import mock
from xml.etree import ElementTree

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from tests.factories import AnswerFactory, QuestionFactory, UserFactory
from votes.models import Vote

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
ATOM_NS = {"atom": "http://www.w3.org/2005/Atom"}


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("gone")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_robots_txt_keeps_crawlers_out_of_private_pages_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/accounts/", "/search/", "/questions/ask/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_sitemap_is_xml_listing_visible_questions_by_canonical_url(client):
    shown = QuestionFactory(title="为什么程序员总是分不清万圣节和圣诞节？")
    QuestionFactory(deleted_at=timezone.now())
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    locations = [loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)]
    threads = [url for url in locations if "/questions/" in url]
    assert threads == [f"http://testserver{shown.get_absolute_url()}"]
    assert root.find("sm:url/sm:lastmod", SITEMAP_NS) is not None


def test_feed_is_atom_xml_with_the_newest_visible_questions(client):
    older = QuestionFactory(
        title="An older question & <its> entities", created_at=timezone.now() - timedelta(days=1)
    )
    newer = QuestionFactory(body="Body with **bold** and <script>alert(1)</script> in it.")
    QuestionFactory(deleted_at=timezone.now())
    response = client.get("/feeds/questions/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    entries = root.findall("atom:entry", ATOM_NS)
    titles = [entry.find("atom:title", ATOM_NS).text for entry in entries]
    assert titles == [newer.title, older.title]
    links = [entry.find("atom:link", ATOM_NS).get("href") for entry in entries]
    assert links[0] == f"http://testserver{newer.get_absolute_url()}"
    summary = entries[0].find("atom:summary", ATOM_NS).text
    assert "<strong>bold</strong>" in summary and "<script>" not in summary


def test_unknown_question_gets_the_sites_404_page(client):
    response = client.get("/questions/424242/no-such-question/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert response.templates[0].name == "404.html"


def test_unknown_address_gets_the_sites_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/questions/{q}/vote/",
        "/questions/{q}/comment/",
        "/questions/{q}/delete/",
        "/questions/{q}/answer/",
        "/answers/{a}/vote/",
        "/answers/{a}/comment/",
        "/answers/{a}/accept/",
        "/answers/{a}/delete/",
    ],
)
def test_get_on_a_post_only_action_is_405_for_everyone(client, path):
    answer = AnswerFactory()
    url = path.format(q=answer.question_id, a=answer.pk)
    assert client.get(url).status_code == 405
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


@pytest.mark.parametrize("path", ["/", "/questions/", "/tags/", "/robots.txt", "/healthz"])
def test_pages_refuse_post_with_405(client, path):
    assert client.post(path).status_code == 405


@pytest.mark.parametrize("path", ["/", "/questions/", "/tags/", "/sitemap.xml", "/healthz"])
def test_pages_answer_head(client, path):
    assert client.head(path).status_code == 200


def test_pages_carry_security_headers(client):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_actions_need_the_csrf_token_the_page_gave(launch_mode):
    question = QuestionFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    url = f"/questions/{question.pk}/vote/"
    assert client.post(url, {"value": "1"}).status_code == 403
    assert not Vote.objects.exists()
    page = client.get(question.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    assert client.post(url, {"value": "1", "csrfmiddlewaretoken": token}).status_code == 302
    assert Vote.objects.count() == 1


def test_choosing_a_language_needs_no_token_and_sets_only_the_language():
    response = Client(enforce_csrf_checks=True).post(
        "/i18n/setlang/", {"language": "zh-hans", "next": "/"}
    )
    assert response.status_code == 302
    assert set(response.cookies) == {"django_language"}


@pytest.mark.parametrize(
    "path",
    [
        "/search/?q=a%00b",
        "/questions/?sort=a%00b&page=%00",
        "/tags/a%00b/",
        "/categories/a%00b/",
        "/users/a%00b/",
        "/questions/1/a%00b/",
        "/?a%00=1",
    ],
)
def test_a_nul_character_in_the_address_is_400_not_500(client, path):
    QuestionFactory()
    response = client.get(path)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert not response.cookies


def test_a_nul_character_in_the_session_cookie_is_400_not_500(client):
    client.cookies["sessionid"] = "abcdefghij\x00klmnopqrstu"
    assert client.get("/").status_code == 400


@pytest.mark.parametrize(
    "path", ["/questions/{n}/", "/questions/{n}/slug/", "/answers/{n}/revisions/"]
)
def test_an_id_too_large_for_the_database_is_404(client, path):
    assert client.get(path.format(n="9" * 30)).status_code == 404


@pytest.mark.parametrize("path", ["/questions/{n}/vote/", "/answers/{n}/accept/"])
def test_an_action_on_an_id_too_large_for_the_database_is_404(client, path):
    client.force_login(UserFactory())
    assert client.post(path.format(n="9" * 30), {"value": "1"}).status_code == 404
