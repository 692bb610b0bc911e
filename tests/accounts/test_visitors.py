"""`{% visitor_include %}` and `{% shared_include %}`: the header and footer from a skeleton kept
per language and theme are the HTML the include writes, whatever the path; a member's header is
never kept, only its parts that read nothing of the reader, which render the same for members."""

import re

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
# Kept for every reader (`shared_include`): they must read nothing of the reader.
SHARED = ["includes/header_site.html", "includes/header_tools.html", "includes/footer.html"]


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
    # one per part (the header's shared parts too), in this language and theme
    assert {key[0] for key in visitors._SKELETONS} == {*PARTS, *SHARED}
    assert len(visitors._SKELETONS) == len({*PARTS, *SHARED})
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
    assert {key[0] for key in visitors._SKELETONS} == {
        "includes/header_site.html",
        "includes/header_tools.html",
    }
    assert "skeleton-keeper" not in "".join(visitors._SKELETONS.values())


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("theme", ["", "dark"])
def test_shared_parts_read_nothing_of_the_reader(language, theme):
    """What makes keeping them for members right: a member, a moderator and a visitor get the
    same HTML from each part rendered."""
    readers = [  # a member's theme is their own setting, a visitor's the cookie's
        AnonymousUser(),
        UserFactory(username="shared-reader", reputation=5000, theme=theme),
        UserFactory(username="shared-moderator", is_staff=True, theme=theme),
    ]
    with translation.override(language):
        for path in PATHS[:4]:
            for part in SHARED:
                seen = {
                    render(f'{{% include "{part}" %}}', request_for(path, user, theme), user=user)
                    for user in readers
                }
                assert len(seen) == 1, (path, part)


@pytest.mark.parametrize("path", PATHS)
def test_a_member_s_page_parts_are_what_rendering_gives(path, monkeypatch):
    member = UserFactory(username="part-reader")
    source = (
        '{% visitor_include "includes/header.html" %}{% shared_include "includes/footer.html" %}'
    )

    def page():  # each request its own CSRF token
        html = render(source, request_for(path, member), user=member)
        return re.sub(r'(name="csrfmiddlewaretoken" value=)"[^"]+"', r"\1", html)

    kept = [page(), page()]
    monkeypatch.setattr(visitors, "_skeleton", lambda *args: None)
    rendered = page()
    assert kept == [rendered, rendered]
    assert "part-reader" in rendered


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
