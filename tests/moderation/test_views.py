"""Moderation on the site: suspensions, locks, closing, undelete, rollback, flags on comments,
hidden posts, and every 403 on the way."""

import html
import json
import os
import shutil

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from answers.models import Answer
from answers.services import post_answer
from comments import services as comment_services
from comments.models import Comment
from core import permissions
from flags import services as flag_services
from flags.models import Flag, FlagReason
from moderation import services as moderation
from moderation import services as moderation_services
from moderation.models import ModerationAction
from questions import services
from questions.models import CloseReason, Question
from revisions import services as revision_services
from revisions.models import Revision
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)
from tests.helpers import BODY
from tests.test_html_valid import validate
from votes import services as vote_services
from votes.models import Vote

pytestmark = pytest.mark.django_db

Kind = ModerationAction.Kind
COMMENT = "A comment long enough to be kept."


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


def login(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return html.unescape(response.content.decode())


def snapshot(*objects):
    """Row counts of every table a write could touch, and the given objects' fields."""
    tables = [Question, Answer, Vote, Comment, Flag, Revision, ModerationAction]
    counts = {model.__name__: model.objects.count() for model in tables}
    rows = []
    for obj in objects:
        obj = type(obj).objects.get(pk=obj.pk)
        rows.append({f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields})
    return counts, rows


# --- suspended members ---------------------------------------------------------------------


@pytest.fixture
def suspended(db, moderator, launch_mode):
    """A member with privileges (launch mode), their own thread, and a suspension."""
    member = UserFactory()
    question = services.ask_question(
        author=member, title="A question of the suspended member", body=BODY, tags=["mine"]
    )
    answer = post_answer(author=UserFactory(), question=question, body=BODY)
    others = QuestionFactory()
    others_answer = AnswerFactory(question=others)
    others_comment = CommentFactory(question=others)
    vote_services.cast_vote(voter=member, post=others_answer, value=1)
    moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Rude words")
    member.refresh_from_db()
    return {
        "member": member,
        "question": question,
        "answer": answer,
        "others": others,
        "others_answer": others_answer,
        "others_comment": others_comment,
    }


WRITES = [
    ("get", lambda s: reverse("questions:ask"), {}),
    (
        "post",
        lambda s: reverse("questions:ask"),
        {"title": "A brand new question here", "body": BODY, "tags": "new"},
    ),
    ("post", lambda s: s["others"].get_answer_url(), {"body": BODY}),
    ("post", lambda s: s["others_answer"].get_vote_url(), {"value": "-1"}),
    ("post", lambda s: s["others_answer"].get_vote_url(), {"value": "0"}),
    ("post", lambda s: s["question"].get_comment_url(), {"body": COMMENT}),
    ("get", lambda s: s["question"].get_edit_url(), {}),
    ("post", lambda s: s["question"].get_edit_url(), {"body": BODY + " More."}),
    ("post", lambda s: s["question"].get_delete_url(), {}),
    ("get", lambda s: s["others_answer"].get_flag_url(), {}),
    ("post", lambda s: s["others_answer"].get_flag_url(), {"reason": "spam"}),
    ("post", lambda s: s["others_comment"].get_flag_url(), {"reason": "rude"}),
    ("post", lambda s: reverse("answers:accept", args=[s["answer"].pk]), {}),
    ("post", lambda s: s["question"].get_rollback_url(1), {}),
]


@pytest.mark.parametrize(
    "method, url, data",
    WRITES,
    ids=[
        "ask-form",
        "ask",
        "answer",
        "vote",
        "retract-vote",
        "comment",
        "edit-form",
        "edit",
        "delete",
        "flag-form",
        "flag",
        "flag-comment",
        "accept",
        "rollback",
    ],
)
def test_every_write_answers_403_with_the_reason_and_end_date(client, suspended, method, url, data):
    member = suspended["member"]
    login(client, member)
    before = snapshot(suspended["question"], suspended["others_answer"])

    response = getattr(client, method)(url(suspended), data)

    assert response.status_code == 403
    assert permissions.suspension_notice(member) in text(response)
    assert "Rude words" in text(response)
    assert snapshot(suspended["question"], suspended["others_answer"]) == before


@pytest.mark.parametrize(
    "method, action",
    [
        ("get", "close"),
        ("post", "close"),
        ("post", "reopen"),
        ("post", "lock"),
        ("post", "unlock"),
        ("post", "undelete"),
    ],
)
def test_a_suspended_moderator_gets_403_for_moderator_actions(client, method, action):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    moderator = ModeratorFactory()
    question = QuestionFactory()
    moderation.suspend_user(moderator=superuser, user=moderator, days=7, reason="Cooling off")
    moderator.refresh_from_db()
    login(client, moderator)
    before = snapshot(question)

    url = reverse(f"questions:{action}", args=[question.pk])
    response = getattr(client, method)(url, {"reason": "off-topic"})

    assert response.status_code == 403
    assert "Cooling off" in text(response)
    assert snapshot(question) == before


@pytest.mark.parametrize("where", ["home", "thread", "profile"])
def test_a_suspended_member_reads_with_a_banner(client, suspended, where):
    member = suspended["member"]
    login(client, member)
    urls = {
        "home": reverse("home"),
        "thread": suspended["others"].get_absolute_url(),
        "profile": member.get_absolute_url(),
    }

    response = client.get(urls[where])

    assert response.status_code == 200
    banner = text(response).split('class="banner banner--suspended"')[1].split("</div>")[0]
    assert "Your account is suspended" in banner
    assert "Reason:</strong> Rude words" in banner
    assert f'datetime="{member.suspended_until:%Y-%m-%dT%H:%M:%S%z}"' in banner


def test_a_suspended_member_sees_no_answer_form_and_disabled_buttons(client, suspended):
    login(client, suspended["member"])

    body = text(client.get(suspended["others"].get_absolute_url()))

    assert f'action="{suspended["others"].get_answer_url()}"' not in body
    assert "Your account is suspended: you can read but not write." in body
    assert "Add a comment" not in body


def test_the_banner_goes_when_the_suspension_is_lifted(client, suspended, moderator):
    member = suspended["member"]
    moderation.lift_suspension(moderator=moderator, user=member)
    login(client, member)

    response = client.get(reverse("home"))

    assert "Your account is suspended" not in text(response)
    assert client.post(suspended["others"].get_answer_url(), {"body": BODY}).status_code == 302


def test_other_members_see_no_banner(client, suspended):
    login(client, UserFactory())
    assert "Your account is suspended" not in text(client.get(reverse("home")))


# --- locked posts --------------------------------------------------------------------------


@pytest.fixture
def locked(db, moderator, launch_mode):
    author = UserFactory()
    question = services.ask_question(
        author=author, title="A question that got heated", body=BODY, tags=["heat"]
    )
    answer = post_answer(author=author, question=question, body=BODY)
    voter = UserFactory()
    vote_services.cast_vote(voter=voter, post=answer, value=1)
    for post in (question, answer):
        moderation.set_locked(moderator=moderator, post=post, locked=True)
    return {"author": author, "question": question, "answer": answer, "voter": voter}


@pytest.mark.parametrize(
    "who, method, url, data",
    [
        ("voter", "post", lambda s: s["answer"].get_vote_url(), {"value": "-1"}),
        ("voter", "post", lambda s: s["answer"].get_vote_url(), {"value": "0"}),
        ("voter", "post", lambda s: s["question"].get_vote_url(), {"value": "1"}),
        ("author", "post", lambda s: s["answer"].get_comment_url(), {"body": COMMENT}),
        ("voter", "post", lambda s: s["question"].get_comment_url(), {"body": COMMENT}),
        ("author", "get", lambda s: s["answer"].get_edit_url(), {}),
        ("author", "post", lambda s: s["question"].get_edit_url(), {"body": BODY + " Edit."}),
        ("author", "post", lambda s: s["answer"].get_delete_url(), {}),
        ("author", "post", lambda s: s["answer"].get_rollback_url(1), {}),
        ("voter", "post", lambda s: s["question"].get_answer_url(), {"body": BODY}),
    ],
    ids=[
        "downvote",
        "retract",
        "upvote-question",
        "comment-own",
        "comment",
        "edit-form",
        "edit",
        "delete-own",
        "rollback-own",
        "answer",
    ],
)
def test_a_locked_post_refuses_writes_with_a_clear_message(client, locked, who, method, url, data):
    login(client, locked[who])
    before = snapshot(locked["question"], locked["answer"])

    response = getattr(client, method)(url(locked), data)

    assert response.status_code == 403
    assert permissions.lock_notice() in text(response)
    assert snapshot(locked["question"], locked["answer"]) == before


def test_a_moderator_still_edits_a_locked_post(client, locked, moderator):
    login(client, moderator)
    answer = locked["answer"]

    response = client.post(answer.get_edit_url(), {"body": BODY + " Fixed by a moderator."})

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body.endswith("Fixed by a moderator.")


def test_a_locked_thread_shows_why_the_buttons_are_off(client, locked):
    login(client, locked["voter"])

    body = text(client.get(locked["question"].get_absolute_url()))

    assert body.count(permissions.lock_notice()) >= 4  # two notes, vote titles, comment hint
    assert 'title="This post is locked by a moderator' in body
    assert "Add a comment" not in body
    assert f'action="{locked["question"].get_answer_url()}"' not in body


def test_unlocking_lets_votes_in_again(client, locked, moderator):
    login(client, moderator)
    for post in (locked["question"], locked["answer"]):
        assert client.post(post.get_unlock_url()).status_code == 302

    login(client, locked["voter"])
    response = client.post(locked["answer"].get_vote_url(), {"value": "0"})

    assert response.status_code == 302
    assert not Vote.objects.exists()


# --- lock, unlock, undelete and delete from the site ---------------------------------------


@pytest.mark.parametrize("kind", ["question", "answer"])
def test_a_moderator_locks_and_unlocks_from_the_thread(client, moderator, kind):
    post = AnswerFactory() if kind == "answer" else QuestionFactory()
    login(client, moderator)

    assert client.post(post.get_lock_url()).status_code == 302
    post.refresh_from_db()
    assert post.is_locked
    assert client.post(post.get_unlock_url()).status_code == 302
    post.refresh_from_db()
    assert not post.is_locked
    actions = list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))
    assert actions == [Kind.LOCK, Kind.UNLOCK]


@pytest.mark.parametrize("action", ["lock", "unlock", "undelete"])
@pytest.mark.parametrize("kind", ["question", "answer"])
def test_members_cannot_use_moderator_actions(client, launch_mode, kind, action):
    author = UserFactory()
    post = AnswerFactory(author=author) if kind == "answer" else QuestionFactory(author=author)
    moderation_services.delete_post(actor=author, post=post) if action == "undelete" else None
    login(client, author)

    response = client.post(reverse(f"{post._meta.app_label}:{action}", args=[post.pk]))

    assert response.status_code == 403
    assert "Only moderators" in text(response)
    assert not ModerationAction.objects.exists()


@pytest.mark.parametrize("action", ["lock", "close", "reopen", "undelete"])
def test_anonymous_visitors_are_sent_to_log_in(client, action):
    question = QuestionFactory()
    response = client.post(reverse(f"questions:{action}", args=[question.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_moderator_actions_are_post_only(client, moderator):
    question = QuestionFactory()
    login(client, moderator)
    for action in ("lock", "unlock", "reopen", "undelete"):
        assert client.get(reverse(f"questions:{action}", args=[question.pk])).status_code == 405


def test_a_moderator_undeletes_an_answer_from_the_thread(client, moderator):
    question, author = QuestionFactory(), UserFactory()
    answer = post_answer(author=author, question=question, body=BODY)
    moderation_services.delete_post(actor=author, post=answer)
    login(client, moderator)

    body = text(client.get(question.get_absolute_url()))
    assert "This post is deleted: only its author and moderators see it." in body
    assert f'action="{answer.get_undelete_url()}"' in body

    response = client.post(answer.get_undelete_url())

    assert response.status_code == 302
    answer.refresh_from_db()
    question.refresh_from_db()
    assert not answer.is_deleted
    assert question.answer_count == 1
    assert ModerationAction.objects.get().action == Kind.UNDELETE


def test_a_deleted_answer_stays_visible_to_its_author_only(client):
    question, author = QuestionFactory(), UserFactory()
    answer = post_answer(author=author, question=question, body=BODY)
    moderation_services.delete_post(actor=author, post=answer)

    login(client, author)
    body = text(client.get(question.get_absolute_url()))
    assert f'id="answer-{answer.pk}"' in body
    assert "This post is deleted" in body
    assert f'action="{answer.get_undelete_url()}"' not in body
    assert client.post(answer.get_undelete_url()).status_code == 403

    login(client, UserFactory())
    assert f'id="answer-{answer.pk}"' not in text(client.get(question.get_absolute_url()))
    assert client.post(answer.get_undelete_url()).status_code == 404


def test_a_moderator_deleting_someone_elses_post_is_logged(client, moderator):
    answer = AnswerFactory()
    login(client, moderator)

    assert client.post(answer.get_delete_url()).status_code == 302

    answer.refresh_from_db()
    assert answer.is_deleted
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.actor, entry.answer) == (Kind.DELETE, moderator, answer)


def test_an_author_deleting_their_own_post_is_not_logged(client):
    answer = AnswerFactory()
    login(client, answer.author)

    assert client.post(answer.get_delete_url()).status_code == 302

    assert not ModerationAction.objects.exists()


def test_a_moderator_editing_someone_elses_post_is_logged(client, moderator):
    answer = post_answer(author=UserFactory(), question=QuestionFactory(), body=BODY)
    login(client, moderator)

    response = client.post(answer.get_edit_url(), {"body": BODY + " Edited.", "summary": "tidy"})

    assert response.status_code == 302
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.answer, entry.reason) == (Kind.EDIT, answer, "tidy")


# --- closing -------------------------------------------------------------------------------


def test_a_moderator_closes_as_off_topic_from_the_thread(client, moderator):
    question = QuestionFactory()
    login(client, moderator)
    body = text(client.get(question.get_absolute_url()))
    assert f'action="{question.get_close_url()}"' in body

    response = client.post(question.get_close_url(), {"reason": "off-topic", "note": "Not a joke"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.is_closed, question.close_reason) == (True, CloseReason.OFF_TOPIC)
    entry = ModerationAction.objects.get()
    assert (entry.action, entry.reason) == (Kind.CLOSE, "Not a joke")
    body = text(client.get(question.get_absolute_url()))
    assert "Closed as “Off-topic”." in body
    assert f'action="{question.get_reopen_url()}"' in body


@pytest.mark.parametrize(
    "reference",
    [
        lambda q: str(q.pk),
        lambda q: q.get_absolute_url(),
        lambda q: f"https://example.com/questions/{q.pk}/",
    ],
    ids=["number", "path", "address"],
)
def test_closing_as_duplicate_links_the_original_with_a_banner(client, moderator, reference):
    original, question = QuestionFactory.create_batch(2)
    login(client, moderator)

    response = client.post(
        question.get_close_url(), {"reason": "duplicate", "duplicate_of": reference(original)}
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.duplicate_of == original
    client.logout()
    body = text(client.get(question.get_absolute_url()))
    assert "This question already has an answer here:" in body
    assert f'<a href="{original.get_absolute_url()}">{original.title}</a>' in body


@pytest.mark.parametrize(
    "data, error",
    [
        ({"reason": "duplicate"}, "Name the question this one duplicates."),
        ({"reason": "duplicate", "duplicate_of": "999999"}, "No question found"),
        ({"reason": "duplicate", "duplicate_of": "self"}, "cannot duplicate itself"),
        ({"reason": "rude"}, "Select a valid choice"),
        ({}, "This field is required"),
    ],
    ids=["no-original", "unknown", "itself", "bad-reason", "empty"],
)
def test_an_invalid_close_form_comes_back_with_errors(client, moderator, data, error):
    question = QuestionFactory()
    if data.get("duplicate_of") == "self":
        data = {**data, "duplicate_of": str(question.pk)}
    login(client, moderator)

    response = client.post(question.get_close_url(), data)

    assert response.status_code == 400
    assert error in text(response)
    question.refresh_from_db()
    assert not question.is_closed
    assert not ModerationAction.objects.exists()


def test_the_close_form_page_opens_for_moderators(client, moderator):
    question = QuestionFactory()
    login(client, moderator)

    response = client.get(question.get_close_url())

    assert response.status_code == 200
    assert "Opinion-based" in text(response)


def test_members_cannot_close_or_reopen(client, launch_mode):
    question = QuestionFactory()
    login(client, question.author)

    for url in (question.get_close_url(), question.get_reopen_url()):
        response = client.post(url, {"reason": "off-topic"})
        assert response.status_code == 403
    assert not Question.objects.get(pk=question.pk).is_closed
    assert "Close" not in text(client.get(question.get_absolute_url())).split("post__actions")[1]


def test_a_closed_question_takes_no_answers(client, moderator, launch_mode):
    question = QuestionFactory()
    moderation.close_question(moderator=moderator, question=question, reason="opinion-based")
    login(client, UserFactory())

    body = text(client.get(question.get_absolute_url()))
    assert f'action="{question.get_answer_url()}"' not in body
    assert "This question is closed: it takes no new answers." in body

    response = client.post(question.get_answer_url(), {"body": BODY})

    assert response.status_code == 403
    assert "This question is closed: it takes no new answers." in text(response)
    assert not Answer.objects.exists()


def test_a_closed_question_still_takes_votes_and_comments(client, moderator, launch_mode):
    question = QuestionFactory()
    moderation.close_question(moderator=moderator, question=question, reason="opinion-based")
    login(client, UserFactory())

    assert client.post(question.get_vote_url(), {"value": "1"}).status_code == 302
    assert client.post(question.get_comment_url(), {"body": COMMENT}).status_code == 302


def test_reopening_brings_the_answer_form_back(client, moderator):
    question = QuestionFactory()
    moderation.close_question(moderator=moderator, question=question, reason="needs-details")
    login(client, moderator)

    assert client.post(question.get_reopen_url()).status_code == 302
    question.refresh_from_db()
    assert not question.is_closed
    assert f'action="{question.get_answer_url()}"' in text(client.get(question.get_absolute_url()))


def test_closing_a_closed_question_changes_nothing(client, moderator):
    question = QuestionFactory()
    moderation.close_question(moderator=moderator, question=question, reason="needs-details")
    login(client, moderator)

    response = client.post(question.get_close_url(), {"reason": "off-topic"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.close_reason == CloseReason.NEEDS_DETAILS
    assert ModerationAction.objects.count() == 1


# --- rollback ------------------------------------------------------------------------------


@pytest.fixture
def edited(db):
    """A question with two revisions: the original and an edit by its author."""
    author = UserFactory()
    question = services.ask_question(
        author=author, title="The original title of it", body=BODY, tags=["one"]
    )
    revision_services.edit_post(
        editor=author,
        post=question,
        body=BODY + " Vandalised.",
        title="The vandalised title",
        tags=["two"],
    )
    return question


def test_the_author_rolls_back_to_the_original(client, edited):
    login(client, edited.author)

    response = client.post(edited.get_rollback_url(1))

    edited.refresh_from_db()
    assert response.status_code == 302
    assert response.url == f"{edited.get_absolute_url()}#question-{edited.pk}"
    assert (edited.title, edited.body) == ("The original title of it", BODY)
    latest = edited.revisions.first()
    assert (latest.number, latest.summary, latest.editor) == (
        3,
        "Rolled back to revision 1",
        edited.author,
    )
    assert not ModerationAction.objects.exists()


def test_a_moderator_rolls_back_an_answer_and_it_is_logged(client, moderator):
    author = UserFactory()
    answer = post_answer(author=author, question=QuestionFactory(), body=BODY)
    revision_services.edit_post(editor=author, post=answer, body=BODY + " Vandalised.")
    login(client, moderator)

    response = client.post(answer.get_rollback_url(1))

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == BODY
    assert ModerationAction.objects.get().action == Kind.ROLLBACK


def test_editors_who_are_not_the_author_cannot_roll_back(client, edited, settings):
    editor = UserFactory(reputation=settings.JOKESITE_PRIVILEGES["edit_others"])
    assert permissions.can_edit(editor, edited)
    login(client, editor)

    response = client.post(edited.get_rollback_url(1))

    assert response.status_code == 403
    assert edited.revisions.count() == 2


def test_rollback_to_a_missing_revision_is_404(client, edited):
    login(client, edited.author)
    assert client.post(edited.get_rollback_url(9)).status_code == 404


def test_rolling_back_to_the_current_text_adds_nothing(client, edited):
    login(client, edited.author)

    response = client.post(edited.get_rollback_url(2), follow=True)

    assert "Revision 2 is the current text already." in text(response)
    assert edited.revisions.count() == 2


def test_rollback_is_post_only_and_needs_a_login(client, edited):
    assert client.post(edited.get_rollback_url(1)).status_code == 302
    login(client, edited.author)
    assert client.get(edited.get_rollback_url(1)).status_code == 405


def test_the_history_page_offers_rollback_to_the_author_only(client, edited):
    url = edited.get_revisions_url()
    login(client, edited.author)
    body = text(client.get(url))
    assert f'action="{edited.get_rollback_url(1)}"' in body
    assert f'action="{edited.get_rollback_url(2)}"' not in body  # the current one

    login(client, UserFactory())
    assert "Roll back to revision" not in text(client.get(url))


# --- flags on comments ---------------------------------------------------------------------


def test_a_member_flags_a_comment(client, launch_mode):
    comment = CommentFactory()
    login(client, UserFactory())

    form = client.get(comment.get_flag_url())
    assert form.status_code == 200
    assert "Flag a comment for moderators" in text(form)

    response = client.post(comment.get_flag_url(), {"reason": "rude"})

    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")
    flag = Flag.objects.get()
    assert (flag.comment, flag.reason) == (comment, FlagReason.RUDE)


def test_flagging_a_comment_as_other_needs_details(client, launch_mode):
    comment = CommentFactory()
    login(client, UserFactory())

    response = client.post(comment.get_flag_url(), {"reason": "other"})

    assert response.status_code == 400
    assert not Flag.objects.exists()


def test_no_one_flags_their_own_comment(client, launch_mode):
    comment = CommentFactory()
    login(client, comment.author)

    response = client.post(comment.get_flag_url(), {"reason": "spam"})

    assert response.status_code == 403
    assert not Flag.objects.exists()


def test_flagging_a_comment_needs_the_privilege(client, settings):
    comment = CommentFactory()
    login(client, UserFactory(reputation=1))

    response = client.post(comment.get_flag_url(), {"reason": "spam"})

    assert response.status_code == 403
    assert permissions.explain("flag") in text(response)


def test_a_deleted_comment_cannot_be_flagged(client, launch_mode):
    comment = CommentFactory()
    comment_services.delete_comment(comment=comment)
    login(client, UserFactory())

    assert client.post(comment.get_flag_url(), {"reason": "spam"}).status_code == 404


def test_each_comment_has_a_flag_link_for_members_who_may_flag(client, launch_mode):
    question = QuestionFactory()
    comment = comment_services.add_comment(author=UserFactory(), post=question, body=COMMENT)
    link = f'href="{comment.get_flag_url()}"'

    assert link not in text(client.get(question.get_absolute_url()))
    login(client, comment.author)
    assert link not in text(client.get(question.get_absolute_url()))
    login(client, UserFactory())
    assert link in text(client.get(question.get_absolute_url()))


def test_three_rude_flags_hide_a_comment_from_the_thread(client, launch_mode):
    question = QuestionFactory()
    comment = comment_services.add_comment(author=UserFactory(), post=question, body=COMMENT)
    for _ in range(3):
        login(client, UserFactory())
        client.post(comment.get_flag_url(), {"reason": "rude"})

    assert f'id="comment-{comment.pk}"' not in text(client.get(question.get_absolute_url()))
    question.refresh_from_db()
    assert question.comment_count == 0


# --- posts hidden by flags -----------------------------------------------------------------


@pytest.fixture
def hidden_question(db, launch_mode, client):
    question = QuestionFactory()
    for _ in range(3):
        login(client, UserFactory())
        assert client.post(question.get_flag_url(), {"reason": "spam"}).status_code == 302
    client.logout()
    question.refresh_from_db()
    assert question.is_hidden
    return question


def test_a_hidden_question_is_gone_for_visitors_and_members(client, hidden_question):
    assert client.get(hidden_question.get_absolute_url()).status_code == 404
    assert hidden_question.title not in text(client.get(reverse("questions:list")))
    login(client, UserFactory())
    assert client.get(hidden_question.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["author", "moderator"])
def test_a_hidden_question_stays_visible_to_its_author_and_moderators(client, hidden_question, who):
    login(client, hidden_question.author if who == "author" else ModeratorFactory())

    response = client.get(hidden_question.get_absolute_url())

    assert response.status_code == 200
    assert "hidden after flags from the community" in text(response)


def test_a_hidden_answer_shows_only_to_its_author(client, launch_mode):
    question = QuestionFactory()
    answer = post_answer(author=UserFactory(), question=question, body=BODY)
    for _ in range(3):
        flag_services.flag_post(flagger=UserFactory(), post=answer, reason=FlagReason.SPAM)

    login(client, UserFactory())
    assert f'id="answer-{answer.pk}"' not in text(client.get(question.get_absolute_url()))
    login(client, answer.author)
    assert f'id="answer-{answer.pk}"' in text(client.get(question.get_absolute_url()))


def test_hidden_answers_stay_out_of_the_structured_data(client, moderator):
    question = QuestionFactory()
    kept = post_answer(author=UserFactory(), question=question, body=BODY)
    hidden = post_answer(author=UserFactory(), question=question, body=BODY + " Spam.")
    for _ in range(3):
        flag_services.flag_post(flagger=UserFactory(), post=hidden, reason=FlagReason.SPAM)
    login(client, moderator)

    body = client.get(question.get_absolute_url()).content.decode()

    data = json.loads(body.split('type="application/ld+json">')[1].split("</script>")[0])
    assert data["mainEntity"]["answerCount"] == 1
    assert [a["url"].split("#")[1] for a in data["mainEntity"]["suggestedAnswer"]] == [
        f"answer-{kept.pk}"
    ]


# --- query counts --------------------------------------------------------------------------


def thread_queries(client, question) -> int:
    client.get(question.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["moderator", "suspended", "member"])
def test_thread_query_count_stays_flat_with_moderation_states(client, moderator, who):
    viewer = {"moderator": moderator, "member": UserFactory(), "suspended": UserFactory()}[who]
    if who == "suspended":
        moderation.suspend_user(moderator=moderator, user=viewer, days=7, reason="Rude")
    login(client, viewer)
    question = QuestionFactory()
    moderation.close_question(
        moderator=moderator,
        question=question,
        reason=CloseReason.DUPLICATE,
        duplicate_of=QuestionFactory(),
    )

    def add_answer():
        answer = post_answer(author=UserFactory(), question=question, body=BODY)
        comment_services.add_comment(author=UserFactory(), post=answer, body=COMMENT)
        moderation.set_locked(moderator=moderator, post=answer, locked=True)

    add_answer()
    few = thread_queries(client, question)
    for _ in range(9):
        add_answer()
    assert thread_queries(client, question) == few


# --- valid HTML ----------------------------------------------------------------------------


@pytest.fixture
def java():
    """As in tests/test_html_valid.py: skipped without Java, except on CI."""
    path = shutil.which("java")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("java is missing: .ci/run installs default-jre-headless")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    return path


def test_moderation_pages_are_valid_html(client, moderator, java, tmp_path, launch_mode):
    author, member = UserFactory.create_batch(2)
    question = services.ask_question(
        author=author, title="A thread full of moderation", body=BODY, tags=["mod"]
    )
    revision_services.edit_post(
        editor=author, post=question, body=BODY + " Edited.", title=question.title, tags=["mod"]
    )
    locked_answer = post_answer(author=member, question=question, body=BODY)
    moderation.set_locked(moderator=moderator, post=locked_answer, locked=True)
    deleted_answer = post_answer(author=member, question=question, body=BODY)
    moderation_services.delete_post(actor=member, post=deleted_answer)
    hidden_answer = post_answer(author=member, question=question, body=BODY)
    comment = comment_services.add_comment(author=member, post=hidden_answer, body=COMMENT)
    for _ in range(3):
        flag_services.flag_post(flagger=UserFactory(), post=hidden_answer, reason=FlagReason.SPAM)
    duplicate = QuestionFactory(author=member)
    moderation.close_question(
        moderator=moderator, question=duplicate, reason=CloseReason.DUPLICATE, duplicate_of=question
    )
    moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Rude words")
    pages = {}
    for name, who, url in [
        ("thread-moderator", moderator, question.get_absolute_url()),
        ("closed-moderator", moderator, duplicate.get_absolute_url()),
        ("thread-suspended", member, question.get_absolute_url()),
        ("closed-visitor", None, duplicate.get_absolute_url()),
        ("close-form", moderator, question.get_close_url()),
        ("revisions-author", author, question.get_revisions_url()),
        ("flag-comment", author, comment.get_flag_url()),
    ]:
        client.logout()
        if who:
            client.force_login(who)
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content
    client.force_login(moderator)
    response = client.post(question.get_close_url(), {"reason": "duplicate"})
    assert response.status_code == 400
    pages["close-form-errors"] = response.content

    validate(java, pages, tmp_path)
