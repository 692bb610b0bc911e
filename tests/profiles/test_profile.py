"""A profile shows reputation and where it came from: a 90-day chart, the latest ledger rows,
posts, accepted answers and milestones, in a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta
from html import unescape

import pytest
from freezegun import freeze_time

from moderation.services import delete_post
from profiles import charts
from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory
from votes import reputation
from votes.models import ReputationEvent, ReputationReason
from votes.services import accept_answer, cast_vote

pytestmark = pytest.mark.django_db


def page(client, user) -> str:
    response = client.get(f"/users/{user.username}/")
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_the_profile_shows_reputation_posts_and_accepted_count(client):
    member = UserFactory(username="ann")
    question = QuestionFactory(author=member, title="Why do jokes about banks never land?")
    answer = AnswerFactory(author=member)
    AnswerFactory(author=member)
    cast_vote(voter=UserFactory(), post=question, value=1)
    accept_answer(answer=answer)
    member.refresh_from_db()

    html = page(client, member)

    assert member.reputation == 26
    assert 'data-reputation="26"' in html
    assert "<dt>Questions</dt><dd>1</dd>" in html
    assert "<dt>Answers</dt><dd>2</dd>" in html
    assert "<dt>Accepted answers</dt><dd>1</dd>" in html
    assert "Why do jokes about banks never land?" in html


def test_big_totals_are_grouped_like_the_reputation(client, monkeypatch):
    """A busy member's counts read as their reputation does: 147,237, not 147237."""
    from django.db.models import Value

    from profiles import selectors

    member = UserFactory()
    totals = {"n_questions": 49704, "n_answers": 147237, "n_accepted": 12626}
    with_totals = selectors.members_with_totals
    monkeypatch.setattr(
        selectors,
        "members_with_totals",
        lambda: with_totals().annotate(**{k: Value(v) for k, v in totals.items()}),
    )
    html = page(client, member)
    assert "<dt>Questions</dt><dd>49,704</dd>" in html
    assert "<dt>Answers</dt><dd>147,237</dd>" in html
    assert "<dt>Accepted answers</dt><dd>12,626</dd>" in html


def test_recent_changes_list_the_ledger_newest_first_with_posts(client):
    member = UserFactory()
    question = QuestionFactory(author=member, title="What makes a pun land well?")
    voter = UserFactory()
    with freeze_time("2026-04-01 10:00"):
        cast_vote(voter=voter, post=question, value=1)
    with freeze_time("2026-04-02 10:00"):
        cast_vote(voter=voter, post=question, value=0)

    html = page(client, member)

    reversed_at = html.index("Vote reversed")
    upvoted_at = html.index("Upvote received")
    assert reversed_at < upvoted_at
    assert '<span class="rep-delta rep-delta--down">-10</span>' in html
    assert '<span class="rep-delta rep-delta--up">+10</span>' in html
    assert f'<a href="{question.get_absolute_url()}">What makes a pun land well?</a>' in html
    assert 'datetime="2026-04-01T10:00:00+0000"' in html


def test_only_the_latest_20_changes_are_listed(client):
    member = UserFactory()
    for _ in range(25):
        reputation.award_bonus(user=member, amount=1)
    assert page(client, member).count('<span class="rep-delta') == 20


def test_how_a_member_voted_is_shown_to_them_alone(client):
    """The cost of a downvote names the answer only on the voter's own view of the page."""
    voter = UserFactory(reputation=200)
    answer = AnswerFactory()
    cast_vote(voter=voter, post=answer, value=-1)
    link = f'href="{answer.get_absolute_url()}"'

    assert "Downvoted an answer" in page(client, voter)
    assert link not in page(client, voter)
    client.force_login(voter)
    assert link in page(client, voter)


def test_deleted_posts_are_not_linked_for_those_who_cannot_see_them(client):
    member = UserFactory()
    question = QuestionFactory(author=member, title="A question deleted later on")
    cast_vote(voter=UserFactory(), post=question, value=1)
    delete_post(actor=member, post=question)

    html = page(client, member)
    assert "Post deleted" in html
    assert "A question deleted later on" not in html
    client.force_login(ModeratorFactory())
    assert "A question deleted later on" in page(client, member)


def test_the_chart_draws_the_last_90_days(client):
    member = UserFactory()
    question = QuestionFactory(author=member)
    now = datetime(2026, 6, 30, 12, tzinfo=UTC)
    with freeze_time(now - timedelta(days=200)):
        reputation.award_bonus(user=member, amount=99)  # before the window: the start value
    with freeze_time(now - timedelta(days=10)):
        cast_vote(voter=UserFactory(), post=question, value=1)
    with freeze_time(now):
        html = page(client, member)
    assert "Reputation over the last 90 days: from 100 to 110." in html
    assert '<polyline class="rep-chart__line" points="0.0,120.0 ' in html
    assert " 600.0,0.0" in html  # ends at the top: the highest value is the last
    assert 'datetime="2026-04-02"' in html and 'datetime="2026-06-30"' in html
    assert "between 100 and 110" in html


def test_a_new_members_chart_is_a_flat_line(client):
    html = page(client, UserFactory())
    assert "from 1 to 1." in html
    assert "steady at 1" in html


def test_milestones_are_worked_out_from_the_data(client):
    member = UserFactory()
    with freeze_time("2026-01-05"):
        question = QuestionFactory(author=member)
    with freeze_time("2026-01-06"):
        answer = AnswerFactory(author=member)
    with freeze_time("2026-01-07"):
        accept_answer(answer=answer)
    with freeze_time("2026-01-08"):
        for voter in UserFactory.create_batch(9):
            cast_vote(voter=voter, post=question, value=1)  # 1 + 15 + 90 = 106

    html = page(client, member)

    assert "★</span>\n                First question\n                " in html
    for name, day in (
        ("First question", "Jan. 5, 2026"),
        ("First answer", "Jan. 6, 2026"),
        ("First accepted answer", "Jan. 7, 2026"),
        ("100 reputation", "Jan. 8, 2026"),
    ):
        assert f'{name}\n                <time class="small muted" datetime' in html
        assert day in html
    indent = "\n" + " " * 16
    assert f'10 answers voted up{indent}{indent}<span class="small">(0/10)' in html
    assert html.count("not yet") == 3  # scored 10, 10 upvoted answers, 1,000 reputation


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize(("viewer", "queries"), [("visitor", 6), ("member", 9)])
def test_profile_query_count_is_flat(client, django_assert_num_queries, size, viewer, queries):
    """user with the post totals, the chart's days with the ledger's first rows (up to 1,000
    reputation), recent rows, the milestones' firsts, questions, answers;
    a signed-in viewer adds their session, their user row and their unread notifications (not
    whether they moderate, which only staff are)."""
    member = UserFactory()
    for _ in range(size):
        answer = AnswerFactory(author=member, question=QuestionFactory(author=member))
        cast_vote(voter=UserFactory(), post=answer, value=1)
        deleted = AnswerFactory(author=member)
        cast_vote(voter=UserFactory(), post=deleted, value=1)
        delete_post(actor=member, post=deleted)
    if viewer == "member":
        client.force_login(UserFactory())
    with django_assert_num_queries(queries):
        page(client, member)


# --- The numbers behind the chart -----------------------------------------------------------


def test_running_totals_apply_the_floor_to_what_is_shown_only():
    daily = [(date(2026, 1, 1), -4), (date(2026, 1, 2), 10), (date(2026, 1, 4), 95)]
    assert charts.running_totals(daily) == [
        (date(2026, 1, 1), 1),
        (date(2026, 1, 2), 7),
        (date(2026, 1, 4), 102),
    ]
    assert charts.first_day_reaching(charts.running_totals(daily), 100) == date(2026, 1, 4)
    assert charts.first_day_reaching(charts.running_totals(daily), 1000) is None


def test_last_days_carries_values_over_quiet_days():
    totals = [(date(2026, 1, 1), 50), (date(2026, 1, 3), 60)]
    assert charts.last_days(totals, date(2026, 1, 4), 3) == [
        (date(2026, 1, 2), 50),
        (date(2026, 1, 3), 60),
        (date(2026, 1, 4), 60),
    ]


def test_the_line_chart_scales_into_its_box():
    chart = charts.line_chart([(date(2026, 1, 1), 10), (date(2026, 1, 2), 20)], 100, 50)
    assert chart.line == "0.0,50.0 100.0,0.0"
    assert chart.area == "0,50 0.0,50.0 100.0,0.0 100,50"
    assert (chart.low, chart.high, chart.changed) == (10, 20, True)


def test_a_bonus_shows_as_such(client):
    member = UserFactory()
    reputation.award_bonus(user=member, amount=50)
    assert str(ReputationReason.BONUS.label) in page(client, member)


def test_the_ledger_is_read_for_chart_and_milestones_in_one_query(django_assert_num_queries):
    """`ledger_reads` gives the chart's daily sums and the ledger's first rows (oldest first,
    ties broken by id) that two queries gave, in one."""
    from profiles import selectors

    member = UserFactory()
    for moment, amount in (
        ("2026-01-01 10:00", 40),
        ("2026-03-01 09:00", 30),
        ("2026-03-01 09:00", -5),  # the same moment: the id decides
        ("2026-03-02 23:59", 80),
        ("2026-03-03 00:01", 1),
    ):
        with freeze_time(moment):
            reputation.award_bonus(user=member, amount=amount)
    member.refresh_from_db()
    today = date(2026, 3, 3)
    with django_assert_num_queries(1):
        daily, first = selectors.ledger_reads(member, today, 5, first_rows=3)
    assert daily == [
        (date(2026, 2, 26), 40),  # all before the chart's days, from the stored reputation
        (date(2026, 3, 1), 25),
        (date(2026, 3, 2), 80),
        (date(2026, 3, 3), 1),
    ]
    ledger = ReputationEvent.objects.filter(user=member).order_by("created_at", "id")
    assert first == list(ledger.values_list("created_at", "id", "delta")[:3])
    # The second row shares its moment with the third, which is read and left out.
    assert selectors.ledger_reads(member, today, 5, first_rows=2)[1] == first[:2]
    assert selectors.ledger_reads(member, today, 5, first_rows=0) == (daily, [])
    with django_assert_num_queries(0):
        reached = selectors.first_days_reaching(member, (50, 100), first=first)
    assert reached == {50: date(2026, 3, 1), 100: None}  # 1 + 40 + 30 - 5, then the rest
    assert selectors.first_days_reaching(member, (50, 100)) == {
        50: date(2026, 3, 1),
        100: date(2026, 3, 2),
    }


def test_a_member_read_with_the_post_totals(django_assert_num_queries):
    """The profile reads the member and their shown totals in one query, on SQLite counted
    and on PostgreSQL from the stored lists, alike."""
    from profiles import selectors

    member = UserFactory()
    question = QuestionFactory(author=member)
    answers = AnswerFactory.create_batch(2, author=member)
    accept_answer(answer=answers[0])
    delete_post(actor=member, post=AnswerFactory(author=member))
    QuestionFactory()
    with django_assert_num_queries(1):
        found = selectors.members_with_totals().get(username=member.username)
    assert found == member and question.author == member
    assert (found.n_questions, found.n_answers, found.n_accepted) == (1, 2, 1)
    inactive = UserFactory(is_active=False)
    assert not selectors.members_with_totals().filter(pk=inactive.pk).exists()


def test_reaching_a_reputation_reads_a_long_ledger_in_batches(monkeypatch):
    from profiles import selectors

    monkeypatch.setattr(selectors, "LEDGER_BATCH", 2)
    member = UserFactory()
    for day, amount in ((1, 40), (2, -30), (3, 80), (4, 15), (5, 900)):
        with freeze_time(f"2026-03-0{day} 12:00"):
            reputation.award_bonus(user=member, amount=amount)
    reached = selectors.first_days_reaching(member, (100, 1000))
    assert reached == {100: date(2026, 3, 4), 1000: date(2026, 3, 5)}
    assert selectors.first_days_reaching(member, (5000,)) == {5000: None}


def test_the_ledger_statement_reads_what_the_orm_reads(django_assert_num_queries):
    """The latest rows with their posts (and an answer's question), in one statement, the
    bodies left out: nothing the page shows reads the database again."""
    from profiles.views import _LEDGER

    member = UserFactory()
    question = QuestionFactory(author=member, title="Which joke did the bank tell?")
    answer = AnswerFactory(author=member, question=QuestionFactory(title="Asked elsewhere"))
    voter = UserFactory()
    cast_vote(voter=voter, post=question, value=1)
    cast_vote(voter=voter, post=answer, value=1)
    reputation.award_bonus(user=member, amount=3)
    expected = list(
        member.reputation_events.select_related("question", "answer__question").order_by(
            "-created_at", "-pk"
        )
    )

    def shown(event):
        post = event.post
        if post is None:
            return (event.pk, event.delta, None)
        title = post.title if event.question_id else post.question.title
        return (event.pk, event.delta, post.get_absolute_url(), title, post.is_deleted)

    with django_assert_num_queries(1):
        rows = _LEDGER.rows(member.pk)
        assert [shown(e) for e in rows] == [shown(e) for e in expected]
    assert len(rows) == 3
