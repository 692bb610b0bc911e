"""The moderation console: the flag queue's one-click decisions, suspensions and delete spammer
on members, closing and locking in the admin, and the audit log written by all of it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from answers.models import Answer
from comments import services as comment_services
from comments.models import Comment
from flags.models import Flag, FlagReason, FlagStatus
from moderation import services as moderation
from moderation import services as moderation_services
from moderation.models import ModerationAction
from questions import services
from questions.models import CloseReason, Question, Tag, TagSynonym
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    FlagFactory,
    ModeratorFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)
from tests.moderation.test_admin import (
    CONFIRMED,
    admin_url,
    assert_changelist_is_flat,
    change_form_data,
    logged_in,
    messages_of,
    run_action,
)

pytestmark = pytest.mark.django_db

User = get_user_model()
Kind = ModerationAction.Kind


def decide_url(flag, decision) -> str:
    return reverse("admin:flags_flag_decide", args=[flag.pk, decision])


def on_any_target(i):
    """A flag on a question, an answer or a comment, in turn."""
    if i % 3 == 1:
        return FlagFactory(question=None, answer=AnswerFactory())
    if i % 3 == 2:
        return FlagFactory(question=None, comment=CommentFactory())
    return FlagFactory()


def actions_logged() -> list[str]:
    return list(ModerationAction.objects.order_by("pk").values_list("action", flat=True))


# --- the queue -----------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?_facets=1", "?status__exact=open"])
def test_flag_queue_query_count_is_flat_with_comment_flags(query):
    assert_changelist_is_flat(logged_in("moderator"), Flag, on_any_target, query)


def test_each_row_shows_the_target_its_author_and_its_open_flags():
    author = UserFactory(username="prankster")
    answer = AnswerFactory(author=author, body="Buy watches at example dot com today")
    for reason in (FlagReason.SPAM, FlagReason.SPAM, FlagReason.RUDE):
        FlagFactory(question=None, answer=answer, reason=reason)
    FlagFactory(question=None, answer=answer, status=FlagStatus.DECLINED)  # not counted
    client = logged_in("moderator")

    response = client.get(admin_url(Flag, "changelist") + "?status__exact=open")

    rows = response.context["cl"].result_list
    assert {row.open_flag_count for row in rows} == {3}
    body = response.content.decode()
    assert "Buy watches at example dot com today" in body
    assert ">prankster</a>" in body
    assert "Spam ×2, Rude or abusive ×1" in body
    assert body.count(decide_url(rows[0], "dismiss")) == 1


def test_a_post_with_three_open_flags_is_one_row_and_one_decision_settles_them_all():
    answer = AnswerFactory(body="Buy watches at example dot com today")
    first, *others = [FlagFactory(question=None, answer=answer) for _ in range(3)]
    elsewhere = FlagFactory()
    client = logged_in("moderator")
    changelist = admin_url(Flag, "changelist")

    for query in ("", "?status__exact=open"):
        response = client.get(changelist + query)
        assert list(response.context["cl"].result_list) == [elsewhere, first]
    assert "2 more flags" in response.content.decode()
    assert response.context["cl"].full_result_count == 2  # rows, not flags
    every = client.get(changelist + f"?answer__exact={answer.pk}&status__exact=open")
    assert {flag.pk for flag in every.context["cl"].result_list} == {first.pk} | {
        flag.pk for flag in others
    }

    client.post(decide_url(first, "dismiss"))

    statuses = set(Flag.objects.filter(answer=answer).values_list("status", flat=True))
    assert statuses == {FlagStatus.DECLINED}
    handled = client.get(changelist + "?status__exact=declined").context["cl"].result_list
    assert len(handled) == 3  # decided flags are history: one row each


def test_comment_flags_show_the_comment_and_link_to_it():
    comment = CommentFactory(body="You are all idiots and so is your joke")
    FlagFactory(question=None, comment=comment, reason=FlagReason.RUDE)
    client = logged_in("moderator")

    body = client.get(admin_url(Flag, "changelist")).content.decode()

    assert "You are all idiots and so is your joke" in body
    assert f"#comment-{comment.pk}" in body
    assert "Rude or abusive ×1" in body


def test_handled_flags_have_no_buttons():
    flag = FlagFactory(status=FlagStatus.HELPFUL)
    body = logged_in("moderator").get(admin_url(Flag, "changelist")).content.decode()
    assert decide_url(flag, "dismiss") not in body


# --- one-click decisions -------------------------------------------------------------------


def test_one_click_posts_the_changelist_form_with_its_csrf_token():
    """As a browser does: the button's formaction sends the changelist form (and its token)."""
    moderator = ModeratorFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    question = QuestionFactory()
    flags = FlagFactory.create_batch(2, question=question)
    url = admin_url(Flag, "changelist") + "?status__exact=open"
    page = client.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    action = decide_url(flags[0], "dismiss")
    assert f'formaction="{action}"' in page

    response = client.post(
        action, {"csrfmiddlewaretoken": token, "action": ""}, HTTP_REFERER=f"http://testserver{url}"
    )

    assert response.status_code == 302
    assert response.url == f"http://testserver{url}"
    for flag in flags:
        flag.refresh_from_db()
        assert (flag.status, flag.handled_by) == (FlagStatus.DECLINED, moderator)
    assert messages_of(client.get(url)) == ["2 flags declined."]
    assert actions_logged() == [Kind.FLAGS_DISMISSED]


def test_delete_and_suspend_asks_first_then_suspends_with_the_reason_and_length():
    client = logged_in("moderator")
    answer = AnswerFactory()
    flag = FlagFactory(question=None, answer=answer)

    asked = client.get(decide_url(flag, "delete-and-suspend"))
    page = asked.content.decode()
    assert "Delete the flagged posts and suspend their authors?" in page
    assert 'name="reason"' in page and 'name="days"' in page
    # Without a reason the page comes back, and nothing is done.
    again = client.post(decide_url(flag, "delete-and-suspend"), {"confirmed": "1", "days": "30"})
    assert "This field is required." in again.content.decode()
    answer.refresh_from_db()
    assert not answer.is_deleted

    data = {**CONFIRMED, "days": "30", "reason": "Insults in three answers"}
    response = client.post(decide_url(flag, "delete-and-suspend"), data, follow=True)

    assert messages_of(response) == ["1 post deleted. 1 author suspended. 1 flag resolved."]
    answer.refresh_from_db()
    answer.author.refresh_from_db()
    assert answer.is_deleted
    assert answer.author.is_suspended
    assert answer.author.suspension_reason == "Insults in three answers"
    length = answer.author.suspended_until - answer.author.suspended_at
    assert length == timedelta(days=30)
    assert actions_logged() == [Kind.DELETE, Kind.SUSPEND]


def test_one_click_delete_on_a_comment():
    client = logged_in("moderator")
    question = QuestionFactory()
    comment = comment_services.add_comment(
        author=UserFactory(), post=question, body="Rude words here."
    )
    flag = FlagFactory(question=None, comment=comment, reason=FlagReason.RUDE)

    client.post(decide_url(flag, "delete"), {"confirmed": "1"})

    comment.refresh_from_db()
    question.refresh_from_db()
    assert comment.is_deleted
    assert question.comment_count == 0


def test_a_second_click_on_a_decided_flag_changes_nothing():
    client = logged_in("moderator")
    flag = FlagFactory()
    client.post(decide_url(flag, "dismiss"), follow=True)

    response = client.post(decide_url(flag, "delete"), {"confirmed": "1"}, follow=True)

    assert messages_of(response) == ["Another moderator decided on these flags already."]
    flag.question.refresh_from_db()
    assert not flag.question.is_deleted
    assert actions_logged() == [Kind.FLAGS_DISMISSED]


def test_decide_is_post_only_and_knows_its_decisions():
    client = logged_in("moderator")
    flag = FlagFactory()

    assert client.get(decide_url(flag, "dismiss")).status_code == 405
    response = client.post(decide_url(flag, "explode"))

    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert client.post(decide_url(Flag(pk=999999), "dismiss")).status_code == 404


def test_decide_is_for_the_console_only():
    flag = FlagFactory()

    response = logged_in("member").post(decide_url(flag, "delete"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_the_flag_change_page_has_the_buttons_too():
    flag = FlagFactory()
    body = logged_in("moderator").get(admin_url(Flag, "change", flag.pk)).content.decode()
    assert f'formaction="{decide_url(flag, "dismiss")}"' in body
    assert f'href="{decide_url(flag, "delete-and-suspend")}"' in body


def test_bulk_delete_and_suspend_action():
    client = logged_in("moderator")
    spammer = UserFactory()
    flags = [FlagFactory(question=QuestionFactory(author=spammer)) for _ in range(2)]

    asked = run_action(client, Flag, "delete_and_suspend", flags)
    assert 'name="days"' in asked.content.decode()
    spammer.refresh_from_db()
    assert not spammer.is_suspended
    response = run_action(client, Flag, "delete_and_suspend", flags, **CONFIRMED)

    assert messages_of(response) == ["2 posts deleted. 1 author suspended. 2 flags resolved."]
    spammer.refresh_from_db()
    assert spammer.is_suspended


def test_closing_a_flag_by_hand_decides_like_the_buttons():
    client = logged_in("moderator")
    question = QuestionFactory()
    flag, other = FlagFactory.create_batch(2, question=question)
    url = admin_url(Flag, "change", flag.pk)

    client.post(url, change_form_data(client.get(url), status=FlagStatus.HELPFUL))

    other.refresh_from_db()
    assert other.status == FlagStatus.HELPFUL
    assert actions_logged() == [Kind.FLAGS_HELPFUL]


def test_reopening_a_flag_by_hand_is_logged():
    client = logged_in("moderator")
    flag = FlagFactory(status=FlagStatus.DECLINED, handled_at=timezone.now())
    url = admin_url(Flag, "change", flag.pk)

    client.post(url, change_form_data(client.get(url), status=FlagStatus.OPEN))

    flag.refresh_from_db()
    assert (flag.status, flag.handled_at, flag.handled_by) == (FlagStatus.OPEN, None, None)
    entry = ModerationAction.objects.get()
    assert entry.details["fields"] == ["status"]


# --- posts in the admin --------------------------------------------------------------------


@pytest.mark.parametrize("model", [Question, Answer], ids=lambda m: m.__name__)
def test_post_actions_are_logged(model):
    client = logged_in("moderator")
    factory = AnswerFactory if model is Answer else QuestionFactory
    posts = factory.create_batch(2)

    for action in ("soft_delete", "restore", "lock", "unlock"):
        run_action(client, model, action, posts)

    assert actions_logged() == [
        Kind.DELETE,
        Kind.DELETE,
        Kind.UNDELETE,
        Kind.UNDELETE,
        Kind.LOCK,
        Kind.LOCK,
        Kind.UNLOCK,
        Kind.UNLOCK,
    ]
    assert {entry.actor.is_staff for entry in ModerationAction.objects.all()} == {True}


@pytest.mark.parametrize(
    "action, reason",
    [
        ("close_off_topic", CloseReason.OFF_TOPIC),
        ("close_needs_details", CloseReason.NEEDS_DETAILS),
        ("close_opinion_based", CloseReason.OPINION_BASED),
    ],
)
def test_close_and_reopen_actions(action, reason):
    client = logged_in("moderator")
    questions = QuestionFactory.create_batch(2)

    response = run_action(client, Question, action, questions)

    assert messages_of(response) == ["2 questions closed."]
    assert set(Question.objects.values_list("close_reason", flat=True)) == {reason}
    response = run_action(client, Question, "reopen", questions)
    assert messages_of(response) == ["2 questions reopened."]
    assert not Question.objects.filter(closed_at__isnull=False).exists()
    assert actions_logged() == [Kind.CLOSE] * 2 + [Kind.REOPEN] * 2


def test_closing_as_duplicate_on_the_change_page():
    client = logged_in("moderator")
    original = QuestionFactory()
    question = services.ask_question(
        author=UserFactory(), title="Is this a duplicate or not?", body="B" * 40, tags=["dup"]
    )
    url = admin_url(Question, "change", question.pk)

    response = client.post(
        url,
        change_form_data(client.get(url), close_reason="duplicate", duplicate_of=str(original.pk)),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.close_reason, question.duplicate_of) == (CloseReason.DUPLICATE, original)
    assert question.revisions.count() == 1  # closing is not an edit of the text
    entry = ModerationAction.objects.get()
    assert entry.details == {"close_reason": "duplicate", "duplicate_of": original.pk}

    client.post(url, change_form_data(client.get(url), close_reason="", duplicate_of=""))

    question.refresh_from_db()
    assert not question.is_closed
    assert actions_logged() == [Kind.CLOSE, Kind.REOPEN]


def test_a_duplicate_needs_its_original_on_the_change_page():
    client = logged_in("moderator")
    question = QuestionFactory()
    url = admin_url(Question, "change", question.pk)

    response = client.post(url, change_form_data(client.get(url), close_reason="duplicate"))

    assert response.status_code == 200
    assert "Name the question this one duplicates." in response.content.decode()
    question.refresh_from_db()
    assert not question.is_closed


def test_admin_edits_are_logged_with_their_fields():
    client = logged_in("moderator")
    question = services.ask_question(
        author=UserFactory(), title="A title for the edit log", body="B" * 40, tags=["edit"]
    )
    new_author = UserFactory()
    url = admin_url(Question, "change", question.pk)

    client.post(
        url,
        change_form_data(client.get(url), body="C" * 40, author=str(new_author.pk), summary="x"),
    )

    edits = ModerationAction.objects.filter(action=Kind.EDIT).order_by("pk")
    assert [(e.question, e.details) for e in edits] == [
        (question, {"admin": "questions.question", "pk": question.pk, "object": question.title,
                    "fields": ["author"]}),
        (question, {"revision": 2}),
    ]  # fmt: skip


@pytest.mark.parametrize("model", [Comment, Tag], ids=lambda m: m.__name__)
def test_comment_and_tag_changes_are_logged(model):
    client = logged_in("moderator")
    obj = CommentFactory() if model is Comment else TagFactory()
    url = admin_url(model, "change", obj.pk)
    field = "body" if model is Comment else "description"

    client.post(url, change_form_data(client.get(url), **{field: "A changed text, long enough."}))

    entry = ModerationAction.objects.get()
    assert entry.action == Kind.EDIT
    assert entry.details["fields"] == [field]
    assert entry.comment == (obj if model is Comment else None)


def test_merging_tags_is_logged():
    client = logged_in("moderator")
    target, source = TagFactory(name="javascript"), TagFactory(name="js")
    QuestionFactory(tags=[source])

    client.post(
        admin_url(Tag, "changelist"),
        {"action": "merge_tags", "_selected_action": [target.pk, source.pk], "target": target.pk},
    )

    entry = ModerationAction.objects.get()
    assert entry.action == Kind.MERGE_TAGS
    assert entry.details == {"tags": ["js"], "into": "javascript", "questions": 1}


def test_synonyms_added_on_the_tag_page_or_alone_are_logged():
    client = logged_in("moderator")
    tag = TagFactory(name="javascript")
    data = {
        "name": "javascript",
        "description": "",
        "synonyms-TOTAL_FORMS": "1",
        "synonyms-INITIAL_FORMS": "0",
        "synonyms-0-name": "JS",
    }
    assert client.post(admin_url(Tag, "change", tag.pk), data).status_code == 302
    client.post(admin_url(TagSynonym, "add"), {"name": "ecmascript", "tag": tag.pk})

    inline, added = ModerationAction.objects.order_by("pk")
    assert inline.details["fields"] == ["questions.tagsynonym: added"]
    assert inline.details["object"] == "javascript"
    assert (added.details["admin"], added.details["fields"]) == (
        "questions.tagsynonym",
        ["(added)"],
    )


# --- members -------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [7, 30])
def test_suspend_asks_the_reason_and_length(days):
    client = logged_in("moderator")
    members = UserFactory.create_batch(2)

    asked = run_action(client, User, "suspend", members)
    assert "Suspend the selected members?" in asked.content.decode()
    assert not User.objects.filter(suspended_at__isnull=False).exists()
    response = run_action(client, User, "suspend", members, **{**CONFIRMED, "days": str(days)})

    assert messages_of(response) == ["2 members suspended."]
    for member in members:
        member.refresh_from_db()
        assert member.is_suspended
        assert member.suspended_until - member.suspended_at == timedelta(days=days)
        assert member.suspension_reason == CONFIRMED["reason"]
    assert actions_logged() == [Kind.SUSPEND, Kind.SUSPEND]


def test_lift_suspension_action():
    client = logged_in("moderator")
    member = UserFactory()
    moderation.suspend_user(moderator=ModeratorFactory(), user=member, days=7, reason="Rude")

    response = run_action(client, User, "lift_suspension", [member, UserFactory()])

    assert messages_of(response) == ["1 suspension lifted."]
    member.refresh_from_db()
    assert not member.is_suspended


def test_moderators_cannot_suspend_staff_or_themselves():
    client = logged_in("moderator")
    me = client.get(reverse("admin:index")).wsgi_request.user
    other = ModeratorFactory()

    response = run_action(client, User, "suspend", [me, other], **CONFIRMED)

    assert messages_of(response) == [
        "2 members skipped: staff accounts are for superusers, and not yourself.",
        "0 members suspended.",
    ]
    assert not User.objects.filter(suspended_at__isnull=False).exists()


def test_superusers_may_suspend_moderators():
    moderator = ModeratorFactory()
    run_action(logged_in("superuser"), User, "suspend", [moderator], **CONFIRMED)
    moderator.refresh_from_db()
    assert moderator.is_suspended


def test_delete_spammer_action():
    client = logged_in("moderator")
    spammer = UserFactory()
    question = QuestionFactory(author=spammer)
    answer = AnswerFactory(author=spammer)

    asked = run_action(client, User, "delete_spammer", [spammer])
    assert "Delete these spammers?" in asked.content.decode()
    response = run_action(client, User, "delete_spammer", [spammer], confirmed="1")

    assert messages_of(response) == ["1 spammer deleted."]
    spammer.refresh_from_db()
    question.refresh_from_db()
    answer.refresh_from_db()
    assert spammer.is_suspended and spammer.suspended_until is None
    assert question.is_deleted and answer.is_deleted
    assert actions_logged() == [Kind.DELETE_SPAMMER]


def test_suspension_fields_are_read_only_and_shown():
    client = logged_in("moderator")
    member = UserFactory()
    moderation.suspend_user(moderator=ModeratorFactory(), user=member, days=7, reason="Rude")
    url = admin_url(User, "change", member.pk)

    response = client.get(url)
    client.post(url, change_form_data(response, suspension_reason="Changed", first_name="Ann"))

    member.refresh_from_db()
    assert member.suspension_reason == "Rude"
    assert member.first_name == "Ann"
    assert "Rude" in response.content.decode()
    edit = ModerationAction.objects.get(action=Kind.EDIT)
    assert (edit.user, edit.details["fields"]) == (member, ["first_name"])


def test_suspended_filter_and_column():
    client = logged_in("moderator")
    member, other = UserFactory.create_batch(2)
    moderation.suspend_user(moderator=ModeratorFactory(), user=member, days=7, reason="Rude")
    url = admin_url(User, "changelist")

    assert list(client.get(url + "?suspended=yes").context["cl"].result_list) == [member]
    assert member not in client.get(url + "?suspended=no").context["cl"].result_list


def test_user_changelist_stays_flat_with_suspended_members():
    moderator = ModeratorFactory()

    def make(i):
        member = UserFactory()
        if i % 2:
            moderation.suspend_user(moderator=moderator, user=member, days=7, reason="Rude")

    client = logged_in("moderator")
    assert_changelist_is_flat(client, User, make, "?is_staff__exact=0&_facets=1")


# --- the audit log in the admin ------------------------------------------------------------


def some_entries(i):
    moderator = ModeratorFactory()
    target = [QuestionFactory, AnswerFactory, CommentFactory, UserFactory][i % 4]()
    moderation_services.record_action(
        actor=moderator, action=Kind.DELETE, target=target, reason=f"r{i}"
    )


@pytest.mark.parametrize("query", ["", "?_facets=1", "?action__exact=delete"])
def test_the_log_changelist_query_count_is_flat(query):
    assert_changelist_is_flat(logged_in("moderator"), ModerationAction, some_entries, query)


def test_moderators_read_the_log_but_nobody_writes_it():
    some_entries(0)
    entry = ModerationAction.objects.get()
    for who in ("moderator", "superuser"):
        client = logged_in(who)
        response = client.get(admin_url(ModerationAction, "change", entry.pk))
        assert response.status_code == 200
        assert not response.context["has_change_permission"]
        assert client.get(admin_url(ModerationAction, "add")).status_code == 403
        assert client.post(admin_url(ModerationAction, "change", entry.pk), {}).status_code == 403
        delete = admin_url(ModerationAction, "delete", entry.pk)
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert logged_in("member").get(admin_url(ModerationAction, "changelist")).status_code == 302


def test_the_log_filters_by_action_and_actor_and_searches():
    alice, bob = ModeratorFactory(username="alice"), ModeratorFactory(username="bob")
    question = QuestionFactory(title="A question about penguins walking")
    moderation_services.record_action(
        actor=alice, action=Kind.LOCK, target=question, reason="heated"
    )
    moderation_services.record_action(
        actor=bob, action=Kind.CLOSE, target=question, reason="off topic"
    )
    client = logged_in("moderator")
    url = admin_url(ModerationAction, "changelist")

    def rows(query):
        return [e.reason for e in client.get(url + query).context["cl"].result_list]

    assert rows("?action__exact=lock") == ["heated"]
    assert rows(f"?actor__id__exact={bob.pk}") == ["off topic"]
    assert rows("?q=penguins") == ["off topic", "heated"]
    assert rows("?q=alice") == ["heated"]
    assert rows(f"?created_at__year={timezone.now().year}") == ["off topic", "heated"]


def test_a_suspended_member_reads_the_reason_in_the_banner_and_an_email(mailoutbox):
    from allauth.account.models import EmailAddress

    member = UserFactory()
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    client = logged_in("moderator")
    with_commit = {**CONFIRMED, "reason": "Insults in three answers", "days": "3"}
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        run_action(client, User, "suspend", [member], **with_commit)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert "Insults in three answers" in mailoutbox[0].body
    client.force_login(member)
    page = client.get("/").content.decode()
    assert "Insults in three answers" in page


def test_a_suspended_moderator_loses_the_admin_until_the_end():
    """A suspended moderator kept every admin power (issue 9, Low)."""
    moderator = ModeratorFactory()
    superuser = User.objects.create_superuser("root", "root@example.com", "pw-for-the-test")
    run_action(logged_in("superuser"), User, "suspend", [moderator], **CONFIRMED)
    question = QuestionFactory()
    client = Client()
    client.force_login(moderator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    url = reverse("admin:questions_question_change", args=[question.pk])
    assert client.get(url).status_code == 302
    run_action(client, Question, "soft_delete", [question])
    question.refresh_from_db()
    assert question.deleted_at is None
    moderation.lift_suspension(moderator=superuser, user=moderator)
    assert client.get(reverse("admin:index")).status_code == 200
