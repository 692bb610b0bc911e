import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from answers.models import Answer
from comments.models import Comment
from core.models import BODY_MIN, COMMENT_MAX, COMMENT_MIN, TITLE_MAX, TITLE_MIN
from demo.management.commands.load_demo import DATA_FILE, load_data
from questions.models import TAGS_MAX, TAGS_MIN, Question
from questions.services import TAG_RE
from revisions.models import Revision
from votes.models import ReputationEvent, ReputationReason, Vote

# CI checks out ../shared beside the clone; only this test reads it, never the site.
SEED = settings.BASE_DIR.parent / "shared" / "seed" / "000_4ffaf0a4d46c8dfc.txt"

OPENINGS = [
    "Why did the bank agree to access Alipay, a fast payment method? Who said the bank agreed?",
    "Happy to answer:",
    "Thank you for your question.",
    "After reading many people's answers",
    "At the beginning, Alipay didn't make fast payment",
    "Some people even say",
    "In fact, there is a story behind this.",
    "Why did the bank agree to access Alipay, a fast payment method? The main reason is",
    "At the beginning of Alipay's establishment",
    "Alipay wants to talk to the branch.",
]


def openings(bodies: list[str]) -> list[str]:
    """Each body cut to the length of the opening expected at its place."""
    return [body[: len(opening)] for body, opening in zip(bodies, OPENINGS, strict=True)]


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def data():
    return load_data()


@pytest.fixture
def question(db):
    load_demo()
    return Question.objects.get()


def test_data_file_holds_a_valid_thread(data):
    """The question, its ten answers and every demo action pass the site's own limits."""
    usernames = [user["username"] for user in data["users"]]
    assert len(set(usernames)) == len(usernames)
    assert all(user["about"] for user in data["users"])
    assert data["category"] == {**data["category"], "name": "Mood Talk", "slug": "mood-talk"}
    assert data["site_header"].startswith("Joke Collection Website - Mood Talk - ")

    spec = data["question"]
    assert TITLE_MIN <= len(spec["title"]) <= TITLE_MAX
    assert spec["title"] not in spec["body"]  # the body adds to the title, not repeats it
    assert len(spec["body"]) >= BODY_MIN
    assert TAGS_MIN <= len(spec["tags"]) <= TAGS_MAX
    assert all(TAG_RE.match(tag) and tag == tag.lower() for tag in spec["tags"])

    answers = data["answers"]
    assert openings([answer["body"] for answer in answers]) == OPENINGS
    authors = [spec["author"]] + [answer["author"] for answer in answers]
    assert len(set(authors)) == len(authors)
    assert set(authors) <= set(usernames)
    assert sum(answer["accepted"] for answer in answers) <= 1

    for post in [spec, *answers]:
        assert len(post["body"]) >= BODY_MIN
        assert post["author"] not in post["votes"]
        assert set(post["votes"]) <= set(usernames)
        assert set(post["votes"].values()) <= {1, -1}
        for comment in post["comments"]:
            assert comment["author"] in usernames
            assert COMMENT_MIN <= len(comment["body"]) <= COMMENT_MAX
            assert not comment["body"].lower().startswith("demo")
    for user in data["users"]:
        assert user["joined_days_ago"] > spec["asked_days_ago"]


@pytest.mark.skipif(not SEED.exists(), reason=f"no seed page at {SEED}")
def test_question_and_answers_are_the_seed_text_unchanged(data):
    """Each answer is the seed's own text, and the answers together are all of it; the question
    keeps the seed's title (its body, which repeated the title, tells the story instead)."""
    seed = SEED.read_text(encoding="utf-8")
    header, title, answers_text = seed.split("\n\n", 2)
    assert data["site_header"] == header
    assert data["question"]["title"] == title
    for post in data["answers"]:
        assert post["body"] in seed
    assert "\n\n".join(answer["body"] for answer in data["answers"]) == answers_text


def test_loads_one_question_with_ten_answers_in_seed_order(question, data):
    assert question.title == "Why did the bank agree to access Alipay, a fast payment method?"
    assert question.body == data["question"]["body"]
    assert question.category.slug == "mood-talk"
    assert question.category.name == "Mood Talk"
    assert sorted(question.tag_names()) == sorted(data["question"]["tags"])
    assert question.answer_count == 10
    answers = list(question.answers.order_by("created_at"))
    assert [answer.body for answer in answers] == [spec["body"] for spec in data["answers"]]
    assert openings([answer.body for answer in answers]) == OPENINGS


def test_every_post_has_its_own_demo_author_who_cannot_sign_in(question):
    authors = [question.author, *(answer.author for answer in question.answers.all())]
    assert len({author.pk for author in authors}) == 11
    assert all(author.about.startswith("Demo account.") for author in authors)
    assert not any(author.has_usable_password() for author in authors)


def test_every_post_has_exactly_its_first_revision(question):
    answers = list(question.answers.all())
    assert Revision.objects.count() == 11
    assert list(question.revisions.values_list("number", "body")) == [(1, question.body)]
    for answer in answers:
        assert list(answer.revisions.values_list("number", "body")) == [(1, answer.body)]


def test_counters_and_reputation_match_the_votes_and_comments(question):
    """Stored scores and comment counts agree with the rows; reputation follows the rules."""
    posts = [question, *question.answers.all()]
    for post in posts:
        assert post.score == sum(post.votes.values_list("value", flat=True))
        assert post.comment_count == post.comments.count()
    assert Vote.objects.exists()
    assert Comment.objects.exists()
    accepted = question.answers.get(is_accepted=True)
    assert accepted.author.reputation == 1 + 10 * accepted.score + 15
    assert question.author.reputation == 1 + 10 * question.score + 2


def test_thread_reads_as_grown_over_days(question):
    """Posts are dated in the past, answers after the question, activity at the last event."""
    now = timezone.now()
    answers = list(question.answers.order_by("created_at"))
    assert question.created_at < answers[0].created_at
    assert answers[-1].created_at < now
    assert question.last_activity_at == max(
        answers[-1].created_at, question.answers.get(is_accepted=True).accepted_at
    )
    for answer in answers:
        assert answer.revisions.get().created_at == answer.created_at
    assert all(question.created_at < c.created_at < now for c in Comment.objects.all())


def test_members_joined_before_they_posted_voted_or_commented(question):
    posts = [question, *question.answers.all()]
    for post in posts:
        assert post.author.date_joined < post.created_at
        for vote in post.votes.select_related("voter"):
            assert vote.voter.date_joined < post.created_at < vote.created_at < timezone.now()
    for comment in Comment.objects.select_related("author"):
        assert comment.author.date_joined < comment.created_at


def test_reputation_is_dated_with_the_votes_and_the_accept(question):
    """No reputation row is dated today, so a demo profile's chart is not flat with a spike."""
    events = ReputationEvent.objects.select_related("question", "answer")
    assert events.exists()
    today = timezone.now() - timedelta(days=1)
    for event in events:
        assert event.created_at < today
        assert event.created_at > (event.question or event.answer).created_at
    accepted = question.answers.get(is_accepted=True)
    accept_rows = events.filter(reason=ReputationReason.ACCEPTED)
    assert [row.created_at for row in accept_rows] == [accepted.accepted_at]
    vote_times = sorted(Vote.objects.values_list("created_at", flat=True))
    upvote_times = sorted(
        events.filter(reason=ReputationReason.UPVOTE).values_list("created_at", flat=True)
    )
    assert upvote_times == vote_times  # every demo vote is an upvote, each earning a row


def test_thread_order_is_accepted_then_score_then_oldest(question):
    ordered = list(question.answers.order_by("-is_accepted", "-score", "created_at"))
    assert ordered[0].body.startswith("In fact, there is a story behind this.")
    scores = [answer.score for answer in ordered[1:]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[-1]


def test_numbered_lines_keep_their_numbers_when_rendered(question):
    """The seed numbers points as "1," then "2." and "3.": all three numbers stay visible."""
    answer = question.answers.get(body__startswith="Happy to answer:")
    assert "<p>1, the development of the banking industry:" in answer.body_html
    assert '<ol start="2">' in answer.body_html
    assert answer.body_html.count("<li>") == 2


@pytest.mark.django_db
def test_loading_twice_leaves_one_thread():
    first = load_demo()
    second = load_demo()
    assert "Loaded demo thread" in first
    assert "already loaded" in second
    assert Question.objects.count() == 1
    assert Answer.objects.count() == 10
    assert Revision.objects.count() == 11
    assert get_user_model().objects.count() == 11
    assert Question.objects.get().answer_count == 10


@pytest.mark.django_db
def test_existing_demo_users_are_reused_when_the_thread_is_gone():
    """A thread deleted by hand comes back without a second set of demo members."""
    load_demo()
    votes = Vote.objects.count()
    Question.objects.all().delete()
    load_demo()
    assert get_user_model().objects.count() == 11
    assert Question.objects.count() == 1
    assert Answer.objects.count() == 10
    assert Vote.objects.count() == votes


def test_data_file_lives_inside_the_project():
    assert DATA_FILE.relative_to(settings.BASE_DIR) == Path("demo/data/thread.json")
    assert DATA_FILE.is_file()
