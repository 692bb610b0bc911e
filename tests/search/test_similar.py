"""Similar questions: the ranking function, the ask form's check step, the fragment that
similar.js fetches, and the thread page's "Related questions" sidebar."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from questions.models import Question
from search.similar import similar_questions, title_terms
from tests.factories import AnswerFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

ASK = "/questions/ask/"


def titles(questions):
    return [q.title for q in questions]


def test_title_terms_are_words_without_stop_words_and_cjk_bigrams():
    assert title_terms("How do I refund payments in Alipay?") == ["refund", "payment", "alipay"]
    assert title_terms("支付宝转账到银行卡") == [
        "支付",
        "付宝",
        "宝转",
        "转账",
        "账到",
        "到银",
        "银行",
        "行卡",
    ]
    assert title_terms("Alipay 支付宝 refund") == ["alipay", "支付", "付宝", "refund"]
    assert title_terms("猫") == ["猫"]
    assert title_terms("") == []


def test_similar_questions_rank_title_overlap_first():
    best = QuestionFactory(title="How do I refund an Alipay payment to my bank?")
    partial = QuestionFactory(title="Alipay keeps asking for my passport number")
    QuestionFactory(title="Why are cats afraid of cucumbers, really?")
    found = similar_questions("Refund an Alipay payment")
    assert titles(found) == [best.title, partial.title]


def test_similar_questions_find_chinese_titles_by_bigrams():
    bank = QuestionFactory(title="支付宝的钱怎么转到银行卡里面")
    QuestionFactory(title="今天的心情像一只猫一样懒洋洋")
    assert titles(similar_questions("支付宝转账到银行卡")) == [bank.title]


def test_shared_tags_count_and_rank_below_title_overlap():
    payments = TagFactory(name="payments")
    by_title = QuestionFactory(title="Refund an Alipay payment, how long?", tags=[TagFactory()])
    by_tag = QuestionFactory(title="Something entirely different here", tags=[payments])
    found = similar_questions("Refund an Alipay payment", tags=["payments"])
    assert titles(found) == [by_title.title, by_tag.title]


def test_exclude_leaves_the_question_out_and_lends_its_tags():
    tag = TagFactory(name="banks")
    question = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    same_tag = QuestionFactory(title="Opening hours on Sunday afternoons", tags=[tag])
    question = Question.objects.prefetch_related("tags").get(pk=question.pk)
    assert titles(similar_questions(question.title, exclude=question)) == [same_tag.title]


def test_deleted_questions_are_never_similar():
    QuestionFactory(title="Refund an Alipay payment please", deleted_at=timezone.now())
    assert similar_questions("Refund an Alipay payment") == []


def test_limit_and_nothing_to_compare():
    for n in range(4):
        QuestionFactory(title=f"Refund an Alipay payment, attempt {n}")
    assert len(similar_questions("Refund an Alipay payment", limit=2)) == 2
    assert similar_questions("") == []
    assert similar_questions("how do I do it?") == []  # stop words only


def test_similar_questions_is_one_query(django_assert_num_queries):
    QuestionFactory.create_batch(3, title="Refund an Alipay payment today")
    with django_assert_num_queries(1):
        assert len(similar_questions("Refund an Alipay payment", tags=["payments"])) == 3


# --- the ask form without JavaScript -------------------------------------------------------


def test_check_similar_rerenders_the_form_with_the_list_and_saves_nothing(client):
    existing = QuestionFactory(title="How do I refund an Alipay payment?")
    client.force_login(UserFactory())
    data = {
        "title": "Refund an Alipay payment",
        "body": "",
        "tags": "payments",
        "check_similar": "1",
    }
    response = client.post(ASK, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert existing.get_absolute_url() in html
    assert 'value="Refund an Alipay payment"' in html  # the form keeps what was typed
    assert 'name="check_similar"' in html
    assert "Please fix the problems below" not in html  # not validated yet
    assert Question.objects.count() == 1


def test_check_similar_says_when_there_is_none(client):
    client.force_login(UserFactory())
    response = client.post(ASK, {"title": "Quantum chromodynamics", "check_similar": "1"})
    assert response.status_code == 200
    assert "No similar questions found." in response.content.decode()


def test_check_similar_is_not_counted_against_the_ask_limit(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_RATE_LIMITS = {**settings.JOKESITE_RATE_LIMITS, "ask": ("1/h", "1/h")}
    client.force_login(UserFactory())
    for _ in range(3):
        assert client.post(ASK, {"title": "anything", "check_similar": "1"}).status_code == 200
    data = {
        "title": "A question title that is long enough",
        "body": "A body that is long enough to pass the form's minimum.",
        "tags": "misc",
    }
    assert client.post(ASK, data).status_code == 302
    assert client.post(ASK, data).status_code == 429


def test_the_post_button_still_posts(client):
    client.force_login(UserFactory())
    data = {
        "title": "A question title that is long enough",
        "body": "A body that is long enough to pass the form's minimum.",
        "tags": "misc",
    }
    assert client.post(ASK, data).status_code == 302
    assert Question.objects.count() == 1


# --- the fragment for similar.js -----------------------------------------------------------


def test_fragment_lists_similar_questions(client):
    existing = QuestionFactory(title="How do I refund an Alipay payment?")
    response = client.get("/questions/similar/", {"title": "refund alipay"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert existing.get_absolute_url() in html
    assert existing.title.replace("?", "") in html


def test_fragment_escapes_titles(client):
    QuestionFactory(title="Alipay <script>alert(1)</script> refund")
    html = client.get("/questions/similar/", {"title": "alipay refund"}).content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_fragment_is_empty_without_a_title(client):
    response = client.get("/questions/similar/")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_fragment_is_rate_limited_by_ip(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.JOKESITE_READ_RATE_LIMITS = {**settings.JOKESITE_READ_RATE_LIMITS, "similar": "2/m"}
    statuses = [client.get("/questions/similar/?title=x").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_ask_page_loads_similar_js(client):
    client.force_login(UserFactory())
    html = client.get(ASK).content.decode()
    assert "js/similar.js" in html
    assert 'data-similar-url="/questions/similar/"' in html


# --- the thread's sidebar ------------------------------------------------------------------


def test_thread_sidebar_lists_related_questions(client):
    tag = TagFactory(name="banks")
    question = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    related = QuestionFactory(title="Best bank for students abroad", tags=[tag])
    unrelated = QuestionFactory(title="Cats and cucumbers, a love story")
    html = client.get(question.get_absolute_url()).content.decode()
    sidebar = html[html.index('class="sidebar"') : html.index("</aside>")]
    assert "Related questions" in sidebar
    assert related.get_absolute_url() in sidebar
    assert unrelated.get_absolute_url() not in sidebar
    assert question.get_absolute_url() not in sidebar


def _thread_queries(client, question) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("answers", [2, 50])
def test_anonymous_thread_page_stays_within_8_queries(client, answers):
    tag = TagFactory(name="banks")
    question = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    QuestionFactory.create_batch(3, title="Best bank for students abroad", tags=[tag])
    AnswerFactory.create_batch(answers, question=question)
    # question, its tags, its comments, answers, their comments, related questions
    assert _thread_queries(client, question) <= 8


def test_anonymous_thread_page_queries_do_not_grow_with_answers(client):
    tag = TagFactory(name="banks")
    small = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    large = QuestionFactory(title="Which bank is best for teachers?", tags=[tag])
    AnswerFactory.create_batch(2, question=small)
    AnswerFactory.create_batch(50, question=large)
    assert _thread_queries(client, small) == _thread_queries(client, large)


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="title terms are kept on PostgreSQL only"
)


def _terms(question) -> set[str]:
    from search.models import TitleTerm

    return set(TitleTerm.objects.filter(question=question).values_list("term", flat=True))


@needs_postgresql
def test_title_terms_follow_the_title_through_edits_and_deletion():
    from revisions.services import edit_post
    from search.models import TitleTerm

    question = QuestionFactory(title="Payments through 支付宝 at the counter")
    assert {"payment", "支付", "付宝", "counter"} <= _terms(question)
    edit_post(
        editor=question.author,
        post=question,
        body=question.body,
        title="Why do branches close so early",
        tags=question.tag_names(),
        category=question.category,
    )
    assert "branch" in _terms(question) and "payment" not in _terms(question)
    pk = question.pk
    question.delete()
    assert not TitleTerm.objects.filter(question_id=pk).exists()


@needs_postgresql
def test_a_common_term_yields_its_newest_questions(django_assert_num_queries):
    """However many titles hold a word, the candidates are the newest that do."""
    from search.similar import PER_SOURCE

    old = [QuestionFactory(title=f"Ledger question number {n}") for n in range(PER_SOURCE + 5)]
    newest = QuestionFactory(title="Ledger balancing on weekends")
    with django_assert_num_queries(1):
        found = similar_questions("How is a ledger balanced on weekends", limit=3)
    assert found[0] == newest
    assert old[0] not in similar_questions("ledger", limit=PER_SOURCE + 10)


@needs_postgresql
def test_postgresql_connections_do_not_jit_compile():
    """JIT compiling cost 300 ms on a 5 ms similar-questions query at a million questions."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


# --- ranking in the statement (PostgreSQL), exact ranking of the best few --------------------


@pytest.fixture
def few_candidates(monkeypatch):
    """Small sources and a small cut, so a few questions exercise what a million would."""
    from search import similar

    monkeypatch.setattr(similar, "PER_SOURCE", 3)
    monkeypatch.setattr(similar, "RANKED", 2)


def test_more_term_hits_rank_first_though_found_by_one_term_only(few_candidates):
    """The best is older than the newest few holding each of its common terms: found by its
    rare term alone, yet ranked by all the terms it holds."""
    best = QuestionFactory(title="Ledger audit quarterly zucchini")
    for word in ("ledger", "audit", "quarterly"):
        for n in range(4):
            QuestionFactory(title=f"{word.title()} entry {n} for later")
    found = similar_questions("Quarterly ledger audit of zucchini", limit=2)
    assert found[0] == best


def test_shared_tags_count_beyond_the_tags_newest(few_candidates):
    """Two titles alike; the older shares the tag but is not among the tag's newest."""
    banks = TagFactory(name="banks")
    tagged = QuestionFactory(title="Cheap cucumber recipes for winter", tags=[banks])
    QuestionFactory(title="Cheap cucumber recipes for winter?", tags=[TagFactory()])
    QuestionFactory.create_batch(4, title="Unrelated words entirely", tags=[banks])
    found = similar_questions("Cheap cucumber recipes", tags=["banks"], limit=2)
    assert found[0] == tagged


def test_hidden_and_deleted_questions_never_crowd_out_visible_ones(few_candidates, monkeypatch):
    """Found, and better matches, but dropped before the best few are chosen."""
    from search import similar

    monkeypatch.setattr(similar, "PER_SOURCE", 10)
    visible = QuestionFactory(title="Alipay refund takes weeks to arrive")
    for _ in range(3):
        QuestionFactory(title="Refund an Alipay payment", hidden_at=timezone.now())
        QuestionFactory(title="Refund an Alipay payment", deleted_at=timezone.now())
    assert similar_questions("Refund an Alipay payment") == [visible]


@needs_postgresql
def test_only_the_best_few_candidates_are_built(few_candidates, monkeypatch):
    """The statement ranks the candidates; Python builds and ranks only `RANKED` of them."""
    QuestionFactory.create_batch(6, title="Refund an Alipay payment today")
    built = []
    from_db = Question.from_db.__func__

    def counting(cls, *args):
        built.append(1)
        return from_db(cls, *args)

    monkeypatch.setattr(Question, "from_db", classmethod(counting))
    assert len(similar_questions("Refund an Alipay payment", limit=1)) == 1
    assert len(built) == 2
