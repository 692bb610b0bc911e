"""The review queue (`/review/`): the posts that need a member's attention, newest first.

- questions with active close or reopen votes;
- questions and answers with open flags (hidden by them or not);
- the first post of an account younger than `JOKESITE_REVIEW_NEW_ACCOUNT_DAYS`.

Deleted posts are left out. `queue()` is one union of two querysets (questions, answers) with
the reasons as columns, so a page is a count and one select; `load()` fetches the page's posts
in one query per kind.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from answers.models import Answer
from flags.models import Flag, FlagStatus
from moderation.models import CloseVote
from questions.models import Question

PAGE_SIZE = 20
COLUMNS = ("kind", "pk", "created_at", "open_flags", "close_vote_count", "first_post")


def _count(queryset, field: str):
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _reasons(model, kind: str, since):
    flags = Flag.objects.filter(status=FlagStatus.OPEN, **{kind: OuterRef("pk")})
    if kind == "question":
        close_votes = _count(CloseVote.objects.active().filter(question=OuterRef("pk")), "question")
    else:
        close_votes = Value(0, output_field=IntegerField())
    mine = {"author": OuterRef("author"), "created_at__lt": OuterRef("created_at")}
    first = Q(author__date_joined__gte=since) & ~Exists(Question.objects.filter(**mine))
    first &= ~Exists(Answer.objects.filter(**mine))
    return (
        model.objects.filter(deleted_at__isnull=True)
        .annotate(
            kind=Value(kind, output_field=CharField()),
            open_flags=_count(flags, kind),
            close_vote_count=close_votes,
            first_post=Case(When(first, then=True), default=False, output_field=BooleanField()),
        )
        .filter(Q(open_flags__gt=0) | Q(close_vote_count__gt=0) | Q(first_post=True))
        .values(*COLUMNS)
    )


def queue():
    """Rows (dicts of `COLUMNS`) of every post in the queue, newest first."""
    since = timezone.now() - timedelta(days=settings.JOKESITE_REVIEW_NEW_ACCOUNT_DAYS)
    questions = _reasons(Question, "question", since)
    answers = _reasons(Answer, "answer", since)
    return questions.union(answers, all=True).order_by("-created_at", "kind", "-pk")


def load(rows) -> list[dict]:
    """The page's rows with their posts (`post`), authors and answers' questions joined."""
    rows = list(rows)
    wanted = {"question": set(), "answer": set()}
    for row in rows:
        wanted[row["kind"]].add(row["pk"])
    posts = {
        "question": Question.objects.select_related("author").in_bulk(wanted["question"]),
        "answer": Answer.objects.select_related("author", "question").in_bulk(wanted["answer"]),
    }
    items = []
    for row in rows:
        post = posts[row["kind"]].get(row["pk"])
        if post is not None:
            items.append({**row, "post": post})
    return items
