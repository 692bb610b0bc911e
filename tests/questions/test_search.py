"""Search: the query language and CJK handling."""

import pytest

from questions import search
from questions.search.text import Part, document, highlight, highlight_pattern, term_parts

# --- The query language (pure Python) -----------------------------------------------------


def test_parser_reads_every_operator():
    query = search.parse_query('"exact phrase" [Payments] is:question user:lin answers:0 score:3 x')
    assert [(t.text, t.phrase) for t in query.terms] == [("exact phrase", True), ("x", False)]
    assert query.tags == ["payments"]
    assert query.kind == "question"
    assert query.user == "lin"
    assert query.answers == 0
    assert query.min_score == 3


@pytest.mark.parametrize(
    ("raw", "kind"), [("is:answer", "answer"), ("is:a", "answer"), ("IS:Q", "question")]
)
def test_parser_reads_kind_shorthands(raw, kind):
    assert search.parse_query(raw).kind == kind


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ('"unpaired quote', ['"unpaired', "quote"]),
        ("[unpaired bracket", ["[unpaired", "bracket"]),
        ("is:maybe score:high answers:-1 user:", ["is:maybe", "score:high", "answers:-1", "user:"]),
    ],
)
def test_malformed_operators_are_searched_as_text(raw, words):
    query = search.parse_query(raw)
    assert [t.text for t in query.terms] == words
    assert not query.has_filters


def test_punctuation_only_terms_are_dropped():
    query = search.parse_query("% \\ -- '' [] \"\"")
    assert query.terms == [] and query.is_empty


def test_long_queries_are_shortened():
    query = search.parse_query("word " * 1000)
    assert query.shortened
    assert len(query.text) <= search.MAX_QUERY_LENGTH
    many = search.parse_query(" ".join(f"w{n}" for n in range(30)))
    assert many.shortened and len(many.terms) == search.MAX_TERMS


def test_cjk_runs_become_bigrams_and_a_last_character():
    doc = document("我用支付宝 Alipay 付款")
    assert doc.cjk.split() == ["我用", "用支", "支付", "付宝", "宝", "付款", "款"]
    assert doc.words == "Alipay"


def test_cjk_terms_are_a_prefix_or_a_phrase_of_bigrams():
    assert term_parts("银") == [Part("prefix", "银")]
    assert term_parts("银行") == [Part("cjk", "银行")]
    assert term_parts("快捷支付") == [Part("cjk", "快捷 捷支 支付")]
    assert term_parts("Alipay支付宝") == [Part("words", "Alipay"), Part("cjk", "支付 付宝")]


def test_full_width_latin_and_accents_are_normalised():
    assert term_parts("Ｃａｆé") == [Part("words", "Cafe")]


def test_highlight_escapes_everything_but_its_own_marks():
    pattern = highlight_pattern(search.parse_query("script 支付宝").parts)
    html = highlight('<script>alert("x")</script> 用支付宝 & <b>', pattern)
    assert html == (
        "&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt; "
        "用<mark>支付宝</mark> &amp; &lt;b&gt;"
    )


def test_highlight_cuts_a_window_around_the_first_match():
    text = "start " + "lorem " * 100 + "needle " + "ipsum " * 100
    html = highlight(text, highlight_pattern(search.parse_query("needle").parts), length=80)
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>needle</mark>" in html
    assert len(html) < 140
