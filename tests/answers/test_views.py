"""Answer actions through their URLs: post, accept, vote, comment, edit, delete, flag."""

import pytest
from django.utils import timezone

from answers import services as answer_services
from answers.models import Answer
from comments.models import Comment
from flags.models import Flag
from revisions import services as revision_services
from revisions.models import Revision
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from tests.helpers import BODY, OTHER_BODY
from tests.pages import container, ids, shows_error
from votes import services as vote_services
from votes.models import Vote

pytestmark = pytest.mark.django_db


def answer_to(question=None, author=None, body=BODY):
    """An answer made the way the site makes one: counted, with its first revision."""
    return answer_services.post_answer(
        author=author or UserFactory(), question=question or QuestionFactory(), body=body
    )


def login_redirect(path: str) -> str:
    return f"/accounts/login/?next={path}"


# --- Anonymous visitors, wrong methods, unknown ids ----------------------------------------

ANSWER_ACTIONS = ["vote", "comment", "accept", "edit", "delete", "flag"]


@pytest.mark.parametrize("action", ANSWER_ACTIONS)
def test_anonymous_post_to_an_answer_action_redirects_to_login(client, action):
    answer = AnswerFactory(body=BODY)
    path = f"/answers/{answer.pk}/{action}/"
    response = client.post(path, {"value": "1", "body": OTHER_BODY, "reason": "spam"})
    assert response.status_code == 302
    assert response.url == login_redirect(path)
    answer.refresh_from_db()
    assert (answer.score, answer.body, answer.is_accepted, answer.deleted_at) == (
        0,
        BODY,
        False,
        None,
    )
    assert not Comment.objects.exists() and not Flag.objects.exists()


def test_anonymous_post_of_an_answer_redirects_to_login_and_saves_nothing(client):
    question = QuestionFactory()
    path = f"/questions/{question.pk}/answer/"
    response = client.post(path, {"body": BODY})
    assert response.status_code == 302
    assert response.url == login_redirect(path)
    assert not Answer.objects.exists()


@pytest.mark.parametrize("action", ["vote", "comment", "accept", "delete"])
def test_get_on_a_post_only_answer_action_is_405(client, action):
    answer = AnswerFactory()
    client.force_login(answer.question.author)
    assert client.get(f"/answers/{answer.pk}/{action}/").status_code == 405


def test_get_on_the_answer_action_is_405(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    assert client.get(f"/questions/{question.pk}/answer/").status_code == 405


@pytest.mark.parametrize("action", ANSWER_ACTIONS)
def test_action_on_an_unknown_answer_is_404(client, action):
    client.force_login(UserFactory())
    data = {"value": "1", "body": OTHER_BODY, "reason": "spam"}
    assert client.post(f"/answers/987654/{action}/", data).status_code == 404


@pytest.mark.parametrize("path", ["/answers/987654/edit/", "/answers/987654/revisions/"])
def test_unknown_answer_page_is_404(client, path):
    client.force_login(UserFactory())
    assert client.get(path).status_code == 404


def test_answering_an_unknown_or_deleted_question_is_404(client):
    client.force_login(UserFactory())
    deleted = QuestionFactory(deleted_at=timezone.now())
    assert client.post("/questions/987654/answer/", {"body": BODY}).status_code == 404
    assert client.post(f"/questions/{deleted.pk}/answer/", {"body": BODY}).status_code == 404
    assert not Answer.objects.exists()


# --- Posting ------------------------------------------------------------------------------


def test_posting_an_answer_redirects_to_its_anchor_and_counts_it(client):
    question = QuestionFactory()
    author = UserFactory()
    client.force_login(author)
    response = client.post(f"/questions/{question.pk}/answer/", {"body": BODY})
    answer = Answer.objects.get()
    assert response.status_code == 302
    assert response.url == f"{question.get_absolute_url()}#answer-{answer.pk}"
    assert (answer.author, answer.question, answer.body) == (author, question, BODY)
    question.refresh_from_db()
    assert question.answer_count == 1
    assert list(answer.revisions.values_list("number", flat=True)) == [1]
    assert ids(client.get(question.get_absolute_url()), "answer") == [answer.pk]


@pytest.mark.parametrize(
    "body", ["a" * 29, "a" * 30_001, " " * 10 + "a" * 20 + " " * 10], ids=["29", "30001", "padded"]
)
def test_invalid_answer_shows_the_error_with_400_and_saves_nothing(client, body):
    question = QuestionFactory()
    client.force_login(UserFactory())
    response = client.post(f"/questions/{question.pk}/answer/", {"body": body})
    assert response.status_code == 400
    assert shows_error(response, "body")
    assert not Answer.objects.exists()
    question.refresh_from_db()
    assert question.answer_count == 0


def test_thirty_chinese_characters_make_a_valid_answer(client):
    question = QuestionFactory()
    client.force_login(UserFactory())
    body = "因为十月三十一日等于十二月二十五日，这是一个关于八进制和十进制的老笑话。"[:30]
    response = client.post(f"/questions/{question.pk}/answer/", {"body": body})
    assert response.status_code == 302
    assert Answer.objects.get().body == body


# --- Accepting ----------------------------------------------------------------------------


def test_asker_accepts_an_answer_and_the_thread_shows_it_first(client):
    question = QuestionFactory()
    first = AnswerFactory(question=question, score=5)
    second = AnswerFactory(question=question)
    client.force_login(question.author)
    response = client.post(f"/answers/{second.pk}/accept/")
    assert response.status_code == 302
    assert response.url == f"{question.get_absolute_url()}#answer-{second.pk}"
    second.refresh_from_db()
    assert second.is_accepted and second.accepted_at is not None
    page = client.get(question.get_absolute_url())
    assert ids(page, "answer") == [second.pk, first.pk]
    assert f'class="post post--answer accepted" id="answer-{second.pk}"' in page.content.decode()


def test_accepting_again_takes_the_mark_back(client):
    answer = AnswerFactory()
    client.force_login(answer.question.author)
    client.post(f"/answers/{answer.pk}/accept/")
    client.post(f"/answers/{answer.pk}/accept/")
    answer.refresh_from_db()
    assert not answer.is_accepted
    assert answer.accepted_at is None


def test_accepting_another_answer_moves_the_mark(client):
    question = QuestionFactory()
    first, second = AnswerFactory.create_batch(2, question=question)
    client.force_login(question.author)
    client.post(f"/answers/{first.pk}/accept/")
    client.post(f"/answers/{second.pk}/accept/")
    accepted = list(Answer.objects.filter(question=question, is_accepted=True))
    assert accepted == [second]


@pytest.mark.parametrize("who", ["answerer", "stranger", "moderator"])
def test_only_the_asker_may_accept(client, who):
    answer = AnswerFactory()
    user = {
        "answerer": answer.author,
        "stranger": UserFactory(reputation=100_000),
        "moderator": ModeratorFactory(),
    }[who]
    client.force_login(user)
    response = client.post(f"/answers/{answer.pk}/accept/")
    assert response.status_code == 403
    assert "Only the person who asked can accept an answer." in response.content.decode()
    answer.refresh_from_db()
    assert not answer.is_accepted


def test_thread_offers_the_accept_button_only_to_the_asker(client):
    answer = AnswerFactory()
    action = f'action="/answers/{answer.pk}/accept/"'
    client.force_login(answer.question.author)
    assert action in client.get(answer.question.get_absolute_url()).content.decode()
    client.force_login(answer.author)
    assert action not in client.get(answer.question.get_absolute_url()).content.decode()


def test_accepting_a_deleted_answer_is_404_like_any_action_on_it(client):
    answer = AnswerFactory(deleted_at=timezone.now())
    client.force_login(answer.question.author)
    assert client.post(f"/answers/{answer.pk}/accept/").status_code == 404
    answer.refresh_from_db()
    assert not answer.is_accepted


def test_asker_cannot_accept_their_own_deleted_answer(client):
    question = QuestionFactory()
    answer = AnswerFactory(question=question, author=question.author, deleted_at=timezone.now())
    client.force_login(question.author)
    assert client.post(f"/answers/{answer.pk}/accept/").status_code == 403
    answer.refresh_from_db()
    assert not answer.is_accepted


# --- Votes --------------------------------------------------------------------------------


def test_vote_on_an_answer_redirects_to_its_anchor(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    response = client.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    assert response.status_code == 302
    assert response.url == f"{answer.question.get_absolute_url()}#answer-{answer.pk}"
    assert 'data-score="1"' in container(client.get(response.url), f"answer-{answer.pk}")


def test_vote_on_an_answer_answers_json_when_asked(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    url = f"/answers/{answer.pk}/vote/"
    json = {"HTTP_ACCEPT": "application/json"}
    assert client.post(url, {"value": "1"}, **json).json() == {"score": 1, "vote": 1}
    assert client.post(url, {"value": "1"}, **json).json() == {"score": 1, "vote": 1}
    assert client.post(url, {"value": "0"}, **json).json() == {"score": 0, "vote": 0}
    assert client.post(url, {"value": "-1"}, **json).json() == {"score": -1, "vote": -1}


def test_vote_value_2_on_an_answer_is_400(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    assert client.post(f"/answers/{answer.pk}/vote/", {"value": "2"}).status_code == 400
    assert not Vote.objects.exists()


def test_voting_on_ones_own_answer_is_403(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(answer.author)
    assert client.post(f"/answers/{answer.pk}/vote/", {"value": "1"}).status_code == 403
    assert not Vote.objects.exists()


def test_answer_vote_without_reputation_is_403_with_the_reason(client):
    answer = AnswerFactory()
    client.force_login(UserFactory(reputation=1))
    response = client.post(f"/answers/{answer.pk}/vote/", {"value": "1"})
    assert response.status_code == 403
    assert "You need 15 reputation to vote up." in response.content.decode()


def test_downvoting_an_answer_costs_the_voter_one_and_the_author_two(client, launch_mode):
    answer = AnswerFactory(author=UserFactory(reputation=50))
    voter = UserFactory(reputation=50)
    client.force_login(voter)
    client.post(f"/answers/{answer.pk}/vote/", {"value": "-1"})
    answer.author.refresh_from_db()
    voter.refresh_from_db()
    assert (answer.author.reputation, voter.reputation) == (48, 49)


def test_vote_on_a_deleted_answer_is_404_for_others(client, launch_mode):
    answer = AnswerFactory(deleted_at=timezone.now())
    client.force_login(UserFactory())
    assert client.post(f"/answers/{answer.pk}/vote/", {"value": "1"}).status_code == 404


# --- Comments -----------------------------------------------------------------------------


def test_comment_on_an_answer_is_counted_and_shown_under_it(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    response = client.post(f"/answers/{answer.pk}/comment/", {"body": "Nice one, made me laugh."})
    comment = Comment.objects.get()
    assert response.url == f"{answer.question.get_absolute_url()}#comment-{comment.pk}"
    answer.refresh_from_db()
    assert answer.comment_count == 1
    page = client.get(answer.question.get_absolute_url())
    assert f'id="comment-{comment.pk}"' in container(page, f"answer-{answer.pk}")


def test_asker_may_comment_on_answers_to_their_question_without_reputation(client):
    answer = AnswerFactory()
    client.force_login(answer.question.author)
    response = client.post(f"/answers/{answer.pk}/comment/", {"body": "Thanks, that helps me."})
    assert response.status_code == 302


def test_invalid_answer_comment_is_400_and_saves_nothing(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    response = client.post(f"/answers/{answer.pk}/comment/", {"body": "too short"})
    assert response.status_code == 400
    assert shows_error(response, "body")
    assert not Comment.objects.exists()


# --- Edit and revisions -------------------------------------------------------------------


def test_author_edits_an_answer_and_a_revision_is_kept(client):
    answer = answer_to()
    client.force_login(answer.author)
    assert client.get(f"/answers/{answer.pk}/edit/").status_code == 200
    response = client.post(f"/answers/{answer.pk}/edit/", {"body": OTHER_BODY, "summary": "typo"})
    assert response.status_code == 302
    assert response.url == f"{answer.question.get_absolute_url()}#answer-{answer.pk}"
    answer.refresh_from_db()
    assert answer.body == OTHER_BODY
    assert list(answer.revisions.order_by("number").values_list("number", "body")) == [
        (1, BODY),
        (2, OTHER_BODY),
    ]


def test_unchanged_answer_edit_saves_nothing(client):
    answer = answer_to()
    client.force_login(answer.author)
    client.post(f"/answers/{answer.pk}/edit/", {"body": BODY})
    answer.refresh_from_db()
    assert answer.edited_at is None
    assert answer.revisions.count() == 1


def test_editing_someone_elses_answer_suggests_the_edit(client):
    """Contract v1.3: without the privilege, the edit form makes a suggested edit (302) and
    the answer stays as it is."""
    answer = answer_to()
    client.force_login(UserFactory())
    assert client.get(f"/answers/{answer.pk}/edit/").status_code == 200
    response = client.post(f"/answers/{answer.pk}/edit/", {"body": OTHER_BODY})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.body == BODY
    assert answer.suggested_edits.get().body == OTHER_BODY


def test_moderator_edits_someone_elses_answer(client):
    answer = answer_to()
    moderator = ModeratorFactory()
    client.force_login(moderator)
    assert client.post(f"/answers/{answer.pk}/edit/", {"body": OTHER_BODY}).status_code == 302
    assert answer.revisions.get(number=2).editor == moderator


def test_invalid_answer_edit_is_400_and_saves_nothing(client):
    answer = answer_to()
    client.force_login(answer.author)
    response = client.post(f"/answers/{answer.pk}/edit/", {"body": "short"})
    assert response.status_code == 400
    assert shows_error(response, "body")
    assert Revision.objects.filter(answer=answer).count() == 1


def test_answer_revisions_page_shows_the_diff(client):
    answer = answer_to(body="The first line.\nThe old punchline.")
    revision_services.edit_post(
        editor=answer.author, post=answer, body="The first line.\nA new punchline."
    )
    response = client.get(f"/answers/{answer.pk}/revisions/")
    html = response.content.decode()
    assert response.status_code == 200
    removed = '<span class="visually-hidden">removed: </span>'  # for screen readers
    added = '<span class="visually-hidden">added: </span>'
    assert f'<div class="wdiff__old">{removed}<del>The old</del> punchline.</div>' in html
    assert f'<div class="wdiff__new">{added}<ins>A new</ins> punchline.</div>' in html


# --- Delete -------------------------------------------------------------------------------


def test_author_deletes_an_answer_softly(client):
    answer = answer_to()
    question = answer.question
    client.force_login(answer.author)
    response = client.post(f"/answers/{answer.pk}/delete/")
    assert response.status_code == 302
    answer.refresh_from_db()
    question.refresh_from_db()
    assert answer.deleted_at is not None and answer.deleted_by == answer.author
    assert question.answer_count == 0
    client.logout()
    assert ids(client.get(question.get_absolute_url()), "answer") == []


def test_deleting_the_accepted_answer_removes_the_mark(client):
    answer = answer_to()
    vote_services.accept_answer(answer=answer)
    client.force_login(answer.author)
    client.post(f"/answers/{answer.pk}/delete/")
    answer.refresh_from_db()
    assert not answer.is_accepted and answer.accepted_at is None


def test_moderator_deletes_someone_elses_answer(client):
    answer = answer_to()
    client.force_login(ModeratorFactory())
    assert client.post(f"/answers/{answer.pk}/delete/").status_code == 302
    answer.refresh_from_db()
    assert answer.is_deleted


@pytest.mark.parametrize("who", ["asker", "stranger"])
def test_others_may_not_delete_an_answer(client, who):
    answer = answer_to()
    client.force_login(answer.question.author if who == "asker" else UserFactory())
    assert client.post(f"/answers/{answer.pk}/delete/").status_code == 403
    answer.refresh_from_db()
    assert not answer.is_deleted
    answer.question.refresh_from_db()
    assert answer.question.answer_count == 1


def test_deleting_twice_counts_once(client):
    answer = answer_to()
    client.force_login(ModeratorFactory())
    client.post(f"/answers/{answer.pk}/delete/")
    client.post(f"/answers/{answer.pk}/delete/")
    answer.question.refresh_from_db()
    assert answer.question.answer_count == 0


# --- Flags --------------------------------------------------------------------------------


def test_flagging_an_answer_queues_it(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    response = client.post(
        f"/answers/{answer.pk}/flag/", {"reason": "rude", "details": "Name-calling."}
    )
    assert response.status_code == 302
    flag = Flag.objects.get()
    assert (flag.answer, flag.question, flag.reason) == (answer, None, "rude")


def test_flag_other_without_details_on_an_answer_is_400(client, launch_mode):
    answer = AnswerFactory()
    client.force_login(UserFactory())
    response = client.post(f"/answers/{answer.pk}/flag/", {"reason": "other", "details": ""})
    assert response.status_code == 400
    assert "Tell the moderators what is wrong." in response.content.decode()
    assert not Flag.objects.exists()
