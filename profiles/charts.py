"""A member's reputation over time, as numbers and as the points of a small SVG line chart
that the template draws: no JavaScript, no image files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


def running_totals(daily: list[tuple[date, int]]) -> list[tuple[date, int]]:
    """Reputation shown at the end of each day that changed it, from the ledger's daily sums
    (oldest first): max(1, 1 + everything so far)."""
    total, shown = 1, []
    for day, delta in daily:
        total += delta
        shown.append((day, max(1, total)))
    return shown


def first_day_reaching(totals: list[tuple[date, int]], reputation: int) -> date | None:
    return next((day for day, shown in totals if shown >= reputation), None)


def last_days(totals: list[tuple[date, int]], today: date, days: int) -> list[tuple[date, int]]:
    """One value per day for the last `days` days up to `today`, carried over quiet days."""
    start = today - timedelta(days=days - 1)
    shown = 1
    changes = iter(totals)
    change = next(changes, None)
    while change and change[0] < start:
        shown = change[1]
        change = next(changes, None)
    series = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        while change and change[0] == day:
            shown = change[1]
            change = next(changes, None)
        series.append((day, shown))
    return series


@dataclass
class LineChart:
    width: int
    height: int
    line: str  # SVG polyline points
    area: str  # SVG polygon points: the line closed along the bottom
    low: int
    high: int
    start: date
    end: date
    first: int
    last: int

    @property
    def changed(self) -> bool:
        return self.low != self.high


def line_chart(series: list[tuple[date, int]], width: int = 600, height: int = 120) -> LineChart:
    """Scale a day-by-day series into the chart's box (y grows downwards in SVG)."""
    values = [value for _, value in series]
    low, high = min(values), max(values)
    span = high - low
    step = width / max(1, len(series) - 1)
    points = []
    for i, value in enumerate(values):
        y = height / 2 if not span else height - (value - low) * height / span
        points.append(f"{i * step:.1f},{y:.1f}")
    line = " ".join(points)
    area = f"0,{height} {line} {width},{height}"
    return LineChart(
        width=width,
        height=height,
        line=line,
        area=area,
        low=low,
        high=high,
        start=series[0][0],
        end=series[-1][0],
        first=values[0],
        last=values[-1],
    )
