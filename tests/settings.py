"""What the tests run with: the site's one settings file, in development mode as under
`make run` (DJANGO_DEBUG=1, so the development SECRET_KEY), unless the environment says
otherwise. tests/test_production.py checks the production settings in a subprocess."""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from jokesite.settings import *  # noqa: E402, F403
