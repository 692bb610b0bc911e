"""Search: the query language, CJK handling, ranking, the index kept current by the write path,
and the /search/ page. Every database test runs on SQLite (FTS5) and PostgreSQL (tsvector)."""

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from answers.services import post_answer
from flags.services import set_hidden
from moderation.services import delete_post, restore_post
from questions.models import Question
from questions.services import ask_question, merge_tags
from revisions.services import edit_post
from search import fulltext as search
from search.backends import fts5_query
from search.models import SearchEntry
from search.text import Part, document, highlight, highlight_pattern, tag_token, term_parts
from tests.factories import TagFactory, UserFactory
from votes.services import accept_answer, cast_vote, invalidate_votes

SEARCH_URL = reverse("questions:search")
FILLER = "Some ordinary words that every post here shares for padding."


def ask(title, body=FILLER, tags=("general",), author=None):
    return ask_question(author=author or UserFactory(), title=title, body=body, tags=list(tags))


def answer(question, body, author=None):
    return post_answer(author=author or UserFactory(), question=question, body=body)


def found(q, **kwargs):
    """(kind, post id) of every result, in order."""
    entries = search.search(search.parse_query(q), **kwargs).entries
    return [(e.kind, e.answer_id or e.question_id) for e in entries]


def ids(q, **kwargs):
    return [post_id for _, post_id in found(q, **kwargs)]


def result_links(response) -> list[str]:
    return re.findall(r'<h2 class="qrow__title">.*?<a href="([^"]+)"', response.text, re.S)


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


def test_control_characters_are_dropped():
    """The middleware answers 400 to NUL in a URL; the parser copes anyway (PostgreSQL would
    refuse the NUL)."""
    assert [t.text for t in search.parse_query("abc\x00def \x1b[31m").terms] == [
        "abc",
        "def",
        "[31m",
    ]


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


def test_fts5_query_quotes_every_token():
    parts = search.parse_query('AND OR NOT NEAR(a) title:x "say hi" 银 x* ab"cd').parts
    assert fts5_query(parts) == (
        '"AND" AND "OR" AND "NOT" AND "NEAR(a)" AND "title:x" AND "say hi" AND "银"* AND "x*"'
        ' AND "ab""cd"'
    )


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


# --- Matching and ranking -----------------------------------------------------------------


@pytest.fixture
def cjk_posts(db):
    """Simplified, traditional and mixed Chinese text."""
    return {
        "bank": ask("Opening an account 在银行开户", "我去银行办了一张银行卡。"),
        "alipay": ask("Paying with Alipay 支付宝", "快捷支付和支付宝 are different. Alipay支付宝"),
        "traditional": ask("Traditional text 傳統", "我在銀行工作,不用银子。"),
        "alone": ask("A lone character here", "钱 and nothing else"),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("银", {"bank", "traditional"}),  # 1 character: inside a run (银行) and 银子
        ("行", {"bank", "traditional"}),  # 1 character at the end of a run (去银行, 銀行)
        ("钱", {"alone"}),  # a run of one character
        ("银行", {"bank"}),  # 2 characters: simplified only
        ("銀行", {"traditional"}),  # traditional only
        ("支付宝", {"alipay"}),  # 3 characters
        ("快捷支付", {"alipay"}),  # 4 characters
        ("银行卡", {"bank"}),
        ("Alipay 支付宝", {"alipay"}),  # mixed
        ("alipay支付宝", {"alipay"}),
        ("Alipay支付宝!", {"alipay"}),  # the "!" left between the runs is not a word
        ("支宝", set()),  # characters that are never adjacent
        ("卡银", set()),
    ],
)
def test_cjk_queries(cjk_posts, q, expected):
    names = {post.pk: name for name, post in cjk_posts.items()}
    assert {names[post_id] for post_id in ids(q)} == expected


def test_markdown_emphasis_inside_chinese_text_still_matches(db):
    question = ask("Formatting inside a word", "用**支付**宝付款, and `code` too.")
    assert ids("支付宝") == [question.pk]
    assert SearchEntry.objects.get(question=question).body == "用支付宝付款, and code too."


def test_title_match_ranks_above_body_match(db):
    in_body = ask("Something about cooking dinner", "How do I prepare quinoa for guests?")
    in_title = ask("Preparing quinoa for guests", FILLER)
    for voter in UserFactory.create_batch(3):
        cast_vote(voter=voter, post=in_body, value=1)  # a higher score does not beat the title
    assert ids("quinoa") == [in_title.pk, in_body.pk]


def test_tag_match_ranks_above_body_match(db):
    in_body = ask("Question number one here", "Which grain is quinoa, really?")
    in_tags = ask("Question number two here", FILLER, tags=["quinoa"])
    assert ids("quinoa") == [in_tags.pk, in_body.pk]


def test_score_breaks_ties(db):
    low = ask("Identical question about kettles", FILLER)
    high = ask("Identical question about kettles", FILLER)
    newest = ask("Identical question about kettles", FILLER)
    cast_vote(voter=UserFactory(), post=high, value=1)
    assert ids("kettles") == [high.pk, newest.pk, low.pk]


def test_accepted_answer_breaks_ties(db):
    question = ask("Which teapot is best for oolong?")
    first = answer(question, "A clay pot keeps the heat of oolong.")
    second = answer(question, "A clay pot keeps the heat of oolong.")
    accept_answer(answer=first)
    assert ids("oolong is:answer") == [first.pk, second.pk]


def test_stemmed_words_match(db):
    question = ask("Running a payments service", FILLER)
    assert ids("runs") == [question.pk]
    assert ids("payment") == [question.pk]


def test_exact_phrase_needs_the_words_in_order(db):
    fast = ask("A fast payment method for shops", FILLER)
    ask("Method of payment that is fast", FILLER)
    assert ids('"fast payment method"') == [fast.pk]
    assert len(ids("fast payment method")) == 2


def test_tag_operator(db):
    tagged = ask("Question about ledgers", tags=["accounting"])
    ask("Another question about ledgers", tags=["general"])
    reply = answer(tagged, "Ledgers need double entry.")
    assert found("ledgers [accounting]") == [("question", tagged.pk), ("answer", reply.pk)]
    assert found("[Accounting] is:answer") == [("answer", reply.pk)]
    assert found("[nosuchtag]") == []


def test_tag_tokens_survive_every_tokenizer():
    tokens = {tag_token(name) for name in ["c++", "c", "node.js", "支付宝", "wechat-pay"]}
    assert len(tokens) == 5
    assert all(token.isalnum() and token.isascii() for token in tokens)


def test_tags_with_punctuation_and_chinese_names(db):
    cpp = ask("Question about templates", tags=["c++"])
    c = ask("Question about pointers", tags=["c"])
    alipay = ask("Question about wallets", tags=["支付宝"])
    assert ids("[c++]") == [cpp.pk]
    assert ids("[c]") == [c.pk]
    assert ids("[支付宝]") == [alipay.pk]
    assert ids("[c++] [c]") == []


def test_kind_operators(db):
    question = ask("Where do herons nest?", "Herons nest high up.")
    reply = answer(question, "Herons nest in colonies.")
    assert found("herons is:question") == [("question", question.pk)]
    assert found("herons is:answer") == [("answer", reply.pk)]


def test_user_operator(db):
    lin = UserFactory(username="curious_lin")
    mine = ask("Lin asks about dumplings", author=lin)
    ask("Someone else asks about dumplings")
    reply = answer(mine, "Dumplings by Lin as well.", author=lin)
    assert set(found("dumplings user:curious_lin")) == {
        ("question", mine.pk),
        ("answer", reply.pk),
    }
    assert found("user:Curious_Lin is:answer") == [("answer", reply.pk)]
    assert found("dumplings user:nobody") == []


def test_answers_operator(db):
    unanswered = ask("Are there owls in the city?")
    answered = ask("Are there owls in the forest?")
    answer(answered, "Owls live in the forest, yes.")
    assert found("owls answers:0") == [("question", unanswered.pk)]
    assert found("owls answers:1") == [("question", answered.pk)]


def test_score_operator(db):
    popular = ask("Popular question about ferns")
    ask("Plain question about ferns")
    for voter in UserFactory.create_batch(3):
        cast_vote(voter=voter, post=popular, value=1)
    assert ids("ferns score:3") == [popular.pk]
    assert ids("score:3") == [popular.pk]
    assert len(ids("ferns score:-5")) == 2


def test_many_hits_are_counted_up_to_a_cap_and_the_newest_ranked(db, monkeypatch):
    monkeypatch.setattr("search.backends.MAX_RESULTS", 3)
    posts = [ask(f"Capped question {n} about pebbles") for n in range(5)]
    for voter in UserFactory.create_batch(2):
        cast_vote(voter=voter, post=posts[0], value=1)
    results = search.search(search.parse_query("pebbles"))
    assert (results.count, results.capped) == (3, True)
    assert [e.question_id for e in results.entries] == [p.pk for p in reversed(posts[2:])]
    by_votes = search.search(search.parse_query("pebbles"), sort="votes")
    assert [e.question_id for e in by_votes.entries][:1] == [posts[0].pk]
    assert search.search(search.parse_query("pebbles [nosuchtag]")).count == 0
    few = search.search(search.parse_query('pebbles "question 1"'))
    assert (few.count, few.capped) == (1, False)


def test_sort_orders(db):
    old = ask("Sorting question about lanterns")
    new = ask("Sorting question about lanterns, newer")
    cast_vote(voter=UserFactory(), post=old, value=1)
    assert ids("lanterns", sort="newest") == [new.pk, old.pk]
    assert ids("lanterns", sort="votes") == [old.pk, new.pk]
    assert ids("[general]") == [old.pk, new.pk]  # without words: by votes


# --- The index follows every write --------------------------------------------------------


def test_edit_reindexes_the_post_and_its_answers_titles(db):
    question = ask("Original title about pelicans", "Original body text about pelicans.")
    reply = answer(question, "Pelicans eat fish.")
    edit_post(
        editor=question.author,
        post=question,
        title="Renamed title about cormorants",
        body="New body text about cormorants.",
        tags=["birds"],
    )
    assert found("cormorants") == [("question", question.pk)]
    assert found("pelicans") == [("answer", reply.pk)]
    entry = SearchEntry.objects.get(answer=reply)
    assert (entry.title, entry.tags) == ("Renamed title about cormorants", "birds")
    assert found("[birds] is:answer") == [("answer", reply.pk)]


def test_deleted_posts_disappear_and_restored_ones_return(db):
    question = ask("Question about lighthouses")
    reply = answer(question, "Lighthouses have keepers.")
    delete_post(actor=reply.author, post=reply)
    assert found("lighthouses") == [("question", question.pk)]
    assert found("lighthouses answers:0") == [("question", question.pk)]
    delete_post(actor=question.author, post=question)
    assert found("lighthouses") == []
    restore_post(post=question)
    assert found("lighthouses") == [("question", question.pk)]
    restore_post(post=reply)
    assert len(found("lighthouses")) == 2


def test_answers_of_a_deleted_question_disappear(db):
    question = ask("Question about glaciers")
    reply = answer(question, "Glaciers move slowly.")
    delete_post(actor=question.author, post=question)
    assert found("glaciers") == []
    restore_post(post=question)
    assert set(found("glaciers")) == {("question", question.pk), ("answer", reply.pk)}


def test_hard_deleted_posts_take_their_entries_along(db):
    question = ask("Question about sandcastles")
    answer(question, "Sandcastles need wet sand.")
    Question.objects.filter(pk=question.pk).delete()  # the admin's delete, not the soft one
    assert SearchEntry.objects.count() == 0
    assert found("sandcastles") == []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM questions_searchentryfts")
            assert cursor.fetchone() == (0,)


def test_posts_hidden_by_flags_leave_search_until_shown_again(db):
    question = ask("Question about kites")
    reply = answer(question, "Kites need wind.")
    set_hidden(reply, True)
    assert found("kites") == [("question", question.pk)]
    set_hidden(question, True)
    assert found("kites") == []
    set_hidden(question, False)
    assert found("kites") == [("question", question.pk)]
    set_hidden(reply, False)
    assert len(found("kites")) == 2


def test_merged_tags_are_searched_by_their_new_and_old_names(db):
    old, new = TagFactory(name="ledgers"), TagFactory(name="accounting")
    question = ask("Question about double entry", tags=["ledgers"])
    reply = answer(question, "Debits and credits.")
    merge_tags(sources=[old], target=new)
    assert SearchEntry.objects.get(answer=reply).tags == "accounting"
    assert set(found("[accounting]")) == {("question", question.pk), ("answer", reply.pk)}
    assert set(found("[ledgers]")) == {("question", question.pk), ("answer", reply.pk)}
    assert found("accounting is:question") == [("question", question.pk)]  # the tag's words


def test_invalidated_votes_leave_the_entries_scores(db):
    question = ask("Question about sundials")
    reply = answer(question, "Sundials need sun.")
    voter = UserFactory()
    cast_vote(voter=voter, post=question, value=1)
    cast_vote(voter=voter, post=reply, value=1)
    invalidate_votes(voter=voter)
    assert {e.score for e in SearchEntry.objects.all()} == {0}


def test_votes_and_accepts_update_the_entry(db):
    question = ask("Question about compasses")
    reply = answer(question, "Compasses point north.")
    cast_vote(voter=UserFactory(), post=reply, value=1)
    accept_answer(answer=reply)
    entry = SearchEntry.objects.get(answer=reply)
    assert (entry.score, entry.is_accepted) == (1, True)
    assert SearchEntry.objects.get(question=question, answer=None).answer_count == 1
    accept_answer(answer=reply)
    assert SearchEntry.objects.get(answer=reply).is_accepted is False


def test_rebuild_search_restores_a_lost_index(db):
    question = ask("Question about windmills", "Windmills grind grain.")
    reply = answer(question, "Windmills also pump water.")
    SearchEntry.objects.all().delete()
    assert found("windmills") == []
    from io import StringIO

    out = StringIO()
    call_command("rebuild_search", batch_size=1, stdout=out)
    assert set(found("windmills")) == {("question", question.pk), ("answer", reply.pk)}
    assert "2/2 posts" in out.getvalue()
    call_command("rebuild_search", stdout=StringIO())  # twice: still one entry per post
    assert SearchEntry.objects.count() == 2


# --- The page -----------------------------------------------------------------------------


def test_posts_are_findable_right_after_asking_answering_and_editing(db, client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("questions:ask"),
        {
            "title": "How do I reach the 银行 by tram?",
            "body": "I need to get to the bank downtown by tram, 快捷 please.",
            "tags": "transport",
        },
    )
    assert response.status_code == 302
    question = Question.objects.get()
    assert result_links(client.get(SEARCH_URL, {"q": "银行 tram"})) == [question.get_absolute_url()]

    client.post(
        reverse("answers:post", kwargs={"pk": question.pk}),
        {"body": "Take line 3 to the funicular, then walk two blocks."},
    )
    reply = question.answers.get()
    assert result_links(client.get(SEARCH_URL, {"q": "funicular"})) == [
        f"{question.get_absolute_url()}#answer-{reply.pk}"
    ]

    client.post(
        reverse("answers:edit", kwargs={"pk": reply.pk}),
        {"body": "Take the gondola instead, it is faster than walking."},
    )
    assert result_links(client.get(SEARCH_URL, {"q": "funicular"})) == []
    assert len(result_links(client.get(SEARCH_URL, {"q": "gondola"}))) == 1

    client.post(reverse("answers:delete", kwargs={"pk": reply.pk}))
    assert result_links(client.get(SEARCH_URL, {"q": "gondola"})) == []


def test_result_page_shows_kind_snippet_score_and_tags(db, client):
    question = ask("Why is the sky blue?", "Light scatters <em>in</em> the air.", tags=["physics"])
    answer(question, "Rayleigh scattering: short wavelengths scatter more. <script>x</script>")
    response = client.get(SEARCH_URL, {"q": "scattering"})
    assert response.status_code == 200
    html = response.text
    assert "2 results" in html
    assert "<mark>scattering</mark>" in html
    assert "<script>x</script>" not in html
    assert 'href="/tags/physics/"' in html
    assert 'data-score="0"' in html
    assert "A:" in html and "Q:" in html


def test_both_search_boxes_show_the_query_as_typed(db, client):
    html = client.get(SEARCH_URL, {"q": '支付宝  "fast pay" <b>'}).text
    assert html.count('value="支付宝 &quot;fast pay&quot; &lt;b&gt;"') == 2
    assert "ParsedQuery" not in html


@pytest.mark.parametrize(
    "q",
    [
        "",
        " ",
        "x" * 5000,
        "银行" * 2500,
        '"',
        '"""',
        "[",
        "]",
        "[]",
        "is:",
        "user:",
        "score:",
        "answers:x",
        "%",
        "%%_",
        "\\",
        "\\'\\\"",
        "'; DROP TABLE questions_question; --",
        "1' OR '1'='1",
        "NEAR(a b) AND OR NOT ^ * : ( ) { } -",
        'title:"x" body:y',
        "abc \x1b[31m \x7f",
        "🙂🙂",
        "<script>alert(1)</script>",
    ],
)
def test_bad_input_is_a_normal_page(db, client, q):
    ask("A question about something searchable", "Body of the searchable question.")
    response = client.get(SEARCH_URL, {"q": q})
    assert response.status_code == 200
    assert "<script>alert" not in response.text


def test_empty_and_overlong_queries_get_a_message(db, client):
    assert "Type a few words" in client.get(SEARCH_URL).text
    assert "nothing to search for" in client.get(SEARCH_URL, {"q": "%%"}).text
    assert "only its first 200 characters" in client.get(SEARCH_URL, {"q": "a " * 3000}).text


def test_capped_results_say_so(db, client, monkeypatch):
    monkeypatch.setattr("search.backends.MAX_RESULTS", 2)
    for n in range(3):
        ask(f"Capped page question {n} about marbles")
    response = client.get(SEARCH_URL, {"q": "marbles"})
    assert "More than 2 posts match" in response.text
    assert len(result_links(response)) == 2


def test_pagination(db, client):
    for n in range(23):
        ask(f"Numbered question {n} about pagination")
    first = client.get(SEARCH_URL, {"q": "pagination"})
    assert len(result_links(first)) == 20
    assert "23 results" in first.text
    assert len(result_links(client.get(SEARCH_URL, {"q": "pagination", "page": 2}))) == 3
    assert client.get(SEARCH_URL, {"q": "pagination", "page": "x"}).status_code == 200
    assert client.get(SEARCH_URL, {"q": "pagination", "sort": "nonsense"}).status_code == 200


@pytest.mark.parametrize("results", [1, 8])
def test_search_page_query_count_is_flat(db, client, django_assert_num_queries, results):
    for n in range(results):
        question = ask(f"Flat question {n} about aqueducts", tags=["rome", f"t{n}"])
        answer(question, "Aqueducts carried water.")
    # the time slices (then cached), the count, the page, its questions (for URLs), its authors
    with django_assert_num_queries(5):
        response = client.get(SEARCH_URL, {"q": "aqueducts"})
    assert len(result_links(response)) == 2 * results
