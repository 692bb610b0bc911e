"""The Chinese interface in a real browser: chosen from the browser's language, or with the
footer's switcher, which is a plain form that works without JavaScript."""

import pytest
from playwright.sync_api import Page, expect

from comments.services import add_comment
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, TagFactory, UserFactory

from .axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("compiled_translations")]


def chinese_thread():
    category = CategoryFactory(name="心情闲聊", slug="mood-talk")
    asker = UserFactory(username="小王", reputation=230)
    question = QuestionFactory(
        author=asker,
        title="为什么银行转账要三天？",
        body="周一转出的钱，周四才到账。中间这几天钱在哪里？是不是银行在用我的钱赚利息？",
        category=category,
        tags=[TagFactory(name="银行"), TagFactory(name="转账")],
    )
    accepted = AnswerFactory(
        question=question,
        author=UserFactory(username="老李", reputation=1870),
        body="银行之间不是每笔实时结算，而是每天分几批**集中清算**。跨行转账要等清算窗口，"
        "遇到周末和节假日还要顺延。",
        score=12,
        is_accepted=True,
    )
    AnswerFactory(
        question=question,
        author=UserFactory(username="ann", reputation=45),
        body="In short: batches. Payments between banks settle a few times a day, not one by one.",
        score=3,
    )
    add_comment(author=asker, post=accepted, body="原来如此，谢谢！周末的问题我没想到。")
    return question


@pytest.mark.browser_context_args(locale="zh-CN")
def test_thread_page_in_chinese_from_the_browser_language(live_server, page: Page, screenshot):
    question = chinese_thread()
    page.goto(live_server.url + question.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("heading", level=1)).to_have_text("为什么银行转账要三天？")
    expect(page.get_by_role("heading", name="2 个回答")).to_be_visible()
    expect(page.locator(".accepted-badge")).to_have_text("✔ 已采纳")
    expect(page.locator(".site-header nav")).to_contain_text("问题")
    expect(page.get_by_role("link", name="登录").first).to_be_visible()
    expect(page.get_by_text("后即可回答。")).to_be_visible()
    expect(page.locator("#language-select")).to_have_value("zh-hans")
    assert_accessible(page)
    screenshot("thread-zh", 1280, 800)
    screenshot("thread-zh", 390, 844)


@pytest.mark.browser_context_args(java_script_enabled=False, locale="en-US")
def test_the_footer_switcher_without_javascript(live_server, page: Page):
    """An English browser chooses 简体中文 in the footer: the same page comes back in Chinese,
    and the choice holds on the next page."""
    question = chinese_thread()
    page.goto(live_server.url + question.get_absolute_url())
    expect(page.get_by_role("heading", name="Answer this question")).to_be_visible()
    page.get_by_label("Language").select_option("zh-hans")
    page.get_by_role("button", name="Change").click()
    expect(page).to_have_url(live_server.url + question.get_absolute_url())
    expect(page.get_by_role("heading", name="回答这个问题")).to_be_visible()
    page.get_by_role("link", name="标签", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("标签")
    page.get_by_label("语言").select_option("en")
    page.get_by_role("button", name="切换").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tags")
