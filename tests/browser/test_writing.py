"""Writing a post in a real browser: the Preview button without JavaScript; with it, the live
preview from the server's renderer, the Markdown toolbar, drafts kept until the post is sent,
and the warning before leaving unsent text."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import User
from answers.models import Answer
from questions.models import Question
from revisions.services import add_revision, edit_post
from tests.factories import AnswerFactory, QuestionFactory, UserFactory

from .axe import assert_accessible
from .test_looks import sign_in

pytestmark = pytest.mark.browser

BODY = "A **bold** claim, with `code` and <script>alert(1)</script>, long enough to post."


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_preview_without_javascript_shows_the_post_and_saves_nothing(live_server, page: Page):
    base = live_server.url
    sign_in(page, base, UserFactory())
    page.goto(base + "/questions/ask/")
    expect(page.locator(".md-toolbar")).to_be_hidden()
    page.get_by_label("Title").fill("Why does my pun fall flat at parties?")
    page.get_by_label("Body").fill(BODY)
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#preview")
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview.locator("script")).to_have_count(0)
    expect(page.get_by_label("Body")).to_have_value(BODY)
    assert not Question.objects.exists()


def test_live_preview_toolbar_and_draft(live_server, page: Page, screenshot):
    base = live_server.url
    question = QuestionFactory()
    sign_in(page, base, UserFactory())
    page.goto(base + question.get_absolute_url())
    body = page.locator("#your-answer-heading ~ form textarea[name=body]")
    live = page.locator("[data-live-preview]")
    expect(live).to_be_hidden()
    body.click()
    page.keyboard.type("Banks settle in batches ")
    page.get_by_role("button", name="Bold").click()  # wraps a placeholder, selected
    page.keyboard.type("twice")
    expect(body).to_have_value("Banks settle in batches **twice**")
    expect(live.locator("strong")).to_have_text("twice")  # rendered by the server
    page.keyboard.press("End")
    page.keyboard.type(" a day. <img src=x onerror=alert(1)>")
    expect(live).to_contain_text("a day.")
    expect(live.locator("img")).to_have_count(0)  # sanitised like a saved post
    assert_accessible(page)
    screenshot("answer-live-preview", 390, 844)

    # The draft outlives a reload, with a note that says so; nothing was posted.
    page.reload()
    typed = "Banks settle in batches **twice** a day. <img src=x onerror=alert(1)>"
    expect(body).to_have_value(typed)
    expect(page.locator("[data-draft-note]")).to_be_visible()
    expect(live.locator("strong")).to_have_text("twice")
    assert not Answer.objects.exists()

    # Posting it clears the draft: the next visit starts empty.
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(".post--answer")).to_have_count(1)
    page.goto(base + question.get_absolute_url())
    expect(body).to_have_value("")
    expect(page.locator("[data-draft-note]")).to_be_hidden()


def test_a_refused_post_keeps_its_draft(live_server, page: Page):
    """Too short: the form comes back as typed. Refused outright (a 403 page, not the form):
    the text is still there on the next visit. Only a confirmed post clears its draft."""
    base = live_server.url
    question = QuestionFactory()
    member = UserFactory()
    sign_in(page, base, member)
    page.goto(base + question.get_absolute_url())
    page.get_by_label("Your answer").fill("Too short.")
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator(".field--error")).to_be_visible()

    text = "Banks settle in batches, a few times a day, not one by one."
    page.get_by_label("Your answer").fill(text)
    now = timezone.now()
    User.objects.filter(pk=member.pk).update(
        suspended_at=now, suspended_until=now + timedelta(days=1), suspension_reason="Cool off"
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.locator("h1")).not_to_have_text("Your answer")  # the 403 page
    User.objects.filter(pk=member.pk).update(suspended_at=None, suspended_until=None)
    page.goto(base + question.get_absolute_url())
    expect(page.get_by_label("Your answer")).to_have_value(text)
    expect(page.locator("[data-draft-note]")).to_be_visible()
    assert not Answer.objects.exists()


def test_leaving_with_unsent_text_asks_first(live_server, page: Page):
    base = live_server.url
    sign_in(page, base, UserFactory())
    page.goto(base + "/questions/ask/")
    page.get_by_label("Body").click()
    page.keyboard.type("Half a thought")
    dialogs = []

    def answer(dialog):
        dialogs.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]


def test_no_warning_after_sending_the_form(live_server, page: Page):
    base = live_server.url
    sign_in(page, base, UserFactory())
    page.goto(base + "/questions/ask/")
    page.get_by_label("Body").click()
    page.keyboard.type("Half a thought")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.get_by_role("button", name="Preview").click()  # the form comes back as typed
    expect(page.locator("#preview")).to_contain_text("Half a thought")
    assert dialogs == []


def test_revision_diff_is_inline_on_phones_and_side_by_side_on_desktops(
    live_server, page: Page, screenshot
):
    rest = "\n\nA few times a day, never at weekends.\n\n"
    question = QuestionFactory(body=f"Banks settle in batches.{rest}支付宝转账为什么收费")
    add_revision(post=question, editor=question.author)
    edit_post(
        editor=question.author,
        post=question,
        body=f"Banks settle in big batches.{rest}支付宝转账为何收费",
        title=question.title,
        tags=question.tag_names(),
        category=question.category,
    )
    page.goto(live_server.url + question.get_revisions_url())
    change = page.locator("#revision-2 .wdiff__row--change").first
    page.set_viewport_size({"width": 390, "height": 844})
    expect(change.locator(".wdiff__inline")).to_be_visible()
    expect(change.locator(".wdiff__old")).to_be_hidden()
    expect(change.locator(".wdiff__inline ins")).to_have_text("big ")
    # Screen readers hear where each change starts (the label is visually hidden).
    expect(change.locator(".wdiff__inline")).to_have_text("Banks settle in added: big batches.")
    # 什么 struck then 何 added: two chips with a visible gap, never one run "什么何".
    cjk = page.locator("#revision-2 .wdiff__row--change .wdiff__inline").last
    removed = cjk.locator("del").bounding_box()
    added = cjk.locator("ins").bounding_box()
    assert added["x"] - (removed["x"] + removed["width"]) >= 3, (removed, added)
    screenshot("revisions", 390, 844)
    page.emulate_media(color_scheme="dark")
    screenshot("revisions-dark", 390, 844)
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(change.locator(".wdiff__inline")).to_be_hidden()
    expect(change.locator(".wdiff__old")).to_have_text("Banks settle in batches.")
    expect(change.locator(".wdiff__new")).to_have_text("Banks settle in added: big batches.")
    expect(page.locator("#revision-2 .wdiff del").last).to_have_text("什么")
    assert_accessible(page)
    screenshot("revisions", 1280, 800)
    page.emulate_media(color_scheme="dark")
    assert_accessible(page)
    screenshot("revisions-dark", 1280, 800)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_confirmation_is_in_view_after_answering_on_a_phone(
    live_server, browser, javascript, output_path
):
    """On a long thread at 390 px the new answer is where the page lands, highlighted, with
    its confirmation inside it."""
    question = QuestionFactory()
    AnswerFactory.create_batch(12, question=question, body=BODY * 4)
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    sign_in(page, live_server.url, UserFactory(reputation=100))
    page.goto(live_server.url + question.get_absolute_url())
    page.get_by_label("Your answer").fill(
        "Banks settle in batches, a few times a day, not one by one."
    )
    page.get_by_role("button", name="Post your answer").click()
    answer = Answer.objects.latest("pk")
    expect(page).to_have_url(re.compile(f"#answer-{answer.pk}$"))
    note = page.locator(f"#answer-{answer.pk} .messages--placed")
    expect(note).to_have_text("Your answer is posted.")
    expect(note).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 2000  # the page did move: the thread is long
    shadow = page.locator(f"#answer-{answer.pk}").evaluate("el => getComputedStyle(el).boxShadow")
    assert shadow != "none"  # :target highlights the new answer
    expect(page.locator("main .messages:not(.messages--placed)")).to_have_count(0)
    page.screenshot(path=f"{output_path}/answered-390x844.png")  # the viewport, as seen
    context.close()
