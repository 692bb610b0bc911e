import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

import jokesite.cache as failsafe_cache

LOCALE_DIR = Path(settings.BASE_DIR) / "jokesite" / "locale"

# Hypothesis (tests/test_fuzz.py): in CI a fixed, derandomized set of examples, so a run is
# reproducible and fast; `HYPOTHESIS_PROFILE=deep` explores more by hand. Each example runs in
# a savepoint on the test's own world, so the function-scoped fixtures are meant.
_FUZZ = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
hypothesis_settings.register_profile("ci", max_examples=30, **_FUZZ)
hypothesis_settings.register_profile("deep", max_examples=500, **_FUZZ)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings):
    """MD5 hashing for speed, plain static storage (no manifest), no rate limits and no robot
    checks on forms, background tasks run at once, a clean cache per test, no page cache and
    no fragment cache (tests/pagecache and tests/threads/test_fragments.py turn them on: a
    test's writes never commit, so they never move the version)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.RATELIMIT_ENABLE = False  # tests/core/test_ratelimits.py turns it on
    settings.JOKESITE_FORM_PROTECTION = False  # tests/test_protection.py turns it on
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.JOKESITE_PAGE_CACHE_SECONDS = 0
    settings.JOKESITE_FRAGMENT_CACHE_SECONDS = 0  # tests/threads/test_fragments.py turns it on
    # An earlier test that saw the cache down leaves it skipped for a few seconds in this
    # process (jokesite/cache.py): rate limits would fail open in the next test.
    failsafe_cache._down_until = 0.0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def launch_mode(settings):
    """Every privilege short of moderation needs only 1 reputation."""
    settings.JOKESITE_LAUNCH_MODE = True


@pytest.fixture(scope="session")
def compiled_translations():
    """The .mo catalogues, compiled from the .po files when missing or older, as `make messages`
    does, so a test reads the translations as committed. Skips without gettext's msgfmt."""
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        if not shutil.which("msgfmt"):
            pytest.skip("msgfmt (gettext) is not installed: `sudo make gettext-deps`")
        subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)
        # Django caches catalogues once read; this is how override_settings makes it reread them.
        setting_changed.send(
            sender=None, setting="LOCALE_PATHS", value=settings.LOCALE_PATHS, enter=False
        )
    return LOCALE_DIR


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """The hashed static files a production server needs (tests/processes.py), collected
    once per run into a temporary directory (its STATIC_ROOT)."""
    from tests.processes import collect_static

    directory = tmp_path_factory.mktemp("static")
    collect_static(directory)
    return directory
