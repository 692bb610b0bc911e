"""Members in the moderation console, and the Moderators group itself."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from moderation import services as moderation_services
from moderation.signals import MODERATOR_PERMISSIONS, grant_moderator_permissions
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from tests.moderation.test_admin import (
    admin_url,
    assert_changelist_is_flat,
    change_form_data,
    logged_in,
)

User = get_user_model()


def moderator_permissions(group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


EXPECTED = {
    f"{label}.{codename}" for label, names in MODERATOR_PERMISSIONS.items() for codename in names
}


# --- the group -----------------------------------------------------------------------------


def test_migrations_create_moderators_with_their_permissions(db):
    group = Group.objects.get(name="Moderators")

    assert moderator_permissions(group) == EXPECTED
    assert "questions.moderate" in EXPECTED
    # Adding and deleting: only tag synonyms (the rest is soft-deleted or merged by actions).
    add_or_delete = {p for p in EXPECTED if p.split(".")[1].startswith(("add_", "delete_"))}
    assert add_or_delete == {"questions.add_tagsynonym", "questions.delete_tagsynonym"}
    assert not EXPECTED & {"questions.change_vote", "questions.change_revision"}


def test_granting_again_restores_missing_permissions_and_keeps_extra_ones(db):
    group = Group.objects.get(name="Moderators")
    extra = group.permissions.model.objects.get(codename="add_tag")
    group.permissions.remove(group.permissions.get(codename="moderate"))
    group.permissions.add(extra)

    grant_moderator_permissions(sender=None, using="default")

    assert moderator_permissions(group) == EXPECTED | {"questions.add_tag"}


def test_joining_moderators_makes_a_member_staff(db):
    group = Group.objects.get(name="Moderators")
    member, other, bystander = UserFactory.create_batch(3)

    member.groups.add(group)
    group.user_set.add(other)
    bystander.groups.add(Group.objects.create(name="Translators"))

    assert member.is_staff  # the instance in hand is updated too
    member.refresh_from_db()
    other.refresh_from_db()
    bystander.refresh_from_db()
    assert (member.is_staff, other.is_staff, bystander.is_staff) == (True, True, False)
    assert member.has_perm("questions.moderate")


def test_leaving_moderators_keeps_staff_status_but_no_rights(db):
    moderator = ModeratorFactory()
    moderator.groups.clear()

    moderator = User.objects.get(pk=moderator.pk)
    assert moderator.is_staff
    assert not moderator.has_perm("questions.moderate")
    assert not moderator.has_module_perms("questions")


# --- the user admin ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "moderator"])
def test_user_changelist_and_change_page_open_for_moderators(db, who):
    member = UserFactory()
    client = logged_in(who)
    assert client.get(admin_url(User, "changelist")).status_code == 200
    assert client.get(admin_url(User, "change", member.pk)).status_code == 200


def test_member_is_sent_to_admin_login(db):
    client = logged_in("member")
    response = client.get(admin_url(User, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def member_with_posts(i):
    """One more account with a question and an answer; the first row is the moderator's."""
    if i:
        member = UserFactory()
        QuestionFactory(author=member)
        AnswerFactory(author=member, question=QuestionFactory(author=member))


@pytest.mark.parametrize("query", ["", "?_facets=1"], ids=["plain", "facets"])
def test_user_changelist_query_count_is_flat(db, query):
    assert_changelist_is_flat(logged_in("moderator"), User, member_with_posts, query)


def test_user_list_counts_visible_posts_without_multiplying(db):
    client = logged_in("moderator")
    author = UserFactory(username="prolific")
    questions = QuestionFactory.create_batch(2, author=author)
    AnswerFactory.create_batch(3, author=author)
    moderation_services.delete_post(actor=author, post=questions[0])

    response = client.get(admin_url(User, "changelist") + "?q=prolific")

    [row] = response.context["cl"].result_list
    assert (row.question_count, row.answer_count) == (1, 3)


def test_moderator_changes_a_member_but_cannot_grant_rights(db):
    client = logged_in("moderator")
    member = UserFactory(username="joker", email="joker@example.com")
    url = admin_url(User, "change", member.pk)
    page = client.get(url)
    assert "is_superuser" not in page.context["adminform"].form.fields
    assert "password" not in page.context["adminform"].form.fields

    data = change_form_data(
        page,
        username="reformed-joker",
        is_active="",
        is_staff="on",
        is_superuser="on",
        email="new@example.com",
        groups=[str(Group.objects.get(name="Moderators").pk)],
    )
    response = client.post(url, data)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.username == "reformed-joker"
    assert not member.is_active
    assert (member.is_staff, member.is_superuser, member.email) == (
        False,
        False,
        "joker@example.com",
    )
    assert not member.groups.exists()


@pytest.mark.parametrize("target", ["moderator", "superuser"])
def test_moderator_only_views_staff_accounts(db, target):
    client = logged_in("moderator")
    staff = ModeratorFactory() if target == "moderator" else UserFactory(is_superuser=True)
    url = admin_url(User, "change", staff.pk)

    page = client.get(url)

    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(url, {"username": "hijacked"}).status_code == 403


def test_only_superusers_change_passwords(db):
    member = UserFactory()
    url = reverse("admin:auth_user_password_change", args=[member.pk])

    assert logged_in("moderator").get(url).status_code == 403
    assert logged_in("superuser").get(url).status_code == 200


def test_superuser_sees_the_whole_account(db):
    member = UserFactory()
    page = logged_in("superuser").get(admin_url(User, "change", member.pk))

    fields = page.context["adminform"].form.fields
    assert {"is_superuser", "groups", "user_permissions", "email", "about"} <= set(fields)
    assert "reputation" not in fields  # kept exact by the services: shown, not edited
