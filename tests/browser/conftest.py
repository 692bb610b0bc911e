import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio loop running in the test thread, so Django's ORM (test
# data, DB setup, flush) would raise SynchronousOnlyOperation. The code under test is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's package; `playwright install` is never run.
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium"}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800}, "locale": "en-US"}


@pytest.fixture
def screenshot(page, output_path):
    """screenshot("home", 390, 844) -> test-results/<test>/home-390x844.png (full page)."""

    def take(name, width, height):
        page.set_viewport_size({"width": width, "height": height})
        path = Path(output_path) / f"{name}-{width}x{height}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return take
