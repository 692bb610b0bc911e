"""`core.statements`: a queryset compiled once, run again with other values, gives what the
queryset gives, in one statement, and refuses what it cannot keep."""

import threading
from unittest import mock

import pytest
from django.db import DatabaseError, connection, connections
from django.db.backends.utils import CursorWrapper
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from answers.models import Answer
from core.statements import Statement, StatementError, _numbered, readable
from questions.models import Question
from tests.factories import AnswerFactory, QuestionFactory, TagFactory, UserFactory
from threads import selectors

pytestmark = pytest.mark.django_db


def answers_of(question_id, *, newest: bool):
    order = ("-created_at", "-id") if newest else ("created_at", "id")
    return Answer.objects.filter(question_id=question_id).select_related("author").order_by(*order)


def fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def same(kept: list, made: list) -> None:
    assert [fields(o) for o in kept] == [fields(o) for o in made]
    assert [type(o) for o in kept] == [type(o) for o in made]


def test_the_same_rows_and_related_objects_as_the_queryset(django_assert_num_queries):
    statement = Statement(Answer, answers_of)
    first, second = QuestionFactory(), QuestionFactory()
    AnswerFactory.create_batch(3, question=first)
    AnswerFactory.create_batch(2, question=second)
    for question in (first, second, first):
        for newest in (False, True):
            with django_assert_num_queries(1):  # the authors come with the answers
                kept = statement.rows(question.pk, newest=newest)
                authors = [answer.author for answer in kept]
            same(kept, list(answers_of(question.pk, newest=newest)))
            same(authors, [a.author for a in answers_of(question.pk, newest=newest)])
            assert all(not answer._state.adding for answer in kept)
    # One compilation per fixed argument, whatever the values.
    assert len(statement._local.kept) == 2
    assert statement.rows(10**9, newest=False) == []
    # Too large for any database integer: the queryset's own answer, not the driver's error.
    by_pk = Statement(Question, lambda pk: Question.objects.filter(pk=pk))
    assert by_pk.rows(10**30) == []
    assert by_pk.rows(first.pk) == [first]


def test_list_values_are_padded_to_few_shapes():
    statement = Statement(Question, lambda ids: Question.objects.filter(pk__in=ids).order_by("pk"))
    questions = QuestionFactory.create_batch(6)
    ids = [q.pk for q in questions]
    for n in range(1, 7):
        assert [q.pk for q in statement.rows(ids[:n])] == ids[:n]  # no row twice
    assert [q.pk for q in statement.rows(tuple(ids[2:5]))] == ids[2:5]
    # Lengths 1, 2, 3-4 and 5-8: four shapes for six lengths.
    assert len(statement._local.kept) == 4
    with pytest.raises(StatementError):
        statement.rows([])


def test_deferred_fields_and_joins_through_a_subquery():
    tag = TagFactory()
    questions = QuestionFactory.create_batch(3)
    for question in questions:
        question.tags.add(tag)

    def sharing(tag_id, question_id):
        links = Question.tags.through.objects.filter(tag_id=tag_id).exclude(question_id=question_id)
        return Question.objects.filter(pk__in=links.values("question_id")).only("title")

    statement = Statement(Question, sharing)
    kept = statement.rows(tag.pk, questions[0].pk)
    assert sorted(q.pk for q in kept) == sorted(q.pk for q in questions[1:])
    assert all(q.get_deferred_fields() for q in kept)
    assert {q.title for q in kept} == {q.title for q in questions[1:]}


def test_what_cannot_be_kept_is_refused():
    question = QuestionFactory()
    # A value the SQL does not carry: the next run would give the first value's rows.
    ignores = Statement(Question, lambda pk: Question.objects.filter(pk=question.pk))
    with pytest.raises(StatementError, match="not among"):
        ignores.rows(question.pk)
    # Something that changes from one compilation to the next.
    moving = Statement(
        Question, lambda pk: Question.objects.filter(pk=pk, created_at__lte=timezone.now())
    )
    with pytest.raises(StatementError, match="changes"):
        moving.rows(question.pk)
    prefetching = Statement(
        Question, lambda pk: Question.objects.filter(pk=pk).prefetch_related("tags")
    )
    with pytest.raises(StatementError):
        prefetching.rows(question.pk)
    other_model = Statement(Answer, lambda pk: Question.objects.filter(pk=pk))
    with pytest.raises(StatementError):
        other_model.rows(question.pk)


def test_each_thread_compiles_its_own():
    statement = Statement(Question, lambda pk: Question.objects.filter(pk=pk))
    question = QuestionFactory()
    assert statement.rows(question.pk) == [question]
    seen = []
    thread = threading.Thread(target=lambda: seen.append(getattr(statement._local, "kept", None)))
    thread.start()
    thread.join()
    assert seen == [None]


def test_thread_question_is_the_selector_s_question(django_assert_num_queries):
    question = QuestionFactory()
    question.tags.add(TagFactory(name="zeta"), TagFactory(name="alpha"))
    expected = selectors.thread_questions().get(pk=question.pk)
    with django_assert_num_queries(2):
        found = selectors.thread_question(question.pk)
    with django_assert_num_queries(0):
        names = [t.name for t in found.tags.all()]
    assert names == [t.name for t in expected.tags.all()]
    assert names[0] == "alpha" and names[-1] == "zeta"
    with django_assert_num_queries(0):
        assert found.author == expected.author
        assert found.category == expected.category
    same([found], [expected])
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.thread_question(10**9)


def test_thread_answers_match_the_rule_for_each_reader():
    author, other = UserFactory(), UserFactory()
    question = QuestionFactory()
    public = AnswerFactory(question=question)
    own_deleted = AnswerFactory(question=question, author=author, deleted_at=timezone.now())
    AnswerFactory(question=question, hidden_at=timezone.now())
    for viewer in (author, other):
        got = selectors.thread_answers(question, viewer)
        rule = Q(deleted_at__isnull=True, hidden_at__isnull=True) | Q(author=viewer)
        assert [a.pk for a in got] == [
            a.pk for a in question.answers.filter(rule).order_by(*selectors.ANSWER_ORDER)
        ]
    assert {a.pk for a in selectors.thread_answers(question, author)} == {public.pk, own_deleted.pk}


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="server-side prepared statements: PostgreSQL"
)


@pytest.fixture
def new_names():
    """Names the server session has not prepared, as on a new connection: the generation
    moved past every name this process prepared on it."""
    wrapper = connections["default"]  # `connection` is a proxy, with a __dict__ of its own
    wrapper.ensure_connection()
    kept = wrapper.__dict__.get("_jokesite_prepared")
    generation = kept[2] + 1 if kept and kept[0] is wrapper.connection else 0
    wrapper._jokesite_prepared = [wrapper.connection, set(), generation]
    return generation


def test_placeholders_are_numbered_and_percent_signs_kept():
    sql = "SELECT a FROM t WHERE b = %s AND c LIKE 'x%%' AND d IN (%s, %s)"
    assert _numbered(sql) == "SELECT a FROM t WHERE b = $1 AND c LIKE 'x%%' AND d IN ($2, $3)"


@postgresql_only
def test_prepared_once_per_connection_then_executed(new_names):
    statement = Statement(Answer, answers_of)
    question = QuestionFactory()
    AnswerFactory.create_batch(2, question=question)
    runs = []
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            kept = statement.rows(question.pk, newest=True)
        assert len(captured) == 1  # the PREPARE rides with the first EXECUTE
        same(kept, list(answers_of(question.pk, newest=True)))
        runs.append(captured[0]["sql"])
    assert runs[0].startswith("PREPARE jokesite_")
    assert runs[1].startswith("EXECUTE jokesite_") and runs[2] == runs[1]
    # What an EXECUTE ran can be read back.
    assert 'FROM "answers_answer"' in readable(runs[1])
    assert readable("SELECT 1") == "SELECT 1"


@postgresql_only
def test_after_an_error_the_statements_are_prepared_again_under_new_names(new_names):
    statement = Statement(Question, lambda pk: Question.objects.filter(pk=pk))
    question = QuestionFactory()
    assert statement.rows(question.pk) == [question]
    failing = mock.patch.object(
        CursorWrapper, "execute", side_effect=DatabaseError("the server went away")
    )
    with failing, pytest.raises(DatabaseError):
        statement.rows(question.pk)
    with CaptureQueriesContext(connection) as captured:
        assert statement.rows(question.pk) == [question]
    # Whether the failed round trip prepared it is unknown: a new name, prepared again.
    assert captured[0]["sql"].startswith("PREPARE jokesite_")
    assert f"_{new_names + 1} AS " in captured[0]["sql"]


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_new_server_connection_prepares_again():
    statement = Statement(Question, lambda pk: Question.objects.filter(pk=pk))
    question = QuestionFactory()
    statement.rows(question.pk)
    with CaptureQueriesContext(connection) as captured:
        statement.rows(question.pk)
    assert captured[0]["sql"].startswith("EXECUTE jokesite_")
    connection.close()  # the next statement opens a new server session, which has none
    with CaptureQueriesContext(connection) as captured:
        assert statement.rows(question.pk) == [question]
    assert captured[0]["sql"].startswith("PREPARE jokesite_")


def test_off_the_plain_sql_runs(settings):
    settings.JOKESITE_PREPARED_STATEMENTS = False
    statement = Statement(Question, lambda pk: Question.objects.filter(pk=pk))
    question = QuestionFactory()
    with CaptureQueriesContext(connection) as captured:
        assert statement.rows(question.pk) == [question]
    assert captured[0]["sql"].startswith("SELECT ")


def test_counts_what_the_queryset_counts(django_assert_num_queries):
    statement = Statement(
        Answer, lambda question_id: Answer.objects.filter(question_id=question_id)
    )
    busy, quiet = QuestionFactory(), QuestionFactory()
    AnswerFactory.create_batch(3, question=busy)
    for question, expected in ((busy, 3), (quiet, 0), (busy, 3)):
        with django_assert_num_queries(1):
            assert statement.count(question.pk) == expected
    # Rows and counts are kept apart: the same statement gives both.
    assert len(statement.rows(busy.pk)) == 3
    # A list would be padded by repeating its last id: counted by the ORM instead.
    by_ids = Statement(Question, lambda ids: Question.objects.filter(pk__in=ids))
    assert by_ids.count([busy.pk, quiet.pk, busy.pk]) == 2
