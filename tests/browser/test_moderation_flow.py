"""The moderator flow in a real browser: members flag a spam question (the third flag hides
it), a moderator decides in the admin's flag queue (delete and suspend, confirmed with a
reason and a length), and the author, suspended, reads the reason on every page and the
moderator's action in the inbox."""

import re

import pytest
from playwright.sync_api import Page, expect

from flags import services as flag_services
from flags.models import FlagReason
from moderation.models import ModerationAction
from questions import services
from tests.factories import ModeratorFactory, UserFactory

from .axe import assert_accessible
from .test_member_flow import log_in, log_out

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery-staple"
BODY = "Buy cheap watches at example dot com, the best prices anywhere on the internet."


def test_flag_then_delete_and_suspend_from_the_queue(live_server, page: Page, screenshot, settings):
    settings.JOKESITE_LAUNCH_MODE = True  # members may flag at once
    base = live_server.url
    spammer = UserFactory(username="watches", password=PASSWORD)
    question = services.ask_question(
        author=spammer, title="Cheap watches for sale, today only", body=BODY, tags=["watches"]
    )
    for _ in range(2):  # two members flagged it already
        flag_services.flag_post(flagger=UserFactory(), post=question, reason=FlagReason.SPAM)
    UserFactory(username="carol", password=PASSWORD)
    ModeratorFactory(username="mona", password=PASSWORD)
    thread = f"{base}{question.get_absolute_url()}"

    log_in(page, base, "carol")
    page.goto(thread)
    page.locator(f"#question-{question.pk}").get_by_role("link", name="Flag").click()
    assert_accessible(page)
    page.get_by_label("Spam").check()
    page.get_by_role("button", name="Flag").click()
    expect(page.locator(".messages")).to_contain_text("Moderators will look at this post")
    question.refresh_from_db()
    assert question.is_hidden  # the third member's spam flag
    log_out(page)
    assert page.goto(thread).status == 404

    log_in(page, base, "mona")
    page.goto(f"{base}/admin/flags/flag/?status__exact=open")
    row = page.locator("#result_list tbody tr").first
    expect(row).to_contain_text("Cheap watches for sale, today only")
    expect(row).to_contain_text("Spam ×3")
    expect(row).to_contain_text("2 more flags")  # three flags, one row: one decision
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    screenshot("flag-queue", 1280, 800)
    row.get_by_role("link", name=re.compile("Delete \\+ suspend")).click()
    # Nothing happens before the confirmation, which asks the reason and the length.
    expect(page.locator(".confirm-warning")).to_contain_text("suspended")
    page.get_by_label("Reason the member reads").fill("Spam for watches, three times")
    page.get_by_label("Length").select_option("30")
    screenshot("flag-confirm", 1280, 800)
    page.get_by_role("button", name="Yes, I am sure").click()
    expect(page.locator(".messagelist")).to_contain_text(
        "1 post deleted. 1 author suspended. 3 flags resolved."
    )
    expect(page.locator("#result_list")).to_have_count(0)  # the open queue is empty
    page.goto(f"{base}/admin/moderation/moderationaction/")
    expect(page.locator("#result_list")).to_contain_text("Suspended")
    screenshot("moderation-log", 1280, 800)
    log_out_admin = page.locator("#logout-form button")
    log_out_admin.click()

    log_in(page, base, "watches")
    expect(page.locator(".banner--suspended")).to_contain_text("Your account is suspended")
    expect(page.locator(".banner--suspended")).to_contain_text("Spam for watches, three times")
    page.goto(thread)
    expect(page.locator(f"#question-{question.pk}")).to_contain_text("This post is deleted")
    assert_accessible(page)
    screenshot("suspended-author", 390, 844)
    page.locator(".site-header").get_by_role("link", name=re.compile("Inbox")).click()
    inbox = page.locator(".inbox__list")
    expect(inbox).to_contain_text("A moderator acted on your question: deleted")
    expect(inbox).to_contain_text("Your question is hidden until a moderator reviews its flags")
    screenshot("suspended-author-inbox", 390, 844)
    actions = set(ModerationAction.objects.values_list("action", flat=True))
    assert actions == {"hide", "delete", "suspend"}
