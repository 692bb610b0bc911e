"""List pages keep the block every reader sees alike (`{% shared %}`, pagecache/fragments.py):
the page is the same with and without it, it holds nothing of the reader who rendered it, a
reader served from it runs none of its queries, and every kind of write shows at once."""

import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client, TestCase
from django.utils import timezone

from questions.models import Question, Tag
from search.models import SearchEntry
from tests.factories import (
    AnswerFactory,
    CategoryFactory,
    ModeratorFactory,
    QuestionFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ROW = "questions/_question_row.html"
RESULT = "questions/_search_result.html"
TAG_NAME = "fragmentary"
PAGES = [
    "/",
    "/questions/?page=2",
    "/questions/?sort=unanswered",
    "/questions/?sort=votes&page=1&extra=kept",
    f"/tags/{TAG_NAME}/",
    "/tags/",
    "/tags/?sort=name&q=frag",
    "/categories/mood/",
    "/search/?q=fresh",
    "/search/?q=%5Bfragmentary%5D",
]


@pytest.fixture(autouse=True)
def _fragments_on(settings, launch_mode):
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300


@pytest.fixture
def lists():
    """Enough questions for two pages of the list (one answered, one in a category), all with
    the tag; every date days old, so relative dates do not move while a test runs."""
    tag = TagFactory(name=TAG_NAME, description="Questions about kept fragments.")
    category = CategoryFactory(slug="mood", name="Mood")
    questions = [
        QuestionFactory(title=f"How fresh is kept list number {n}?", tags=[tag]) for n in range(31)
    ]
    Question.objects.filter(pk=questions[0].pk).update(category=category)
    AnswerFactory(question=questions[1])
    days_ago = timezone.now() - timedelta(days=3)
    Question.objects.update(created_at=days_ago, last_activity_at=days_ago)
    SearchEntry.objects.update(created_at=days_ago)
    return questions


def member(user=None) -> Client:
    client = Client()
    client.force_login(user or UserFactory(reputation=200))
    return client


def read(client, url, **headers) -> tuple[str, int]:
    """(page, how many list rows or search results were rendered)."""
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    names = [t.name for t in response.templates]
    return response.content.decode(), names.count(ROW) + names.count(RESULT)


def normal(page: str) -> str:
    """The page without what differs on every render: CSRF tokens."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["visitor", "member", "moderator"])
def test_the_page_is_the_same_with_and_without_the_block(settings, lists, url, who):
    users = {"visitor": None, "member": UserFactory(), "moderator": ModeratorFactory()}
    client = member(users[who]) if users[who] else Client()
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 0
    without, rows = read(client, url)
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300
    cold, cold_rows = read(client, url)
    warm, warm_rows = read(client, url)
    assert rows == cold_rows
    assert warm_rows == 0
    assert normal(without) == normal(cold) == normal(warm)
    if url.startswith(("/questions", "/tags/f", "/search/?q=fresh")):
        assert rows > 0 and "kept list number" in warm


def test_a_second_reader_reuses_the_block_without_its_queries(lists, django_assert_num_queries):
    first, second = member(), member()
    read(first, "/")  # kept
    read(second, "/")  # the second reader's session and user in place
    # The session, the member, the list's stored count (PostgreSQL; SQLite's count was kept
    # in the cache by the first read), the unread notifications: not the page of questions,
    # nor their tags.
    with django_assert_num_queries(4 if connection.vendor == "postgresql" else 3):
        _, rows = read(second, "/")
    assert rows == 0
    anonymous = Client()
    assert read(anonymous, "/")[1] == 0


def test_search_runs_no_search_when_the_results_are_kept(lists, django_assert_num_queries):
    reader = member()
    page, rows = read(reader, "/search/?q=fresh")
    assert rows > 0
    with django_assert_num_queries(3):  # the session, the member, the unread notifications
        again, rows = read(reader, "/search/?q=fresh")
    assert rows == 0
    assert normal(again) == normal(page)


def test_the_block_holds_nothing_of_the_reader_who_rendered_it(lists):
    """The first reader moderates, authored a listed question and has a name no one else
    has: the next reader's page shows none of it beyond what the list itself shows."""
    first = ModeratorFactory(username="first-reader-xyz", display_name="First Reader Xyz")
    for url in PAGES:
        read(member(first), url)
    second = member()
    for url in PAGES:
        page, rows = read(second, url)
        assert rows == 0, url
        assert "first-reader-xyz" not in page and "First Reader Xyz" not in page
        assert 'href="/admin/"' not in page
        anonymous, _ = read(Client(), url)
        assert "first-reader-xyz" not in anonymous


def test_language(lists, compiled_translations):
    reader = member()
    english, _ = read(reader, "/")
    chinese, rows = read(reader, "/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert rows > 0
    assert "Newest" in english and "Newest" not in chinese
    assert read(reader, "/", HTTP_ACCEPT_LANGUAGE="zh-hans")[1] == 0


def test_cache_down_renders_everything(settings, lists):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "jokesite.cache.FailSafeRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    page, rows = read(member(), "/")
    assert rows > 0
    assert "How fresh is kept list number" in page


# --- every kind of write, seen at once by a signed-in reader whose block was kept ------------


def assert_reader_sees(url, write, expect_in=(), expect_not_in=(), reader=None):
    """Read twice (the second from the kept block), write as it commits, read again: the
    block was rendered afresh and the change is there."""
    reader = reader or member()
    before, rows = read(reader, url)
    assert read(reader, url)[1] == 0
    for text in expect_in:
        assert text not in before
    with TestCase.captureOnCommitCallbacks(execute=True):
        write()
    after, rows = read(reader, url)
    assert rows > 0 or url == "/tags/"  # rendered afresh (/tags/ has no row template)
    for text in expect_in:
        assert text in after, text
    for text in expect_not_in:
        assert text not in after, text
    return after


def row_of(page: str, question) -> str:
    return page.split(f'id="question-row-{question.pk}"')[1].split("</li>")[0]


@pytest.mark.parametrize("url", ["/", f"/tags/{TAG_NAME}/", "/search/?q=brand"])
def test_new_question(lists, url):
    asker = member()
    data = {"title": "A brand new question for the kept lists", "body": "x" * 40}

    def write():
        response = asker.post("/questions/ask/", {**data, "tags": TAG_NAME})
        assert response.status_code == 302

    assert_reader_sees(url, write, ["new question for the kept lists"])


def test_new_question_counts_on_the_tags_page(lists):
    asker = member()

    def write():
        data = {"title": "Another brand new question here", "body": "x" * 40, "tags": "newtag"}
        assert asker.post("/questions/ask/", data).status_code == 302

    assert_reader_sees("/tags/", write, ['data-name="newtag"'])


def test_answer(lists):
    question = lists[-1]  # on the first page of the active list
    answerer = member()

    def write():
        body = "An answer to the question, long enough for the form."
        assert answerer.post(f"/questions/{question.pk}/answer/", {"body": body}).status_code == 302

    page = assert_reader_sees("/questions/?sort=newest", write)
    assert "<strong>1</strong> answer<" in row_of(page, question)


def test_accept_leaves_unanswered(lists):
    question = lists[-1]  # the newest
    answer = AnswerFactory(question=question)  # no score: unanswered until accepted
    asker = member(question.author)

    def write():
        assert asker.post(f"/answers/{answer.pk}/accept/").status_code == 302

    row = f'id="question-row-{question.pk}"'
    reader = member()
    assert row in read(reader, "/questions/?sort=unanswered")[0]
    assert_reader_sees("/questions/?sort=unanswered", write, [], [row], reader=reader)


def test_vote(lists):
    question = lists[-1]
    voter = member()

    def write():
        assert voter.post(f"/questions/{question.pk}/vote/", {"value": 1}).status_code == 302

    page = assert_reader_sees("/questions/?sort=newest", write)
    assert "<strong>1</strong> vote<" in row_of(page, question)


def test_edit(lists):
    question = lists[-1]
    author = member(question.author)

    def write():
        data = {
            "title": "The title after its edit, shown in the lists",
            "body": question.body,
            "tags": TAG_NAME,
            "summary": "retitled",
        }
        assert author.post(f"/questions/{question.pk}/edit/", data).status_code == 302

    assert_reader_sees(
        "/questions/?sort=newest", write, ["The title after its edit, shown in the lists"]
    )


def test_retag(lists):
    question = lists[-1]
    author = member(question.author)

    def write():
        data = {"tags": f"{TAG_NAME} retagged"}
        assert author.post(f"/questions/{question.pk}/retag/", data).status_code == 302

    assert_reader_sees("/questions/?sort=newest", write, ['href="/tags/retagged/"'])


def test_close(lists):
    question = lists[-1]
    moderator = member(ModeratorFactory())

    def write():
        data = {"reason": "off-topic", "note": "closed"}
        assert moderator.post(f"/questions/{question.pk}/close/", data).status_code == 302
        assert Question.objects.get(pk=question.pk).closed_at is not None

    reader = member()
    url = "/questions/?sort=newest"
    assert_reader_sees(url, write, reader=reader)
    assert read(reader, url)[1] == 0  # rendered afresh once after the write, then kept


def test_delete(lists):
    question = lists[-1]
    author = member(question.author)

    def write():
        assert author.post(f"/questions/{question.pk}/delete/").status_code == 302

    assert_reader_sees("/questions/?sort=newest", write, [], [f'id="question-row-{question.pk}"'])


def test_tag_description_in_the_admin(lists):
    """A write no service placed in a thread (as the admin makes) moves every block."""

    def write():
        with transaction.atomic():
            Tag.objects.filter(name=TAG_NAME).update(description="Described anew by a moderator.")

    assert_reader_sees("/tags/", write, ["Described anew by a moderator."])


def test_author_renamed(lists):
    question = lists[-1]

    def write():
        with transaction.atomic():
            type(question.author).objects.filter(pk=question.author_id).update(
                username="renamed-author"
            )

    assert_reader_sees("/questions/?sort=newest", write, ['href="/users/renamed-author/"'])


def test_profile_same_with_and_without_and_nothing_of_its_owner(settings, lists):
    """The owner reads first (they see their edit link, outside the kept block); then another
    member reads the kept block and sees no edit link."""
    author = lists[-1].author
    url = author.get_absolute_url()
    owner, other = member(author), member()
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 0
    without = read(other, url)[0]
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 300
    mine = read(owner, url)[0]
    edit = 'button--ghost" href="/settings/profile/"'
    assert edit in mine
    theirs = read(other, url)[0]
    assert edit not in theirs
    assert normal(without) == normal(theirs)
    assert "kept list number 30" in theirs


def test_profile_vote(lists):
    question = lists[-1]
    voter = member()

    def write():
        assert voter.post(f"/questions/{question.pk}/vote/", {"value": 1}).status_code == 302

    reader = member()
    url = question.author.get_absolute_url()
    before = read(reader, url)[0]
    assert '<span class="score-pill">0</span>' in before
    with TestCase.captureOnCommitCallbacks(execute=True):
        write()
    assert '<span class="score-pill">1</span>' in read(reader, url)[0]


def test_profile_chart_and_milestones_kept_without_their_queries(lists):
    """The reputation chart and the milestones are the same for every reader: a reader served
    from the kept blocks runs none of their queries (the chart's days, the ledger up to 1,000,
    the firsts), and a vote for the member shows in the chart at once."""
    from django.test.utils import CaptureQueriesContext

    from core.statements import readable

    question = lists[-1]
    url = question.author.get_absolute_url()
    reader = member()

    def ledger_reads():
        """The page, and how many of its queries read the reputation ledger."""
        with CaptureQueriesContext(connection) as queries:
            page = read(reader, url)[0]
        sqls = [readable(q["sql"]) for q in queries.captured_queries]  # EXECUTE: its SQL
        return page, sum("reputationevent" in sql for sql in sqls)

    first, cold = ledger_reads()
    assert "from 1 to 1." in first
    again, warm = ledger_reads()
    # The chart's days with the ledger up to 1,000 (one statement: profiles.selectors
    # .ledger_reads), then the recent rows; kept, only the recent rows.
    assert (cold, warm) == (2, 1)
    assert normal(again) == normal(first)
    voter = member()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert voter.post(f"/questions/{question.pk}/vote/", {"value": 1}).status_code == 302
    assert "from 1 to 11." in read(reader, url)[0]
