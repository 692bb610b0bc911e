"""The review queues: what each queue holds, every decision each one offers, items leaving
after the reviews they need (at once for a moderator), a reviewer never seeing an item twice,
the header count, review history, and the 403s with their reasons."""

from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from flags.models import Flag, FlagStatus
from moderation import close_votes, review
from moderation import services as moderation
from moderation.models import CloseVote, ReviewDecision, ReviewItem, ReviewQueue
from questions.models import Question
from revisions import services as revisions
from revisions.models import SuggestionStatus
from tests.factories import (
    AnswerFactory,
    FlagFactory,
    ModeratorFactory,
    QuestionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REVIEWER = 500
CLOSER = 3000
BODY = "A rewritten body that says the same thing, only more clearly than before."


def text(response) -> str:
    return unescape(response.content.decode())


def old_member(**kwargs) -> User:
    return UserFactory(seasoned=True, **kwargs)


@pytest.fixture
def reviewer(client):
    user = old_member(reputation=REVIEWER)
    client.force_login(user)
    return user


def shown(response) -> set[str]:
    page = text(response)
    return {part.split('"')[0] for part in page.split('id="review-')[1:]}


def decide(client, queue, kind, pk, decision, **extra):
    return client.post(f"/review/{queue}/{kind}/{pk}/", {"decision": decision, **extra})


def waits(queue, post) -> bool:
    """Whether `post` has an open item in `queue` (for anyone)."""
    return ReviewItem.objects.open().filter(queue=queue, **{post.kind: post}).exists()


def first_post():
    return QuestionFactory(author=UserFactory())


def suggestion_on(post, suggester=None):
    return revisions.suggest_edit(
        suggester=suggester or old_member(),
        post=post,
        body=BODY,
        title=getattr(post, "title", None),
        tags=post.tag_names() if hasattr(post, "tag_names") else None,
    )


# --- what the queues hold -----------------------------------------------------------------


def test_each_queue_holds_its_items_and_shows_the_post(client, reviewer):
    author = old_member()
    quiet = QuestionFactory(author=author)
    voted = QuestionFactory(author=author)
    close_votes.cast_close_vote(
        voter=old_member(reputation=CLOSER), question=voted, reason="off-topic"
    )
    closed = QuestionFactory(author=author)
    Question.objects.filter(pk=closed.pk).update(closed_at=timezone.now(), close_reason="off-topic")
    close_votes.cast_reopen_vote(voter=old_member(reputation=CLOSER), question=closed)
    flagged = AnswerFactory(author=author, question=quiet)
    FlagFactory(question=None, answer=flagged)
    first = first_post()
    late_question = QuestionFactory(author=author)
    Question.objects.filter(pk=late_question.pk).update(
        created_at=timezone.now() - timedelta(days=60)
    )
    late = AnswerFactory(question=late_question, author=old_member())
    suggested = suggestion_on(quiet)
    deleted = QuestionFactory(author=author)
    FlagFactory(question=deleted)
    moderation.delete_post(actor=author, post=deleted)

    response = client.get("/review/")
    assert response.status_code == 200
    assert shown(response) == {
        f"close-votes-question-{voted.pk}",
        f"reopen-votes-question-{closed.pk}",
        f"flagged-answer-{flagged.pk}",
        f"first-posts-question-{first.pk}",
        f"late-answers-answer-{late.pk}",
    }  # the suggestion is for holders of edit_others (and the post's author)
    page = text(response)
    assert first.body_html in page.replace("&#x27;", "'") or first.body[:20] in page
    assert "Looks OK" in page and "Skip" in page and "Leave open" in page

    client.force_login(old_member(reputation=2000))
    assert f"suggested-edits-suggestion-{suggested.pk}" in shown(client.get("/review/"))


def test_one_queue_alone(client, reviewer):
    first = first_post()
    response = client.get("/review/?queue=first-posts")
    assert shown(response) == {f"first-posts-question-{first.pk}"}


def test_a_reviewer_never_sees_their_own_post(client, reviewer):
    QuestionFactory(author=reviewer)
    User.objects.filter(pk=reviewer.pk).update(date_joined=timezone.now())
    assert shown(client.get("/review/")) == set()


def test_the_empty_queue_says_so(client, reviewer):
    assert "Nothing waits for you here." in text(client.get("/review/"))


# --- decisions ------------------------------------------------------------------------------


def test_looks_ok_twice_empties_the_first_posts_queue(client, reviewer, settings):
    assert settings.JOKESITE_REVIEWS_NEEDED == 2
    first = first_post()
    response = decide(client, "first-posts", "question", first.pk, "looks-ok")
    assert response.status_code == 302
    assert "queue=first-posts" in response["Location"]
    # Never twice for the same reviewer; still waiting for a second reviewer.
    assert shown(client.get("/review/")) == set()
    other = old_member(reputation=REVIEWER)
    client.force_login(other)
    assert f"first-posts-question-{first.pk}" in shown(client.get("/review/"))
    decide(client, "first-posts", "question", first.pk, "looks-ok")
    client.force_login(old_member(reputation=REVIEWER))
    assert shown(client.get("/review/")) == set()
    assert ReviewDecision.objects.filter(question=first).count() == 2


def test_skip_hides_the_item_from_the_reviewer_but_counts_for_nothing(client, reviewer):
    first = first_post()
    decide(client, "first-posts", "question", first.pk, "skip")
    assert shown(client.get("/review/")) == set()
    assert ReviewDecision.objects.get(question=first).decision == "skip"
    assert waits(ReviewQueue.FIRST_POSTS, first)


def test_a_moderators_decision_ends_the_review_at_once(client):
    first = first_post()
    client.force_login(ModeratorFactory())
    decide(client, "first-posts", "question", first.pk, "looks-ok")
    assert ReviewDecision.objects.get(question=first).binding
    client.force_login(old_member(reputation=REVIEWER))
    assert shown(client.get("/review/")) == set()


@pytest.mark.parametrize(
    ("decision", "form"), [("edit", "edit"), ("flag", "flag"), ("close", "close-vote")]
)
def test_edit_flag_and_close_record_the_review_and_open_the_form(client, decision, form):
    first = first_post()
    client.force_login(old_member(reputation=CLOSER))
    response = decide(client, "first-posts", "question", first.pk, decision)
    assert response.status_code == 302
    assert response["Location"] == f"/questions/{first.pk}/{form}/"
    assert ReviewDecision.objects.get(question=first).decision == decision


def test_close_is_not_offered_on_an_answer(client, reviewer):
    answer = AnswerFactory(author=UserFactory(), question=QuestionFactory(author=old_member()))
    response = decide(client, "first-posts", "answer", answer.pk, "close")
    assert response.status_code == 400
    assert not ReviewDecision.objects.filter(answer=answer, decision="close").exists()


def test_late_answers_offer_looks_ok_edit_flag_skip(client, reviewer):
    question = QuestionFactory(author=old_member())
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=45))
    late = AnswerFactory(question=question, author=old_member())
    assert shown(client.get("/review/?queue=late-answers")) == {f"late-answers-answer-{late.pk}"}
    response = decide(client, "late-answers", "answer", late.pk, "close")
    assert response.status_code == 400
    decide(client, "late-answers", "answer", late.pk, "looks-ok")
    assert ReviewDecision.objects.get(answer=late).decision == "looks-ok"


def test_close_in_the_close_votes_queue_casts_the_reviewers_vote(client, settings):
    settings.JOKESITE_CLOSE_VOTES = 2
    question = QuestionFactory(author=old_member())
    close_votes.cast_close_vote(
        voter=old_member(reputation=CLOSER), question=question, reason="opinion-based"
    )
    client.force_login(old_member(reputation=CLOSER))
    response = decide(client, "close-votes", "question", question.pk, "close")
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_closed
    assert question.close_reason == "opinion-based"  # the round's leading reason
    assert shown(client.get("/review/")) == set()


def test_leave_open_twice_ends_the_close_vote_review(client):
    question = QuestionFactory(author=old_member())
    close_votes.cast_close_vote(
        voter=old_member(reputation=CLOSER), question=question, reason="off-topic"
    )
    for _ in range(2):
        client.force_login(old_member(reputation=REVIEWER))
        decide(client, "close-votes", "question", question.pk, "looks-ok")
    client.force_login(old_member(reputation=REVIEWER))
    assert shown(client.get("/review/")) == set()
    assert not Question.objects.get(pk=question.pk).is_closed


def test_a_new_round_of_close_votes_comes_back(client):
    question = QuestionFactory(author=old_member())
    voter = old_member(reputation=CLOSER)
    close_votes.cast_close_vote(voter=voter, question=question, reason="off-topic")
    client.force_login(ModeratorFactory())
    decide(client, "close-votes", "question", question.pk, "looks-ok")
    assert not waits(ReviewQueue.CLOSE_VOTES, question)
    close_votes.retract_vote(voter=voter, question=question)
    CloseVote.objects.all().delete()
    close_votes.cast_close_vote(voter=voter, question=question, reason="off-topic")
    assert waits(ReviewQueue.CLOSE_VOTES, question)


def test_reopen_in_the_reopen_queue_casts_a_reopen_vote(client, settings):
    question = QuestionFactory(author=old_member())
    Question.objects.filter(pk=question.pk).update(
        closed_at=timezone.now(), close_reason="off-topic"
    )
    close_votes.cast_reopen_vote(voter=old_member(), question=question)
    settings.JOKESITE_CLOSE_VOTES = 2
    client.force_login(old_member(reputation=CLOSER))
    decide(client, "reopen-votes", "question", question.pk, "reopen")
    assert not Question.objects.get(pk=question.pk).is_closed


def test_close_without_the_privilege_is_403_and_records_nothing(client, reviewer):
    question = QuestionFactory(author=old_member())
    close_votes.cast_close_vote(
        voter=old_member(reputation=CLOSER), question=question, reason="off-topic"
    )
    response = decide(client, "close-votes", "question", question.pk, "close")
    assert response.status_code == 403
    assert "You need 3000 reputation" in text(response)
    assert not ReviewDecision.objects.exists()


def test_a_moderators_looks_ok_on_a_flagged_post_dismisses_the_flags(client):
    answer = AnswerFactory(author=old_member(), question=QuestionFactory(author=old_member()))
    flag = FlagFactory(question=None, answer=answer)
    client.force_login(ModeratorFactory())
    decide(client, "flagged", "answer", answer.pk, "looks-ok")
    assert Flag.objects.get(pk=flag.pk).status == FlagStatus.DECLINED
    assert not waits(ReviewQueue.FLAGGED, answer)


def test_members_looks_ok_on_a_flagged_post_leaves_the_flags_to_moderators(client, reviewer):
    question = QuestionFactory(author=old_member())
    flag = FlagFactory(question=question)
    decide(client, "flagged", "question", question.pk, "looks-ok")
    assert Flag.objects.get(pk=flag.pk).status == FlagStatus.OPEN


def test_an_unknown_decision_or_queue_is_refused_and_saves_nothing(client, reviewer):
    first = first_post()
    assert decide(client, "first-posts", "question", first.pk, "burn").status_code == 400
    assert decide(client, "nowhere", "question", first.pk, "skip").status_code == 404
    assert decide(client, "first-posts", "question", 999_999, "skip").status_code == 404
    assert not ReviewDecision.objects.exists()


def test_deciding_an_item_that_left_the_queue_says_so(client, reviewer):
    first = first_post()
    review.decide(
        reviewer=ModeratorFactory(), queue="first-posts", target=first, decision="looks-ok"
    )
    response = decide(client, "first-posts", "question", first.pk, "looks-ok")
    assert response.status_code == 302
    assert ReviewDecision.objects.count() == 1
    assert "Another reviewer finished this item first." in text(client.get(response["Location"]))


# --- suggested edits in the queue --------------------------------------------------------------


def test_approve_from_the_queue_applies_the_suggestion(client):
    question = QuestionFactory(author=old_member())
    suggestion = suggestion_on(question)
    client.force_login(old_member(reputation=2000))
    page = text(client.get("/review/?queue=suggested-edits"))
    assert "<ins>" in page  # the diff
    decide(client, "suggested-edits", "suggestion", suggestion.pk, "approve")
    question.refresh_from_db()
    assert question.body == BODY
    assert question.revisions.order_by("-number").first().editor == suggestion.suggester


def test_reject_needs_a_reason(client):
    question = QuestionFactory(author=old_member())
    suggestion = suggestion_on(question)
    client.force_login(old_member(reputation=2000))
    decide(client, "suggested-edits", "suggestion", suggestion.pk, "reject")
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
    decide(client, "suggested-edits", "suggestion", suggestion.pk, "reject", reason="Vandalism")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.reason) == (SuggestionStatus.REJECTED, "Vandalism")


def test_the_posts_author_sees_suggestions_on_their_own_posts(client):
    author = old_member(reputation=REVIEWER)
    question = QuestionFactory(author=author)
    suggestion = suggestion_on(question)
    elsewhere = suggestion_on(QuestionFactory(author=old_member()))
    client.force_login(author)
    page = shown(client.get("/review/?queue=suggested-edits"))
    assert page == {f"suggested-edits-suggestion-{suggestion.pk}"}
    assert elsewhere.is_pending


def test_a_reviewer_without_edit_others_cannot_approve_others_suggestions(client, reviewer):
    suggestion = suggestion_on(QuestionFactory(author=old_member()))
    response = decide(client, "suggested-edits", "suggestion", suggestion.pk, "approve")
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.is_pending


# --- who may review ----------------------------------------------------------------------------


def test_without_the_privilege_the_queue_is_403_with_the_reason(client):
    client.force_login(UserFactory(reputation=REVIEWER - 1))
    response = client.get("/review/")
    assert response.status_code == 403
    assert "You need 500 reputation to access the review queue." in text(response)


def test_anonymous_visitors_go_to_login(client):
    response = client.get("/review/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    first = first_post()
    response = decide(client, "first-posts", "question", first.pk, "looks-ok")
    assert "/accounts/login/" in response["Location"]


def test_a_suspended_reviewer_decides_nothing(client, reviewer):
    first = first_post()
    User.objects.filter(pk=reviewer.pk).update(
        suspended_at=timezone.now(), suspended_until=timezone.now() + timedelta(days=3)
    )
    response = decide(client, "first-posts", "question", first.pk, "looks-ok")
    assert response.status_code == 403
    assert not ReviewDecision.objects.exists()
    assert 'href="/review/"' not in text(client.get("/"))


def test_moderators_and_launch_mode_members_get_in(client, settings):
    client.force_login(ModeratorFactory())
    assert client.get("/review/").status_code == 200
    settings.JOKESITE_LAUNCH_MODE = True
    client.force_login(UserFactory())
    assert client.get("/review/").status_code == 200


def test_the_header_shows_the_count_waiting_to_reviewers_only(client):
    first_post()
    first_post()
    client.force_login(UserFactory(reputation=REVIEWER))
    page = text(client.get("/"))
    assert 'href="/review/"' in page
    assert 'data-review-waiting="2"' in page
    client.force_login(UserFactory(reputation=REVIEWER - 1))
    assert 'href="/review/"' not in text(client.get("/"))


def test_the_header_count_is_cached(client, reviewer, django_assert_num_queries):
    first_post()
    client.get("/")  # fills the cache
    with CaptureQueriesContext(connection) as warm:
        client.get("/")
    assert not any("questions_question" in q["sql"] and "EXISTS" in q["sql"] for q in warm)


# --- history -----------------------------------------------------------------------------------


def test_review_history_lists_a_members_decisions(client, reviewer):
    first = first_post()
    decide(client, "first-posts", "question", first.pk, "looks-ok")
    page = text(client.get("/review/history/"))
    assert first.title in page
    assert 'data-decision="looks-ok"' in page


def test_only_moderators_read_another_members_history(client, reviewer):
    other = old_member()
    assert client.get(f"/review/history/?member={other.username}").status_code == 403
    client.force_login(ModeratorFactory())
    assert client.get(f"/review/history/?member={other.username}").status_code == 200


# --- cost --------------------------------------------------------------------------------------


def build(count: int):
    """`count` items in every queue."""
    author = old_member()
    closer = old_member(reputation=CLOSER)
    for _ in range(count):
        question = QuestionFactory(author=author)
        close_votes.cast_close_vote(voter=closer, question=question, reason="off-topic")
        FlagFactory(question=None, answer=AnswerFactory(question=question, author=author))
        first_post()
        closed = QuestionFactory(author=author)
        Question.objects.filter(pk=closed.pk).update(
            closed_at=timezone.now(), close_reason="off-topic"
        )
        close_votes.cast_reopen_vote(voter=closer, question=closed)
        suggestion_on(question)
        suggestion_on(AnswerFactory(question=question, author=author))
        late = QuestionFactory(author=author)
        Question.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(days=60))
        AnswerFactory(question=late, author=old_member())


def test_the_query_count_does_not_grow_with_the_queue(client):
    client.force_login(old_member(reputation=CLOSER))  # sees suggested edits too

    def count() -> int:
        cache.clear()  # the header's count, cached a minute, is counted each time too
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/review/").status_code == 200
        return len(captured)

    build(1)
    small = count()
    build(6)  # more than a page (5) in every queue
    queues = client.get("/review/").context["queues"]
    assert {len(section["items"]) for section in queues} == {5}
    assert count() == small


# --- every decision of every queue ---------------------------------------------------------


def _item(queue):
    """An item in `queue` and its kind, for a reviewer who may decide everything there."""
    author = old_member()
    if queue == "first-posts":
        return first_post(), "question"
    if queue == "late-answers":
        question = QuestionFactory(author=author)
        Question.objects.filter(pk=question.pk).update(
            created_at=timezone.now() - timedelta(days=45)
        )
        return AnswerFactory(question=question, author=old_member()), "answer"
    if queue == "suggested-edits":
        return suggestion_on(QuestionFactory(author=author)), "suggestion"
    question = QuestionFactory(author=author)
    if queue == "reopen-votes":
        Question.objects.filter(pk=question.pk).update(
            closed_at=timezone.now(), close_reason="off-topic"
        )
        close_votes.cast_reopen_vote(voter=old_member(), question=question)
    elif queue == "close-votes":
        close_votes.cast_close_vote(
            voter=old_member(reputation=CLOSER), question=question, reason="off-topic"
        )
    else:
        FlagFactory(question=question)
    return question, "question"


CASES = [(queue, decision) for queue, offered in review.DECISIONS.items() for decision in offered]


@pytest.mark.parametrize(("queue", "decision"), CASES, ids=[f"{q}-{d}" for q, d in CASES])
def test_every_decision_of_every_queue_is_recorded(client, queue, decision):
    target, kind = _item(queue)
    reviewer = old_member(reputation=CLOSER)
    client.force_login(reviewer)
    assert f"{queue}-{kind}-{target.pk}" in shown(client.get(f"/review/?queue={queue}"))

    response = decide(client, queue, kind, target.pk, decision, reason="Not an improvement")

    assert response.status_code == 302
    if decision == "improve":  # a form of its own (tests/moderation/test_improve.py)
        assert response["Location"] == f"/suggested-edits/{target.pk}/improve/"
        assert not ReviewDecision.objects.exists()
        return
    row = ReviewDecision.objects.get(reviewer=reviewer)
    assert (row.queue, row.decision) == (queue, decision)
    # The reviewer never sees it again, whatever they decided.
    assert f"{queue}-{kind}-{target.pk}" not in shown(client.get(f"/review/?queue={queue}"))
    if decision in ("edit", "flag") or (decision == "close" and queue == "first-posts"):
        form = {"edit": "edit", "flag": "flag", "close": "close-vote"}[decision]
        assert response["Location"] == f"/{kind}s/{target.pk}/{form}/"
    else:
        assert response["Location"] == f"/review/?queue={queue}"
