"""A thread's rows kept in the shared cache for signed-in readers.

A member's view of a thread read the question with its tags, every answer with its author and
every comment from PostgreSQL, and built the model instances, before anything was rendered:
8 of a 50-answer thread's 25 ms. Those rows are the same for every reader but for which
answers each may see (their own deleted ones, every one for moderators) and their votes, so
they are kept, as one pickle of the question and every answer (`selectors.every_answer`),
under the thread's stamp (`threads.fragments.stamp`: the site and thread versions read before
any row, so what is kept is at least as new as it) and the answer order. Each reader then gets
the answers they may see (`selectors.visible_to`) and their own votes, read afresh.

What a write elsewhere changes without moving this thread's versions is the authors' reputation
(a vote in another thread): it is read afresh too, in one query, on every kept read. Visitors
neither read nor keep rows: the page cache serves their second view whole, and a crawler's
first view of a thread should not pay for keeping what nobody reads again.

The pickles hold model instances, so the key carries the shape of the models they are made of:
a release that adds a field reads nothing another release kept.
"""

from __future__ import annotations

import hashlib

from django.contrib.auth import get_user_model

from answers.models import Answer
from comments.models import Comment
from core.statements import Statement
from pagecache import fragments as shared
from questions.models import Question, Tag
from votes.selectors import attach_viewer_votes

from . import selectors


def _shape() -> str:
    models = (Question, Answer, Comment, Tag, get_user_model())
    fields = ";".join(
        f"{model._meta.label}:{','.join(f.attname for f in model._meta.concrete_fields)}"
        for model in models
    )
    return hashlib.md5(fields.encode(), usedforsecurity=False).hexdigest()[:10]


SHAPE = _shape()


def _key(stamp: str, question_id: int, order: str) -> str:
    return f"rows:{SHAPE}:{stamp}:{question_id}:{order}"


class ThreadRows:
    """A thread's rows for `request.user`: `question` at once (Http404 when there is none;
    with its author, category, tags and stored related ids), then `answers()`: those they may
    see in `order`, each with its comments and the viewer's votes, as `selectors` gives them.
    From the kept rows when a member reads a thread kept under `stamp`; else read, and kept
    for a member. The question comes first so that a 404 or a redirect reads no answer."""

    def __init__(self, request, question_id: int, order: str, stamp: str | None):
        self.viewer = request.user
        self.order = order
        signed_in = self.viewer.is_authenticated
        self.key = _key(stamp, question_id, order) if stamp and signed_in else None
        kept = shared.get_many([self.key]).get(self.key) if self.key else None
        if kept is not None:
            self.question, self.kept = kept
            _fresh_reputation([self.question, *self.kept])
        else:
            self.question = selectors.thread_question(question_id)
            self.kept = None

    def answers(self) -> list:
        question, viewer = self.question, self.viewer
        if self.key is None:
            return selectors.thread_answers(question, viewer, self.order)
        if self.kept is None:
            self.kept = selectors.every_answer(question, self.order)
            shared.set_many({self.key: (question, self.kept)})
        answers = selectors.visible_to(self.kept, viewer)
        attach_viewer_votes(question, answers, viewer)
        return answers


_REPUTATION = Statement(
    get_user_model(), lambda ids: get_user_model().objects.filter(pk__in=ids).only("reputation")
)


def _fresh_reputation(posts) -> None:
    """The authors' reputation as it is now (votes in other threads move it): one query."""
    authors = {}
    for post in posts:
        authors.setdefault(post.author_id, []).append(post.author)
    for now in _REPUTATION.rows(list(authors)):
        for author in authors[now.pk]:
            author.reputation = now.reputation
