"""Suggested edits (contract v1.3): a member without `edit_others` posts the edit form and
makes a suggestion (302, the post unchanged); the author, a moderator or a holder of the
privilege approves it (a revision naming the suggester, +2 reputation capped at 1,000 in
total, the suggester notified) or rejects it with a reason. One pending suggestion per post."""

from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from moderation import suggestions
from notifications.models import Kind, Notification
from revisions import services as revisions
from revisions.models import SuggestedEdit, SuggestionStatus
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from votes import reputation
from votes.models import ReputationEvent, ReputationReason

pytestmark = pytest.mark.django_db

BODY = "A clearer body for this post, with the typo fixed and nothing else changed."


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def question():
    return QuestionFactory(author=UserFactory(seasoned=True))


def edit_form(question, **changes) -> dict:
    data = {
        "title": question.title,
        "body": question.body,
        "tags": " ".join(question.tag_names()),
        "summary": "typo",
    }
    return {**data, **changes}


def suggest(client, question, user=None, **changes):
    client.force_login(user or UserFactory())
    return client.post(f"/questions/{question.pk}/edit/", edit_form(question, **changes))


def test_a_suggestion_leaves_the_post_unchanged(client, question, launch_mode):
    before = question.body
    response = suggest(client, question, body=BODY)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.body == before
    assert not question.revisions.exists()  # (the factory makes no revision 1)
    suggestion = SuggestedEdit.objects.get()
    assert (suggestion.body, suggestion.summary, suggestion.status) == (BODY, "typo", "pending")
    page = text(client.get(response["Location"]))
    assert "your edit is suggested" in page


def test_a_suggestion_that_changes_nothing_saves_nothing(client, question):
    suggest(client, question)
    assert not SuggestedEdit.objects.exists()


def test_one_pending_suggestion_per_post(client, question):
    suggest(client, question, body=BODY)
    response = suggest(client, question, body=BODY + " Again.")
    assert response.status_code == 302
    assert SuggestedEdit.objects.count() == 1
    assert "waiting for review already" in text(client.get(response["Location"]))


def test_the_database_holds_one_pending_suggestion_per_post(question):
    member = UserFactory()
    SuggestedEdit.objects.create(question=question, suggester=member, body=BODY)
    with pytest.raises(IntegrityError), transaction.atomic():
        SuggestedEdit.objects.create(question=question, suggester=member, body=BODY)
    # A decided one does not count.
    SuggestedEdit.objects.update(status=SuggestionStatus.REJECTED)
    SuggestedEdit.objects.create(question=question, suggester=member, body=BODY)


def test_invalid_suggestions_are_400_and_save_nothing(client, question):
    response = suggest(client, question, body="short")
    assert response.status_code == 400
    assert not SuggestedEdit.objects.exists()


def test_locked_and_deleted_posts_take_no_suggestions(client, question):
    from django.utils import timezone

    type(question).objects.filter(pk=question.pk).update(locked_at=timezone.now())
    assert suggest(client, question, body=BODY).status_code == 403
    assert not SuggestedEdit.objects.exists()


def test_anonymous_visitors_go_to_login(client, question):
    response = client.post(f"/questions/{question.pk}/edit/", edit_form(question, body=BODY))
    assert "/accounts/login/" in response["Location"]


def test_a_suspended_member_suggests_nothing(client, question):
    from datetime import timedelta

    from django.utils import timezone

    member = UserFactory(suspended_at=timezone.now(), suspended_until=timezone.now() + timedelta(1))
    assert suggest(client, question, user=member, body=BODY).status_code == 403
    assert not SuggestedEdit.objects.exists()


@pytest.mark.parametrize("approver", ["author", "moderator", "privileged"])
def test_approval_makes_a_revision_naming_the_suggester(client, question, approver):
    suggester = UserFactory()
    suggest(client, question, user=suggester, body=BODY, title="A better title for this one")
    suggestion = SuggestedEdit.objects.get()
    who = {
        "author": question.author,
        "moderator": ModeratorFactory(),
        "privileged": UserFactory(reputation=2000),
    }[approver]
    client.force_login(who)
    response = client.post(f"/suggested-edits/{suggestion.pk}/approve/")
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.body, question.title) == (BODY, "A better title for this one")
    revision = question.revisions.order_by("-number").first()
    assert (revision.editor, revision.summary) == (suggester, "typo")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewer) == (SuggestionStatus.APPROVED, who)
    suggester.refresh_from_db()
    assert suggester.reputation == 3
    assert suggester.reputation_events.get().reason == ReputationReason.SUGGESTED_EDIT
    note = Notification.objects.get(recipient=suggester)
    assert note.kind == Kind.SUGGESTED_EDIT
    assert "approved your suggested edit" in note.summary()


def test_rejection_keeps_the_post_and_tells_the_suggester_why(client, question):
    suggester = UserFactory()
    suggest(client, question, user=suggester, body=BODY)
    suggestion = SuggestedEdit.objects.get()
    client.force_login(question.author)
    assert client.post(f"/suggested-edits/{suggestion.pk}/reject/").status_code == 400
    response = client.post(f"/suggested-edits/{suggestion.pk}/reject/", {"reason": "Too minor"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.body != BODY
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == (SuggestionStatus.REJECTED, "Too minor")
    note = Notification.objects.get(recipient=suggester)
    assert "rejected your suggested edit" in note.summary()
    assert note.excerpt() == "Too minor"
    suggester.refresh_from_db()
    assert suggester.reputation == 1


def test_others_cannot_decide_and_nobody_decides_their_own(client, question):
    suggester = UserFactory(reputation=2000)
    suggestion = revisions.suggest_edit(
        suggester=UserFactory(),
        post=question,
        body=BODY,
        title=question.title,
        tags=question.tag_names(),
    )
    client.force_login(UserFactory(reputation=1999))
    response = client.post(f"/suggested-edits/{suggestion.pk}/approve/")
    assert response.status_code == 403
    assert "2000 reputation" in text(response)
    client.force_login(suggestion.suggester)
    assert client.post(f"/suggested-edits/{suggestion.pk}/approve/").status_code == 403
    assert suggester  # a holder of the privilege edits directly instead
    suggestion.refresh_from_db()
    assert suggestion.is_pending


def test_a_decided_suggestion_is_not_decided_again(client, question):
    suggestion = revisions.suggest_edit(
        suggester=UserFactory(),
        post=question,
        body=BODY,
        title=question.title,
        tags=question.tag_names(),
    )
    suggestions.reject(reviewer=question.author, suggestion=suggestion, reason="No")
    client.force_login(ModeratorFactory())
    response = client.post(f"/suggested-edits/{suggestion.pk}/approve/")
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.body != BODY
    assert "Another reviewer finished this item first." in text(client.get(response["Location"]))


def test_unknown_suggestion_is_404(client):
    client.force_login(ModeratorFactory())
    assert client.post("/suggested-edits/999/approve/").status_code == 404


def test_answers_take_suggestions_too(client):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    response = client.post(f"/answers/{answer.pk}/edit/", {"body": BODY})
    assert response.status_code == 302
    suggestion = answer.suggested_edits.get()
    suggestions.approve(reviewer=answer.author, suggestion=suggestion)
    answer.refresh_from_db()
    assert answer.body == BODY


def test_suggested_edits_earn_at_most_1000_in_total(question):
    suggester = UserFactory()
    ReputationEvent.objects.create(
        user=suggester, delta=999, reason=ReputationReason.SUGGESTED_EDIT
    )
    reputation.sync_totals([suggester.pk])
    assert reputation.award_suggested_edit(user=suggester, post=question).delta == 1
    assert reputation.award_suggested_edit(user=suggester, post=question) is None
    suggester.refresh_from_db()
    assert suggester.reputation == 1001


def test_recompute_reputation_finds_no_drift_after_approvals(client, question):
    suggester = UserFactory()
    for n in range(3):
        suggestion = revisions.suggest_edit(
            suggester=suggester,
            post=question,
            body=f"{BODY} {n}",
            title=question.title,
            tags=question.tag_names(),
        )
        suggestions.approve(reviewer=question.author, suggestion=suggestion)
    suggester.refresh_from_db()
    assert suggester.reputation == 7
    out = StringIO()
    call_command("recompute_reputation", "--dry-run", stdout=out)
    assert "no drift" in out.getvalue()


def test_the_thread_offers_suggest_an_edit_to_members_without_the_privilege(client, question):
    client.force_login(UserFactory())
    page = text(client.get(question.get_absolute_url()))
    assert f'href="/questions/{question.pk}/edit/" class="suggest-edit">Suggest an edit' in page
    form = text(client.get(f"/questions/{question.pk}/edit/"))
    assert "Suggest this edit" in form
