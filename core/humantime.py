"""humanize's `naturaltime` ("3 hours ago", "1 year, 2 months ago") for the dates of a thread,
with the same words at a fraction of the cost.

Django's filter evaluates lazy translations for every date: the sentence and each unit
(`ngettext_lazy`, `npgettext_lazy`), then formats them, 15-22 µs a date, two or three dates a
post (a 400-answer thread has about 1,200). Here the arithmetic is Django's (`timesince`,
copied: calendar years and months, then weeks, days, hours and minutes, at most two adjacent
units), and the text for each (language, units) is made by Django's own strings once and
remembered. tests/core/test_humantime.py compares it with the filter for every kind of
distance, past and future, in both languages.
"""

from __future__ import annotations

import datetime
import functools

from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter
from django.core.signals import setting_changed
from django.utils.html import avoid_wrapping
from django.utils.timezone import is_aware
from django.utils.translation import get_language, gettext

_UNITS = ("year", "month", "week", "day", "hour", "minute")
_CHUNKS = (60 * 60 * 24 * 7, 60 * 60 * 24, 60 * 60, 60)
_MONTHS_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DEPTH = 2
# timesince's separator, translated by Django's catalogue (a name, so that makemessages does
# not take it into ours).
_SEPARATOR = ", "


def naturaltime(value, now: datetime.datetime | None = None):
    """`django.contrib.humanize`'s `naturaltime(value)` (at `now`, by default the present), for
    a datetime; anything else goes to the filter."""
    if not isinstance(value, datetime.datetime):
        return NaturalTimeFormatter.string_for(value)
    if now is None:
        now = datetime.datetime.now(datetime.UTC if is_aware(value) else None)
    language = get_language()
    if value < now:
        delta, future = now - value, False
    else:
        delta, future = value - now, True
    if delta.days != 0:
        # timeuntil(value, now) is timesince with the two swapped.
        parts = _parts(now, value) if future else _parts(value, now)
        return _days(language, future, parts)
    seconds = delta.seconds
    if seconds == 0:
        return _sentence(language, "now", None)
    if seconds < 60:
        kind, count = "second", seconds
    elif seconds // 60 < 60:
        kind, count = "minute", seconds // 60
    else:
        kind, count = "hour", seconds // 60 // 60
    return _sentence(language, f"{'future' if future else 'past'}-{kind}", count)


def _parts(d: datetime.datetime, now: datetime.datetime) -> tuple:
    """`django.utils.timesince.timesince(d, now)`'s units as ((unit, number), ...)."""
    if is_aware(now) and is_aware(d):
        now = now.astimezone(d.tzinfo)
    delta = now - d
    if delta.days * 24 * 60 * 60 + delta.seconds <= 0:
        return (("minute", 0),)
    total_months = (now.year - d.year) * 12 + (now.month - d.month)
    if d.day > now.day or (d.day == now.day and d.time() > now.time()):
        total_months -= 1
    years, months = divmod(total_months, 12)
    if years or months:
        pivot_year = d.year + years
        pivot_month = d.month + months
        if pivot_month > 12:
            pivot_month -= 12
            pivot_year += 1
        pivot = datetime.datetime(
            pivot_year,
            pivot_month,
            min(_MONTHS_DAYS[pivot_month - 1], d.day),
            d.hour,
            d.minute,
            d.second,
            tzinfo=d.tzinfo,
        )
    else:
        pivot = d
    remaining = (now - pivot).total_seconds()
    partials = [years, months]
    for chunk in _CHUNKS:
        count = int(remaining // chunk)
        partials.append(count)
        remaining -= chunk * count
    first = next((i for i, value in enumerate(partials) if value != 0), None)
    if first is None:
        return (("minute", 0),)
    out = []
    for i in range(first, min(first + _DEPTH, len(_UNITS))):
        if partials[i] == 0:
            break
        out.append((_UNITS[i], partials[i]))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _days(language: str, future: bool, parts: tuple) -> str:
    # (The language is in the key: these are evaluated in the active one.)
    units = (
        NaturalTimeFormatter.future_substrings if future else NaturalTimeFormatter.past_substrings
    )
    text = gettext(_SEPARATOR).join(
        avoid_wrapping(units[name] % {"num": number}) for name, number in parts
    )
    sentence = NaturalTimeFormatter.time_strings["future-day" if future else "past-day"]
    return str(sentence % {"delta": text})


@functools.lru_cache(maxsize=1024)
def _sentence(language: str, key: str, count: int | None) -> str:
    sentence = NaturalTimeFormatter.time_strings[key]
    return str(sentence) if count is None else str(sentence % {"count": count})


def _forget(**kwargs):
    _days.cache_clear()
    _sentence.cache_clear()


# As Django forgets its catalogues when the languages or locale paths change (tests).
setting_changed.connect(_forget, dispatch_uid="core.humantime.forget")
