"""Writes to questions and tags: asking, and the tag rules. Services take keyword-only, typed
arguments, trust what the view checked, and never see `request` or HTML.

What happens next to a new or retagged question (its first revision, its search entry, the
notifications) is up to the apps above, which subscribe to `core.signals`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db import transaction

from core import signals

from .models import TAG_PATTERN, Question, Tag, TagSynonym

if TYPE_CHECKING:
    from accounts.models import User

    from .models import Category

TAG_RE = re.compile(TAG_PATTERN)


def normalize_tags(raw: str) -> list[str]:
    """Split space- or comma-separated tag text into unique, lower-case names (order kept)."""
    names: list[str] = []
    for name in re.split(r"[\s,，、]+", raw or ""):
        name = name.strip().lower()
        if name and name not in names:
            names.append(name)
    return names


def canonical_tag_names(names: list[str]) -> list[str]:
    """`names` with every synonym replaced by its tag's name, duplicates dropped, order kept."""
    synonyms = dict(TagSynonym.objects.filter(name__in=names).values_list("name", "tag__name"))
    return list(dict.fromkeys(synonyms.get(name, name) for name in names))


def set_tags(question: Question, names: list[str]) -> None:
    """Give the question these tags (a synonym counts as its tag), creating missing ones."""
    tags = []
    for name in canonical_tag_names(names):
        tag, _ = Tag.objects.get_or_create(name=name)
        tags.append(tag)
    question.tags.set(tags)


@transaction.atomic
def ask_question(
    *,
    author: User,
    title: str,
    body: str,
    tags: list[str],
    category: Category | None = None,
) -> Question:
    """Create a question with its tags; `post_created` gives it its first revision and search
    entry."""
    question = Question(author=author, title=title, body=body, category=category)
    question.save()
    set_tags(question, tags)
    signals.post_created.send(sender=Question, post=question)
    return question


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
    Tag.objects.filter(pk=target.pk).recount()
    # Their tags, as searched and shown, changed.
    signals.questions_retagged.send(sender=Question, question_ids=sorted(moved))
    return len(moved)
