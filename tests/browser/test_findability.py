"""In a real browser: similar questions appear as the title is typed, the tag list filters as
the name is typed, and the thread page's sidebar sits beside the thread on a wide screen."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import QuestionFactory, TagFactory, UserFactory

from .axe import assert_accessible
from .test_member_flow import PASSWORD, log_in

pytestmark = pytest.mark.browser


def test_similar_questions_appear_as_the_title_is_typed(live_server, page: Page, screenshot):
    existing = QuestionFactory(title="How do I refund an Alipay payment to my bank?")
    QuestionFactory(title="支付宝的钱怎么转到银行卡里面")
    UserFactory(username="ann", password=PASSWORD)
    base = live_server.url
    log_in(page, base, "ann")
    page.goto(f"{base}/questions/ask/")
    results = page.locator("#similar-results")

    page.get_by_label("Title").press_sequentially("refund alipay", delay=20)
    expect(results.get_by_role("link", name=existing.title)).to_be_visible()
    page.get_by_label("Title").fill("")
    page.get_by_label("Title").press_sequentially("支付宝转账到银行卡", delay=20)
    expect(results.get_by_role("link", name="支付宝的钱怎么转到银行卡里面")).to_be_visible()
    expect(results.get_by_role("link", name=existing.title)).to_have_count(0)
    screenshot("ask-similar", 1280, 800)
    assert_accessible(page)


def test_tag_list_filters_as_the_name_is_typed(live_server, page: Page):
    for name in ("banks", "bread", "puns"):
        QuestionFactory(tags=[TagFactory(name=name)])
    page.goto(f"{live_server.url}/tags/")
    page.get_by_label("Filter by tag name").press_sequentially("br")
    expect(page.locator(".tag-grid > li:visible")).to_have_count(1)
    expect(page.locator(".tag-grid").get_by_role("link", name="bread")).to_be_visible()
    page.get_by_label("Filter by tag name").fill("zzz")
    expect(page.locator("[data-live-filter-empty]")).to_be_visible()


def test_related_questions_sidebar(live_server, page: Page, screenshot):
    tag = TagFactory(name="banks")
    question = QuestionFactory(title="Which bank is best for students?", tags=[tag])
    QuestionFactory(title="Best bank for students abroad", tags=[tag])
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    sidebar = page.get_by_role("complementary", name="Related questions")
    expect(sidebar.get_by_role("link", name="Best bank for students abroad")).to_be_visible()
    main_box, side_box = page.locator("main").bounding_box(), sidebar.bounding_box()
    assert side_box["x"] > main_box["x"] + main_box["width"] - 1  # beside, not below
    screenshot("thread-related", 1280, 800)
    assert_accessible(page)
