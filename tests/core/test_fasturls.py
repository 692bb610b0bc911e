"""`reverse_fast` gives what `reverse` gives, for every value, or leaves the call to it."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st

from core.fasturls import reverse_fast

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
