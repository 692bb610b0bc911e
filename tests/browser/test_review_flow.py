"""The suggested-edit flow end to end in a real browser without JavaScript (contract v1.3): in
launch mode a new member submits the edit form of someone else's question and makes a
suggestion (the post unchanged); the author, in the review queue, sees the diff and approves
it; the post changes, the suggester is notified and gains 2 reputation. Screenshots of the
review queue at 390 and 1280 px."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from questions import services
from tests.factories import UserFactory

from .axe import assert_accessible
from .test_member_flow import log_in, log_out

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"
BODY = "Why do programmers prefer dark mode? Because light attracts bugs, or so they say."
BETTER = "Why do programmers prefer dark mode? Because light attracts bugs, as the joke goes."


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_suggest_then_approve_from_the_review_queue(live_server, page: Page, screenshot, settings):
    settings.JOKESITE_LAUNCH_MODE = True
    base = live_server.url
    alice = UserFactory(username="alice", password=PASSWORD, seasoned=True)
    sam = UserFactory(username="sam", password=PASSWORD)
    question = services.ask_question(
        author=alice, title="Why do programmers prefer dark mode?", body=BODY, tags=["humor"]
    )
    newcomer = UserFactory(username="newbie")
    services.ask_question(
        author=newcomer,
        title="My first question: is this joke any good?",
        body="A horse walks into a bar. The barman asks: why the long face? Is that funny?",
        tags=["humor"],
    )
    thread = f"{base}{question.get_absolute_url()}"

    log_in(page, base, "sam")
    page.goto(thread)
    post = page.locator(f"#question-{question.pk}")
    post.get_by_role("link", name="Suggest an edit").click()
    expect(page.locator(".suggest-note")).to_contain_text("You are suggesting an edit")
    page.get_by_label("Body").fill(BETTER)
    page.get_by_role("button", name="Suggest this edit").click()
    expect(page.locator(".messages")).to_contain_text("your edit is suggested")
    expect(page.locator(f"#question-{question.pk} .post__body")).to_contain_text("or so they say")
    log_out(page)

    # The header's count is cached for a minute (moderation.review.waiting); sam's pages
    # counted before his suggestion existed.
    cache.clear()
    log_in(page, base, "alice")
    review_link = page.locator(".site-header").get_by_role("link", name="Review")
    expect(review_link).to_contain_text("2")  # the suggestion and newbie's first post
    review_link.click()
    expect(page.locator("#queue-first-posts")).to_contain_text("My first question")
    expect(page.locator("#queue-suggested-edits")).to_contain_text("edit suggested by sam")
    expect(page.locator("#queue-suggested-edits ins")).to_contain_text("as the joke goes")
    screenshot("review-queues", 1280, 800)
    screenshot("review-queues", 390, 844)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.locator("#queue-suggested-edits").get_by_role("button", name="Approve").click()
    expect(page.locator(".messages")).to_contain_text("Your review is saved: Approve")
    expect(page.locator("#queue-suggested-edits")).to_contain_text("Nothing waits for you here.")
    page.goto(f"{base}/review/")
    page.locator("#queue-first-posts").get_by_role("button", name="Looks OK").click()
    expect(page.locator("#queue-first-posts")).to_contain_text("Nothing waits for you here.")
    page.goto(thread)
    expect(page.locator(f"#question-{question.pk} .post__body")).to_contain_text("as the joke goes")
    page.goto(f"{base}/review/history/")
    expect(page.locator(".review-history")).to_contain_text("Approve")
    expect(page.locator(".review-history")).to_contain_text("Looks OK")
    log_out(page)

    log_in(page, base, "sam")
    expect(page.locator(".site-header .me .rep")).to_contain_text("3")
    page.locator(".site-header").get_by_role("link", name="Inbox").click()
    expect(page.locator(".inbox__list")).to_contain_text("alice approved your suggested edit")
    sam.refresh_from_db()
    assert sam.reputation == 3


def test_the_review_queues_pass_axe(live_server, page: Page, settings):
    """axe runs as a script, so this one has JavaScript (the page needs none)."""
    settings.JOKESITE_LAUNCH_MODE = True
    UserFactory(username="alice", password=PASSWORD, seasoned=True)
    question = services.ask_question(
        author=UserFactory(),
        title="My first question: is this joke any good?",
        body=BODY,
        tags=["humor"],
    )
    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/review/")
    expect(page.locator(f"#review-first-posts-question-{question.pk}")).to_be_visible()
    assert_accessible(page)


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_improve_a_suggestion_without_javascript(live_server, page: Page, screenshot, settings):
    """A member suggests an edit; the author edits the post meanwhile, so the queue offers no
    Approve; a reviewer with the edit privilege improves it from the queue (the form holds the
    suggested text) and saves: the suggester is credited, the post shows the reviewer's text."""
    settings.JOKESITE_LAUNCH_MODE = True
    base = live_server.url
    alice = UserFactory(username="alice", password=PASSWORD, seasoned=True)
    UserFactory(username="sam", password=PASSWORD)
    UserFactory(username="rita", password=PASSWORD, seasoned=True, reputation=2000)
    question = services.ask_question(
        author=alice, title="Why do programmers prefer dark mode?", body=BODY, tags=["humor"]
    )
    thread = f"{base}{question.get_absolute_url()}"

    log_in(page, base, "sam")
    page.goto(thread)
    page.locator(f"#question-{question.pk}").get_by_role("link", name="Suggest an edit").click()
    page.get_by_label("Body").fill(BETTER)
    page.get_by_role("button", name="Suggest this edit").click()
    expect(page.locator(".messages")).to_contain_text("your edit is suggested")
    log_out(page)

    log_in(page, base, "alice")  # the author edits her post after the suggestion
    page.goto(f"{base}/questions/{question.pk}/edit/")
    page.get_by_label("Body").fill(BODY + " Edited by the author.")
    page.get_by_role("button", name="Save edits").click()
    expect(page.locator(".messages")).to_contain_text("Your edit is saved")
    log_out(page)

    log_in(page, base, "rita")
    page.goto(f"{base}/review/?queue=suggested-edits")
    queue = page.locator("#queue-suggested-edits")
    expect(queue.locator("[data-outdated]")).to_contain_text("approving it would overwrite")
    expect(queue.get_by_role("button", name="Approve")).to_have_count(0)
    queue.get_by_role("link", name="Improve").click()
    expect(page.locator(".improve-note")).to_contain_text("You are improving the edit suggested")
    expect(page.get_by_label("Body")).to_have_value(BETTER)
    screenshot("improve-form", 1280, 800)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_label("Body").fill(BETTER + " Edited by the author.")
    page.get_by_role("button", name="Save and approve").click()
    expect(page.locator(".messages")).to_contain_text("Your review is saved: Improve")
    page.goto(thread)
    body = page.locator(f"#question-{question.pk} .post__body")
    expect(body).to_contain_text("as the joke goes")
    expect(body).to_contain_text("Edited by the author.")
    page.goto(f"{base}/questions/{question.pk}/revisions/")
    expect(page.locator("main")).to_contain_text("Improved the edit suggested by sam")
    log_out(page)

    log_in(page, base, "sam")
    expect(page.locator(".site-header .me .rep")).to_contain_text("3")
