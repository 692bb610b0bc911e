"""Production settings (DJANGO_DEBUG unset): fail closed without a SECRET_KEY, `check --deploy`
clean, HSTS, a Content-Security-Policy without inline scripts, Secure cookies; and on every
setting, signed-in pages are `Cache-Control: private`."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import UserFactory

ROOT = Path(settings.BASE_DIR)
SECRET = "a-production-secret-key-that-is-long-and-random-enough-0123456789abcdefghijk"


def run(code_or_args, **env):
    """Run manage.py (a list of arguments) or Python code (a string) in a fresh process with
    the production environment plus `env`: DJANGO_DEBUG unset unless given."""
    test_only = (
        "DJANGO_DEBUG",
        "SECRET_KEY",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    )
    environ = {key: value for key, value in os.environ.items() if key not in test_only}
    environ.update(DJANGO_SETTINGS_MODULE="jokesite.settings", ALLOWED_HOSTS="jokesite.example")
    environ.update(env)
    if isinstance(code_or_args, list):
        command = [sys.executable, "manage.py", *code_or_args]
    else:
        command = [sys.executable, "-c", code_or_args]
    return subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True)


def test_without_debug_or_a_secret_key_the_site_does_not_start():
    """DJANGO_DEBUG unset used to mean debugging with the public development key."""
    result = run(["check"])
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_the_development_key_is_refused_in_production():
    result = run(["check"], SECRET_KEY="django-insecure-dev-only-key-never-use-in-production")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = run(["check", "--deploy", "--fail-level", "WARNING"], SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


HEADERS = """
import json, django
django.setup()
from django.test import Client
client = Client()
page = client.get("/robots.txt", secure=True, headers={"host": "jokesite.example"})
plain = client.get("/robots.txt", headers={"host": "jokesite.example"})
health = client.get("/healthz", headers={"host": "jokesite.example"})
lang = client.post(
    "/i18n/setlang/", {"language": "zh-hans", "next": "/"}, secure=True,
    headers={"host": "jokesite.example"},
)
cookie = lang.cookies["django_language"]
print(json.dumps({
    "hsts": page.get("Strict-Transport-Security"),
    "csp": page.get("Content-Security-Policy"),
    "plain": [plain.status_code, plain.get("Location")],
    "healthz": health.status_code,
    "language_cookie_secure": bool(cookie["secure"]),
}))
"""


@pytest.fixture(scope="module")
def production_headers():
    result = run(HEADERS, SECRET_KEY=SECRET)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_hsts(production_headers):
    assert production_headers["hsts"] == "max-age=31536000; includeSubDomains; preload"


def test_csp_allows_no_inline_script(production_headers):
    policy = dict((part.split(" ", 1) + [""])[:2] for part in production_headers["csp"].split("; "))
    assert policy["script-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in production_headers["csp"]


def test_plain_http_is_redirected_but_healthz_is_not(production_headers):
    assert production_headers["plain"] == [301, "https://jokesite.example/robots.txt"]
    assert production_headers["healthz"] in (200, 503)  # answered, not redirected


def test_the_language_cookie_is_secure(production_headers):
    assert production_headers["language_cookie_secure"] is True


@pytest.mark.django_db
def test_signed_in_pages_are_private_and_anonymous_ones_are_not(client):
    assert "private" not in client.get("/").get("Cache-Control", "")
    client.force_login(UserFactory())
    for path in ["/", "/questions/", "/inbox/", "/settings/notifications/"]:
        assert "private" in client.get(path)["Cache-Control"], path


def test_every_page_carries_the_policy(client, db):
    assert "script-src 'self'" in client.get("/")["Content-Security-Policy"]


def test_the_master_warms_what_every_worker_would_build():
    """gunicorn's master (preloaded) compiles every template before it forks, so the workers
    start with the cached loader full, and freezes its objects for the garbage collector. The
    only templates that cannot compile are allauth's social-account ones, which this site does
    not install. Without preloading it does nothing (the master has no Django then)."""
    import gc
    import runpy
    from types import SimpleNamespace

    from django.template import engines

    from jokesite.warmup import template_names, warm

    config = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
    loader = engines["django"].engine.template_loaders[0]
    ours = set(template_names(Path(settings.BASE_DIR) / "templates"))

    def server(preload):
        log = SimpleNamespace(info=lambda *args: None)
        return SimpleNamespace(cfg=SimpleNamespace(preload_app=preload), log=log)

    loader.reset()
    gc.unfreeze()
    config["when_ready"](server(preload=False))
    assert not loader.get_template_cache
    assert gc.get_freeze_count() == 0
    try:
        config["when_ready"](server(preload=True))
        # What it loaded is out of the collector's sight before the workers fork.
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    assert ours <= set(loader.get_template_cache)
    assert "questions/question_detail.html" in ours
    assert all(name.startswith("socialaccount/") for name in warm()["failed"])
