"""A database made before the apps were re-cut migrates forward with nothing lost.

The test takes the test database back to the head of that day (votes, comments, revisions,
flags, the audit log and the search index still in `questions`, the reputation ledger in
`accounts`), fills it through the historical models, migrates forward, and finds every row
under its new app, the content types (and so the Moderators' permissions) carried over, and the
pages as a reader and a moderator see them.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from answers.models import Answer
from comments.models import Comment
from flags.models import Flag
from moderation.models import CloseVote, ModerationAction
from notifications.models import Notification
from questions.models import Question
from revisions.models import Revision
from votes.models import ReputationEvent, Vote

pytestmark = pytest.mark.django_db(transaction=True)

# The head before the re-cut: apps that did not exist yet are unapplied (None).
BEFORE = [
    ("accounts", "0004_reputation_ledger"),
    ("questions", "0006_search"),
    ("answers", "0003_hidden_and_locked"),
    ("notifications", "0003_tag_follow"),
    *[(app, None) for app in ("votes", "comments", "revisions", "flags", "moderation", "search")],
]
MOVED = {
    "vote": ("questions", "votes"),
    "comment": ("questions", "comments"),
    "revision": ("questions", "revisions"),
    "flag": ("questions", "flags"),
    "moderationaction": ("questions", "moderation"),
    "closevote": ("questions", "moderation"),
    "reputationevent": ("accounts", "votes"),
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def fill(old):
    """Rows of every kind, written through the models of the day (no `save()` overrides run,
    so `body_html` is given)."""
    User = old.get_model("accounts", "User")
    asker = User.objects.create(username="asker", reputation=18)
    answerer = User.objects.create(username="answerer", reputation=26)
    voter = User.objects.create(username="voter", reputation=1)
    now = timezone.now()
    question = old.get_model("questions", "Question").objects.create(
        author=asker,
        title="Why did the bank agree to Alipay?",
        slug="why-did-the-bank-agree-to-alipay",
        body="Because the queue was long.",
        body_html="<p>Because the queue was long.</p>",
        score=1,
        comment_count=1,
        answer_count=1,
        created_at=now,
        last_activity_at=now,
    )
    answer = old.get_model("answers", "Answer").objects.create(
        author=answerer,
        question=question,
        body="Fast payments win customers.",
        body_html="<p>Fast payments win customers.</p>",
        score=2,
        is_accepted=True,
        accepted_at=now,
        created_at=now,
    )
    Vote = old.get_model("questions", "Vote")
    Vote.objects.create(voter=voter, question=question, value=1, created_at=now)
    Vote.objects.create(voter=voter, answer=answer, value=1, created_at=now)
    Vote.objects.create(voter=asker, answer=answer, value=1, created_at=now)
    comment = old.get_model("questions", "Comment").objects.create(
        author=voter,
        question=question,
        body="Queues are the real joke here.",
        body_html="Queues are the real joke here.",
        created_at=now,
    )
    Revision = old.get_model("questions", "Revision")
    Revision.objects.create(
        question=question, number=1, editor=asker, title=question.title, body=question.body
    )
    Revision.objects.create(answer=answer, number=1, editor=answerer, body=answer.body)
    old.get_model("questions", "Flag").objects.create(
        flagger=voter, answer=answer, reason="other", details="Is this a joke?"
    )
    old.get_model("questions", "ModerationAction").objects.create(
        actor=asker, action="lock", question=question, reason="cooling off"
    )
    old.get_model("questions", "CloseVote").objects.create(
        voter=answerer, question=question, kind="close", reason="off-topic"
    )
    Event = old.get_model("accounts", "ReputationEvent")
    Event.objects.create(user=answerer, delta=20, reason="upvote", answer=answer)
    Event.objects.create(user=asker, delta=10, reason="upvote", question=question)
    old.get_model("notifications", "Notification").objects.create(
        recipient=asker, actor=voter, kind="comment", question=question, comment=comment, event="e1"
    )
    return question, answer


def test_a_database_from_before_the_recut_keeps_every_row_and_page(client):
    old = migrate(BEFORE)
    try:
        ContentTypes = old.get_model("contenttypes", "ContentType")
        for model, (before, _after) in MOVED.items():
            ContentTypes.objects.get_or_create(app_label=before, model=model)
        question, answer = fill(old)
    finally:
        call_command("migrate", verbosity=0)  # forward to today's head, whatever happened

    assert Vote.objects.count() == 3
    assert Comment.objects.get().question_id == question.pk
    assert Revision.objects.count() == 2
    assert Flag.objects.get().answer_id == answer.pk
    assert ModerationAction.objects.get().action == "lock"
    assert CloseVote.objects.get().reason == "off-topic"
    assert sorted(ReputationEvent.objects.values_list("delta", flat=True)) == [10, 20]
    assert Notification.objects.get().comment.body == "Queues are the real joke here."
    assert Answer.objects.get().is_accepted
    for model, (before, after) in MOVED.items():
        assert ContentType.objects.filter(app_label=after, model=model).exists(), model
        assert not ContentType.objects.filter(app_label=before, model=model).exists(), model

    thread = Question.objects.get().get_absolute_url()
    page = client.get(thread).content.decode()
    for text in [
        "Why did the bank agree to Alipay?",
        "Fast payments win customers.",
        "Queues are the real joke here.",
        f'id="answer-{answer.pk}"',
    ]:
        assert text in page, text
    revisions = client.get(f"/answers/{answer.pk}/revisions/")
    assert "Fast payments win customers." in revisions.content.decode()

    # The audit log and the flag queue read as before, now under their apps.
    call_command("rebuild_search", verbosity=0)
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(admin)
    flags = client.get("/admin/flags/flag/")
    assert flags.status_code == 200
    assert "Is this a joke?" in flags.content.decode()
    log = client.get("/admin/moderation/moderationaction/")
    assert "cooling off" in log.content.decode()
    found = client.get("/search/?q=payments").content.decode()
    assert thread in found
