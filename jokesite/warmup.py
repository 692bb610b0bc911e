"""What each web process would otherwise build on its first requests, built once in gunicorn's
master before it forks (gunicorn.conf.py, `when_ready`): every template compiled (the cached
loader keeps them), each language's translations loaded, the URL resolver filled. The workers
inherit all of it, so neither a new worker nor one recycled after `max_requests` makes a
reader wait while it compiles templates."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def template_names(directory: Path) -> list[str]:
    """The names of the templates under `directory`, as the loaders look them up."""
    return sorted(
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file() and path.suffix in (".html", ".txt", ".xml")
    )


def warm() -> dict:
    """Compile every template, load every language's catalogue, fill the URL resolver.
    Returns how many templates compiled and the names of those that would not. Some never
    can: allauth ships templates for its social accounts, which this site does not install.
    A broken template of ours still shows where it is used (the tests render every page)."""
    compiled, failed = 0, []
    for engine in engines.all():
        for directory in engine.template_dirs:
            for name in template_names(Path(directory)):
                try:
                    engine.get_template(name)
                    compiled += 1
                except Exception:  # one odd template must not stop the server from starting
                    logger.debug("template %s did not compile", name, exc_info=True)
                    failed.append(name)
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Questions")
    get_resolver().reverse_dict  # noqa: B018 (filled on first access)
    return {"compiled": compiled, "failed": failed}
