"""Approving a suggested edit never overwrites a later edit, and "Improve" (Stack Overflow's
"Improve edit"): a reviewer who may edit the post saves the suggestion as they rewrote it,
which approves it (the suggester credited and notified) as one revision naming them both."""

from html import unescape

import pytest

from moderation.models import ReviewDecision, ReviewItem, ReviewQueue
from notifications.models import Notification
from revisions import services as revisions
from revisions.models import SuggestedEdit, SuggestionStatus
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from votes.models import ReputationEvent, ReputationReason

pytestmark = pytest.mark.django_db

BODY = "A clearer body for this post, with the typo fixed and nothing else changed."
LATER = "The author's own later body, which no approval may overwrite in passing."
IMPROVED = "A clearer body for this post, with the typo fixed and one more word made right."
EDITOR_REPUTATION = 2000


def text(response) -> str:
    return unescape(response.content.decode())


def old_member(**kwargs):
    return UserFactory(seasoned=True, **kwargs)


@pytest.fixture
def question():
    question = QuestionFactory(author=old_member())
    revisions.add_revision(post=question, editor=question.author)  # revision 1, as posted
    return question


@pytest.fixture
def suggestion(question):
    return revisions.suggest_edit(
        suggester=old_member(),
        post=question,
        body=BODY,
        title=question.title,
        tags=question.tag_names(),
        summary="typo",
    )


def form(question, **changes) -> dict:
    data = {
        "title": question.title,
        "body": question.body,
        "tags": " ".join(question.tag_names()),
        "summary": "",
    }
    return {**data, **changes}


def edit_later(question):
    revisions.edit_post(
        editor=question.author,
        post=question,
        body=LATER,
        title=question.title,
        tags=question.tag_names(),
        category=question.category,
    )


# --- approval after a later edit ---------------------------------------------------------------


def test_a_suggestion_records_the_revision_it_was_based_on(suggestion):
    assert suggestion.based_on == 1


def test_approving_after_a_later_edit_refuses_and_overwrites_nothing(client, question, suggestion):
    edit_later(question)
    client.force_login(ModeratorFactory())

    response = client.post(f"/suggested-edits/{suggestion.pk}/approve/", follow=True)

    question.refresh_from_db()
    assert question.body == LATER
    assert question.revisions.count() == 2
    assert SuggestedEdit.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING
    assert not ReviewDecision.objects.exists()
    assert "approving it would overwrite that edit" in text(response)
    assert not ReputationEvent.objects.filter(reason=ReputationReason.SUGGESTED_EDIT).exists()


def test_the_queue_offers_improve_and_reject_but_not_approve_on_an_outdated_suggestion(
    client, question, suggestion
):
    client.force_login(old_member(reputation=EDITOR_REPUTATION))
    page = text(client.get("/review/?queue=suggested-edits"))
    assert 'value="approve"' in page and "data-outdated" not in page
    edit_later(question)
    page = text(client.get("/review/?queue=suggested-edits"))
    assert "data-outdated" in page
    assert 'value="approve"' not in page
    assert f'href="/suggested-edits/{suggestion.pk}/improve/"' in page
    assert 'value="reject"' in page


def test_approving_an_up_to_date_suggestion_still_works(client, question, suggestion):
    client.force_login(ModeratorFactory())
    client.post(f"/suggested-edits/{suggestion.pk}/approve/")
    question.refresh_from_db()
    assert question.body == BODY


# --- improve -----------------------------------------------------------------------------------


def test_the_improve_form_holds_the_suggested_text(client, question, suggestion):
    client.force_login(old_member(reputation=EDITOR_REPUTATION))
    response = client.get(f"/suggested-edits/{suggestion.pk}/improve/")
    assert response.status_code == 200
    page = text(response)
    assert BODY in page
    assert f'data-improving="{suggestion.pk}"' in page
    assert "Save and approve" in page
    assert 'href="/review/?queue=suggested-edits">Cancel</a>' in page  # back to the queue


def test_improving_approves_credits_notifies_and_saves_one_revision_naming_both(
    client, question, suggestion
):
    reviewer = old_member(reputation=EDITOR_REPUTATION)
    client.force_login(reviewer)

    response = client.post(
        f"/suggested-edits/{suggestion.pk}/improve/",
        form(question, body=IMPROVED, summary="one more word"),
    )

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.body == IMPROVED
    newest = question.revisions.order_by("-number").first()
    assert (newest.number, newest.editor) == (2, reviewer)
    assert suggestion.suggester.username in newest.summary
    assert newest.summary.endswith("one more word")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reviewer) == (SuggestionStatus.APPROVED, reviewer)
    assert ReputationEvent.objects.get(
        user=suggestion.suggester, reason=ReputationReason.SUGGESTED_EDIT
    )
    assert Notification.objects.filter(recipient=suggestion.suggester).exists()
    decision = ReviewDecision.objects.get(reviewer=reviewer)
    assert (decision.decision, decision.binding) == ("improve", True)
    assert not ReviewItem.objects.open().filter(queue=ReviewQueue.SUGGESTED_EDITS).exists()


def test_improving_an_outdated_suggestion_works(client, question, suggestion):
    edit_later(question)
    client.force_login(ModeratorFactory())
    page = text(client.get(f"/suggested-edits/{suggestion.pk}/improve/"))
    assert "data-outdated" in page
    client.post(f"/suggested-edits/{suggestion.pk}/improve/", form(question, body=IMPROVED))
    question.refresh_from_db()
    assert question.body == IMPROVED
    assert question.revisions.count() == 3
    assert SuggestedEdit.objects.get(pk=suggestion.pk).status == SuggestionStatus.APPROVED


def test_an_improvement_that_changes_nothing_is_400_and_approves_nothing(
    client, question, suggestion
):
    client.force_login(ModeratorFactory())
    before = question.body
    response = client.post(f"/suggested-edits/{suggestion.pk}/improve/", form(question))
    assert response.status_code == 400
    assert "nothing to approve" in text(response)
    question.refresh_from_db()
    assert question.body == before
    assert SuggestedEdit.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING


def test_an_invalid_improvement_is_400_and_saves_nothing(client, question, suggestion):
    client.force_login(ModeratorFactory())
    response = client.post(f"/suggested-edits/{suggestion.pk}/improve/", form(question, body=""))
    assert response.status_code == 400
    assert SuggestedEdit.objects.get(pk=suggestion.pk).status == SuggestionStatus.PENDING


def test_improve_needs_the_right_to_review_and_to_edit(client, question, suggestion):
    url = f"/suggested-edits/{suggestion.pk}/improve/"
    client.force_login(old_member(reputation=EDITOR_REPUTATION - 1))
    assert client.get(url).status_code == 403
    client.force_login(suggestion.suggester)
    response = client.get(url)
    assert response.status_code == 403
    assert "You cannot review your own suggested edit." in text(response)
    client.force_login(question.author)
    assert client.get(url).status_code == 200  # the author edits their own post


def test_improve_from_the_queue_goes_to_the_form_and_records_nothing_yet(client, suggestion):
    client.force_login(ModeratorFactory())
    response = client.post(
        f"/review/suggested-edits/suggestion/{suggestion.pk}/", {"decision": "improve"}
    )
    assert response["Location"] == f"/suggested-edits/{suggestion.pk}/improve/"
    assert not ReviewDecision.objects.exists()


def test_a_decided_suggestion_is_not_improved(client, question, suggestion):
    client.force_login(ModeratorFactory())
    client.post(f"/suggested-edits/{suggestion.pk}/reject/", {"reason": "Not better"})
    response = client.get(f"/suggested-edits/{suggestion.pk}/improve/")
    assert response.status_code == 302
    assert "Another reviewer finished this item first." in text(client.get(response["Location"]))


def test_answers_are_improved_too(client):
    answer = AnswerFactory(author=old_member(), question=QuestionFactory(author=old_member()))
    suggestion = revisions.suggest_edit(suggester=old_member(), post=answer, body=BODY)
    client.force_login(ModeratorFactory())
    response = client.post(
        f"/suggested-edits/{suggestion.pk}/improve/", {"body": IMPROVED, "summary": ""}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == IMPROVED
