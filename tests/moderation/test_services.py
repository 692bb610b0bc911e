"""The moderation services: flags that hide, decisions on flags, closing, locking, suspensions,
delete spammer, rollback, and the audit log with its signal."""

from dataclasses import asdict
from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone
from freezegun import freeze_time

from answers.services import post_answer
from comments import services as comment_services
from comments.models import Comment
from core import permissions
from core.signals import moderator_action
from flags import services as flag_services
from flags.models import Flag, FlagReason, FlagStatus
from moderation import services as moderation
from moderation import services as moderation_services
from moderation.models import ModerationAction
from moderation.services import FlagDecision
from questions import services
from questions.models import CloseReason, Question
from revisions import services as revision_services
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    FlagFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)
from tests.helpers import BODY
from votes import services as vote_services

Kind = ModerationAction.Kind


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


def flag_by(count, target, reason=FlagReason.SPAM):
    """`count` distinct members flag `target` through the service."""
    return [
        flag_services.flag_post(flagger=UserFactory(), post=target, reason=reason)
        for _ in range(count)
    ]


def answered_question():
    """A question with one answer posted through the services (counted: answer_count 1)."""
    question = QuestionFactory()
    answer = post_answer(author=UserFactory(), question=question, body=BODY)
    return question, answer


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return objects


# --- flags and hiding ----------------------------------------------------------------------


def test_a_comment_can_be_flagged(db):
    comment = CommentFactory()

    flag = flag_services.flag_post(
        flagger=UserFactory(), post=comment, reason=FlagReason.OTHER, details="Off topic"
    )

    assert (flag.comment, flag.question, flag.answer) == (comment, None, None)
    assert flag.target == comment
    assert flag.post == comment.question
    assert list(comment.flags.all()) == [flag]


@pytest.mark.parametrize(
    "targets",
    [{}, {"question": True, "comment": True}, {"answer": True, "comment": True}],
    ids=["none", "question+comment", "answer+comment"],
)
def test_a_flag_points_at_exactly_one_thing(db, targets):
    comment = CommentFactory()
    values = {
        "question": comment.question if targets.get("question") else None,
        "answer": AnswerFactory() if targets.get("answer") else None,
        "comment": comment if targets.get("comment") else None,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(flagger=UserFactory(), reason=FlagReason.SPAM, **values)


def test_one_open_flag_per_member_and_comment(db):
    comment = CommentFactory()
    flagger = UserFactory()
    Flag.objects.create(flagger=flagger, comment=comment, reason=FlagReason.SPAM)
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(flagger=flagger, comment=comment, reason=FlagReason.RUDE)


def test_spam_flags_from_three_members_hide_an_answer_and_uncount_it(db):
    question, answer = answered_question()
    flag_by(2, answer)
    flag_services.flag_post(flagger=UserFactory(), post=answer, reason=FlagReason.RUDE)

    refreshed(question, answer)
    assert answer.is_hidden
    assert question.answer_count == 0
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.answer) == (Kind.HIDE, None, answer)
    assert entry.details == {"flags": 3}


def test_two_flags_do_not_hide(db):
    question = QuestionFactory()
    flag_by(2, question)

    question.refresh_from_db()
    assert not question.is_hidden
    assert not ModerationAction.objects.exists()


def test_the_threshold_is_a_setting(db, settings):
    settings.JOKESITE_FLAGS_TO_HIDE = 1
    question = QuestionFactory()
    flag_by(1, question)

    question.refresh_from_db()
    assert question.is_hidden
    assert not Question.objects.visible().filter(pk=question.pk).exists()


def test_one_member_flagging_again_counts_once(db):
    question = QuestionFactory()
    flagger = UserFactory()
    flag_by(1, question)
    for reason in (FlagReason.SPAM, FlagReason.RUDE):
        flag_services.flag_post(flagger=flagger, post=question, reason=reason)

    question.refresh_from_db()
    assert not question.is_hidden
    assert question.flags.count() == 2


@pytest.mark.parametrize("reason", [FlagReason.NEEDS_IMPROVEMENT, FlagReason.OTHER])
def test_other_reasons_never_hide(db, reason):
    question = QuestionFactory()
    flag_by(5, question, reason=reason)

    question.refresh_from_db()
    assert not question.is_hidden


def test_a_hidden_comment_stops_counting_on_its_post(db):
    question = QuestionFactory()
    comment = comment_services.add_comment(author=UserFactory(), post=question, body=BODY)
    flag_by(3, comment)

    refreshed(question, comment)
    assert comment.is_hidden
    assert question.comment_count == 0
    assert not Comment.objects.visible().exists()


def test_deleting_and_restoring_a_hidden_answer_keeps_the_count(db, moderator):
    question, answer = answered_question()
    flag_by(3, answer)

    moderation_services.delete_post(actor=moderator, post=answer)
    question.refresh_from_db()
    assert question.answer_count == 0
    moderation_services.restore_post(post=answer)
    question.refresh_from_db()
    assert question.answer_count == 0  # still hidden

    moderation.handle_flags(moderator=moderator, flags=answer.flags.all(), decision="dismiss")
    question.refresh_from_db()
    assert question.answer_count == 1


# --- decisions on flags --------------------------------------------------------------------


def test_dismissing_declines_every_open_flag_and_shows_the_post_again(db, moderator):
    question, answer = answered_question()
    first, *others = flag_by(3, answer)
    closed_before = FlagFactory(question=None, answer=answer, status=FlagStatus.HELPFUL)

    outcome = moderation.handle_flags(moderator=moderator, flags=[first], decision="dismiss")

    assert (outcome.targets, outcome.flags, outcome.deleted) == (1, 3, 0)
    for flag in (first, *others):
        flag.refresh_from_db()
        assert (flag.status, flag.handled_by) == (FlagStatus.DECLINED, moderator)
        assert flag.handled_at is not None
    closed_before.refresh_from_db()
    assert closed_before.handled_by is None
    refreshed(question, answer)
    assert not answer.is_hidden
    assert question.answer_count == 1
    entry = ModerationAction.objects.get(action=Kind.FLAGS_DISMISSED)
    assert (entry.actor, entry.answer, entry.reason) == (moderator, answer, "Spam")
    assert sorted(entry.details["flags"]) == sorted(f.pk for f in (first, *others))


def test_marking_flags_helpful_keeps_the_post(db, moderator):
    question = QuestionFactory()
    flags = flag_by(1, question, reason=FlagReason.NEEDS_IMPROVEMENT)

    moderation.handle_flags(moderator=moderator, flags=flags, decision="helpful")

    question.refresh_from_db()
    assert not question.is_deleted
    assert Flag.objects.get().status == FlagStatus.HELPFUL
    assert ModerationAction.objects.get().action == Kind.FLAGS_HELPFUL


def test_deleting_a_hidden_answer_resolves_its_flags_and_keeps_counts(db, moderator):
    question, answer = answered_question()
    flags = flag_by(3, answer)

    outcome = moderation.handle_flags(moderator=moderator, flags=flags[:1], decision="delete")

    assert (outcome.targets, outcome.flags, outcome.deleted, outcome.suspended) == (1, 3, 1, 0)
    refreshed(question, answer)
    assert answer.is_deleted and not answer.is_hidden
    assert answer.deleted_by == moderator
    assert question.answer_count == 0
    assert set(Flag.objects.values_list("status", flat=True)) == {FlagStatus.HELPFUL}
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [Kind.HIDE, Kind.DELETE]
    answer.author.refresh_from_db()
    assert not answer.author.is_suspended


def test_deleting_a_flagged_comment_uncounts_it(db, moderator):
    question = QuestionFactory()
    comment = comment_services.add_comment(author=UserFactory(), post=question, body=BODY)
    flags = flag_by(1, comment, reason=FlagReason.RUDE)

    moderation.handle_flags(moderator=moderator, flags=flags, decision="delete")

    refreshed(question, comment)
    assert comment.is_deleted
    assert question.comment_count == 0
    assert ModerationAction.objects.get().comment == comment


def test_delete_and_suspend_suspends_each_author_once(db, moderator, settings):
    settings.JOKESITE_SUSPENSION_DAYS = 7
    spammer = UserFactory()
    questions = QuestionFactory.create_batch(2, author=spammer)
    flags = [flag for question in questions for flag in flag_by(1, question)]

    with freeze_time("2030-01-01 12:00"):
        outcome = moderation.handle_flags(
            moderator=moderator, flags=flags, decision=FlagDecision.DELETE_AND_SUSPEND
        )

    assert (outcome.targets, outcome.deleted, outcome.suspended) == (2, 2, 1)
    spammer.refresh_from_db()
    assert spammer.suspended_until == spammer.suspended_at + timedelta(days=7)
    assert spammer.suspension_reason == "Spam"
    assert ModerationAction.objects.filter(action=Kind.SUSPEND, user=spammer).count() == 1
    assert ModerationAction.objects.filter(action=Kind.DELETE).count() == 2


def test_delete_and_suspend_leaves_a_staff_author_to_superusers(db, moderator):
    question = QuestionFactory(author=ModeratorFactory())
    flags = flag_by(1, question)

    outcome = moderation.handle_flags(
        moderator=moderator, flags=flags, decision=FlagDecision.DELETE_AND_SUSPEND
    )

    assert (outcome.deleted, outcome.suspended) == (1, 0)
    question.author.refresh_from_db()
    assert not question.author.is_suspended


def test_a_decision_taken_twice_counts_once(db, moderator):
    question = QuestionFactory()
    flags = flag_by(3, question)
    other = ModeratorFactory()

    first = moderation.handle_flags(moderator=moderator, flags=flags, decision="delete")
    second = moderation.handle_flags(moderator=other, flags=flags, decision="dismiss")

    assert (first.targets, first.flags) == (1, 3)
    assert (second.targets, second.flags) == (0, 0)
    assert set(Flag.objects.values_list("handled_by", flat=True)) == {moderator.pk}
    assert ModerationAction.objects.filter(actor__isnull=False).count() == 1


# --- posts: delete, undelete, close, lock, edit, rollback ----------------------------------


def test_a_moderator_deleting_a_post_resolves_its_flags_and_logs_it(db, moderator):
    question = QuestionFactory()
    flag_by(1, question, reason=FlagReason.OTHER)

    assert moderation.soft_delete(moderator=moderator, target=question, reason="Duplicate")
    assert not moderation.soft_delete(moderator=moderator, target=question)

    question.refresh_from_db()
    assert question.is_deleted
    assert Flag.objects.get().status == FlagStatus.HELPFUL
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.question, entry.reason) == (Kind.DELETE, question, "Duplicate")


def test_undeleting_an_answer_counts_it_again(db, moderator):
    question, answer = answered_question()
    moderation.soft_delete(moderator=moderator, target=answer)

    assert moderation.undelete(moderator=moderator, target=answer)
    assert not moderation.undelete(moderator=moderator, target=answer)

    refreshed(question, answer)
    assert not answer.is_deleted
    assert question.answer_count == 1
    assert ModerationAction.objects.filter(action=Kind.UNDELETE, answer=answer).count() == 1


def test_undeleting_a_comment_counts_it_again(db, moderator):
    question = QuestionFactory()
    comment = comment_services.add_comment(author=UserFactory(), post=question, body=BODY)
    moderation.soft_delete(moderator=moderator, target=comment)
    question.refresh_from_db()
    assert question.comment_count == 0

    moderation.undelete(moderator=moderator, target=comment)

    question.refresh_from_db()
    assert question.comment_count == 1


def test_closing_as_duplicate_links_the_original_and_reopening_clears_it(db, moderator):
    original, question = QuestionFactory.create_batch(2)

    assert moderation.close_question(
        moderator=moderator,
        question=question,
        reason=CloseReason.DUPLICATE,
        duplicate_of=original,
        note="Asked before",
    )
    assert not moderation.close_question(
        moderator=moderator, question=question, reason=CloseReason.OFF_TOPIC
    )

    question.refresh_from_db()
    assert question.is_closed
    assert (question.close_reason, question.duplicate_of, question.closed_by) == (
        CloseReason.DUPLICATE,
        original,
        moderator,
    )
    assert list(original.duplicates.all()) == [question]
    entry = ModerationAction.objects.get()
    assert entry.details == {"close_reason": "duplicate", "duplicate_of": original.pk}
    assert entry.reason == "Asked before"

    assert moderation.reopen_question(moderator=moderator, question=question)
    assert not moderation.reopen_question(moderator=moderator, question=question)

    question.refresh_from_db()
    assert not question.is_closed
    assert (question.close_reason, question.duplicate_of, question.closed_by) == ("", None, None)
    assert ModerationAction.objects.filter(action=Kind.REOPEN).count() == 1


def test_only_duplicates_keep_an_original(db, moderator):
    original, question = QuestionFactory.create_batch(2)

    moderation.close_question(
        moderator=moderator,
        question=question,
        reason=CloseReason.OFF_TOPIC,
        duplicate_of=original,
    )

    question.refresh_from_db()
    assert question.duplicate_of is None


def test_lock_and_unlock_are_logged_once(db, moderator):
    answer = AnswerFactory()

    assert moderation.set_locked(moderator=moderator, post=answer, locked=True)
    assert not moderation.set_locked(moderator=moderator, post=answer, locked=True)
    answer.refresh_from_db()
    assert answer.is_locked and answer.locked_by == moderator

    assert moderation.set_locked(moderator=moderator, post=answer, locked=False)
    answer.refresh_from_db()
    assert not answer.is_locked and answer.locked_by is None
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [Kind.LOCK, Kind.UNLOCK]


def test_a_moderators_edit_is_logged_with_its_revision(db, moderator):
    question = services.ask_question(
        author=UserFactory(), title="What is a pun about a pun?", body=BODY, tags=["puns"]
    )

    moderation.edit_post(
        moderator=moderator,
        post=question,
        body=BODY + " Edited.",
        title=question.title,
        tags=["puns"],
        category=None,
        summary="typo",
    )
    moderation.edit_post(  # the same text again: no revision, no row
        moderator=moderator,
        post=question,
        body=BODY + " Edited.",
        title=question.title,
        tags=["puns"],
        category=None,
    )

    entry = ModerationAction.objects.get()
    assert (entry.action, entry.reason, entry.details) == (Kind.EDIT, "typo", {"revision": 2})


def test_rollback_makes_a_new_revision_with_the_old_text(db):
    author = UserFactory()
    question = services.ask_question(
        author=author, title="The original title of it", body=BODY, tags=["one"]
    )
    revision_services.edit_post(
        editor=author,
        post=question,
        body=BODY + " Second.",
        title="The second title of it",
        tags=["two"],
    )

    revision = revision_services.rollback_post(editor=author, post=question, number=1)

    question.refresh_from_db()
    assert (revision.number, revision.summary) == (3, "Rolled back to revision 1")
    assert (question.title, question.body, question.tag_names()) == (
        "The original title of it",
        BODY,
        ["one"],
    )
    assert (revision.title, revision.body, revision.tags) == (question.title, BODY, "one")
    assert revision_services.rollback_post(editor=author, post=question, number=3) is None
    assert question.revisions.count() == 3


def test_rolling_back_an_answer_keeps_its_question(db):
    author = UserFactory()
    answer = post_answer(author=author, question=QuestionFactory(), body=BODY)
    revision_services.edit_post(editor=author, post=answer, body=BODY + " Second.")

    revision_services.rollback_post(editor=author, post=answer, number=1)

    answer.refresh_from_db()
    assert answer.body == BODY
    assert answer.revisions.first().summary == "Rolled back to revision 1"


def test_rollback_to_a_missing_revision_raises(db):
    question = services.ask_question(
        author=UserFactory(), title="The original title of it", body=BODY, tags=["one"]
    )
    with pytest.raises(question.revisions.model.DoesNotExist):
        revision_services.rollback_post(editor=question.author, post=question, number=7)


def test_a_moderators_rollback_is_logged(db, moderator):
    author = UserFactory()
    answer = post_answer(author=author, question=QuestionFactory(), body=BODY)
    revision_services.edit_post(editor=author, post=answer, body=BODY + " Vandalised.")

    assert moderation.rollback_post(moderator=moderator, post=answer, number=1)
    assert not moderation.rollback_post(moderator=moderator, post=answer, number=1)

    entry = ModerationAction.objects.get()
    assert (entry.action, entry.answer, entry.reason) == (
        Kind.ROLLBACK,
        answer,
        "Rolled back to revision 1",
    )
    assert entry.details == {"to": 1, "revision": 3}


# --- suspensions ---------------------------------------------------------------------------


def test_a_suspension_ends_by_itself(db, moderator):
    member = UserFactory()
    with freeze_time("2030-01-01"):
        moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Rude")
        member.refresh_from_db()
        assert member.is_suspended
        assert permissions.is_suspended(member)
    with freeze_time("2030-01-07 23:59"):
        assert member.is_suspended
    with freeze_time("2030-01-08 00:01"):
        assert not member.is_suspended
        assert permissions.can_ask(member)
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.user, entry.reason) == (Kind.SUSPEND, member, "Rude")
    assert entry.details == {"days": 7, "until": "2030-01-08T00:00:00+00:00"}


def test_a_shorter_suspension_does_not_cut_a_longer_one(db, moderator):
    member = UserFactory()
    moderation.suspend_user(moderator=moderator, user=member, days=30, reason="First")
    member.refresh_from_db()
    until = member.suspended_until

    moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Second")

    member.refresh_from_db()
    assert member.suspended_until == until
    assert member.suspension_reason == "Second"


def test_an_indefinite_suspension_lasts_until_lifted(db, moderator):
    member = UserFactory()
    moderation.suspend_user(moderator=moderator, user=member, days=None, reason="Spam")
    member.refresh_from_db()
    with freeze_time(timezone.now() + timedelta(days=3650)):
        assert member.is_suspended

    assert moderation.lift_suspension(moderator=moderator, user=member, reason="Appeal")
    assert not moderation.lift_suspension(moderator=moderator, user=member)

    member.refresh_from_db()
    assert not member.is_suspended
    assert (member.suspended_at, member.suspended_until, member.suspension_reason) == (
        None,
        None,
        "",
    )
    assert ModerationAction.objects.filter(action=Kind.UNSUSPEND, reason="Appeal").count() == 1


def test_every_write_rule_refuses_a_suspended_member(db, moderator, launch_mode):
    member = UserFactory()
    question = QuestionFactory(author=member)
    answer = AnswerFactory(question=question)
    others_question = QuestionFactory()
    rules = [
        lambda: permissions.can_ask(member),
        lambda: permissions.can_answer(member, others_question),
        lambda: permissions.can_vote(member, answer, 1),
        lambda: permissions.can_vote(member, answer, 0),
        lambda: permissions.can_comment(member, question),
        lambda: permissions.can_edit(member, question),
        lambda: permissions.can_rollback(member, question),
        lambda: permissions.can_delete(member, question),
        lambda: permissions.can_accept(member, answer),
        lambda: permissions.can_flag(member, answer),
    ]
    assert all(rule() for rule in rules)

    moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Rude")
    member.refresh_from_db()

    assert not any(rule() for rule in rules)
    assert permissions.can_view(member, question)


def test_a_suspended_moderator_cannot_moderate(db, moderator):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    assert permissions.can_moderate(moderator)

    moderation.suspend_user(moderator=superuser, user=moderator, days=7, reason="Break")
    moderator.refresh_from_db()

    assert not permissions.can_moderate(moderator)
    assert not permissions.can_suspend(moderator, UserFactory())


def test_who_may_suspend_whom(db, moderator):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    member, other_moderator = UserFactory(), ModeratorFactory()

    assert permissions.can_suspend(moderator, member)
    assert not permissions.can_suspend(moderator, other_moderator)
    assert not permissions.can_suspend(moderator, superuser)
    assert not permissions.can_suspend(moderator, moderator)
    assert not permissions.can_suspend(member, UserFactory())
    assert permissions.can_suspend(superuser, other_moderator)


def test_the_suspension_notice_names_the_reason_and_the_end(db, moderator):
    member = UserFactory()
    with freeze_time("2030-01-01"):
        moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Rude words")
        member.refresh_from_db()

        notice = permissions.suspension_notice(member)

    assert "Rude words" in notice
    assert "Jan. 8, 2030" in notice


# --- delete spammer ------------------------------------------------------------------------


def test_delete_spammer_cleans_up_in_one_go(db, moderator):
    """Suspension, every post and comment deleted, counters right, votes undone with the
    reputation they moved, flags settled, one audit row."""
    spammer, victim, friend, bystander = UserFactory.create_batch(4, reputation=200)
    victims_question = services.ask_question(
        author=victim, title="An honest question here", body=BODY, tags=["honest"]
    )
    victims_answer = post_answer(author=bystander, question=victims_question, body=BODY)
    spam_question = services.ask_question(
        author=spammer, title="Buy cheap watches now", body=BODY, tags=["spam"]
    )
    post_answer(author=bystander, question=spam_question, body=BODY)
    spam_answer = post_answer(author=spammer, question=victims_question, body=BODY)
    spam_comment = comment_services.add_comment(author=spammer, post=victims_answer, body=BODY)
    comment_services.add_comment(author=bystander, post=victims_answer, body=BODY)
    friends_question = services.ask_question(
        author=friend, title="A friend of the spammer asks", body=BODY, tags=["friend"]
    )
    vote_services.cast_vote(voter=spammer, post=victims_answer, value=-1)
    vote_services.cast_vote(voter=spammer, post=victims_question, value=-1)
    vote_services.cast_vote(voter=spammer, post=friends_question, value=1)
    vote_services.cast_vote(voter=bystander, post=spam_answer, value=1)
    flag_on_spam = FlagFactory(question=spam_question)
    flag_on_comment = FlagFactory(question=None, comment=spam_comment)
    flag_by_spammer = FlagFactory(flagger=spammer, question=victims_question)
    spammer.refresh_from_db()
    spammer_reputation = spammer.reputation

    cleanup = moderation.delete_spammer(moderator=moderator, user=spammer)

    assert asdict(cleanup) == {
        "questions": 1,
        "answers": 1,
        "comments": 1,
        "votes": 3,
        "flags_resolved": 2,
        "flags_declined": 1,
    }
    spammer.refresh_from_db()
    assert spammer.is_suspended and spammer.suspended_until is None
    assert spammer.suspension_reason == "Spam"
    assert not spammer.questions.visible().exists()
    assert not spammer.answers.visible().exists()
    assert not spammer.comments.visible().exists()
    assert not spammer.votes.exists()
    victims_question.refresh_from_db()
    victims_answer.refresh_from_db()
    spam_question.refresh_from_db()
    assert victims_question.answer_count == 1  # the spam answer no longer counts
    assert victims_answer.comment_count == 1  # the spam comment no longer counts
    assert (victims_question.score, victims_answer.score) == (0, 0)
    assert spam_question.answer_count == 1  # the bystander's answer stays
    for member, reputation in [(victim, 200), (friend, 200), (bystander, 200)]:
        member.refresh_from_db()
        assert member.reputation == reputation, member
    # The upvote on the deleted spam answer stops counting; the answer downvote's cost is back.
    assert spammer.reputation == spammer_reputation - 10 + 1
    for flag, status in [
        (flag_on_spam, FlagStatus.HELPFUL),
        (flag_on_comment, FlagStatus.HELPFUL),
        (flag_by_spammer, FlagStatus.DECLINED),
    ]:
        flag.refresh_from_db()
        assert (flag.status, flag.handled_by) == (status, moderator)
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.user) == (Kind.DELETE_SPAMMER, moderator, spammer)
    assert entry.details["votes"] == 3


def test_delete_spammer_is_all_or_nothing(db, moderator, monkeypatch):
    spammer = UserFactory()
    question = QuestionFactory(author=spammer)

    def broken(user):
        raise RuntimeError("votes could not be invalidated")

    monkeypatch.setattr(moderation, "invalidate_votes", broken)
    with pytest.raises(RuntimeError):
        moderation.delete_spammer(moderator=moderator, user=spammer)

    question.refresh_from_db()
    spammer.refresh_from_db()
    assert not question.is_deleted
    assert not spammer.is_suspended
    assert not ModerationAction.objects.exists()


def test_delete_spammer_ends_the_hidden_state_without_counting_twice(db, moderator):
    question = QuestionFactory()
    spammer = UserFactory()
    answer = post_answer(author=spammer, question=question, body=BODY)
    flag_by(3, answer)

    moderation.delete_spammer(moderator=moderator, user=spammer)

    refreshed(question, answer)
    assert answer.is_deleted and not answer.is_hidden
    assert question.answer_count == 0


# --- the audit log and its signal ----------------------------------------------------------


def test_every_row_sends_the_moderator_action_signal(db, moderator):
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    moderator_action.connect(receiver)
    try:
        question = QuestionFactory()
        moderation.set_locked(moderator=moderator, post=question, locked=True, note="Heated")
    finally:
        moderator_action.disconnect(receiver)

    entry = ModerationAction.objects.get()
    [(sender, kwargs)] = received
    assert sender is ModerationAction
    assert kwargs["action"] == Kind.LOCK
    assert kwargs["actor"] == moderator
    assert kwargs["target"] == question
    assert kwargs["reason"] == "Heated"
    assert kwargs["entry"] == entry


def test_a_failing_receiver_rolls_the_action_back(db, moderator):
    def receiver(sender, **kwargs):
        raise RuntimeError("notification failed")

    question = QuestionFactory()
    moderator_action.connect(receiver)
    try:
        with pytest.raises(RuntimeError):
            moderation.set_locked(moderator=moderator, post=question, locked=True)
    finally:
        moderator_action.disconnect(receiver)

    question.refresh_from_db()
    assert not question.is_locked
    assert not ModerationAction.objects.exists()


def test_the_log_keeps_its_rows_when_a_member_is_deleted(db, moderator):
    member = UserFactory()
    moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Rude")

    member.delete()

    entry = ModerationAction.objects.get()
    assert entry.user is None
    assert entry.target is None
    assert str(entry) == f"{moderator}: Suspended"
