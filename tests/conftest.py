import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """MD5 hashing for speed, plain static storage (no manifest), no rate limits and no robot
    checks on forms, background tasks run at once, a clean cache per test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.RATELIMIT_ENABLE = False  # tests/questions/test_ratelimits.py turns it on
    settings.JOKESITE_FORM_PROTECTION = False  # tests/test_protection.py turns it on
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def launch_mode(settings):
    """Every privilege short of moderation needs only 1 reputation."""
    settings.JOKESITE_LAUNCH_MODE = True
