"""`reverse_fast` gives what `reverse` gives, for every value, or leaves the call to it."""

import html

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from core.fasturls import Absolute, PkUrls, reverse_fast

ROUTES = [
    ("questions:detail", {"pk": st.integers(-5, 10**12), "slug": st.text(max_size=30)}),
    ("answers:vote", {"pk": st.integers(-5, 10**12)}),
    ("questions:rollback", {"pk": st.integers(0, 10**6), "number": st.integers(-2, 99)}),
    ("accounts:profile", {"username": st.text(max_size=30)}),
    ("questions:tag", {"name": st.text(max_size=30)}),
    ("questions:category", {"slug": st.text(max_size=30)}),
    ("questions:comment_flag", {"pk": st.integers(0, 10**9)}),
]


def outcome(function, name, kwargs):
    try:
        if function is reverse_fast:
            return reverse_fast(name, **kwargs)
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return NoReverseMatch


@pytest.mark.parametrize(("name", "arguments"), ROUTES, ids=[name for name, _ in ROUTES])
def test_same_as_reverse(name, arguments):
    @given(st.fixed_dictionaries(arguments))
    def check(kwargs):
        assert outcome(reverse_fast, name, kwargs) == outcome(reverse, name, kwargs)

    check()


@pytest.mark.parametrize(
    "kwargs",
    [{"pk": 7, "slug": "中文 标题?#%"}, {"pk": 7, "slug": ".."}, {"pk": 7, "slug": "a/b"}],
)
def test_awkward_values(kwargs):
    assert outcome(reverse_fast, "questions:detail", kwargs) == outcome(
        reverse, "questions:detail", kwargs
    )


PK_ROUTES = [
    "questions:vote",
    "answers:vote",
    "answers:accept",
    "questions:edit",
    "questions:comment_flag",
    "answers:revisions",
]


@pytest.mark.parametrize("name", PK_ROUTES)
def test_pk_urls_are_reverse_escaped(name):
    @given(st.one_of(st.integers(-5, 10**15), st.text(max_size=10)))
    def check(pk):
        urls = PkUrls()
        urls(name, 1)  # the route split once, then formatted
        expected = outcome(reverse, name, {"pk": pk})
        if expected is NoReverseMatch:
            with pytest.raises(NoReverseMatch):
                urls(name, pk)
        else:
            assert urls(name, pk) == html.escape(expected)

    check()


def test_pk_urls_follow_the_script_prefix_of_their_request():
    set_script_prefix("/a&b/")
    try:
        assert PkUrls()("answers:vote", 3) == "/a&amp;b/answers/3/vote/"
    finally:
        set_script_prefix("/")


def test_follows_the_script_prefix():
    set_script_prefix("/site/")
    try:
        assert (
            reverse_fast("answers:vote", pk=3)
            == "/site/answers/3/vote/"
            == reverse("answers:vote", kwargs={"pk": 3})
        )
    finally:
        set_script_prefix("/")
    assert reverse_fast("answers:vote", pk=3) == "/answers/3/vote/"


def test_follows_a_new_url_conf():
    assert reverse_fast("answers:vote", pk=3) == "/answers/3/vote/"
    with override_settings(ROOT_URLCONF="tests.core.fasturls_conf"):
        assert reverse_fast("answers:vote", pk=3) == "/elsewhere/3/"
    assert reverse_fast("answers:vote", pk=3) == "/answers/3/vote/"


# -- `{% url %}` (core.templatetags.fasttags, a template builtin) -----------------------------


def render_url(text: str, request=None, **context) -> str:
    from django.template import engines

    return engines["django"].from_string(text).render(context, request)


def test_url_tag_is_the_fast_one():
    from django.template import engines

    from core.templatetags.fasttags import FastURLNode

    template = engines["django"].from_string("{% url 'home' %}").template
    assert isinstance(template.nodelist[0], FastURLNode)


@given(
    st.sampled_from(["a b", "x/y", "名字", "<b>&", ".", "", "ok"]),
    st.integers(-3, 10**9),
)
def test_url_tag_writes_what_django_s_writes(name, pk):
    assert render_url("{% url 'home' %}") == reverse("home")
    assert render_url("{% url 'questions:tag' name=tag %}", tag="a<b") == (
        reverse("questions:tag", kwargs={"name": "a<b"}).replace("<", "&lt;")
    )
    text = "{% url 'questions:tag' name=name as link %}[{{ link }}]"
    expected = outcome(reverse, "questions:tag", {"name": name})
    if expected is NoReverseMatch:
        assert render_url(text, name=name) == "[]"
        with pytest.raises(NoReverseMatch):
            render_url("{% url 'questions:tag' name=name %}", name=name)
    else:
        assert render_url(text, name=name) == f"[{expected}]".replace("&", "&amp;").replace(
            "<", "&lt;"
        ).replace(">", "&gt;")
    expected = outcome(reverse, "answers:vote", {"pk": pk})
    if expected is NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            render_url("{% url 'answers:vote' pk=pk %}", pk=pk)
    else:
        assert render_url("{% url 'answers:vote' pk=pk %}", pk=pk) == expected
    # Positional arguments: Django's own reverse().
    assert render_url("{% url 'answers:vote' pk %}", pk=abs(pk)) == reverse(
        "answers:vote", args=[abs(pk)]
    )


def test_url_tag_leaves_an_application_instance_to_django(rf):
    from unittest import mock

    request = rf.get("/")
    request.current_app = "admin"
    with mock.patch("core.templatetags.fasttags.reverse_fast") as fast:
        assert render_url("{% url 'admin:index' %}", request) == reverse("admin:index")
    fast.assert_not_called()
    with mock.patch("core.templatetags.fasttags.reverse_fast", return_value="/x/") as fast:
        assert render_url("{% url 'admin:index' %}", rf.get("/")) == "/x/"
    fast.assert_called_once_with("admin:index")


def test_static_tag_is_remembered_and_the_same_as_django_s(settings):
    from django.templatetags.static import StaticNode

    from core.templatetags.faststatic import FastStaticNode, static_url

    text = "{% load static %}{% static 'css/site.css' %}|{% static path as u %}{{ u }}"
    assert render_url(text, path="js/a b.js") == (
        f"{StaticNode.handle_simple('css/site.css')}|{StaticNode.handle_simple('js/a b.js')}"
    )
    from django.template import engines

    nodes = engines["django"].from_string("{% load static %}{% static 'x.css' %}").template.nodelist
    assert isinstance(nodes[-1], FastStaticNode)
    static_url("css/site.css")
    assert static_url.cache_info().currsize
    settings.STATIC_URL = "/elsewhere/"  # forgotten with the settings that made it
    assert render_url("{% load static %}{% static 'x.css' %}").startswith("/elsewhere/")


def test_routes_of_regular_expressions_are_left_to_reverse():
    # The admin's app_list: a re_path whose group takes only the installed apps' labels.
    assert reverse_fast("admin:app_list", app_label="questions") == reverse(
        "admin:app_list", kwargs={"app_label": "questions"}
    )
    with pytest.raises(NoReverseMatch):
        reverse_fast("admin:app_list", app_label="nothing")


def test_static_is_the_only_library_name_shared():
    from django.template import engines

    shared = [e for e in engines["django"].check() if e.id == "templates.W003"]
    assert [e.msg.split("'")[1] for e in shared] == ["static"]


def test_a_url_made_before_is_given_again_and_only_for_the_same_values():
    """The memo of URLs made: asked again, the same URL; never the URL of an equal value of
    another type (True == 1 == 1.0, which reverse() treats apart)."""
    first = reverse_fast("questions:detail", pk=5, slug="标题")
    assert reverse_fast("questions:detail", pk=5, slug="标题") == first
    assert first == reverse("questions:detail", kwargs={"pk": 5, "slug": "标题"})
    for odd in (True, 5.0):
        assert outcome(reverse_fast, "answers:vote", {"pk": odd}) == outcome(
            reverse, "answers:vote", {"pk": odd}
        )
    reverse_fast("answers:vote", pk=1)
    assert outcome(reverse_fast, "answers:vote", {"pk": True}) == outcome(
        reverse, "answers:vote", {"pk": True}
    )


PATHS = st.one_of(
    st.text(max_size=40).map(lambda text: "/" + text),
    st.text(max_size=40),
    st.sampled_from(["/", "//evil.example/x", "/a/./b", "/a/../b", "/q?x=1#answer-2", "x/y"]),
)


@pytest.mark.parametrize("secure", [False, True])
@override_settings(ALLOWED_HOSTS=["xn--fsqu00a.example"])
def test_absolute_is_build_absolute_uri(rf, secure):
    """`Absolute(request)(path)` is `request.build_absolute_uri(path)`, for every path."""
    request = rf.get("/questions/", secure=secure, HTTP_HOST="xn--fsqu00a.example:8000")
    absolute = Absolute(request)

    @given(PATHS)
    def check(path):
        assert absolute(path) == request.build_absolute_uri(path)

    check()
    url = reverse_fast("questions:detail", pk=5, slug="中文 标题?#%")
    assert absolute(url) == request.build_absolute_uri(url)
