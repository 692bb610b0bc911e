"""Two members use the site through a real browser: sign up, ask, answer, vote, accept.

The first test runs with JavaScript off, so every action is a plain form POST (the site works
without votes.js); the second runs with it on and also checks the pages with axe-core.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import QuestionFactory, UserFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"
TITLE = "Why does the bank take three days to move my money?"
BODY = "I send money on Monday and it arrives on Thursday. Where is it in between? 为什么这么慢?"
ANSWER = "It waits in batches: banks settle with each other a few times a day, not per payment."


def sign_up(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/signup/")
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign up").click()
    expect(page.locator(".site-header .me")).to_contain_text(username)


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.locator(".site-header .me")).to_contain_text(username)


def log_out(page: Page) -> None:
    page.locator(".account-menu summary").click()  # the account menu, a <details>
    page.locator(".site-header").get_by_role("button", name="Log out").click()
    expect(page.locator(".site-header").get_by_role("link", name="Log in")).to_be_visible()


def score_of(page: Page, post_id: str):
    return page.locator(f"#{post_id} .votes [data-score]").first


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_member_flow_without_javascript(live_server, page: Page, screenshot, settings):
    """Ask, answer, vote both ways and accept with plain form posts; scores and the accepted
    answer show in the DOM after each redirect. (No axe here: it needs page JavaScript.)"""
    settings.JOKESITE_LAUNCH_MODE = True  # new accounts may vote; live_server shares settings
    base = live_server.url

    sign_up(page, base, "ann")
    page.goto(f"{base}/questions/ask/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Body").fill(BODY)
    page.get_by_label("Tags").fill("banks payments")
    screenshot("ask", 390, 844)
    screenshot("ask", 1280, 800)
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    thread_url = page.url.split("#")[0]
    assert re.search(r"/questions/\d+/[^/]+/$", thread_url), thread_url
    question_id = page.locator(".post--question").get_attribute("id")
    assert re.fullmatch(r"question-\d+", question_id)
    log_out(page)

    sign_up(page, base, "bob")
    page.goto(thread_url)
    page.locator(".your-answer").get_by_label("Your answer").fill(ANSWER)
    page.get_by_role("button", name="Post your answer").click()
    answer_id = page.url.split("#")[1]
    assert re.fullmatch(r"answer-\d+", answer_id), page.url
    expect(page.locator(f"#{answer_id} .post__body")).to_contain_text("settle with each other")
    expect(page.locator(f"#{answer_id} .vote--up")).to_be_disabled()  # bob's own answer
    page.locator(f"#{question_id} .vote--up").click()
    expect(score_of(page, question_id)).to_have_attribute("data-score", "1")
    expect(page.locator(f"#{question_id} .vote--up")).to_have_attribute("aria-pressed", "true")
    log_out(page)

    log_in(page, base, "ann")
    page.goto(thread_url)
    expect(page.locator(f"#{question_id} .vote--up")).to_be_disabled()  # ann's own question
    expect(score_of(page, question_id)).to_have_attribute("data-score", "1")
    page.locator(f"#{answer_id} .vote--up").click()
    expect(score_of(page, answer_id)).to_have_attribute("data-score", "1")
    page.locator(f"#{answer_id}").get_by_role("button", name="Accept this answer").click()
    answer = page.locator(f"#{answer_id}")
    expect(answer).to_have_class(re.compile(r"\baccepted\b"))
    expect(answer.get_by_role("button", name="Unaccept")).to_be_visible()
    expect(page.locator(".accepted")).to_have_count(1)
    screenshot("thread", 390, 844)
    screenshot("thread", 1280, 800)

    page.goto(f"{base}/")
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    screenshot("home", 390, 844)
    screenshot("home", 1280, 800)


def test_vote_updates_score_in_place_and_pages_are_accessible(live_server, page: Page, settings):
    """votes.js sends the vote as JSON and rewrites [data-score] without leaving the page; the
    home, signup, thread and ask pages have no serious or critical axe violations."""
    settings.JOKESITE_LAUNCH_MODE = True
    base = live_server.url
    question = QuestionFactory(title=TITLE, body=BODY, author=UserFactory(username="ann"))
    UserFactory(username="bob", password=PASSWORD)

    page.goto(f"{base}/")
    assert_accessible(page)
    page.goto(f"{base}/accounts/signup/")
    assert_accessible(page)
    page.goto(f"{base}{question.get_absolute_url()}")
    assert_accessible(page)

    log_in(page, base, "bob")
    page.goto(f"{base}{question.get_absolute_url()}")
    page.evaluate("window.__sameDocument = true")  # gone if the vote reloaded the page
    score = score_of(page, f"question-{question.pk}")
    expect(score).to_have_attribute("data-score", "0")
    up = page.locator(f"#question-{question.pk} .vote--up")
    up.click()
    expect(score).to_have_attribute("data-score", "1")
    expect(score).to_have_text("1")
    expect(up).to_have_attribute("aria-pressed", "true")
    up.click()  # pressed again: retracts
    expect(score).to_have_attribute("data-score", "0")
    expect(up).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("window.__sameDocument === true")
    question.refresh_from_db()
    assert question.score == 0
    assert_accessible(page)

    page.goto(f"{base}/questions/ask/")
    assert_accessible(page)
