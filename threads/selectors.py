"""Reads of a whole thread: the question and its answers with everything they carry.

A thread joins tables from several apps (comments, votes, close votes), so its reads live here,
above all of them, and the thread page and the JSON API share them.
"""

from django.db.models import Prefetch, Q

from answers.models import Answer
from comments.selectors import attach_comments, with_comments
from core import permissions
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
    return Question.objects.select_related("author", "category", "related_list").prefetch_related(
        Prefetch("tags", Tag.objects.order_by("name"))
    )


def thread_answers(question, viewer, order: str = "votes"):
    """The answers `viewer` may see on `question`'s thread, in the ANSWER_ORDERS `order`: public
    ones, plus the viewer's own deleted or hidden ones, and every answer for moderators. The
    question and each answer get their visible comments and the viewer's votes: one query
    each for the whole thread. Each answer's `question` is the one given: no query per
    answer."""
    answers = question.answers.all()
    if not permissions.is_moderator(viewer):
        visible = Q(deleted_at__isnull=True, hidden_at__isnull=True)
        if viewer.is_authenticated:
            visible |= Q(author=viewer)
        answers = answers.filter(visible)
    answers = _with_comments(question, answers, order)
    attach_viewer_votes(question, answers, viewer)
    return answers


def every_answer(question, order: str = "votes") -> list:
    """Every answer on `question`'s thread, deleted and hidden ones too, as `thread_answers`
    gives them but for the viewer's votes: what any reader's view of the thread is cut from
    (`visible_to`), so it can be kept for all of them (threads.rows)."""
    return _with_comments(question, question.answers.all(), order)


def _with_comments(question, answers, order: str) -> list:
    """`answers` in `order` with their authors, each with its `question` (no query per answer);
    the question and each answer get their visible comments (one query for all)."""
    answers = list(answers.select_related("author").order_by(*ANSWER_ORDERS[order]))
    for answer in answers:
        answer.question = question
    attach_comments(question, answers)
    return answers


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
