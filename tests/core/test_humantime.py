"""`core.humantime.naturaltime` writes what humanize's filter writes, for every distance,
past or future, in both languages and in any time zone."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.humanize.templatetags import humanize
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.humantime import naturaltime

ZONES = [datetime.UTC, ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")]
NOW = datetime.datetime(2026, 3, 31, 1, 30, 15, 123456, tzinfo=datetime.UTC)


def django_s(value, now):
    class Frozen(datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return now.astimezone(tz) if tz else now.replace(tzinfo=None)

    with mock.patch.object(humanize, "datetime", Frozen):
        return humanize.naturaltime(value)


distances = st.one_of(
    st.integers(-120, 120),  # seconds
    st.integers(-2 * 86400, 2 * 86400),  # hours and minutes
    st.integers(-12 * 366 * 86400, 12 * 366 * 86400),  # days to years
)


@settings(max_examples=400, deadline=None)
@given(
    seconds=distances,
    micro=st.integers(0, 999_999),
    zone=st.sampled_from(ZONES),
    language=st.sampled_from(["en", "zh-hans"]),
    now=st.sampled_from(
        [
            NOW,
            datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=datetime.UTC),
            datetime.datetime(2025, 12, 31, 16, 0, tzinfo=datetime.UTC),
        ]
    ),
)
@example(seconds=0, micro=0, zone=datetime.UTC, language="en", now=NOW)
@example(seconds=-86400 * 31, micro=0, zone=ZONES[1], language="zh-hans", now=NOW)
def test_the_filter_s_words(seconds, micro, zone, language, now):
    value = (now + datetime.timedelta(seconds=seconds, microseconds=micro)).astimezone(zone)
    with translation.override(language):
        assert naturaltime(value, now) == django_s(value, now)


def test_naive_datetimes_and_other_values():
    naive = NOW.replace(tzinfo=None)
    for seconds in (-400 * 86400, -3600 * 5, -30, 0, 45, 3 * 86400):
        value = naive + datetime.timedelta(seconds=seconds)
        assert naturaltime(value, naive) == django_s(value, naive)
    assert naturaltime("text") == "text"


def test_the_present_by_default():
    now = datetime.datetime.now(datetime.UTC)
    with translation.override("en"):
        assert naturaltime(now - datetime.timedelta(hours=3, minutes=5)) == "3\xa0hours ago"
