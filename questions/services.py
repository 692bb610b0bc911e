"""Every write to questions and the shared post machinery. Services take keyword-only, typed
arguments, trust what the view checked, and never see `request` or HTML.

Lock order, to stay free of deadlocks: the question row, then the answer row, then users.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from accounts.models import ReputationReason

from . import reputation, signals
from .models import (
    TAG_PATTERN,
    Comment,
    Flag,
    FlagReason,
    FlagStatus,
    ModerationAction,
    Question,
    Revision,
    Tag,
    TagSynonym,
    Vote,
)

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Category, Post

# Reasons that count towards hiding a post before a moderator has looked at it.
HIDING_REASONS = [FlagReason.SPAM, FlagReason.RUDE]

TAG_RE = re.compile(TAG_PATTERN)


def normalize_tags(raw: str) -> list[str]:
    """Split space- or comma-separated tag text into unique, lower-case names (order kept)."""
    names: list[str] = []
    for name in re.split(r"[\s,，、]+", raw or ""):
        name = name.strip().lower()
        if name and name not in names:
            names.append(name)
    return names


def _lock(post: Post) -> Post:
    return type(post).objects.select_for_update().get(pk=post.pk)


def canonical_tag_names(names: list[str]) -> list[str]:
    """`names` with every synonym replaced by its tag's name, duplicates dropped, order kept."""
    synonyms = dict(TagSynonym.objects.filter(name__in=names).values_list("name", "tag__name"))
    return list(dict.fromkeys(synonyms.get(name, name) for name in names))


def _lock_with_question(post: Post) -> Post:
    """Lock an answer's question row and then the answer row (the lock order above), for
    writes that change both. Taking the answer first deadlocks against `accept_answer` and
    `post_answer`, which lock the question first."""
    if not isinstance(post, Question):
        Question.objects.select_for_update().filter(pk=post.question_id).values_list("pk").get()
    return _lock(post)


def _set_tags(question: Question, names: list[str]) -> None:
    """Give the question these tags (a synonym counts as its tag), creating missing ones."""
    tags = []
    for name in canonical_tag_names(names):
        tag, _ = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    question.tags.set(tags)


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
def ask_question(
    *,
    author: User,
    title: str,
    body: str,
    tags: list[str],
    category: Category | None = None,
) -> Question:
    """Create a question with its tags and its first revision."""
    question = Question(author=author, title=title, body=body, category=category)
    question.save()
    _set_tags(question, tags)
    add_revision(post=question, editor=author)
    signals.post_created.send(sender=Question, post=question)
    return question


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
) -> Post:
    """Change a post and keep the new version as a revision. An edit that changes nothing
    saves nothing."""
    post = _lock_with_question(post)
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
        _set_tags(post, tags)
    else:
        post.save()
        Question.objects.filter(pk=post.question_id).update(last_activity_at=now)
    add_revision(post=post, editor=editor, summary=summary)
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
        editor=editor, post=post, summary=f"Rolled back to revision {number}", **changes
    )
    newest = post.revisions.order_by("-number").first()
    return newest if newest.number != last else None


@transaction.atomic
def delete_post(*, actor: User, post: Post) -> Post:
    """Soft-delete a post. Its votes stop counting for its author and its downvoters (see
    `questions.reputation`); a deleted answer stops counting and loses its accepted mark."""
    post = _lock_with_question(post)
    if post.is_deleted:
        return post
    change = reputation.Change.for_votes(
        post.votes.all(), post=post, reason=ReputationReason.POST_DELETED
    )
    if not isinstance(post, Question) and post.is_accepted:
        asker_id = Question.objects.values_list("author_id", flat=True).get(pk=post.question_id)
        change.include_accept(post, asker_id=asker_id, reason=ReputationReason.UNACCEPTED)
    with reputation.booking(change):
        post.deleted_at = timezone.now()
        post.deleted_by = actor
        fields = ["deleted_at", "deleted_by"]
        if not isinstance(post, Question):
            if not post.is_hidden:  # a hidden answer is not counted already
                Question.objects.filter(pk=post.question_id).update(
                    answer_count=F("answer_count") - 1
                )
            if post.is_accepted:
                post.is_accepted = False
                post.accepted_at = None
                fields += ["is_accepted", "accepted_at"]
        post.save(update_fields=fields)
    return post


@transaction.atomic
def restore_post(*, post: Post) -> Post:
    """Undo a soft delete: the post's votes count again (an answer's accepted mark, lost on
    deletion, does not come back)."""
    post = _lock_with_question(post)
    if not post.is_deleted:
        return post
    change = reputation.Change.for_votes(
        post.votes.all(), post=post, reason=ReputationReason.POST_RESTORED
    )
    with reputation.booking(change):
        post.deleted_at = None
        post.deleted_by = None
        post.save(update_fields=["deleted_at", "deleted_by"])
    if not isinstance(post, Question) and not post.is_hidden:
        Question.objects.filter(pk=post.question_id).update(answer_count=F("answer_count") + 1)
    return post


@transaction.atomic
def cast_vote(*, voter: User, post: Post, value: int) -> int:
    """Set voter's vote on a post (0 retracts it) and return the new score.

    Locks the post row first, so concurrent votes on one post are applied in turn; the unique
    constraint per (voter, post) is the last line against a double count. A changed vote is a
    retraction and a new vote (dated now), each booked in the reputation ledger.
    """
    post = _lock(post)
    old = post.votes.filter(voter=voter).first()
    old_value = old.value if old else 0
    if value == old_value:
        return post.score
    # A change books twice: lock both members in one id-ordered batch first.
    reputation.lock_users([post.author_id, voter.pk])
    if old:
        change = reputation.Change.for_votes(
            [old], post=post, reason=ReputationReason.VOTE_REVERSED
        )
        with reputation.booking(change):
            old.delete()
    if value:
        vote = Vote(voter=voter, value=value, created_at=timezone.now(), **{post.kind: post})
        change = reputation.Change.for_votes(
            [vote],
            post=post,
            reason=ReputationReason.UPVOTE if value == 1 else ReputationReason.DOWNVOTE,
            downvotes=ReputationReason.DOWNVOTED_ANSWER,
        )
        with reputation.booking(change):
            vote.save()
    type(post).objects.filter(pk=post.pk).update(score=F("score") + value - old_value)
    post.refresh_from_db(fields=["score"])
    return post.score


@transaction.atomic
def invalidate_votes(*, voter: User) -> int:
    """Remove every vote `voter` has cast, for spammer and voting-ring cleanup, and return how
    many were removed.

    Scores drop the votes, and everyone's reputation is worked out again as if the votes had
    never been cast: their authors lose what the votes earned (a day under the cap may earn
    more from its other votes), `voter` gets back what downvoting answers cost, all booked as
    "votes invalidated". Votes on deleted posts go too. Locks every post voted on (questions,
    then answers, in id order) and then the members. Suspend the account first: a vote cast
    while this runs may survive it.
    """
    answer_model = Vote.answer.field.related_model
    votes = list(Vote.objects.filter(voter=voter).values_list("question_id", "answer_id"))
    if not votes:
        return 0
    question_ids = sorted({q for q, _ in votes if q})
    answer_ids = sorted({a for _, a in votes if a})
    for model, ids in ((Question, question_ids), (answer_model, answer_ids)):
        list(model.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    # Read again under the locks: what the posts are now (deleted or not) decides what counts.
    votes = list(
        Vote.objects.filter(voter=voter)
        .filter(Q(question_id__in=question_ids) | Q(answer_id__in=answer_ids))
        .select_related("question", "answer")
    )
    change = reputation.Change.for_votes(votes, reason=ReputationReason.VOTES_INVALIDATED)
    with reputation.booking(change):
        for model, kind in ((Question, "question"), (answer_model, "answer")):
            mine = Vote.objects.filter(voter=voter, **{kind: OuterRef("pk")}).values("value")
            model.objects.filter(pk__in={getattr(v, f"{kind}_id") for v in votes}).update(
                score=F("score") - Subquery(mine[:1])
            )
        Vote.objects.filter(pk__in=[vote.pk for vote in votes]).delete()
    return len(votes)


@transaction.atomic
def add_comment(*, author: User, post: Post, body: str) -> Comment:
    post = _lock(post)
    comment = post.comments.create(author=author, body=body)
    type(post).objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    signals.comment_added.send(sender=Comment, comment=comment, post=post)
    return comment


def record_action(
    *,
    actor: User | None,
    action: str,
    target: Post | Comment | User | None = None,
    user: User | None = None,
    reason: str = "",
    details: dict | None = None,
) -> ModerationAction:
    """Write one row of the moderators' audit log and send `signals.moderator_action`.

    The only writer of `ModerationAction`. `target` is the post, comment or member acted on;
    `user` names a member besides a post (the author suspended with it). Runs inside the
    caller's transaction, so the row and the signal's receivers commit with the action.
    """
    entry = ModerationAction(actor=actor, action=action, user=user, reason=reason)
    entry.details = details or {}
    if target is not None:
        field = "user" if isinstance(target, get_user_model()) else target.kind
        setattr(entry, field, target)
    entry.save()
    signals.moderator_action.send(
        sender=ModerationAction,
        action=action,
        actor=actor,
        target=target,
        reason=reason,
        entry=entry,
    )
    return entry


def lock_target(target: Post | Comment) -> Post | Comment:
    """Lock what a flag can point at, in the lock order above: an answer's question row before
    the answer, a comment's post before the comment. Returns the target as locked."""
    if isinstance(target, Comment):
        post = lock_target(target.post)
        comment = Comment.objects.select_for_update().get(pk=target.pk)
        if comment.question_id:
            comment.question = post
        else:
            comment.answer = post
        return comment
    if not isinstance(target, Question):
        Question.objects.select_for_update().filter(pk=target.question_id).values_list("pk").get()
    return _lock(target)


def _count_visible(target: Post | Comment, delta: int) -> None:
    """Add `delta` to the counter that `target` counts in: answers on their question, comments
    on their post. Questions are counted nowhere."""
    if isinstance(target, Comment):
        post = target.post
        type(post).objects.filter(pk=post.pk).update(
            comment_count=Greatest(F("comment_count") + delta, Value(0))
        )
    elif not isinstance(target, Question):
        Question.objects.filter(pk=target.question_id).update(
            answer_count=Greatest(F("answer_count") + delta, Value(0))
        )


def set_hidden(target: Post | Comment, hidden: bool) -> bool:
    """Hide or show a post or comment (the caller holds its lock: `lock_target`) and keep the
    counters right: a hidden answer or comment is not counted, like a deleted one. Returns
    whether anything changed."""
    if target.is_hidden == hidden:
        return False
    target.hidden_at = timezone.now() if hidden else None
    target.save(update_fields=["hidden_at"])
    if not target.is_deleted:
        _count_visible(target, -1 if hidden else 1)
    return True


def flags_to_hide(target: Post | Comment) -> bool:
    """Whether enough members have open spam or rude flags on `target` to hide it."""
    flaggers = (
        target.flags.filter(status=FlagStatus.OPEN, reason__in=HIDING_REASONS)
        .values("flagger")
        .distinct()
        .count()
    )
    return flaggers >= settings.JOKESITE_FLAGS_TO_HIDE


@transaction.atomic
def flag_post(*, flagger: User, post: Post | Comment, reason: str, details: str = "") -> Flag:
    """Queue a post or a comment for moderators. A second flag by the same member while the
    first is open updates that one instead of adding another.

    Once `JOKESITE_FLAGS_TO_HIDE` members have open spam or rude flags on it, it is hidden
    until a moderator decides (`moderation.handle_flags`); the audit log says so.
    """
    target = lock_target(post)
    flag, _ = target.flags.update_or_create(
        flagger=flagger,
        status=FlagStatus.OPEN,
        defaults={"reason": reason, "details": details},
    )
    if not target.is_hidden and not target.is_deleted and flags_to_hide(target):
        set_hidden(target, True)
        record_action(
            actor=None,
            action=ModerationAction.Kind.HIDE,
            target=target,
            details={"flags": target.flags.filter(status=FlagStatus.OPEN).count()},
        )
    return flag


@transaction.atomic
def delete_comment(*, comment: Comment) -> Comment:
    """Soft-delete a comment and stop counting it on its post.

    Locks the post row first (the lock order above), then the comment, so concurrent comment
    writes on one post are counted in turn. The counter never drops below 0.
    """
    post = _lock(comment.post)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted_at is not None:
        return comment
    comment.deleted_at = timezone.now()
    comment.save(update_fields=["deleted_at"])
    if not comment.is_hidden:  # a hidden comment is not counted already
        type(post).objects.filter(pk=post.pk).update(
            comment_count=Greatest(F("comment_count") - 1, Value(0))
        )
    return comment


@transaction.atomic
def restore_comment(*, comment: Comment) -> Comment:
    """Undo a soft delete and count the comment on its post again (same locks as above)."""
    post = _lock(comment.post)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.deleted_at is None:
        return comment
    comment.deleted_at = None
    comment.save(update_fields=["deleted_at"])
    if not comment.is_hidden:
        type(post).objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def merge_tags(*, sources: list[Tag], target: Tag) -> int:
    """Merge `sources` into `target` and return how many questions changed.

    Every question tagged with a source gets `target` instead; each source's name (and each of
    its synonyms) becomes a synonym of `target`, so old links and tag names keep working; the
    sources are deleted. `target` keeps its description, or takes the first source's when it
    has none. A question never gets more tags from a merge, only fewer or as many.
    """
    sources = [tag for tag in sources if tag.pk != target.pk]
    if not sources:
        return 0
    # Two merges of the same tags run one after the other.
    list(Tag.objects.select_for_update().filter(pk__in=[target.pk, *[t.pk for t in sources]]))
    through = Question.tags.through
    moved = set(
        through.objects.filter(tag__in=sources).values_list("question_id", flat=True).distinct()
    )
    through.objects.bulk_create(
        [through(question_id=pk, tag_id=target.pk) for pk in sorted(moved)],
        ignore_conflicts=True,
    )
    TagSynonym.objects.filter(tag__in=sources).update(tag=target)
    TagSynonym.objects.bulk_create([TagSynonym(name=tag.name, tag=target) for tag in sources])
    if not target.description:
        target.description = next((t.description for t in sources if t.description), "")
        target.save(update_fields=["description"])
    Tag.objects.filter(pk__in=[tag.pk for tag in sources]).delete()
    return len(moved)
