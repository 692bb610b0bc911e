"""The text rules (contract v1.3): CJK counts twice toward minimums, invisible text is empty,
errors are sentences for people, lists show plain text."""

import pytest
from django.utils import translation

from answers.forms import AnswerForm
from comments.forms import CommentForm
from core import textrules
from questions.forms import QuestionForm
from tests.factories import CategoryFactory, QuestionFactory, TagFactory

pytestmark = pytest.mark.django_db

BODY = "A body that is comfortably longer than thirty characters."


@pytest.fixture(autouse=True)
def _english():
    """The sentences are compared in English, whatever an earlier test left active."""
    with translation.override("en"):
        yield


def question_form(**overrides):
    data = {"title": "Why do cats knock things off tables?", "body": BODY, "tags": "cats"}
    return QuestionForm({**data, **overrides})


@pytest.mark.parametrize(
    "text,length",
    [
        ("abc", 3),
        ("支付宝", 6),
        ("支付宝转账为什么收费？", 22),  # 10 Han and a full-width question mark
        ("ひらがな", 8),
        ("한국어", 6),
        ("a  b", 3),  # spaces collapse to one
        ("a\u200bb", 2),  # a zero-width space counts for nothing
        ("😀", 1),
    ],
)
def test_weighted_length_counts_cjk_twice(text, length):
    assert textrules.weighted_length(text) == length


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\u200b\u200b\u200b", "\u3164\u3164", "\ufeff \u2060 \u00ad", "\u2800" * 20],
    ids=["empty", "spaces", "zero-width", "hangul-filler", "bom-joiner-shy", "braille-blank"],
)
def test_invisible_text_is_blank(text):
    assert textrules.is_blank(text)


def test_chinese_title_of_eleven_characters_is_long_enough():
    form = question_form(title="支付宝转账为什么收费？")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "支付宝转账为什么收费？"


def test_chinese_title_of_seven_characters_is_too_short_and_says_so():
    form = question_form(title="支付宝为何收费")  # 14 counted
    assert not form.is_valid()
    assert form.errors["title"] == [
        "Write a title of at least 15 characters (a Chinese character counts as two)."
    ]


def test_zero_width_padding_does_not_reach_the_minimum():
    form = question_form(title="Hi" + "\u200b" * 30)
    assert not form.is_valid()
    assert "at least 15 characters" in form.errors["title"][0]


@pytest.mark.parametrize("blank", ["\u200b\u200b\u200b", "   ", "\u3164" * 40])
def test_invisible_title_body_and_comment_are_refused_as_empty(blank):
    form = question_form(title=blank, body=blank)
    assert not form.is_valid()
    assert form.errors["title"] == ["Write a title."]
    assert form.errors["body"] == ["Write the text of your post."]
    comment = CommentForm({"body": blank})
    assert not comment.is_valid()
    assert comment.errors["body"] == ["Write a comment."]


def test_missing_fields_are_asked_for_in_words():
    form = QuestionForm({})
    assert not form.is_valid()
    assert form.errors["title"] == ["Write a title."]
    assert form.errors["body"] == ["Write the text of your post."]


def test_too_long_title_says_how_long_it_is():
    form = question_form(title="x" * 160)
    assert form.errors["title"] == ["Shorten the title to 150 characters: it has 160."]


def test_chinese_body_and_comment_count_twice():
    assert AnswerForm({"body": "说" * 15}).is_valid()
    assert not AnswerForm({"body": "说" * 14}).is_valid()
    assert CommentForm({"body": "这个回答很好"}).is_valid() is False  # 12 counted
    assert CommentForm({"body": "这个回答写得很好"}).is_valid()  # 16 counted


def test_errors_are_in_the_persons_language(compiled_translations):
    with translation.override("zh-hans"):
        form = question_form(title="太短了")
        assert not form.is_valid()
        error = form.errors["title"][0]
    assert "15" in error
    assert "确保" not in error and "Write" not in error


def test_no_minlength_reaches_the_html():
    """The browser counts characters its own way and would stop a Chinese title."""
    html = str(question_form()["title"]) + str(question_form()["body"])
    assert "minlength" not in html
    assert 'maxlength="150"' in html


@pytest.mark.parametrize(
    "body,expected",
    [
        ("**bold** and *it*", "bold and it"),
        ("[a link](https://example.com) here", "a link here"),
        ("```python\nprint(1)\n```\nafter", "print(1) after"),
        ("# Heading\n\n- one\n- two", "Heading one two"),
        ("`code` span", "code span"),
        ("![alt](x.png) text", "alt text"),
    ],
)
def test_markdown_source_becomes_plain_text(body, expected):
    assert textrules.markdown_to_plain(body) == expected


def test_plain_text_prefers_the_rendered_html():
    class Post:
        body = "**支付**宝 &amp; [x](y)"
        body_html = "<p><strong>支付</strong>宝 &amp;amp; <a href='y'>x</a></p><ul><li>a</li></ul>"

    assert textrules.plain_text(Post()) == "支付宝 &amp; x a"


def test_excerpt_cuts_at_a_word_with_an_ellipsis():
    text = "word " * 50
    cut = textrules.excerpt(text.strip(), 40)
    assert len(cut) <= 40
    assert cut.endswith("word…")
    assert textrules.excerpt("short", 40) == "short"


@pytest.mark.parametrize(
    "path", ["/", "/questions/?sort=unanswered", "/tags/md/", "/categories/c/"]
)
def test_lists_show_excerpts_as_plain_text(client, path):
    QuestionFactory(
        body="**Bold** claim with [a link](https://example.com) and `code`.\n\n```\nfenced\n```",
        category=CategoryFactory(slug="c"),
        tags=[TagFactory(name="md")],
    )
    response = client.get(path)
    html = response.content.decode()
    excerpt = html.split('class="qrow__excerpt">')[1].split("</p>")[0]
    assert excerpt == "Bold claim with a link and code. fenced"


def test_search_snippets_keep_chinese_punctuation():
    from search.text import highlight, highlight_pattern, term_parts

    pattern = highlight_pattern(term_parts("支付宝"))
    html = highlight("问题：支付宝转账，为什么收费？ＡＢＣ", pattern)
    assert html == "问题：<mark>支付宝</mark>转账，为什么收费？ＡＢＣ"
    assert "<mark>ＡＢＣ</mark>" in highlight("x ＡＢＣ y", highlight_pattern(term_parts("abc")))
