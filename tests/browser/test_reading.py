"""Reading a long thread in a real browser: the jump list and the Share panel, with
JavaScript on and off; answer sorting keeps the accepted answer first."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AnswerFactory, QuestionFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser


def long_thread():
    question = QuestionFactory(title="Why does a bank transfer take three days?")
    answers = [
        AnswerFactory(question=question, body=f"Answer number {n}: batches, twice a day. " * 6)
        for n in range(5)
    ]
    return question, answers


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_jump_list_and_share_panel(live_server, browser, javascript, output_path):
    question, answers = long_thread()
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    if javascript:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + question.get_absolute_url())
    expect(page.locator("#answers-heading")).to_have_text("5 answers")
    page.get_by_text("Jump to an answer").click()
    last = answers[-1]
    page.locator(f'.jump-list a[href="#answer-{last.pk}"]').click()
    expect(page).to_have_url(re.compile(f"#answer-{last.pk}$"))
    expect(page.locator(f"#answer-{last.pk}")).to_be_in_viewport()

    share = page.locator(f"#answer-{last.pk} .share")
    share.locator("summary").click()
    field = share.get_by_label("Link to this answer")
    expect(field).to_have_value(live_server.url + last.get_absolute_url())
    copy = share.get_by_role("button", name="Copy link")
    if javascript:
        copy.click()
        expect(share.locator(".share__status")).to_have_text("Link copied.")
        assert page.evaluate("navigator.clipboard.readText()") == field.input_value()
        assert_accessible(page)
    else:
        expect(copy).to_be_hidden()  # nothing to press that would not work
    page.screenshot(path=f"{output_path}/share-390x844.png")
    context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_answer_sorting_keeps_the_accepted_answer_first(live_server, browser, javascript):
    page = browser.new_context(java_script_enabled=javascript).new_page()
    question = QuestionFactory()
    accepted = AnswerFactory(question=question, score=1, is_accepted=True)
    high = AnswerFactory(question=question, score=9)
    newest = AnswerFactory(question=question, score=0)
    base = live_server.url + question.get_absolute_url()
    order = "els => els.map(el => el.id)"
    page.goto(base)
    ids = page.locator("article.post--answer").evaluate_all(order)
    assert ids == [f"answer-{a.pk}" for a in (accepted, high, newest)]
    page.get_by_role("link", name="Newest").click()
    expect(page).to_have_url(re.compile(r"\?answers=newest"))
    ids = page.locator("article.post--answer").evaluate_all(order)
    assert ids == [f"answer-{a.pk}" for a in (accepted, newest, high)]
    expect(page.get_by_role("link", name="Newest")).to_have_attribute("aria-current", "page")
    page.context.close()
