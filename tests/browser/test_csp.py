"""In a real browser, the Content-Security-Policy (no inline script or style) breaks nothing:
no page a visitor, a member or a moderator opens reports a violation."""

import pytest
from playwright.sync_api import Page

from tests.factories import AnswerFactory, ModeratorFactory, QuestionFactory, UserFactory

from .test_member_flow import PASSWORD, log_in, log_out

pytestmark = pytest.mark.browser


def watch_violations(page: Page) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_no_page_reports_a_policy_violation(live_server, page: Page):
    answer = AnswerFactory(body="An answer with an ![image](https://example.com/cat.png).")
    question = answer.question
    QuestionFactory(tags=list(question.tags.all()))
    UserFactory(username="ann", password=PASSWORD)
    ModeratorFactory(username="mod", password=PASSWORD)
    violations = watch_violations(page)
    base = live_server.url
    pages = ["/", "/questions/", "/tags/", question.get_absolute_url(), "/search/?q=question"]
    for path in pages:
        page.goto(base + path)
    log_in(page, base, "ann")
    for path in [*pages, "/questions/ask/", "/inbox/", "/settings/notifications/"]:
        page.goto(base + path)
    log_out(page)
    log_in(page, base, "mod")
    for path in [
        "/admin/",
        "/admin/questions/question/",
        f"/admin/questions/question/{question.pk}/change/",
    ]:
        page.goto(base + path)
    assert violations == []
