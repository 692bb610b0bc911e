"""Retagging: members with `edit_tags` who may not edit others' posts change only the tags
of someone else's question, keeping a revision; a locked or deleted question refuses; every
403 says why; the thread offers "Retag" where it offers no "Edit"."""

from html import unescape

import pytest
from django.utils import timezone

from moderation import services as moderation
from moderation.models import ModerationAction
from questions.models import Question
from revisions.models import Revision
from tests.factories import ModeratorFactory, QuestionFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db

RETAGGER = 500


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def question():
    return QuestionFactory(tags=[TagFactory(name="banks")])


def retag(client, user, question, tags="payments cards"):
    client.force_login(user)
    return client.post(f"/questions/{question.pk}/retag/", {"tags": tags})


def test_a_member_with_edit_tags_changes_only_the_tags(client, question):
    before = Question.objects.get(pk=question.pk)
    editor = UserFactory(reputation=RETAGGER)
    response = retag(client, editor, question)
    assert response.status_code == 302
    after = Question.objects.get(pk=question.pk)
    assert sorted(after.tag_names()) == ["cards", "payments"]
    assert (after.title, after.body) == (before.title, before.body)
    revision = Revision.objects.get(question=question)
    assert revision.editor == editor
    assert revision.tags == "cards payments"
    assert not ModerationAction.objects.exists()


def test_the_form_shows_the_current_tags(client, question):
    client.force_login(UserFactory(reputation=RETAGGER))
    response = client.get(f"/questions/{question.pk}/retag/")
    assert response.status_code == 200
    assert 'value="banks"' in text(response)


def test_invalid_tags_show_the_form_again_and_save_nothing(client, question):
    response = retag(client, UserFactory(reputation=RETAGGER), question, tags="")
    assert response.status_code == 400
    assert not Revision.objects.exists()


def test_without_the_privilege_retagging_is_403_with_the_reason(client, question):
    response = retag(client, UserFactory(reputation=RETAGGER - 1), question)
    assert response.status_code == 403
    assert "You need 500 reputation to edit tags." in text(response)
    assert Question.objects.get(pk=question.pk).tag_names() == ["banks"]
    assert client.get(f"/questions/{question.pk}/retag/").status_code == 403


def test_launch_mode_lets_every_member_retag(client, question, launch_mode):
    assert retag(client, UserFactory(), question).status_code == 302


def test_the_author_may_retag_their_own_question(client, question):
    assert retag(client, question.author, question).status_code == 302


def test_a_locked_question_refuses_members(client, question):
    moderator = ModeratorFactory()
    moderation.set_locked(moderator=moderator, post=question, locked=True)
    response = retag(client, UserFactory(reputation=RETAGGER), question)
    assert response.status_code == 403
    assert "locked" in text(response)
    # A moderator retags anyway, and the audit log says so.
    assert retag(client, moderator, question).status_code == 302
    assert ModerationAction.objects.filter(action=ModerationAction.Kind.EDIT).exists()


def test_a_deleted_question_refuses(client, question):
    Question.objects.filter(pk=question.pk).update(deleted_at=timezone.now())
    assert retag(client, UserFactory(reputation=RETAGGER), question).status_code == 404
    response = retag(client, question.author, question)
    assert response.status_code == 403


def test_a_suspended_member_cannot_retag(client, question):
    member = UserFactory(reputation=RETAGGER)
    moderation.suspend_user(moderator=ModeratorFactory(), user=member, days=7, reason="x")
    response = retag(client, member, question)
    assert response.status_code == 403
    assert "suspended" in text(response)


def test_the_thread_shows_retag_where_it_shows_no_edit(client, question):
    url = question.get_absolute_url()
    client.force_login(UserFactory(reputation=RETAGGER))
    page = text(client.get(url))
    assert f"/questions/{question.pk}/retag/" in page
    # No Edit, only the suggestion form behind "Suggest an edit".
    assert f'href="/questions/{question.pk}/edit/">Edit' not in page
    assert f'href="/questions/{question.pk}/edit/" class="suggest-edit"' in page
    client.force_login(UserFactory(reputation=2000))
    page = text(client.get(url))
    assert f'href="/questions/{question.pk}/edit/"' in page
    assert f"/questions/{question.pk}/retag/" not in page
    client.force_login(UserFactory(reputation=RETAGGER - 1))
    assert f"/questions/{question.pk}/retag/" not in text(client.get(url))


def test_a_retag_keeps_an_edit_that_committed_meanwhile(client, question, monkeypatch):
    """The retag wrote back the body and title it had read, undoing an edit that landed
    between its read and its write (issue 9, Low)."""
    from core import permissions
    from revisions import services

    author = question.author
    real = permissions.retag_refusal

    def edit_meanwhile(user, post):
        services.edit_post(
            editor=author,
            post=Question.objects.get(pk=post.pk),
            body="The author's edit, saved while the retag form was being sent.",
            title="A title the author chose meanwhile, too",
            tags=post.tag_names(),
            category=post.category,
        )
        return real(user, post)

    monkeypatch.setattr(permissions, "retag_refusal", edit_meanwhile)
    assert retag(client, UserFactory(reputation=RETAGGER), question).status_code == 302
    after = Question.objects.get(pk=question.pk)
    assert after.body == "The author's edit, saved while the retag form was being sent."
    assert after.title == "A title the author chose meanwhile, too"
    assert sorted(after.tag_names()) == ["cards", "payments"]
