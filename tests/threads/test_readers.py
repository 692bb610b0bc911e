"""What each kind of reader may do with each post of a thread is worked out once per post
(threads/readers.py) rather than by the permission filters in the templates: the same answers
as those filters, and the controls each kind of reader sees on the page."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from answers.models import Answer
from core import permissions
from core.templatetags import posts
from questions.models import Question
from tests.factories import (
    AnswerCommentFactory,
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)
from threads import readers, selectors
from votes.services import cast_vote

pytestmark = pytest.mark.django_db

READERS = [
    "visitor",
    "low reputation",
    "member",
    "tagger",
    "editor",
    "closer",
    "asker",
    "answerer",
    "moderator",
    "suspended",
]


@pytest.fixture
def world(settings):
    """An open thread (a locked answer, an answer deleted by its author, an accepted one,
    comments by several members) and a closed, locked one; a member of each kind."""
    settings.JOKESITE_LAUNCH_MODE = False
    days = timezone.now() - timedelta(days=3)
    asker = UserFactory(reputation=20)
    answerer = UserFactory(reputation=200)
    question = QuestionFactory(author=asker)
    CommentFactory(question=question)
    CommentFactory(question=question, author=answerer)
    first = AnswerFactory(question=question, author=answerer)
    AnswerCommentFactory.create_batch(2, answer=first)
    locked, deleted, accepted = AnswerFactory.create_batch(3, question=question)
    Answer.objects.filter(pk=locked.pk).update(locked_at=days)
    Answer.objects.filter(pk=deleted.pk).update(deleted_at=days, author=answerer)
    Answer.objects.filter(pk=accepted.pk).update(is_accepted=True)
    closed = QuestionFactory(author=asker)
    AnswerFactory(question=closed)
    Question.objects.filter(pk=closed.pk).update(
        closed_at=days, close_reason="off_topic", locked_at=days
    )
    suspended = UserFactory(reputation=200)
    type(suspended).objects.filter(pk=suspended.pk).update(suspended_at=days)
    members = {
        "visitor": None,
        "low reputation": UserFactory(reputation=1),
        "member": UserFactory(reputation=200),
        "tagger": UserFactory(reputation=600),
        "editor": UserFactory(reputation=2500, seasoned=True),
        "closer": UserFactory(reputation=3000, seasoned=True),
        "asker": asker,
        "answerer": answerer,
        "moderator": ModeratorFactory(),
        "suspended": type(suspended).objects.get(pk=suspended.pk),
    }
    cast_vote(voter=members["member"], post=first, value=-1)
    return question, closed, members


def as_filters(user, post) -> readers.Facts:
    """The facts as the templates' permission filters gave them before `threads.readers`: each
    rule of core/permissions.py asked on its own, through its suspension check."""
    if not user.is_authenticated:
        return readers.VISITOR
    blocked = posts.blocked_reason(user, post)
    own = permissions.is_author(user, post)
    question = post.kind == "question"
    moderate = permissions.can_moderate(user)
    editable = permissions.can_edit(user, post)
    flaggable = permissions.can_flag(user, post)

    def off(privilege):
        return blocked or (
            "You cannot vote on your own post." if own else permissions.explain(privilege)
        )

    vote_why = ""
    if not post.is_deleted:
        up, down = (permissions.vote_refusal(user, post, way) for way in (1, -1))
        vote_why = blocked or up or down or ""
    return readers.Facts(
        vote_why=vote_why,
        blocked=blocked,
        up=permissions.can_vote(user, post, 1),
        down=permissions.can_vote(user, post, -1),
        up_off=off("vote_up"),
        down_off=off("vote_down"),
        edit=editable,
        suggest=not editable and permissions.can_suggest_edit(user, post),
        retag=question and permissions.can_retag(user, post) and not editable,
        flag=flaggable,
        flag_off=not flaggable
        and not post.is_deleted
        and not own
        and not permissions.is_suspended(user),
        delete=permissions.can_delete(user, post) and not post.is_deleted,
        moderate=moderate,
        accept=not question and permissions.can_accept(user, post),
        comment=permissions.can_comment(user, post),
        close_votes=question
        and not moderate
        and (permissions.can_vote_close(user, post) or permissions.can_vote_reopen(user, post)),
        flaggable=frozenset(c.pk for c in post.visible_comments if permissions.can_flag(user, c)),
    )


@pytest.mark.parametrize("who", READERS)
def test_the_facts_are_what_the_permission_filters_say(world, who):
    from django.contrib.auth.models import AnonymousUser

    question, closed, members = world
    user = members[who] or AnonymousUser()
    reader = readers.Reader(user)
    for pk in (question.pk, closed.pk):
        shown = selectors.thread_questions().get(pk=pk)
        for post in (shown, *selectors.thread_answers(shown, user)):
            assert reader.facts(post) == as_filters(user, post), (who, post)


def page(world, who, thread=0):
    client = Client()
    if user := world[2][who]:
        client.force_login(user)
    response = client.get(world[thread].get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("who", "present", "absent"),
    [
        ("visitor", ["Log in to vote up"], ['vote--up" type="button" disabled', "Add comment"]),
        (
            "low reputation",
            [
                "You need 15 reputation to vote up.",
                "You need 50 reputation to comment",
                'class="muted" href="/help/privileges/#privilege-flag"',
            ],
            ["Add comment</button>", ">Retag<", "mod-actions", 'class="close-votes"'],
        ),
        ("member", ["Suggest an edit", "Add comment</button>"], [">Retag<", "mod-actions"]),
        ("tagger", [">Retag<", "Suggest an edit"], ["mod-actions", 'class="close-votes"']),
        ("editor", [">Edit</a>"], ["Suggest an edit", "mod-actions", 'class="close-votes"']),
        ("closer", ['class="close-votes"', "Vote to close"], ["mod-actions"]),
        ("asker", ["Accept this answer", "Unaccept", "link--danger"], ["mod-actions"]),
        ("answerer", ["You cannot vote on your own post.", "link--danger"], ["mod-actions"]),
        ("moderator", ["mod-actions", "Undelete", "Close question"], ['class="close-votes"']),
        (
            "suspended",
            ["Your account is suspended: you can read but not write."],
            ["Add comment</button>", "Suggest an edit", 'class="muted" href="/help/privileges'],
        ),
    ],
)
def test_each_reader_sees_their_controls(world, who, present, absent):
    html = page(world, who)
    for text in present:
        assert text in html, (who, text)
    for text in absent:
        assert text not in html, (who, text)


def test_a_locked_post_says_so_in_place_of_the_votes(world):
    html = page(world, "member", thread=1)
    lock = "This post is locked by a moderator: no edits, votes or comments."
    assert f'disabled title="{lock}"' in html
    assert f'<p class="vote-reason muted small" id="vote-reason-question-{world[1].pk}">{lock}' in (
        html
    )
