"""Who hears of what: each event reaches the right members, once, never its own actor."""

import pytest
from django.db import transaction

from answers.services import post_answer
from comments.services import add_comment
from core import signals
from notifications import services as notify
from notifications.models import Follow, Kind, Notification
from questions.services import ask_question
from tests.factories import AnswerFactory, CommentFactory, QuestionFactory, UserFactory
from tests.helpers import BODY
from votes.services import accept_answer

pytestmark = pytest.mark.django_db


def inbox(user) -> list[tuple[str, bool]]:
    """(kind, via_follow) of each of the user's notifications, oldest first."""
    rows = Notification.objects.filter(recipient=user).order_by("pk")
    return list(rows.values_list("kind", "via_follow"))


def _ask(author, body=BODY):
    return ask_question(author=author, title="How do I tell a joke well?", body=body, tags=["x"])


def test_new_answer_notifies_the_asker_once():
    asker, answerer = UserFactory(), UserFactory()
    question = _ask(asker)
    answer = post_answer(author=answerer, question=question, body=BODY)
    [notification] = Notification.objects.filter(recipient=asker)
    assert (notification.kind, notification.via_follow) == (Kind.ANSWER, False)
    assert notification.actor == answerer
    assert notification.answer == answer
    assert notification.get_absolute_url() == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert notification.summary() == f"{answerer.username} answered your question"
    assert inbox(answerer) == []


def test_answering_ones_own_question_notifies_nobody():
    asker = UserFactory()
    question = _ask(asker)
    post_answer(author=asker, question=question, body=BODY)
    assert Notification.objects.count() == 0


def test_askers_and_answerers_follow_automatically():
    asker, answerer = UserFactory(), UserFactory()
    question = _ask(asker)
    post_answer(author=answerer, question=question, body=BODY)
    followers = set(Follow.objects.filter(question=question).values_list("user", flat=True))
    assert followers == {asker.pk, answerer.pk}


def test_followers_hear_of_new_answers_comments_and_accepts():
    asker, follower, answerer, commenter = UserFactory.create_batch(4)
    question = _ask(asker)
    notify.follow(user=follower, question=question)
    answer = post_answer(author=answerer, question=question, body=BODY)
    add_comment(author=commenter, post=answer, body="A comment, long enough to pass.")
    accept_answer(answer=answer)
    assert inbox(follower) == [
        (Kind.ANSWER, True),
        (Kind.COMMENT, True),
        (Kind.ACCEPTED, True),
    ]
    # The asker follows too, but hears of the answer as its asker; the accept is their own act.
    assert inbox(asker) == [(Kind.ANSWER, False), (Kind.COMMENT, True)]
    # The answerer (a follower since answering) hears as the answer's author.
    assert inbox(answerer) == [(Kind.COMMENT, False), (Kind.ACCEPTED, False)]
    assert inbox(commenter) == []  # commenting does not follow the question


def test_unfollowed_question_stays_quiet():
    asker, member, answerer = UserFactory.create_batch(3)
    question = _ask(asker)
    notify.follow(user=member, question=question)
    notify.unfollow(user=member, question=question)
    post_answer(author=answerer, question=question, body=BODY)
    assert inbox(member) == []


def test_comment_notifies_the_posts_author_not_the_commenter():
    author, commenter = UserFactory(), UserFactory()
    answer = AnswerFactory(author=author)
    comment = add_comment(author=commenter, post=answer, body="Nice one, it made me laugh.")
    [notification] = Notification.objects.filter(recipient=author)
    assert notification.kind == Kind.COMMENT
    assert notification.comment == comment
    assert notification.answer == answer
    assert notification.get_absolute_url().endswith(f"#comment-{comment.pk}")
    assert notification.summary() == f"{commenter.username} commented on your answer"
    assert inbox(commenter) == []
    add_comment(author=author, post=answer, body="Thank you, glad you liked it.")
    assert Notification.objects.filter(recipient=author).count() == 1  # none for oneself


def test_mention_in_a_comment_notifies_existing_members_only():
    author, commenter, ada = UserFactory(), UserFactory(), UserFactory(username="ada")
    question = QuestionFactory(author=author)
    add_comment(
        author=commenter,
        post=question,
        body=f"@ada and @nobody_here, see this. @{commenter.username} too.",
    )
    assert inbox(ada) == [(Kind.MENTION, False)]
    assert inbox(author) == [(Kind.COMMENT, False)]
    assert inbox(commenter) == []  # mentioning oneself notifies nobody
    assert Notification.objects.count() == 2


def test_a_mentioned_author_gets_one_notification_not_two():
    author, commenter = UserFactory(username="bo"), UserFactory()
    question = QuestionFactory(author=author)
    add_comment(author=commenter, post=question, body="@bo, you asked this twice, @bo.")
    assert inbox(author) == [(Kind.COMMENT, False)]


def test_mention_in_a_new_answer_and_question():
    asker, answerer, ada = UserFactory(), UserFactory(), UserFactory(username="ada")
    question = _ask(asker, body=BODY + "What would @ada say?")
    answer = post_answer(author=answerer, question=question, body=BODY + "Ask @ada.")
    mentions = Notification.objects.filter(recipient=ada).order_by("pk")
    assert [(n.kind, n.answer_id) for n in mentions] == [
        (Kind.MENTION, None),
        (Kind.MENTION, answer.pk),
    ]
    assert mentions[0].summary() == f"{asker.username} mentioned you in a question"


def test_accepting_notifies_the_answerer_once_even_when_toggled():
    asker, answerer = UserFactory(), UserFactory()
    answer = AnswerFactory(author=answerer, question=QuestionFactory(author=asker))
    assert accept_answer(answer=answer) is True
    assert accept_answer(answer=answer) is False
    assert accept_answer(answer=answer) is True
    assert inbox(answerer) == [(Kind.ACCEPTED, False)]
    assert Notification.objects.get(recipient=answerer).actor == asker


def test_accepting_ones_own_answer_notifies_nobody():
    asker = UserFactory()
    answer = AnswerFactory(author=asker, question=QuestionFactory(author=asker))
    accept_answer(answer=answer)
    assert Notification.objects.count() == 0


@pytest.mark.parametrize("kind", ["question", "answer", "comment"])
def test_moderator_action_notifies_the_author(kind):
    author, moderator = UserFactory(), UserFactory()
    target = {
        "question": lambda: QuestionFactory(author=author),
        "answer": lambda: AnswerFactory(author=author),
        "comment": lambda: CommentFactory(author=author),
    }[kind]()
    signals.moderator_action.send(
        sender=type(target), action="close", actor=moderator, target=target, reason="Duplicate."
    )
    [notification] = Notification.objects.filter(recipient=author)
    assert notification.kind == Kind.MODERATION
    assert notification.reason == "Duplicate."
    assert notification.summary() == f"A moderator acted on your {kind}: closed"
    assert notification.target == target


def test_moderator_action_on_ones_own_post_or_on_a_member_notifies_nobody():
    moderator = UserFactory()
    question = QuestionFactory(author=moderator)
    signals.moderator_action.send(
        sender=None, action="lock", actor=moderator, target=question, reason=""
    )
    signals.moderator_action.send(
        sender=None, action="suspend", actor=moderator, target=UserFactory(), reason="spam"
    )
    signals.moderator_action.send(
        sender=None, action="delete-spammer", actor=moderator, target=None, reason=""
    )
    assert Notification.objects.count() == 0


def test_decisions_on_flags_alone_notify_nobody():
    answer = AnswerFactory()
    for action in ["flags-dismissed", "flags-helpful"]:
        signals.moderator_action.send(
            sender=None, action=action, actor=UserFactory(), target=answer, reason=""
        )
    assert Notification.objects.count() == 0


def test_a_post_hidden_by_flags_tells_its_author():
    answer = AnswerFactory()
    signals.moderator_action.send(sender=None, action="hide", actor=None, target=answer, reason="")
    [notification] = Notification.objects.filter(recipient=answer.author)
    assert notification.actor is None
    assert notification.summary() == "Your answer is hidden until a moderator reviews its flags"


def test_each_moderator_action_is_its_own_event():
    author, moderator = UserFactory(), UserFactory()
    question = QuestionFactory(author=author)
    for action in ["close", "reopen"]:
        signals.moderator_action.send(
            sender=None, action=action, actor=moderator, target=question, reason=""
        )
    assert list(
        Notification.objects.filter(recipient=author).order_by("pk").values_list("action")
    ) == [("close",), ("reopen",)]


def test_an_event_delivered_twice_creates_nothing_new():
    asker, answerer = UserFactory(), UserFactory()
    answer = AnswerFactory(author=answerer, question=QuestionFactory(author=asker))
    for _ in range(2):
        signals.post_created.send(sender=type(answer), post=answer)
    assert inbox(asker) == [(Kind.ANSWER, False)]


def test_a_failed_write_leaves_no_notification():
    asker = UserFactory()
    question = QuestionFactory(author=asker)
    with pytest.raises(ValueError), transaction.atomic():
        post_answer(author=UserFactory(), question=question, body=BODY)
        raise ValueError("rolled back")
    assert Notification.objects.count() == 0
