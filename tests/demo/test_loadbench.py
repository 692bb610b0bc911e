import io
import random
from datetime import UTC, datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q, Sum

from answers.models import Answer
from comments.models import Comment
from core.markdown import render_comment, render_post
from demo.bulk import question_slug
from demo.loadbench import Loader
from demo.pools import Clock, Texts
from demo.words import TextMaker
from questions.models import Question, Tag
from search import index as search
from search.models import SearchEntry, TitleTerm
from search.text import document
from votes.models import ReputationEvent, Vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    stats = Loader(questions=60, users=40, tags=30, seed=3).run()
    return stats


def test_counts_match_the_rows(loaded):
    """Every stored counter is what its rows add up to, and the stats say what was written."""
    connection.check_constraints()  # every foreign key points at a row (checked at commit)
    assert Question.objects.count() == loaded.questions == 60
    assert Answer.objects.count() == loaded.answers > 60
    assert get_user_model().objects.count() == 40
    assert Tag.objects.count() == 30
    assert Comment.objects.count() == loaded.comments > 0
    assert Vote.objects.count() == loaded.votes > 0
    for question in Question.objects.annotate(
        n_answers=Count("answers", distinct=True), n_comments=Count("comments", distinct=True)
    ):
        assert question.answer_count == question.n_answers
        assert question.comment_count == question.n_comments
        votes = Vote.objects.filter(question=question).aggregate(s=Sum("value"))["s"] or 0
        assert question.score == votes
        assert 1 <= question.tags.count() <= 5
        assert question.last_activity_at >= question.created_at
    for answer in Answer.objects.annotate(n_comments=Count("comments")):
        assert answer.comment_count == answer.n_comments
        votes = Vote.objects.filter(answer=answer).aggregate(s=Sum("value"))["s"] or 0
        assert answer.score == votes
        assert answer.created_at >= answer.question.created_at
    accepted = Answer.objects.filter(is_accepted=True)
    assert accepted.count() == loaded.accepted
    assert 10 <= loaded.accepted <= 30  # about a third of 60
    assert not accepted.filter(author_id=F("question__author_id")).exists()
    assert not Vote.objects.filter(
        Q(voter_id=F("question__author_id")) | Q(voter_id=F("answer__author_id"))
    ).exists()


def test_recompute_reputation_finds_nothing(loaded):
    """The ledger is what the votes and accepts are worth, and each total what the ledger
    says: the recount has nothing to fix."""
    out = io.StringIO()
    call_command("recompute_reputation", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "40 members checked: no drift." in out.getvalue()
    assert ReputationEvent.objects.count() == loaded.events > 0
    busiest = get_user_model().objects.order_by("-reputation").first()
    assert busiest.reputation > 1


def test_bodies_are_what_the_renderer_makes(loaded):
    """The pooled HTML is exactly what saving the post through the ORM would store."""
    for post in [*Question.objects.all()[:20], *Answer.objects.all()[:20]]:
        assert post.body_html == render_post(post.body)
        assert "\n\n" in post.body or post.body_html.count("<p>") == 1
    for comment in Comment.objects.all()[:20]:
        assert comment.body_html == render_comment(comment.body)


def test_search_index_is_what_indexing_makes(client, loaded):
    """Every post is in the search index, with the entry `index_post` would write."""
    assert SearchEntry.objects.count() == loaded.questions + loaded.answers == loaded.entries
    fields = ["question_id", "answer_id", "kind", "author_id", "title", "body", "tags", "score",
              "is_accepted", "answer_count", "created_at", "is_visible", "vector",
              "title_vector"]  # fmt: skip
    question = Question.objects.filter(answer_count__gte=2).first()
    entries = SearchEntry.objects.filter(question=question).order_by("answer_id")
    before = list(entries.values_list(*fields))
    terms = TitleTerm.objects.filter(question=question).order_by("term")
    terms_before = list(terms.values_list("term", flat=True))
    assert bool(terms_before) == (connection.vendor == "postgresql")  # SQLite has none
    search.index_post(question)
    assert list(entries.values_list(*fields)) == before
    assert list(terms.values_list("term", flat=True)) == terms_before
    total = SearchEntry.objects.filter(kind="question").count()
    assert TitleTerm.objects.values("question").distinct().count() == (
        total if connection.vendor == "postgresql" else 0
    )
    page = client.get("/search/", {"q": f'"{question.title}"'})
    assert question.get_absolute_url() in page.content.decode()


def test_pages_render(client, loaded):
    """The thread, lists, tags, search and a profile show the loaded content."""
    question = Question.objects.order_by("-answer_count").first()
    answer = question.answers.order_by("-score").first()
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert question.title in page.content.decode()
    assert f'id="answer-{answer.pk}"' in page.content.decode()
    newest = Question.objects.order_by("-last_activity_at", "-id").first()
    assert newest.title in client.get("/").content.decode()
    assert client.get("/questions/?page=2").status_code == 200
    assert client.get("/questions/?sort=unanswered").status_code == 200
    tag = Tag.objects.annotate(n=Count("questions")).order_by("-n").first()
    assert tag.name in client.get("/tags/").content.decode()
    tagged = tag.questions.order_by("-last_activity_at", "-id").first()
    assert tagged.title in client.get(tag.get_absolute_url()).content.decode()
    member = question.author
    assert member.username in client.get(member.get_absolute_url()).content.decode()


def test_loads_twice_into_the_same_database():
    """A second load adds to the first: new ids, new members and tags, nothing clashes."""
    Loader(questions=10, users=10, tags=10, seed=1).run()
    Loader(questions=10, users=10, tags=10, seed=2).run()
    assert Question.objects.count() == 20
    assert get_user_model().objects.count() == 20
    assert Tag.objects.count() == 20
    out = io.StringIO()
    call_command("recompute_reputation", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "no drift" in out.getvalue()


def test_list_counts_match_the_rows(loaded):
    """`is_answered` and the stored list counts (PostgreSQL) are what the rows say."""
    from tests.questions.test_liststore import answered_flags, assert_stored_counts_are_live

    before = answered_flags()
    call_command("recount_lists", stdout=io.StringIO())
    assert answered_flags() == before
    assert any(before.values()) and not all(before.values())
    if connection.vendor == "postgresql":
        assert_stored_counts_are_live()


def test_pooled_titles_and_stamps_are_what_the_site_makes():
    """A title put together from two pooled halves has the slug `Question.save` sets and the
    index form `document` makes of it; a pooled timestamp reads back as the moment it was."""
    rng = random.Random(5)
    texts = Texts(TextMaker(rng), rng, 50)
    for _ in range(300):
        title, slug, doc = texts.title()
        assert slug == question_slug(title)
        assert doc == document(title)
    clock = Clock()
    for moment in (0.0, 1_700_000_000.25, 1_234_567_890.999999, rng.random() * 2e9):
        expected = datetime.fromtimestamp(moment, UTC)
        read = datetime.fromisoformat(clock.stamp(moment))
        assert abs((read - expected).total_seconds()) < 2e-6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")
def test_the_loader_writes_is_answered_itself():
    """A load on PostgreSQL runs with the triggers off and does not recount `is_answered`
    (a rewrite of every question at a million): each question row must carry it."""
    from questions import liststore

    liststore.set_triggers(False)  # as a load outside a test's transaction runs
    try:
        Loader(questions=60, users=40, tags=30, seed=5).run()
    finally:
        with connection.cursor() as cursor:  # no deferred checks pending: the ALTER may run
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        liststore.set_triggers(True)
    answered = set(
        Answer.objects.filter(deleted_at__isnull=True)
        .filter(Q(is_accepted=True) | Q(score__gt=0))
        .values_list("question_id", flat=True)
    )
    flags = dict(Question.objects.values_list("pk", "is_answered"))
    assert {pk for pk, flag in flags.items() if flag} == answered
    assert answered and len(answered) < len(flags)
