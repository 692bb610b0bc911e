"""Fill the stored review queues (`ReviewItem`) from the rows that put items in them before they
were stored, with the rules `moderation.review` used to work them out on each request:

- first posts: the first question or answer of an account younger than
  `JOKESITE_REVIEW_NEW_ACCOUNT_DAYS`, posted in the last that many days;
- late answers: answers of the last `JOKESITE_LATE_ANSWER_DAYS` posted that long after their
  question by a member below `JOKESITE_LATE_ANSWER_REPUTATION`;
- suggested edits: the pending ones; close and reopen votes: the current round's votes;
- flagged posts: posts with open flags.

Each item is dated when its need (its round) began; the decisions taken since then are linked
to it and counted, and an item already decided (a binding decision, or enough reviews) is not
made. Deleted posts are left out, and so are the answers of deleted questions.
"""

from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.db.models import Min
from django.utils import timezone


def fill(apps, schema_editor):
    Question = apps.get_model("questions", "Question")
    Answer = apps.get_model("answers", "Answer")
    Flag = apps.get_model("flags", "Flag")
    SuggestedEdit = apps.get_model("revisions", "SuggestedEdit")
    CloseVote = apps.get_model("moderation", "CloseVote")
    ReviewItem = apps.get_model("moderation", "ReviewItem")
    ReviewDecision = apps.get_model("moderation", "ReviewDecision")

    now = timezone.now()
    needed = settings.JOKESITE_REVIEWS_NEEDED
    live_questions = Question.objects.filter(deleted_at__isnull=True)
    live_answers = Answer.objects.filter(deleted_at__isnull=True, question__deleted_at__isnull=True)
    wanted = []  # (queue, kind, post id, suggestion id, since)

    young = now - timedelta(days=settings.JOKESITE_REVIEW_NEW_ACCOUNT_DAYS)
    for kind, posts in (("question", live_questions), ("answer", live_answers)):
        rows = posts.filter(created_at__gte=young, author__date_joined__gte=young)
        for pk, author_id, created_at in rows.values_list("pk", "author_id", "created_at"):
            earlier = {"author_id": author_id, "created_at__lt": created_at}
            if Question.objects.filter(**earlier).exists():
                continue
            if Answer.objects.filter(**earlier).exists():
                continue
            wanted.append(("first-posts", kind, pk, None, created_at))

    late = timedelta(days=settings.JOKESITE_LATE_ANSWER_DAYS)
    rows = live_answers.filter(
        created_at__gte=now - late,
        author__reputation__lt=settings.JOKESITE_LATE_ANSWER_REPUTATION,
    ).values_list("pk", "created_at", "question__created_at")
    for pk, created_at, asked_at in rows:
        if created_at >= asked_at + late:
            wanted.append(("late-answers", "answer", pk, None, created_at))

    for suggestion in SuggestedEdit.objects.filter(status="pending"):
        kind = "question" if suggestion.question_id else "answer"
        post_id = suggestion.question_id or suggestion.answer_id
        wanted.append(("suggested-edits", kind, post_id, suggestion.pk, suggestion.created_at))

    for kind, queue, closed in (("close", "close-votes", False), ("reopen", "reopen-votes", True)):
        rounds = (
            CloseVote.objects.filter(
                expired_at__isnull=True,
                kind=kind,
                question__deleted_at__isnull=True,
                question__closed_at__isnull=not closed,
            )
            .values("question")
            .annotate(since=Min("created_at"))
        )
        for row in rounds:
            wanted.append((queue, "question", row["question"], None, row["since"]))

    for kind, posts in (("question", live_questions), ("answer", live_answers)):
        flagged = (
            Flag.objects.filter(status="open", **{f"{kind}__in": posts})
            .values(kind)
            .annotate(since=Min("created_at"))
        )
        for row in flagged:
            wanted.append(("flagged", kind, row[kind], None, row["since"]))

    for queue, kind, post_id, suggestion_id, since in wanted:
        decisions = ReviewDecision.objects.filter(
            queue=queue, created_at__gte=since, **{f"{kind}_id": post_id}
        )
        if suggestion_id:
            decisions = decisions.filter(suggestion_id=suggestion_id)
        done = decisions.exclude(decision="skip").count()
        item_needed = 1 if queue == "suggested-edits" else needed
        if done >= item_needed or decisions.filter(binding=True).exists():
            continue
        item = ReviewItem.objects.create(
            queue=queue,
            **{f"{kind}_id": post_id},
            suggestion_id=suggestion_id,
            reviews_needed=item_needed,
            reviews_done=done,
            created_at=since,
        )
        # The first decision per reviewer (one per item and reviewer, as from now on).
        seen = set()
        for decision in decisions.order_by("created_at", "pk"):
            if decision.reviewer_id not in seen:
                seen.add(decision.reviewer_id)
                decision.item = item
                decision.save(update_fields=["item"])


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0004_review_items"),
        ("flags", "0001_initial"),
        ("revisions", "0001_initial"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
