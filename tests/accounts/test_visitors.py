"""`{% visitor_include %}`: the header and footer from a skeleton kept per language and theme
are the HTML the include writes, whatever the path, and a member's are never kept."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import translation

from accounts.templatetags import visitors
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PATHS = [
    "/",
    "/questions/7/why-did-the-bank-agree/?answers=oldest",
    '/search/?q=<script>alert("x")</script>&tag=a&b',
    "/questions/8/为什么银行同意/",
    "/tags/it's%20fine/?q=%25&x=1#frag",
    "/questions/9/%01jokesite-page-path%01/",  # the marker's quoted form, asked for
    "/a b/?c=d e",
]
PARTS = ["includes/header.html", "includes/footer.html"]


def render(source: str, request, **context) -> str:
    page = engines["django"].from_string("{% load visitors %}" + source)
    return page.render(context, request)


def request_for(path: str, user, theme: str = ""):
    request = RequestFactory().get(path)
    request.user = user
    if theme:
        request.COOKIES["theme"] = theme
    return request


@pytest.fixture(autouse=True)
def _forget():
    visitors._SKELETONS.clear()
    yield
    visitors._SKELETONS.clear()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("theme", ["", "dark", "light"])
def test_the_skeleton_gives_what_the_include_gives(language, theme):
    with translation.override(language):
        for path in PATHS:
            for part in PARTS:
                request = request_for(path, AnonymousUser(), theme)
                kept = render(f'{{% visitor_include "{part}" %}}', request)
                included = render(f'{{% include "{part}" %}}', request)
                assert kept == included, (path, part)
                assert "jokesite-page-path\x01" not in kept
    assert len(visitors._SKELETONS) == len(PARTS)  # one per part, in this language and theme
    assert all(html is not None for html in visitors._SKELETONS.values())


def test_the_path_goes_in_quoted_and_escaped():
    request = request_for("/tags/it's/?q=a&b", AnonymousUser())
    header = render('{% visitor_include "includes/header.html" %}', request)
    footer = render('{% visitor_include "includes/footer.html" %}', request)
    assert "next=/tags/it%27s/%3Fq%3Da%26b" in header  # the login link's, quoted
    assert 'value="/tags/it&#x27;s/?q=a&amp;b"' in footer  # the language form's, escaped


def test_a_member_s_header_is_rendered_each_time():
    member = UserFactory(username="skeleton-keeper")
    request = request_for("/", member)
    header = render('{% visitor_include "includes/header.html" %}', request, user=member)
    assert "skeleton-keeper" in header
    assert ("includes/header.html", "en", "") not in {k[:3] for k in visitors._SKELETONS}
    assert not visitors._SKELETONS


def test_a_search_query_in_the_header_is_rendered_each_time():
    request = request_for("/search/?q=bank", AnonymousUser())
    header = render('{% visitor_include "includes/header.html" %}', request, query="bank fees")
    assert 'value="bank fees"' in header
    assert not visitors._SKELETONS


def test_a_path_transformed_otherwise_is_not_kept(monkeypatch):
    engine = engines["django"].engine
    part = engine.from_string("<p>{{ request.get_full_path|upper }}</p>")
    monkeypatch.setattr(engine, "get_template", lambda name: part)
    request = request_for("/questions/1/x/", AnonymousUser())
    assert render('{% visitor_include "odd.html" %}', request) == "<p>/QUESTIONS/1/X/</p>"
    assert list(visitors._SKELETONS.values()) == [None]  # remembered as not keepable
    assert render('{% visitor_include "odd.html" %}', request) == "<p>/QUESTIONS/1/X/</p>"
