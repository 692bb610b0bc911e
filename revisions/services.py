"""Editing posts: every change keeps a revision, and rolling back is an edit to an old text.

A new question or answer gets its first revision from `post_created` (see `apps.py`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from core import signals
from core.locks import lock_with_question
from questions.models import Question
from questions.services import set_tags
from search import index as search_index

from .models import Revision, SuggestedEdit

if TYPE_CHECKING:
    from accounts.models import User
    from core.models import Post
    from questions.models import Category


def newest_revision(post: Post) -> int | None:
    """The number of the post's newest revision (None before its first)."""
    return post.revisions.order_by("-number").values_list("number", flat=True).first()


def add_revision(*, post: Post, editor: User, summary: str = "") -> Revision:
    last = post.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return post.revisions.create(
        number=last + 1,
        editor=editor,
        title=getattr(post, "title", ""),
        body=post.body,
        tags=" ".join(post.tag_names()) if isinstance(post, Question) else "",
        summary=summary,
    )


@transaction.atomic
def edit_post(
    *,
    editor: User,
    post: Post,
    body: str,
    title: str | None = None,
    tags: list[str] | None = None,
    category: Category | None = None,
    summary: str = "",
    rolled_back_to: int | None = None,
) -> Post:
    """Change a post and keep the new version as a revision. An edit that changes nothing
    saves nothing."""
    post = lock_with_question(post)
    is_question = isinstance(post, Question)
    # Tags are a set shown in name order: the same tags typed in another order change nothing.
    unchanged = post.body == body and (
        not is_question
        or (
            post.title == title
            and sorted(post.tag_names()) == sorted(tags)
            and post.category == category
        )
    )
    if unchanged:
        return post
    now = timezone.now()
    post.body = body
    post.edited_at = now
    if is_question:
        post.title = title
        post.category = category
        post.last_activity_at = now
        post.save()
        set_tags(post, tags)
    else:
        post.save()
        Question.objects.filter(pk=post.question_id).update(last_activity_at=now)
    revision = add_revision(post=post, editor=editor, summary=summary)
    search_index.index_post(post)
    signals.post_revised.send(
        sender=Revision,
        post=post,
        revision=revision,
        editor=editor,
        rolled_back_to=rolled_back_to,
        summary=summary,
    )
    return post


@transaction.atomic
def rollback_post(*, editor: User, post: Post, number: int) -> Revision | None:
    """Make revision `number` of `post` current again, through `edit_post`: a new revision
    with the summary "Rolled back to revision n". None when that text is already current.

    Raises `Revision.DoesNotExist` for a number the post does not have. A question keeps its
    category (revisions do not record it), and its tags when the revision has none.
    """
    revision = post.revisions.get(number=number)
    last = post.revisions.order_by("-number").values_list("number", flat=True).first()
    changes = {"body": revision.body}
    if isinstance(post, Question):
        changes.update(
            title=revision.title or post.title,
            tags=revision.tags.split() or post.tag_names(),
            category=post.category,
        )
    post = edit_post(
        editor=editor,
        post=post,
        summary=f"Rolled back to revision {number}",
        rolled_back_to=number,
        **changes,
    )
    newest = post.revisions.order_by("-number").first()
    return newest if newest.number != last else None


class SuggestionPending(Exception):
    """The post has a pending suggested edit already: one at a time, as on Stack Overflow."""


@transaction.atomic
def suggest_edit(
    *,
    suggester: User,
    post: Post,
    body: str,
    title: str | None = None,
    tags: list[str] | None = None,
    summary: str = "",
) -> SuggestedEdit | None:
    """Keep an edit for review, leaving the post as it is. None when it changes nothing.

    Raises `SuggestionPending` when the post has one waiting (checked under the post's row lock;
    the partial unique constraint holds it for any writer)."""
    post = lock_with_question(post)
    is_question = isinstance(post, Question)
    unchanged = post.body == body and (
        not is_question or (post.title == title and sorted(post.tag_names()) == sorted(tags))
    )
    if unchanged:
        return None
    if post.suggested_edits.pending().exists():
        raise SuggestionPending
    suggestion = SuggestedEdit.objects.create(
        **{post.kind: post},
        based_on=newest_revision(post) or 0,
        suggester=suggester,
        title=(title or "") if is_question else "",
        body=body,
        tags=" ".join(tags) if is_question and tags else "",
        summary=summary,
    )
    signals.suggestion_made.send(sender=SuggestedEdit, suggestion=suggestion)
    return suggestion


def on_post_created(sender, post, **kwargs) -> None:
    """`post_created`: the original text is revision 1."""
    add_revision(post=post, editor=post.author)
