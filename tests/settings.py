"""What the tests run with: the site's one settings file, in development mode as under
`make run` (DJANGO_DEBUG=1, so the development SECRET_KEY), unless the environment says
otherwise. tests/test_production.py checks the production settings in a subprocess."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from jokesite.settings import *  # noqa: E402, F403

# Under pytest-xdist (`make test` runs two workers) each worker has its own test database
# (pytest-django appends the worker's name) and, here, its own Redis database: a test's
# cache.clear() empties the whole Redis database, so a shared one would let one worker wipe
# what another's test just cached. Server processes the tests start inherit the same URL.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _url = urlsplit(REDIS_URL)  # noqa: F405
    _db = int(_url.path.strip("/") or 0) + int(_worker[2:])
    REDIS_URL = urlunsplit(_url._replace(path=f"/{_db}"))
    os.environ["REDIS_URL"] = REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405
