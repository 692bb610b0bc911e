"""How the site looks and feels in a real browser: dark colours from the device or the
member's choice (a toggle that works without JavaScript and follows the member), profile
editing, the phone layout (44 px targets, a compact header, sort tabs on one row), and
screenshots of the main pages at 390 and 1280 px, light and dark, English and Chinese, each
checked with axe."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Page, expect

from accounts.models import Theme
from comments.services import add_comment
from notifications.services import follow
from tests.factories import AnswerFactory, CategoryFactory, QuestionFactory, TagFactory, UserFactory

from .axe import assert_accessible

pytestmark = pytest.mark.browser

DARK_BACKGROUND = "rgb(23, 24, 26)"  # --bg in the dark palette (static/css/site.css)
LIGHT_BACKGROUND = "rgb(251, 248, 243)"


def sign_in(page: Page, base: str, user) -> None:
    """Sign `user` in without the login form: a session made by Django's test client, handed
    to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}]
    )


def background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def thread():
    """A thread with a bit of everything: Markdown, an accepted answer, a comment."""
    category = CategoryFactory(name="Mood Talk", slug="mood-talk")
    asker = UserFactory(username="curious_lin", display_name="Lin", reputation=230)
    question = QuestionFactory(
        author=asker,
        title="Why does a bank transfer take three days?",
        body="I send money on **Monday** and it arrives on Thursday. Where is it in between?\n\n"
        '```python\ndays = settle("Mon", "Thu")  # batches\n```',
        category=category,
        tags=[TagFactory(name="banks"), TagFactory(name="payments")],
    )
    answer = AnswerFactory(
        question=question,
        author=UserFactory(username="ledger_lucy", reputation=1870, avatar_style="pattern"),
        body="Banks settle with each other in **batches**, a few times a day, not one by one.",
        score=12,
        is_accepted=True,
    )
    AnswerFactory(question=question, body="Weekends and holidays push the batch further.")
    add_comment(author=asker, post=answer, body="That explains the weekend delay, thank you!")
    return question


@pytest.mark.browser_context_args(color_scheme="dark")
def test_pages_are_dark_when_the_device_is(live_server, page: Page):
    question = thread()
    page.goto(live_server.url + question.get_absolute_url())
    assert background(page) == DARK_BACKGROUND
    text = page.evaluate("getComputedStyle(document.body).color")
    assert text == "rgb(236, 235, 232)"
    assert_accessible(page)


@pytest.mark.browser_context_args(java_script_enabled=False, color_scheme="light")
def test_the_toggle_switches_colours_without_javascript_and_remembers(live_server, page: Page):
    base = live_server.url
    page.goto(base + "/questions/")
    assert background(page) == LIGHT_BACKGROUND
    page.get_by_role("button", name="Use dark colours").click()
    expect(page).to_have_url(base + "/questions/")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert background(page) == DARK_BACKGROUND
    page.goto(base + "/tags/")  # the cookie keeps the choice
    assert background(page) == DARK_BACKGROUND
    page.get_by_role("button", name="Use light colours").click()
    assert background(page) == LIGHT_BACKGROUND


@pytest.mark.browser_context_args(color_scheme="dark")
def test_a_members_choice_outranks_the_device_and_follows_them(live_server, page: Page, browser):
    """With JavaScript the toggle offers the opposite of what the device shows; the choice is
    saved on the account, so a second browser of the same member shows it too."""
    member = UserFactory()
    base = live_server.url
    sign_in(page, base, member)
    page.goto(base + "/")
    assert background(page) == DARK_BACKGROUND
    page.get_by_role("button", name="Use light colours").click()
    expect(page.locator("html")).to_have_attribute("data-theme", "light")
    assert background(page) == LIGHT_BACKGROUND
    member.refresh_from_db()
    assert member.theme == Theme.LIGHT

    other = browser.new_context(color_scheme="dark")
    second = other.new_page()
    sign_in(second, base, member)
    second.goto(base + "/")
    assert background(second) == LIGHT_BACKGROUND
    other.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_member_edits_their_profile_from_the_account_menu(live_server, browser, javascript):
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    base = live_server.url
    question = thread()
    member = question.author
    sign_in(page, base, member)
    page.goto(base + "/")
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Edit profile").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit your profile")
    page.get_by_label("Display name").fill("Lin Wei")
    page.get_by_label("About me").fill("Asks about money and apps.")
    page.get_by_label("Pattern").check()
    page.get_by_label("Dark").check()
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(base + member.get_absolute_url())
    expect(page.locator(".messages")).to_contain_text("Your profile is saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lin Wei")
    expect(page.locator(".profile__head svg.avatar")).to_have_attribute("data-avatar", "pattern")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    page.goto(base + question.get_absolute_url())
    signature = page.locator(f"#question-{question.pk} .signature__user")
    expect(signature).to_contain_text("Lin Wei")
    expect(signature.locator("svg.avatar")).to_have_attribute("data-avatar", "pattern")
    context.close()


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_the_profile_head_keeps_clear_of_the_stat_cards(
    live_server, browser, language, compiled_translations
):
    """The avatar, name and "Edit profile" sit above the stat cards with a visible gap, at 390
    and 1280 px, in English and Chinese (the 64 px avatar used to touch or overlap them)."""
    member = thread().author
    context = browser.new_context(locale=language, viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, live_server.url, member)
    page.goto(live_server.url + member.get_absolute_url())
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        stats = page.locator(".profile__stats").bounding_box()
        for part in (".profile__head svg.avatar", ".profile__head h1", ".profile__head .button"):
            box = page.locator(part).bounding_box()
            assert box["y"] + box["height"] + 8 <= stats["y"], (width, part, box, stats)
        cards = [page.locator(".profile__stats > div").nth(i).bounding_box() for i in range(5)]
        assert all(card["x"] + card["width"] <= width for card in cards), (width, cards)
        date = page.locator(".profile__stats time")  # one line, never 2026年12月6 / 日
        size = date.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert date.bounding_box()["height"] < 2 * size, (width, size, date.bounding_box())
    context.close()


def test_phone_layout_has_a_compact_header_and_44px_targets(live_server, page: Page):
    question = thread()
    member = UserFactory(reputation=1)
    base = live_server.url
    sign_in(page, base, member)
    page.set_viewport_size({"width": 390, "height": 844})

    page.goto(base + "/")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= 110, header
    links = page.locator(".site-header .nav a")
    for i in range(links.count()):
        box = links.nth(i).bounding_box()
        assert box["x"] + box["width"] <= 390, "a nav link is cut off"
    tabs = page.locator(".tabs a")
    tops = {round(tabs.nth(i).bounding_box()["y"]) for i in range(tabs.count())}
    assert len(tops) == 1, "a sort tab wrapped onto its own row"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(base + question.get_absolute_url())
    targets = [".vote--up", ".vote--down", ".comment__flag", ".comments__add summary"]
    targets += [".post__actions > a", ".account-menu summary", ".theme-toggle button"]
    for selector in targets:
        items = page.locator(selector)
        if items.count() == 0:
            continue
        box = items.first.bounding_box()
        assert box["height"] >= 44, (selector, box)
    reason = page.locator(f"#vote-reason-question-{question.pk}")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("You need 15 reputation")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.goto(base + "/help/privileges/")
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth"), "the table scrolls sideways"


SIGNED_OUT = ["/", "/questions/", "{thread}", "/search/?q=bank", "/tags/", "/accounts/login/",
              "/accounts/signup/", "/help/privileges/"]  # fmt: skip
SIGNED_IN = ["/", "/questions/", "{thread}", "/questions/ask/", "{profile}", "/search/?q=bank",
             "/tags/", "/inbox/", "/settings/profile/", "/help/privileges/"]  # fmt: skip
PREVIEW_BODY = (
    "Money sent on **Monday** arrives on *Thursday*:\n\n> banks settle in batches\n\n"
    '```python\nfor day in ("Mon", "Tue"):\n    settle(day)  # twice a day\n```'
)
# Written as screenshots (the others are only checked with axe).
SHOWN = {"/": "home", "{thread}": "thread", "/questions/ask/": "ask", "{profile}": "profile",
         "/inbox/": "inbox", "/accounts/login/": "login",
         "/help/privileges/": "privileges"}  # fmt: skip


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_main_pages_pass_axe_and_are_photographed(
    live_server, browser, scheme, language, output_path, compiled_translations
):
    """The main pages, signed out and in, pass axe (no serious or critical violation) in light
    and dark, English and Chinese; home, a thread, the ask form, a profile, the inbox, login
    and privileges are written under test-results/ at 390 and 1280 px, to be looked at."""
    question = thread()
    member = question.author
    follow(user=member, question=question)
    add_comment(
        author=UserFactory(username="plain_pat"), post=question, body="Following, same here!"
    )
    places = {"{thread}": question.get_absolute_url(), "{profile}": member.get_absolute_url()}
    context = browser.new_context(
        color_scheme=scheme, locale=language, viewport={"width": 1280, "height": 800}
    )
    page = context.new_page()
    for signed_in, paths in [(False, SIGNED_OUT), (True, SIGNED_IN)]:
        if signed_in:
            sign_in(page, live_server.url, member)
        for path in paths:
            page.goto(live_server.url + places.get(path, path))
            if scheme == "dark":
                assert background(page) == DARK_BACKGROUND, path
            if path == "/questions/ask/":  # the ask form with its live preview
                page.locator("input[name=title]").fill("Why does a bank transfer take three days?")
                page.locator("textarea[name=body]").fill(PREVIEW_BODY)
                expect(page.locator("[data-live-preview] .hl-k").first).to_be_visible()
            assert_accessible(page)
            if path not in SHOWN or (path == "/help/privileges/" and not signed_in):
                continue
            for width, height in [(390, 844), (1280, 800)]:
                page.set_viewport_size({"width": width, "height": height})
                tag = f"{SHOWN[path]}-{language[:2]}-{scheme}-{width}x{height}"
                page.screenshot(path=f"{output_path}/{tag}.png", full_page=True)
            page.set_viewport_size({"width": 1280, "height": 800})
    context.close()
