"""The rules that live in questions/services.py: revisions, soft delete, votes and reputation,
comments and flags."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from answers.services import post_answer
from comments import services as comment_services
from flags import services as flag_services
from flags.models import Flag, FlagStatus
from moderation import services as moderation_services
from questions import services
from questions.models import Question, Tag
from revisions import services as revision_services
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from tests.helpers import BODY, OTHER_BODY, ask
from votes import services as vote_services
from votes.models import Vote
from votes.reputation import award_bonus
from votes.services import accept_answer

pytestmark = pytest.mark.django_db


def reputation(user) -> int:
    user.refresh_from_db(fields=["reputation"])
    return user.reputation


# --- normalize_tags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw,names",
    [
        ("Jokes  puns", ["jokes", "puns"]),
        ("jokes,puns, Jokes", ["jokes", "puns"]),
        ("笑话，程序员、笑话", ["笑话", "程序员"]),
        ("  ", []),
        ("", []),
        ("c# c++ node.js", ["c#", "c++", "node.js"]),
    ],
)
def test_normalize_tags_splits_lowercases_and_dedupes_keeping_order(raw, names):
    assert services.normalize_tags(raw) == names


# --- ask_question -------------------------------------------------------------------------


def test_ask_question_saves_tags_category_rendered_body_and_revision_1():
    author = UserFactory()
    category = CategoryFactory()
    TagFactory(name="puns")
    question = ask(author, body="Some **bold** text, long enough.", tags=["puns", "new"],
                   category=category)  # fmt: skip
    assert question.body_html == "<p>Some <strong>bold</strong> text, long enough.</p>"
    assert question.tag_names() == ["new", "puns"]
    assert Tag.objects.count() == 2  # the existing tag is reused
    assert question.category == category
    revision = question.revisions.get()
    assert (revision.number, revision.editor, revision.title, revision.body, revision.tags) == (
        1,
        author,
        question.title,
        question.body,
        "new puns",
    )


def test_question_slug_is_cut_to_90_characters():
    question = ask(title="word " * 30)
    assert len(question.slug) <= 90
    assert not question.slug.endswith("-")


# --- edit_post ----------------------------------------------------------------------------


def test_edit_post_changes_the_question_and_adds_the_next_revision():
    question = ask()
    editor = UserFactory()
    revision_services.edit_post(
        editor=editor,
        post=question,
        title="How do I stop my puns from falling flat?",
        body=OTHER_BODY,
        tags=["puns"],
        summary="Narrowed it down",
    )
    question.refresh_from_db()
    assert question.slug == "how-do-i-stop-my-puns-from-falling-flat"
    assert question.body_html == f"<p>{OTHER_BODY}</p>"
    assert question.edited_at is not None
    assert question.last_activity_at == question.edited_at
    latest = question.revisions.order_by("-number").first()
    assert (latest.number, latest.editor, latest.tags, latest.summary) == (
        2,
        editor,
        "puns",
        "Narrowed it down",
    )


def test_edit_post_with_the_same_content_saves_nothing():
    question = ask(tags=["a", "b"])
    before = question.last_activity_at
    revision_services.edit_post(
        editor=question.author, post=question, title=question.title, body=BODY, tags=["b", "a"]
    )
    question.refresh_from_db()
    assert question.edited_at is None
    assert question.last_activity_at == before
    assert question.revisions.count() == 1


def test_changing_only_the_category_is_an_edit():
    question = ask()
    revision_services.edit_post(
        editor=question.author,
        post=question,
        title=question.title,
        body=question.body,
        tags=["humour"],
        category=CategoryFactory(),
    )
    assert question.revisions.count() == 2


def test_editing_an_answer_bumps_its_question_activity():
    answer = post_answer(author=UserFactory(), question=QuestionFactory(), body=BODY)
    question = answer.question
    long_ago = timezone.now() - timedelta(days=30)
    Question.objects.filter(pk=question.pk).update(last_activity_at=long_ago)
    revision_services.edit_post(editor=answer.author, post=answer, body=OTHER_BODY)
    question.refresh_from_db()
    answer.refresh_from_db()
    assert question.last_activity_at == answer.edited_at
    assert list(answer.revisions.order_by("number").values_list("body", flat=True)) == [
        BODY,
        OTHER_BODY,
    ]


# --- delete_post / restore_post -----------------------------------------------------------


def test_delete_answer_uncounts_it_and_removes_the_accepted_mark():
    answer = post_answer(author=UserFactory(), question=QuestionFactory(), body=BODY)
    accept_answer(answer=answer)
    moderator = UserFactory()
    moderation_services.delete_post(actor=moderator, post=answer)
    answer.refresh_from_db()
    answer.question.refresh_from_db()
    assert answer.deleted_at is not None and answer.deleted_by == moderator
    assert (answer.is_accepted, answer.accepted_at) == (False, None)
    assert answer.question.answer_count == 0


def test_deleting_an_accepted_answer_takes_back_the_accept_reputation():
    answer = post_answer(author=UserFactory(), question=QuestionFactory(), body=BODY)
    accept_answer(answer=answer)
    assert (reputation(answer.author), reputation(answer.question.author)) == (16, 3)
    moderation_services.delete_post(actor=answer.author, post=answer)
    assert (reputation(answer.author), reputation(answer.question.author)) == (1, 1)


def test_deleting_twice_counts_once_and_restore_counts_again():
    answer = post_answer(author=UserFactory(), question=QuestionFactory(), body=BODY)
    moderation_services.delete_post(actor=answer.author, post=answer)
    moderation_services.delete_post(actor=answer.author, post=answer)
    answer.question.refresh_from_db()
    assert answer.question.answer_count == 0
    moderation_services.restore_post(post=answer)
    moderation_services.restore_post(post=answer)
    answer.refresh_from_db()
    answer.question.refresh_from_db()
    assert answer.deleted_at is None and answer.deleted_by is None
    assert answer.question.answer_count == 1


def test_deleting_a_question_keeps_its_answers_count():
    answer = AnswerFactory()
    moderation_services.delete_post(actor=answer.question.author, post=answer.question)
    question = Question.objects.get()
    assert question.is_deleted
    assert question.answer_count == 1
    assert Question.objects.visible().count() == 0


# --- cast_vote and reputation -------------------------------------------------------------


def test_upvote_adds_one_to_the_score_and_ten_to_the_author():
    answer = AnswerFactory()
    voter = UserFactory()
    assert vote_services.cast_vote(voter=voter, post=answer, value=1) == 1
    assert (reputation(answer.author), reputation(voter)) == (11, 1)
    vote = Vote.objects.get()
    assert (vote.voter, vote.answer, vote.question, vote.value) == (voter, answer, None, 1)


def test_voting_the_same_way_twice_is_not_a_toggle():
    answer = AnswerFactory()
    voter = UserFactory()
    vote_services.cast_vote(voter=voter, post=answer, value=1)
    assert vote_services.cast_vote(voter=voter, post=answer, value=1) == 1
    assert Vote.objects.count() == 1
    assert reputation(answer.author) == 11


def test_downvote_on_an_answer_costs_the_author_two_and_the_voter_one():
    answer = AnswerFactory(author=UserFactory(reputation=100))
    voter = UserFactory(reputation=100)
    assert vote_services.cast_vote(voter=voter, post=answer, value=-1) == -1
    assert (reputation(answer.author), reputation(voter)) == (98, 99)


def test_downvote_on_a_question_costs_only_the_author():
    question = QuestionFactory(author=UserFactory(reputation=100))
    voter = UserFactory(reputation=100)
    vote_services.cast_vote(voter=voter, post=question, value=-1)
    assert (reputation(question.author), reputation(voter)) == (98, 100)


@pytest.mark.parametrize("value", [1, -1])
def test_retracting_a_vote_reverses_score_and_reputation(value):
    answer = AnswerFactory(author=UserFactory(reputation=100))
    voter = UserFactory(reputation=100)
    vote_services.cast_vote(voter=voter, post=answer, value=value)
    assert vote_services.cast_vote(voter=voter, post=answer, value=0) == 0
    assert (reputation(answer.author), reputation(voter)) == (100, 100)
    assert not Vote.objects.exists()


def test_retracting_without_a_vote_changes_nothing():
    answer = AnswerFactory(score=3)
    assert vote_services.cast_vote(voter=UserFactory(), post=answer, value=0) == 3
    assert reputation(answer.author) == 1


def test_switching_from_up_to_down_applies_both_changes():
    answer = AnswerFactory(author=UserFactory(reputation=100))
    voter = UserFactory(reputation=100)
    vote_services.cast_vote(voter=voter, post=answer, value=1)
    assert vote_services.cast_vote(voter=voter, post=answer, value=-1) == -1
    assert (reputation(answer.author), reputation(voter)) == (98, 99)
    assert Vote.objects.get().value == -1


def test_many_voters_add_up():
    question = QuestionFactory()
    for value in (1, 1, 1, -1):
        vote_services.cast_vote(voter=UserFactory(reputation=200), post=question, value=value)
    question.refresh_from_db()
    assert question.score == 2
    assert reputation(question.author) == 1 + 30 - 2


def test_reputation_never_drops_below_1():
    answer = AnswerFactory()  # author at 1
    voter = UserFactory(reputation=1)
    vote_services.cast_vote(voter=voter, post=answer, value=-1)
    assert (reputation(answer.author), reputation(voter)) == (1, 1)
    award_bonus(user=answer.author, amount=-1000)  # shown at 1; the ledger keeps the debt
    assert reputation(answer.author) == 1


def test_the_database_refuses_a_second_vote_by_the_same_member():
    answer = AnswerFactory()
    voter = UserFactory()
    Vote.objects.create(voter=voter, answer=answer, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=voter, answer=answer, value=-1)


@pytest.mark.parametrize("value", [0, 2, -2])
def test_the_database_refuses_a_vote_other_than_1_or_minus_1(value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(voter=UserFactory(), answer=AnswerFactory(), value=value)


# --- add_comment / flag_post --------------------------------------------------------------


def test_add_comment_counts_and_renders_it():
    answer = AnswerFactory()
    comment = comment_services.add_comment(
        author=UserFactory(), post=answer, body="Ha, *good* one!"
    )
    answer.refresh_from_db()
    assert answer.comment_count == 1
    assert comment.body_html == "Ha, <em>good</em> one!"
    comment_services.add_comment(author=UserFactory(), post=answer, body="Another one here")
    answer.refresh_from_db()
    assert answer.comment_count == 2


def test_flag_post_keeps_one_open_flag_per_member_and_post():
    question = QuestionFactory()
    flagger = UserFactory()
    first = flag_services.flag_post(flagger=flagger, post=question, reason="spam")
    second = flag_services.flag_post(flagger=flagger, post=question, reason="other", details="x")
    assert first.pk == second.pk
    assert Flag.objects.get().reason == "other"


def test_a_new_flag_is_opened_once_the_old_one_is_handled():
    question = QuestionFactory()
    flagger = UserFactory()
    first = flag_services.flag_post(flagger=flagger, post=question, reason="spam")
    Flag.objects.filter(pk=first.pk).update(status=FlagStatus.DECLINED, handled_at=timezone.now())
    flag_services.flag_post(flagger=flagger, post=question, reason="rude")
    assert Flag.objects.filter(question=question).count() == 2
    assert Flag.objects.filter(status=FlagStatus.OPEN).get().reason == "rude"
