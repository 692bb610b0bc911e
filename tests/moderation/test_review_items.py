"""The stored review queues (`moderation.queue`): items opened by the services that create the
need, completed when it ends or the post goes away, filled from existing rows by the data
migration, and the header's count read from them."""

import importlib
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.apps import apps
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from answers.services import post_answer
from flags.models import Flag
from flags.services import flag_post
from moderation import close_votes, review
from moderation import services as moderation
from moderation.models import CloseVote, ReviewDecision, ReviewItem, ReviewItemStatus
from moderation.models import ReviewQueue as Queue
from questions.models import Question
from questions.services import ask_question
from revisions import services as revisions
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

BODY = "A rewritten body that says the same thing, only more clearly than before."


def old_member(**kwargs):
    return UserFactory(seasoned=True, **kwargs)


def waiting_in(post) -> set[str]:
    return set(
        ReviewItem.objects.open().filter(**{post.kind: post}).values_list("queue", flat=True)
    )


def test_a_new_accounts_first_question_waits_and_its_second_does_not():
    newcomer = UserFactory()
    first = ask_question(author=newcomer, title="How do jokes age?", body=BODY, tags=["time"])
    second = ask_question(author=newcomer, title="How do puns age?", body=BODY, tags=["time"])
    assert waiting_in(first) == {Queue.FIRST_POSTS}
    assert waiting_in(second) == set()
    assert waiting_in(ask_question(author=old_member(), title="Seasoned?", body=BODY, tags=[])) == (
        set()
    )


def test_a_late_answer_by_a_low_reputation_member_waits():
    question = QuestionFactory(author=old_member())
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=60))
    question.refresh_from_db()
    late = post_answer(author=old_member(), question=question, body=BODY)
    on_time = post_answer(author=old_member(reputation=500), question=question, body=BODY)
    assert waiting_in(late) == {Queue.LATE_ANSWERS}
    assert waiting_in(on_time) == set()


def test_a_flag_opens_one_item_and_deciding_the_flags_completes_it():
    answer = AnswerFactory(author=old_member(), question=QuestionFactory(author=old_member()))
    flag = flag_post(flagger=old_member(), post=answer, reason="other")
    flag_post(flagger=old_member(), post=answer, reason="other")
    assert ReviewItem.objects.open().filter(answer=answer).count() == 1
    moderation.handle_flags(
        moderator=ModeratorFactory(), flags=[flag], decision=moderation.FlagDecision.DISMISS
    )
    assert waiting_in(answer) == set()


def test_a_retracted_close_vote_takes_the_question_out_and_a_new_round_is_a_new_item():
    question = QuestionFactory(author=old_member())
    voter = old_member()
    close_votes.cast_close_vote(voter=voter, question=question, reason="off-topic")
    first_round = ReviewItem.objects.open().get(question=question, queue=Queue.CLOSE_VOTES)
    close_votes.retract_vote(voter=voter, question=question)
    assert waiting_in(question) == set()
    close_votes.cast_close_vote(voter=voter, question=question, reason="off-topic")
    assert ReviewItem.objects.open().get(queue=Queue.CLOSE_VOTES, question=question) != (
        first_round
    )


def test_closing_ends_the_close_vote_item_and_reopen_votes_open_another():
    question = QuestionFactory(author=old_member())
    close_votes.cast_close_vote(voter=old_member(), question=question, reason="off-topic")
    moderator = ModeratorFactory()
    moderation.close_question(moderator=moderator, question=question, reason="off-topic")
    assert waiting_in(question) == set()
    close_votes.cast_reopen_vote(voter=old_member(), question=Question.objects.get(pk=question.pk))
    assert waiting_in(question) == {Queue.REOPEN_VOTES}


def test_approving_a_suggestion_completes_its_item():
    question = QuestionFactory(author=old_member())
    suggestion = revisions.suggest_edit(
        suggester=old_member(),
        post=question,
        body=BODY,
        title=question.title,
        tags=question.tag_names(),
    )
    item = ReviewItem.objects.open().get(suggestion=suggestion)
    assert (item.queue, item.question, item.reviews_needed) == (Queue.SUGGESTED_EDITS, question, 1)
    review.decide(
        reviewer=ModeratorFactory(),
        queue=Queue.SUGGESTED_EDITS,
        target=suggestion,
        decision="approve",
    )
    item.refresh_from_db()
    assert item.status == ReviewItemStatus.COMPLETED


def test_a_deleted_question_takes_its_answers_out_of_the_queues(client):
    newcomer = UserFactory()
    question = QuestionFactory(author=old_member(), title="A title nobody should read again")
    answer = AnswerFactory(author=newcomer, question=question)
    flag_post(flagger=old_member(), post=answer, reason="other")
    assert waiting_in(answer) == {Queue.FIRST_POSTS, Queue.FLAGGED}

    moderation.delete_post(actor=question.author, post=question)

    assert waiting_in(answer) == set()
    client.force_login(old_member(reputation=3000))
    page = unescape(client.get("/review/").content.decode())
    assert "A title nobody should read again" not in page


def test_a_hidden_post_leaves_every_queue_but_the_flagged_one(settings):
    settings.JOKESITE_FLAGS_TO_HIDE = 1
    post = QuestionFactory(author=UserFactory())  # a first post
    flag_post(flagger=old_member(), post=post, reason="spam")
    post.refresh_from_db()
    assert post.is_hidden
    assert waiting_in(post) == {Queue.FLAGGED}


def test_a_suggestion_on_a_hidden_post_waits_until_the_post_is_shown_again(settings):
    settings.JOKESITE_FLAGS_TO_HIDE = 1
    post = QuestionFactory(author=old_member())
    suggestion = revisions.suggest_edit(
        suggester=old_member(), post=post, body=BODY, title=post.title, tags=post.tag_names()
    )
    flag = flag_post(flagger=old_member(), post=post, reason="spam")
    assert waiting_in(post) == {Queue.FLAGGED}  # hidden: the suggestion waits on the flags
    moderation.handle_flags(
        moderator=ModeratorFactory(), flags=[flag], decision=moderation.FlagDecision.DISMISS
    )
    assert waiting_in(post) == {Queue.SUGGESTED_EDITS}
    assert ReviewItem.objects.open().get(question=post).suggestion == suggestion


def test_a_suggestion_on_a_deleted_post_comes_back_when_it_is_restored():
    post = QuestionFactory(author=old_member())
    revisions.suggest_edit(
        suggester=old_member(), post=post, body=BODY, title=post.title, tags=post.tag_names()
    )
    moderator = ModeratorFactory()
    moderation.soft_delete(moderator=moderator, target=post)
    assert waiting_in(post) == set()
    moderation.undelete(moderator=moderator, target=post)
    assert waiting_in(post) == {Queue.SUGGESTED_EDITS}


def test_an_item_completes_after_the_reviews_it_needs(settings):
    settings.JOKESITE_REVIEWS_NEEDED = 2
    first = QuestionFactory(author=UserFactory())
    review.decide(reviewer=old_member(), queue=Queue.FIRST_POSTS, target=first, decision="skip")
    review.decide(reviewer=old_member(), queue=Queue.FIRST_POSTS, target=first, decision="looks-ok")
    item = ReviewItem.objects.get(question=first)
    assert (item.status, item.reviews_done) == (ReviewItemStatus.OPEN, 1)
    review.decide(reviewer=old_member(), queue=Queue.FIRST_POSTS, target=first, decision="edit")
    item.refresh_from_db()
    assert (item.status, item.reviews_done) == (ReviewItemStatus.COMPLETED, 2)
    assert item.completed_at is not None


def test_the_header_count_follows_the_members_own_decision_at_once(
    client, settings, django_capture_on_commit_callbacks
):
    settings.JOKESITE_REVIEWS_NEEDED = 1
    first = QuestionFactory(author=UserFactory())
    QuestionFactory(author=UserFactory())
    client.force_login(old_member(reputation=3000))
    assert 'data-review-waiting="2"' in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/review/first-posts/question/{first.pk}/", {"decision": "looks-ok"})
    assert 'data-review-waiting="1"' in client.get("/").content.decode()


def test_the_header_count_is_one_query_on_the_stored_table(client, django_assert_num_queries):
    QuestionFactory(author=UserFactory())
    cache.clear()
    with django_assert_num_queries(1) as captured:
        assert review.waiting() == 1
    assert "moderation_reviewitem" in captured.captured_queries[0]["sql"]


def test_the_data_migration_fills_the_queues_from_existing_rows(settings):
    settings.JOKESITE_REVIEWS_NEEDED = 2
    first = QuestionFactory(author=UserFactory())
    decided = QuestionFactory(author=UserFactory())
    flagged = QuestionFactory(author=old_member())
    flag_post(flagger=old_member(), post=flagged, reason="other")
    voted = QuestionFactory(author=old_member())
    close_votes.cast_close_vote(voter=old_member(), question=voted, reason="off-topic")
    asked = QuestionFactory(author=old_member())
    Question.objects.filter(pk=asked.pk).update(created_at=timezone.now() - timedelta(days=60))
    late = AnswerFactory(question=asked, author=old_member())
    suggestion = revisions.suggest_edit(suggester=old_member(), post=late, body=BODY)
    reviewer = old_member()
    review.decide(reviewer=reviewer, queue=Queue.FIRST_POSTS, target=first, decision="looks-ok")
    review.decide(
        reviewer=ModeratorFactory(), queue=Queue.FIRST_POSTS, target=decided, decision="looks-ok"
    )
    ReviewDecision.objects.update(item=None)
    ReviewItem.objects.all().delete()

    migration = importlib.import_module("moderation.migrations.0005_fill_review_items")
    migration.fill(apps, None)

    assert {(item.queue, item.post) for item in ReviewItem.objects.open()} == {
        (Queue.FIRST_POSTS, first),
        (Queue.FLAGGED, flagged),
        (Queue.CLOSE_VOTES, voted),
        (Queue.LATE_ANSWERS, late),
        (Queue.SUGGESTED_EDITS, late),
    }
    assert ReviewItem.objects.get(queue=Queue.SUGGESTED_EDITS).suggestion == suggestion
    item = ReviewItem.objects.get(question=first)
    assert item.reviews_done == 1
    assert ReviewDecision.objects.get(reviewer=reviewer).item == item
    assert first.pk not in {i.question_id for i in review.open_to(Queue.FIRST_POSTS, reviewer)}


def test_review_history_keeps_a_deleted_questions_title_from_members(client):
    question = QuestionFactory(author=old_member(), title="A title nobody should read again")
    answer = AnswerFactory(author=UserFactory(), question=question)  # a first post
    reviewer = old_member(reputation=3000)
    review.decide(reviewer=reviewer, queue=Queue.FIRST_POSTS, target=answer, decision="looks-ok")
    client.force_login(reviewer)
    assert "A title nobody should read again" in client.get("/review/history/").content.decode()

    moderation.delete_post(actor=question.author, post=question)

    page = client.get("/review/history/").content.decode()
    assert "A title nobody should read again" not in page
    assert "a deleted post" in page
    client.force_login(ModeratorFactory())
    page = client.get(f"/review/history/?member={reviewer.username}").content.decode()
    assert "A title nobody should read again" in page


def test_the_demo_threads_wait_in_no_queue():
    """The loader posts "now" and backdates: its answers, 30 days after their question, are
    not late answers once backdated."""
    call_command("load_demo", verbosity=0)
    assert not ReviewItem.objects.open().exists()


def test_sync_review_queue_repairs_what_was_written_past_the_services(settings):
    settings.JOKESITE_REVIEWS_NEEDED = 3
    deleted = QuestionFactory(author=UserFactory())  # a first post, deleted by hand
    Question.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now())
    flagged = QuestionFactory(author=old_member())
    Flag.objects.create(flagger=old_member(), question=flagged, reason="other")  # no item
    voted = QuestionFactory(author=old_member())
    CloseVote.objects.create(voter=old_member(), question=voted, kind="close", reason="off-topic")
    first = QuestionFactory(author=UserFactory())
    review.decide(reviewer=old_member(), queue=Queue.FIRST_POSTS, target=first, decision="edit")
    ReviewItem.objects.filter(question=first).update(reviews_done=0)

    out = StringIO()
    call_command("sync_review_queue", stdout=out)

    assert out.getvalue().strip() == "1 completed, 2 opened, 1 recounted."
    assert waiting_in(deleted) == set()
    assert waiting_in(flagged) == {Queue.FLAGGED}
    assert waiting_in(voted) == {Queue.CLOSE_VOTES}
    assert ReviewItem.objects.get(question=first).reviews_done == 1
    call_command("sync_review_queue", stdout=out)
    assert out.getvalue().strip().endswith("0 completed, 0 opened, 0 recounted.")


# --- items set aside with their post come back with it ---------------------------------------


def late_answer(question, **member):
    """A late answer by a low-reputation member who is also new (a first post, too)."""
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - timedelta(days=60))
    question.refresh_from_db()
    return post_answer(author=UserFactory(**member), question=question, body=BODY)


def test_a_first_post_deleted_and_restored_goes_back_to_its_queue_with_its_reviews(settings):
    settings.JOKESITE_REVIEWS_NEEDED = 2
    post = QuestionFactory(author=UserFactory())
    reviewer = old_member()
    review.decide(reviewer=reviewer, queue=Queue.FIRST_POSTS, target=post, decision="looks-ok")
    moderator = ModeratorFactory()
    moderation.soft_delete(moderator=moderator, target=post)
    assert waiting_in(post) == set()

    moderation.undelete(moderator=moderator, target=post)

    item = ReviewItem.objects.get(question=post, queue=Queue.FIRST_POSTS)
    assert (item.status, item.reviews_done, item.completed_at) == (ReviewItemStatus.OPEN, 1, None)
    assert not item.set_aside
    assert review.item_of(Queue.FIRST_POSTS, post) == item
    assert item not in review.open_to(Queue.FIRST_POSTS, reviewer)  # still never seen twice
    assert ReviewItem.objects.filter(question=post).count() == 1


@pytest.mark.parametrize("decision", ["dismiss", "helpful"])
def test_a_first_post_hidden_by_flags_comes_back_when_the_flags_keep_it(settings, decision):
    settings.JOKESITE_FLAGS_TO_HIDE = 1
    post = QuestionFactory(author=UserFactory())
    flag = flag_post(flagger=old_member(), post=post, reason="spam")
    assert waiting_in(post) == {Queue.FLAGGED}

    moderation.handle_flags(moderator=ModeratorFactory(), flags=[flag], decision=decision)

    assert waiting_in(post) == {Queue.FIRST_POSTS}


def test_a_late_answer_hidden_by_flags_comes_back_when_they_are_dismissed(settings):
    settings.JOKESITE_FLAGS_TO_HIDE = 1
    answer = late_answer(QuestionFactory(author=old_member()), seasoned=True)
    assert waiting_in(answer) == {Queue.LATE_ANSWERS}
    flag = flag_post(flagger=old_member(), post=answer, reason="spam")
    moderation.handle_flags(moderator=ModeratorFactory(), flags=[flag], decision="dismiss")
    assert waiting_in(answer) == {Queue.LATE_ANSWERS}


def test_a_first_post_decided_before_it_was_deleted_stays_decided():
    post = QuestionFactory(author=UserFactory())
    moderator = ModeratorFactory()
    review.decide(reviewer=moderator, queue=Queue.FIRST_POSTS, target=post, decision="looks-ok")
    moderation.soft_delete(moderator=moderator, target=post)
    moderation.undelete(moderator=moderator, target=post)
    assert waiting_in(post) == set()
    assert not ReviewItem.objects.get(question=post).set_aside


def test_a_restored_question_brings_back_its_answers_items_but_not_a_deleted_answers():
    question = QuestionFactory(author=old_member())
    kept = late_answer(question)
    gone = late_answer(question)
    moderator = ModeratorFactory()
    moderation.soft_delete(moderator=moderator, target=gone)
    moderation.soft_delete(moderator=moderator, target=question)
    assert waiting_in(kept) == set()

    moderation.undelete(moderator=moderator, target=question)

    assert waiting_in(kept) == {Queue.FIRST_POSTS, Queue.LATE_ANSWERS}
    assert waiting_in(gone) == set()
    moderation.undelete(moderator=moderator, target=gone)
    assert waiting_in(gone) == {Queue.FIRST_POSTS, Queue.LATE_ANSWERS}


def test_an_answer_restored_under_a_deleted_question_waits_for_the_question():
    question = QuestionFactory(author=old_member())
    answer = late_answer(question, seasoned=True)
    moderator = ModeratorFactory()
    moderation.soft_delete(moderator=moderator, target=answer)
    moderation.soft_delete(moderator=moderator, target=question)
    moderation.undelete(moderator=moderator, target=answer)
    assert waiting_in(answer) == set()
    moderation.undelete(moderator=moderator, target=question)
    assert waiting_in(answer) == {Queue.LATE_ANSWERS}


def test_the_admins_restore_action_reopens_the_items(client):
    post = QuestionFactory(author=UserFactory())
    moderator = ModeratorFactory()
    moderation.soft_delete(moderator=moderator, target=post)
    client.force_login(moderator)
    response = client.post(
        "/admin/questions/question/",
        {"action": "restore", "_selected_action": [post.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert waiting_in(post) == {Queue.FIRST_POSTS}


def test_sync_review_queue_sets_aside_what_it_completes_for_a_gone_post():
    post = QuestionFactory(author=UserFactory())
    Question.objects.filter(pk=post.pk).update(deleted_at=timezone.now())  # past the services
    call_command("sync_review_queue", stdout=StringIO())
    assert ReviewItem.objects.get(question=post).set_aside
    moderation.undelete(moderator=ModeratorFactory(), target=post)
    assert waiting_in(post) == {Queue.FIRST_POSTS}


def test_a_flagged_post_its_author_deleted_is_back_in_the_flagged_queue_when_restored():
    author = old_member()
    question = QuestionFactory(author=old_member())
    answer = AnswerFactory(author=author, question=question)
    flag_post(flagger=old_member(), post=answer, reason="other")
    moderation.delete_post(actor=author, post=answer)  # its flag stays open
    assert waiting_in(answer) == set()
    moderator = ModeratorFactory()
    moderation.undelete(moderator=moderator, target=answer)
    assert waiting_in(answer) == {Queue.FLAGGED}


def test_a_restored_question_brings_back_a_hidden_answers_flagged_item_only(settings):
    settings.JOKESITE_FLAGS_TO_HIDE = 1
    question = QuestionFactory(author=old_member())
    answer = late_answer(question)
    flag_post(flagger=old_member(), post=answer, reason="spam")
    assert waiting_in(answer) == {Queue.FLAGGED}  # hidden
    moderator = ModeratorFactory()
    moderation.soft_delete(moderator=moderator, target=question)
    assert waiting_in(answer) == set()
    moderation.undelete(moderator=moderator, target=question)
    assert waiting_in(answer) == {Queue.FLAGGED}


def test_a_post_deleted_by_a_moderator_does_not_bring_its_decided_flags_back():
    post = QuestionFactory(author=old_member())
    flag_post(flagger=old_member(), post=post, reason="spam")
    moderator = ModeratorFactory()
    moderation.soft_delete(moderator=moderator, target=post)  # the flag was right
    moderation.undelete(moderator=moderator, target=post)
    assert waiting_in(post) == set()
