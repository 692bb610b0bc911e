"""Sentences a page shows many times, translated once per catalogue rather than once per page.

A thread's view used to ask gettext for the same forty sentences on every request (its posts'
buttons and notes: `threads.readers.words`, `threads.render.shared_words`), and each gettext
call looks up the request's active translation through a context-local. `per_catalogue(f)`
keeps what `f()` returned for the active catalogue object: another language is another
catalogue, and a catalogue read again (Django rereads them when LOCALE_PATHS or LANGUAGES
change, as the tests' `compiled_translations` does) is a new object, so nothing stale is
served. Any setting change forgets everything, since some of these sentences quote settings
(the reputation a privilege needs)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TypeVar

from django.core.signals import setting_changed
from django.utils.translation import get_language, trans_real

_memos: list[dict] = []
K = TypeVar("K")
V = TypeVar("V")


def per_catalogue(function: Callable[[], dict[K, V]]) -> Callable[[], Mapping[K, V]]:
    """`function()` (a dict of sentences), read-only, kept per active catalogue."""
    memo: dict[str | None, tuple[object, Mapping[K, V]]] = {}
    _memos.append(memo)

    @functools.wraps(function)
    def wrapper() -> Mapping[K, V]:
        language = get_language()
        catalogue = trans_real.translation(language) if language else None
        kept = memo.get(language)
        if kept is not None and kept[0] is catalogue:
            return kept[1]
        value = MappingProxyType(function())
        memo[language] = (catalogue, value)
        return value

    return wrapper


def _forget(**kwargs):
    for memo in _memos:
        memo.clear()


setting_changed.connect(_forget, dispatch_uid="core.sentences.forget")
