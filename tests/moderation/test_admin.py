"""The admin as the moderators' console: who gets in, what the actions do, flat query counts.

The helpers at the top are shared with tests/moderation/test_admin_answers.py and
test_admin_users.py.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import services as comment_services
from comments.models import Comment
from flags.models import Flag, FlagStatus
from moderation import services as moderation_services
from questions import services
from questions.models import Category, Question, Tag
from revisions.models import Revision
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    CommentFactory,
    FlagFactory,
    ModeratorFactory,
    QuestionFactory,
    RevisionFactory,
    TagFactory,
    UserFactory,
    VoteFactory,
)
from votes.models import Vote

# --- helpers shared by the admin tests -----------------------------------------------------


def logged_in(who: str) -> Client:
    """A client signed in as a `superuser`, a `moderator` (Moderators group) or a `member`."""
    users = {
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
        "moderator": ModeratorFactory,
        "member": UserFactory,
    }
    client = Client()
    client.force_login(users[who]())
    return client


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def count_queries(client: Client, url: str) -> int:
    """Queries of one GET, once the process-wide ContentType cache is warm (as in production)."""
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def assert_changelist_is_flat(client: Client, model, make, query: str = "") -> tuple[int, int]:
    """Show 2 rows, then 20, and assert both pages took as many queries; return the counts."""
    url = admin_url(model, "changelist") + query
    for i in range(2):
        make(i)
    few = count_queries(client, url)
    for i in range(2, 20):
        make(i)
    many = count_queries(client, url)
    assert client.get(url).context["cl"].result_count == 20
    assert many == few, f"{model.__name__}: {few} queries for 2 rows, {many} for 20"
    return few, many


def run_action(client: Client, model, action: str, objects, **extra):
    """Submit the changelist's action form for `objects`, as a moderator would; `extra` adds
    fields (a destructive action's confirmation page posts `confirmed`, `reason`, `days`)."""
    return client.post(
        admin_url(model, "changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], **extra},
        follow=True,
    )


CONFIRMED = {"confirmed": "1", "reason": "Spam links in every post", "days": "7"}


def change_form_data(response, **changes) -> dict:
    """What the change page's form would submit unchanged, plus `changes`."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
    data.update(changes)
    return data


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


# --- rows for each admin: half of them on answers, where a post can be either -------------


def on_either_post(factory):
    def make(i):
        if i % 2:
            return factory(question=None, answer=AnswerFactory())
        return factory()

    return make


def tag_with_question(i):
    tag = TagFactory()
    QuestionFactory(tags=[tag])


def category_with_question(i):
    QuestionFactory(category=CategoryFactory())


def question_with_category(i):
    QuestionFactory(category=CategoryFactory() if i % 2 else None)


MAKERS = {
    Question: question_with_category,
    Comment: on_either_post(CommentFactory),
    Flag: on_either_post(FlagFactory),
    Vote: on_either_post(VoteFactory),
    Revision: on_either_post(RevisionFactory),
    Tag: tag_with_question,
    Category: category_with_question,
}
MODELS = list(MAKERS)

# --- who gets in ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "moderator"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_page_open_for_moderators(db, who, model):
    MAKERS[model](1)
    client = logged_in(who)
    assert client.get(admin_url(model, "changelist")).status_code == 200
    for obj in model.objects.all():
        assert client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_member_is_sent_to_admin_login(db, model):
    MAKERS[model](0)
    client = logged_in("member")
    obj = model.objects.first()
    for url in (admin_url(model, "changelist"), admin_url(model, "change", obj.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_moderator_sees_the_console_but_not_groups(db):
    client = logged_in("moderator")
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_moderator_cannot_hard_delete_or_add(db, model):
    MAKERS[model](0)
    client = logged_in("moderator")
    obj = model.objects.first()
    action_form = client.get(admin_url(model, "changelist")).context["action_form"]
    actions = dict(action_form.fields["action"].choices) if action_form else {}
    assert "delete_selected" not in actions
    assert client.get(admin_url(model, "add")).status_code == 403
    assert client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403


# --- query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?_facets=1"], ids=["plain", "facets"])
@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_query_count_is_flat(db, model, query):
    assert_changelist_is_flat(logged_in("moderator"), model, MAKERS[model], query)


def test_question_change_page_query_count_is_flat(db):
    client = logged_in("moderator")
    question = QuestionFactory()
    url = admin_url(Question, "change", question.pk)
    RevisionFactory(question=question)
    CommentFactory(question=question)
    few = count_queries(client, url)
    RevisionFactory.create_batch(9, question=question)
    CommentFactory.create_batch(9, question=question)
    assert count_queries(client, url) == few


# --- soft delete and restore ---------------------------------------------------------------


def test_soft_delete_and_restore_questions_through_actions(db):
    client = logged_in("moderator")
    kept, *gone = QuestionFactory.create_batch(3)

    response = run_action(client, Question, "soft_delete", gone)

    assert messages_of(response) == ["2 posts deleted."]
    for question in gone:
        question.refresh_from_db()
        assert question.is_deleted
        assert question.deleted_by == response.wsgi_request.user
    kept.refresh_from_db()
    assert not kept.is_deleted

    response = run_action(client, Question, "restore", gone)

    assert messages_of(response) == ["2 posts restored."]
    assert not Question.objects.filter(deleted_at__isnull=False).exists()


def test_deleted_filter_and_list_show_every_question(db):
    client = logged_in("moderator")
    visible, deleted = QuestionFactory.create_batch(2)
    moderation_services.delete_post(actor=deleted.author, post=deleted)
    url = admin_url(Question, "changelist")

    assert client.get(url).context["cl"].result_count == 2
    assert list(client.get(url + "?deleted=yes").context["cl"].result_list) == [deleted]
    assert list(client.get(url + "?deleted=no").context["cl"].result_list) == [visible]


def test_soft_deleting_comments_keeps_the_post_count(db):
    client = logged_in("moderator")
    question = QuestionFactory()
    author = UserFactory()
    first, second = (
        comment_services.add_comment(author=author, post=question, body="A comment long enough.")
        for _ in range(2)
    )

    run_action(client, Comment, "soft_delete", [first])
    run_action(client, Comment, "soft_delete", [first])  # already deleted: counted once

    question.refresh_from_db()
    first.refresh_from_db()
    assert first.deleted_at is not None
    assert question.comment_count == 1

    response = run_action(client, Comment, "restore", [first, second])

    assert messages_of(response) == ["1 comment restored."]
    question.refresh_from_db()
    assert question.comment_count == 2


# --- editing keeps a revision --------------------------------------------------------------


def test_editing_a_question_in_the_admin_adds_a_revision(db):
    client = logged_in("moderator")
    tag = TagFactory(name="puns")
    question = services.ask_question(
        author=UserFactory(),
        title="Why did the scarecrow win an award?",
        body="Because he was outstanding in his field, apparently.",
        tags=["puns"],
    )
    url = admin_url(Question, "change", question.pk)
    data = change_form_data(
        client.get(url), body="Because he was **outstanding** in his field.", summary="bold"
    )

    response = client.post(url, data)

    assert response.status_code == 302
    question.refresh_from_db()
    assert "<strong>outstanding</strong>" in question.body_html
    assert question.edited_at is not None
    latest = question.revisions.first()
    assert (latest.number, latest.summary, latest.tags) == (2, "bold", tag.name)
    assert latest.editor == response.wsgi_request.user


def test_saving_an_unchanged_question_adds_no_revision(db):
    client = logged_in("moderator")
    question = services.ask_question(
        author=UserFactory(),
        title="What do you call a fake noodle?",
        body="An impasta. I will see myself out now, thank you.",
        tags=["food"],
    )
    url = admin_url(Question, "change", question.pk)

    response = client.post(url, change_form_data(client.get(url)))

    assert response.status_code == 302
    assert question.revisions.count() == 1


def test_reassigning_the_author_adds_no_revision(db):
    client = logged_in("superuser")
    question = services.ask_question(
        author=UserFactory(), title="Who moved my cheese today?", body="x" * 40, tags=["cheese"]
    )
    other = UserFactory()
    url = admin_url(Question, "change", question.pk)

    client.post(url, change_form_data(client.get(url), author=str(other.pk)))

    question.refresh_from_db()
    assert question.author == other
    assert question.revisions.count() == 1


# --- the flag queue ------------------------------------------------------------------------


def test_flag_queue_lists_open_flags_first(db):
    client = logged_in("moderator")
    handled = FlagFactory(status=FlagStatus.DECLINED)
    handled.handled_at = handled.created_at
    handled.save()
    open_flag = FlagFactory(created_at=handled.created_at.replace(year=2000))

    rows = list(client.get(admin_url(Flag, "changelist")).context["cl"].result_list)

    assert rows == [open_flag, handled]


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_helpful", FlagStatus.HELPFUL), ("decline", FlagStatus.DECLINED)],
)
def test_flag_actions_record_who_handled_them(db, action, status):
    client = logged_in("moderator")
    flags = FlagFactory.create_batch(2)

    response = run_action(client, Flag, action, flags)

    for flag in flags:
        flag.refresh_from_db()
        assert flag.status == status
        assert flag.handled_by == response.wsgi_request.user
        assert flag.handled_at is not None
        assert not flag.question.is_deleted


def test_deleting_a_flagged_answer_resolves_every_open_flag_on_it(db):
    client = logged_in("moderator")
    answer = AnswerFactory()
    selected, other = FlagFactory.create_batch(2, question=None, answer=answer)
    unrelated = FlagFactory()

    asked = run_action(client, Flag, "delete_post_and_resolve", [selected])
    assert "Delete the flagged posts?" in asked.content.decode()
    answer.refresh_from_db()
    assert not answer.is_deleted  # nothing happens before the confirmation
    response = run_action(client, Flag, "delete_post_and_resolve", [selected], confirmed="1")

    assert messages_of(response) == ["1 post deleted. 2 flags resolved."]
    answer.refresh_from_db()
    answer.question.refresh_from_db()
    assert answer.is_deleted
    assert answer.question.answer_count == 0
    for flag in (selected, other):
        flag.refresh_from_db()
        assert (flag.status, flag.handled_by) == (FlagStatus.HELPFUL, response.wsgi_request.user)
    unrelated.refresh_from_db()
    assert unrelated.status == FlagStatus.OPEN


def test_setting_a_flag_status_by_hand_records_the_moderator(db):
    client = logged_in("moderator")
    flag = FlagFactory()
    url = admin_url(Flag, "change", flag.pk)

    client.post(url, change_form_data(client.get(url), status=FlagStatus.DECLINED))

    flag.refresh_from_db()
    assert flag.status == FlagStatus.DECLINED
    assert flag.handled_by is not None
    assert flag.handled_at is not None


# --- read-only tables, tags ----------------------------------------------------------------


@pytest.mark.parametrize("model", [Vote, Revision], ids=lambda m: m.__name__)
def test_votes_and_revisions_are_read_only_even_for_superusers(db, model):
    MAKERS[model](0)
    obj = model.objects.get()
    client = logged_in("superuser")

    response = client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert client.post(admin_url(model, "change", obj.pk), {}).status_code == 403


def test_tag_list_counts_visible_questions(db):
    client = logged_in("moderator")
    tag = TagFactory()
    QuestionFactory.create_batch(2, tags=[tag])
    moderation_services.delete_post(actor=tag.questions.first().author, post=tag.questions.first())

    row = client.get(admin_url(Tag, "changelist")).context["cl"].result_list[0]

    assert row.question_count == 1


def test_moderators_group_may_moderate_on_the_site(db):
    from core.permissions import is_moderator

    moderator = ModeratorFactory()
    assert moderator.is_staff
    assert is_moderator(moderator)
    assert Group.objects.get(name="Moderators").user_set.filter(pk=moderator.pk).exists()


def test_moderator_can_pick_tags_with_autocomplete(db):
    TagFactory(name="knock-knock")
    client = logged_in("moderator")
    query = "app_label=questions&model_name=question&field_name=tags&term=knock"

    response = client.get(reverse("admin:autocomplete") + "?" + query)

    assert response.status_code == 200
    assert [item["text"] for item in response.json()["results"]] == ["knock-knock"]
