"""Reads of a whole thread: the question and its answers with everything they carry.

A thread joins tables from several apps (comments, votes, close votes), so its reads live here,
above all of them, and the thread page and the JSON API share them.
"""

from django.db.models import Prefetch, Q
from django.http import Http404

from accounts.models import private_fields
from answers.models import Answer
from comments.selectors import attach_comments, with_comments
from core import permissions
from core.statements import Statement
from questions.models import Question, Tag
from votes.selectors import attach_viewer_votes

# `?answers=` on a thread: the accepted answer stays first in every order. "votes" (the
# default): by score, highest first, then oldest first, as the contract orders a thread.
ANSWER_ORDERS = {
    "votes": ("-is_accepted", "-score", "created_at", "id"),
    "newest": ("-is_accepted", "-created_at", "-id"),
    "oldest": ("-is_accepted", "created_at", "id"),
}
ANSWER_ORDER = ANSWER_ORDERS["votes"]


def thread_questions():
    """Questions with what the thread page shows of them: author, category, tags by name and
    its stored related question ids (`search.related`). Two queries for one question, however
    many tags it has; `thread_answers` gives it its comments and the viewer's votes, with the
    answers'. The duplicate target is not joined: only a question closed as a duplicate shows
    it (one more query, then), and joining the questions table to itself made PostgreSQL plan
    every thread's first statement in 0.5 ms rather than 0.19."""
    return (
        Question.objects.select_related("author", "category", "related_list")
        .defer(*private_fields("author"))
        .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
    )


# `thread_questions()`'s joins; its tags come from _TAGS (a statement prefetches nothing).
_QUESTION = Statement(Question, lambda pk: thread_questions().prefetch_related(None).filter(pk=pk))
_TAGS = Statement(
    Tag, lambda question_id: Tag.objects.filter(questions=question_id).order_by("name")
)


def thread_question(pk: int) -> Question:
    """What `thread_questions().get(pk=pk)` gives (Http404 when there is no such question), from
    statements compiled once per process (`core.statements`): the same two queries."""
    found = _QUESTION.rows(pk)
    if not found:
        raise Http404("No question matches the given query.")
    question = found[0]
    tags = Tag.objects.all()  # as a prefetch leaves it: `question.tags.all()` reads no row
    tags._result_cache = _TAGS.rows(pk)
    tags._prefetch_done = True
    question._prefetched_objects_cache = {"tags": tags}
    return question


def _answers_query(question_id, viewer_id=None, *, order: str, who: str):
    answers = Answer.objects.filter(question_id=question_id)
    public = Q(deleted_at__isnull=True, hidden_at__isnull=True)
    if who == "public":
        answers = answers.filter(public)
    elif who == "member":
        answers = answers.filter(public | Q(author_id=viewer_id))
    return (
        answers.select_related("author")
        .defer(*private_fields("author"))
        .order_by(*ANSWER_ORDERS[order])
    )


_ANSWERS = Statement(Answer, _answers_query)


def thread_answers(question, viewer, order: str = "votes"):
    """The answers `viewer` may see on `question`'s thread, in the ANSWER_ORDERS `order`: public
    ones, plus the viewer's own deleted or hidden ones, and every answer for moderators. The
    question and each answer get their visible comments and the viewer's votes: one query
    each for the whole thread. Each answer's `question` is the one given: no query per
    answer."""
    if permissions.is_moderator(viewer):
        answers = _ANSWERS.rows(question.pk, order=order, who="all")
    elif viewer.is_authenticated:
        answers = _ANSWERS.rows(question.pk, viewer.pk, order=order, who="member")
    else:
        answers = _ANSWERS.rows(question.pk, order=order, who="public")
    _with_comments(question, answers)
    attach_viewer_votes(question, answers, viewer)
    return answers


def every_answer(question, order: str = "votes") -> list:
    """Every answer on `question`'s thread, deleted and hidden ones too, as `thread_answers`
    gives them but for the viewer's votes: what any reader's view of the thread is cut from
    (`visible_to`), so it can be kept for all of them (threads.rows)."""
    answers = _ANSWERS.rows(question.pk, order=order, who="all")
    _with_comments(question, answers)
    return answers


def _with_comments(question, answers: list) -> None:
    """Each answer gets its `question` (no query per answer); the question and each answer
    get their visible comments (one query for all)."""
    for answer in answers:
        answer.question = question
    attach_comments(question, answers)


def visible_to(answers, viewer) -> list:
    """Those of `every_answer` that `thread_answers` gives `viewer`, in the same order."""
    if permissions.is_moderator(viewer):
        return list(answers)
    own = viewer.pk if viewer.is_authenticated else None
    return [
        answer
        for answer in answers
        if (answer.deleted_at is None and answer.hidden_at is None) or answer.author_id == own
    ]


def public_thread(pk):
    """A visible question with its visible answers (as `visible_answers`) and comments, for
    readers who are nobody in particular (the API)."""
    answers = with_comments(Answer.objects.visible().select_related("author")).order_by(
        *ANSWER_ORDER
    )
    questions = with_comments(
        Question.objects.visible()
        .select_related("author", "category")
        .prefetch_related(Prefetch("tags", Tag.objects.order_by("name")))
    ).prefetch_related(Prefetch("answers", answers, to_attr="visible_answers"))
    return questions.get(pk=pk)
