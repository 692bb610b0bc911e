"""Each rule in questions/permissions.py, once, with the allowed and the refused case side by
side."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from core import permissions
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

anonymous = AnonymousUser()


def deleted(post):
    post.deleted_at = timezone.now()
    return post


# --- moderators and privileges ------------------------------------------------------------


def test_moderators_are_superusers_and_members_of_the_moderators_group():
    assert permissions.is_moderator(ModeratorFactory())
    assert permissions.is_moderator(UserFactory(is_superuser=True))
    assert not permissions.is_moderator(UserFactory(is_staff=True, reputation=100_000))
    assert not permissions.is_moderator(anonymous)


def test_an_inactive_moderator_is_not_a_moderator():
    assert not permissions.is_moderator(ModeratorFactory(is_active=False))


@pytest.mark.parametrize(
    "privilege,needed",
    [
        ("vote_up", 15),
        ("flag", 15),
        ("comment", 50),
        ("vote_down", 125),
        ("edit_tags", 500),
        ("edit_others", 2000),
    ],
)
def test_privileges_need_their_reputation(privilege, needed):
    assert permissions.threshold(privilege) == needed
    assert not permissions.has_privilege(UserFactory(reputation=needed - 1), privilege)
    assert permissions.has_privilege(UserFactory(reputation=needed), privilege)


@pytest.mark.parametrize(
    "privilege", sorted(set(permissions.PRIVILEGE_NAMES) - permissions.NEVER_LOWERED)
)
def test_launch_mode_drops_every_privilege_to_1(launch_mode, privilege):
    assert permissions.threshold(privilege) == 1
    assert permissions.has_privilege(UserFactory(reputation=1), privilege)


def test_launch_mode_never_lowers_editing_others_posts(launch_mode):
    """Three throwaway accounts must not rewrite a thread: they suggest edits instead."""
    assert permissions.threshold("edit_others") == 2000
    newcomer = UserFactory(reputation=1)
    post = QuestionFactory()
    assert not permissions.can_edit(newcomer, post)
    assert permissions.can_suggest_edit(newcomer, post)
    assert not permissions.can_suggest_edit(post.author, post)


def test_launch_mode_does_not_make_anyone_a_moderator(launch_mode):
    user = UserFactory()
    assert not permissions.is_moderator(user)
    assert not permissions.can_delete(user, QuestionFactory())


def test_moderators_have_every_privilege_and_others_none_when_inactive():
    assert permissions.has_privilege(ModeratorFactory(reputation=1), "edit_others")
    assert not permissions.has_privilege(UserFactory(reputation=10_000, is_active=False), "flag")
    assert not permissions.has_privilege(anonymous, "flag")


def test_explain_names_the_reputation_and_the_privilege(settings):
    assert permissions.explain("comment") == "You need 50 reputation to comment everywhere."
    settings.JOKESITE_LAUNCH_MODE = True
    assert permissions.explain("comment") == "You need 1 reputation to comment everywhere."


# --- voting -------------------------------------------------------------------------------


def test_vote_up_needs_15_and_down_needs_125():
    post = AnswerFactory()
    assert not permissions.can_vote(UserFactory(reputation=14), post, 1)
    assert permissions.can_vote(UserFactory(reputation=15), post, 1)
    assert not permissions.can_vote(UserFactory(reputation=124), post, -1)
    assert permissions.can_vote(UserFactory(reputation=125), post, -1)


def test_retracting_a_vote_needs_no_reputation():
    assert permissions.can_vote(UserFactory(reputation=1), AnswerFactory(), 0)


def test_nobody_votes_on_their_own_post_or_a_deleted_one(launch_mode):
    post = AnswerFactory()
    assert not permissions.can_vote(post.author, post, 1)
    assert not permissions.can_vote(post.author, post, 0)
    assert not permissions.can_vote(UserFactory(), deleted(post), 1)
    assert not permissions.can_vote(anonymous, AnswerFactory(), 1)


# --- commenting ---------------------------------------------------------------------------


def test_comment_on_others_posts_needs_50():
    post = QuestionFactory()
    assert not permissions.can_comment(UserFactory(reputation=49), post)
    assert permissions.can_comment(UserFactory(reputation=50), post)


def test_anyone_comments_on_their_own_posts_and_answers_to_their_question():
    answer = AnswerFactory()
    assert permissions.can_comment(answer.author, answer)
    assert permissions.can_comment(answer.question.author, answer)
    assert permissions.can_comment(answer.question.author, answer.question)
    assert not permissions.can_comment(answer.author, answer.question)


def test_no_comments_on_deleted_posts_or_by_anonymous_visitors():
    answer = AnswerFactory()
    assert not permissions.can_comment(anonymous, answer)
    assert not permissions.can_comment(answer.author, deleted(answer))


# --- editing and deleting -----------------------------------------------------------------


def test_authors_edit_their_posts_and_others_need_2000():
    post = QuestionFactory()
    assert permissions.can_edit(post.author, post)
    assert not permissions.can_edit(UserFactory(reputation=1999), post)
    assert permissions.can_edit(UserFactory(reputation=2000), post)
    assert not permissions.can_edit(anonymous, post)


def test_deleted_posts_are_edited_by_moderators_only():
    post = deleted(QuestionFactory())
    assert not permissions.can_edit(post.author, post)
    assert permissions.can_edit(ModeratorFactory(), post)


def test_authors_and_moderators_delete_and_nobody_else():
    post = AnswerFactory()
    assert permissions.can_delete(post.author, post)
    assert permissions.can_delete(ModeratorFactory(), post)
    assert not permissions.can_delete(UserFactory(reputation=100_000), post)
    assert not permissions.can_delete(post.question.author, post)
    assert not permissions.can_delete(anonymous, post)
    assert not permissions.can_delete(post.author, deleted(post))


# --- accepting, flagging, answering, viewing ----------------------------------------------


def test_only_the_asker_accepts_a_visible_answer_to_a_visible_question():
    answer = AnswerFactory()
    asker = answer.question.author
    assert permissions.can_accept(asker, answer)
    assert not permissions.can_accept(answer.author, answer)
    assert not permissions.can_accept(ModeratorFactory(), answer)
    assert not permissions.can_accept(anonymous, answer)
    assert not permissions.can_accept(asker, deleted(AnswerFactory(question=answer.question)))
    deleted(answer.question)
    assert not permissions.can_accept(asker, answer)


def test_flagging_needs_15_and_never_ones_own_or_a_deleted_post():
    post = QuestionFactory(author=UserFactory(reputation=10_000))
    assert not permissions.can_flag(UserFactory(reputation=14), post)
    assert permissions.can_flag(UserFactory(reputation=15), post)
    assert not permissions.can_flag(post.author, post)
    assert not permissions.can_flag(UserFactory(reputation=15), deleted(post))


def test_members_answer_and_ask_unless_inactive_or_the_question_is_deleted():
    question = QuestionFactory()
    member = UserFactory()
    assert permissions.can_answer(member, question) and permissions.can_ask(member)
    assert not permissions.can_answer(anonymous, question) and not permissions.can_ask(anonymous)
    inactive = UserFactory(is_active=False)
    assert not permissions.can_answer(inactive, question) and not permissions.can_ask(inactive)
    assert not permissions.can_answer(member, deleted(question))


def test_deleted_posts_are_seen_by_their_author_and_moderators_only():
    post = deleted(AnswerFactory())
    assert permissions.can_view(post.author, post)
    assert permissions.can_view(ModeratorFactory(), post)
    assert not permissions.can_view(UserFactory(), post)
    assert not permissions.can_view(anonymous, post)
    assert permissions.can_view(anonymous, AnswerFactory())
