"""The thread page's "Related questions", found ahead of the request, never in it.

`similar_questions` ranks candidates from several index lookups: too slow for every thread
view at a million questions (bench/README.md). So a background task (`search.tasks
.compute_related`) stores each question's list in `RelatedQuestions`: when it is asked, when
its title or tags are edited or merged, and for existing questions `manage.py compute_related
--missing` (run it once after deploying this, and `--older-than DAYS` from cron to pick up newer
questions).

The thread page reads the stored ids with the question itself (the thread selector joins
them) and the questions by primary key, taking only the visible ones: a question deleted or
hidden since drops out at once, and titles are always current. A question without a stored
list yet shows the newest visible questions sharing its first tag (a range of the tag link
table's (tag, question) index). Reading a page never queues anything: a GET writes nothing,
not even a task row, so a crawler walking unstored threads cannot fill the task queue.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from core.statements import Statement
from pagecache import versions as page_versions
from questions.models import Question

from .models import RelatedQuestions
from .similar import LINK_FIELDS, similar_questions

# Stored beyond what the page shows, so questions deleted later leave others to show.
STORED = 10
QUEUE_SECONDS = 300
# Fallback: the newest links of the first tag read, of which the visible ones are shown.
FALLBACK_CANDIDATES = 20
# Questions per queued task (about 50 ms each at a million questions).
TASK_BATCH = 100


def _listed(ids):
    return Question.objects.visible().filter(pk__in=ids).only(*LINK_FIELDS)


def _sharing(tag_id, question_id, *, limit: int):
    links = Question.tags.through.objects.filter(tag_id=tag_id).exclude(question_id=question_id)
    newest = links.order_by("-question_id").values("question_id")[:FALLBACK_CANDIDATES]
    shown = Question.objects.visible().filter(pk__in=newest).only(*LINK_FIELDS)
    return shown.order_by("-pk")[:limit]


# Compiled once per process (core.statements): compiling cost more than running them.
_LISTED = Statement(Question, _listed)
_SHARING = Statement(Question, _sharing)


def related_questions(question: Question, *, limit: int = 5) -> list[Question]:
    """Up to `limit` visible questions related to `question`, best first: one query.

    `question` must have its tags prefetched and, to spare a query, its `related_list`
    selected (`threads.selectors.thread_questions` does both)."""
    try:
        stored = question.related_list
    except RelatedQuestions.DoesNotExist:
        return _sharing_first_tag(question, limit)
    ids = stored.ids[:STORED]
    if not ids:
        return []
    by_id = {found.pk: found for found in _LISTED.rows(ids)}
    return [by_id[pk] for pk in ids if pk in by_id][:limit]


def _sharing_first_tag(question: Question, limit: int) -> list[Question]:
    tags = list(question.tags.all())
    if not tags:
        return []
    return _SHARING.rows(tags[0].pk, question.pk, limit=limit)


def queue(question_ids: Iterable[int]) -> None:
    """Queue the computation for these questions, once per `QUEUE_SECONDS` each, after the
    current transaction commits (the task must see what it wrote)."""
    ids = [pk for pk in question_ids if cache.add(f"related:queued:{pk}", 1, QUEUE_SECONDS)]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))


def requeue(question_ids: Iterable[int]) -> None:
    """Queue the computation now that these questions' titles or tags changed."""
    ids = sorted(question_ids)
    cache.delete_many([f"related:queued:{pk}" for pk in ids])
    queue(ids)


def _enqueue(ids: list[int]) -> None:
    from .tasks import compute_related

    # A tag merge may touch thousands: tasks of a bounded size, which workers share.
    for start in range(0, len(ids), TASK_BATCH):
        compute_related.enqueue(ids[start : start + TASK_BATCH])


def compute(question_ids: Iterable[int]) -> int:
    """Find and store the related questions of these questions; returns how many stored.
    Each store moves only its own thread's page version (its page then shows the list)."""
    done = 0
    questions = Question.objects.filter(pk__in=list(question_ids)).prefetch_related("tags")
    for question in questions.only("id", "title"):
        found = similar_questions(question.title, exclude=question, limit=STORED)
        with page_versions.thread_scope(question.pk):
            RelatedQuestions.objects.update_or_create(
                question_id=question.pk,
                defaults={"ids": [q.pk for q in found], "computed_at": timezone.now()},
            )
        done += 1
    return done


# --- receivers (search.apps) ---------------------------------------------------------------


def on_post_created(sender, post, **kwargs) -> None:
    """`post_created`: a new question gets its list."""
    if post._meta.model_name == "question":
        requeue([post.pk])


def on_post_revised(sender, post, **kwargs) -> None:
    """`post_revised`: an edited question may have a new title or new tags."""
    if post._meta.model_name == "question":
        requeue([post.pk])


def on_questions_retagged(sender, question_ids, **kwargs) -> None:
    """`questions_retagged`: merged or renamed tags."""
    requeue(question_ids)
