"""The parts of an import every table uses: constants, the report, field parsing."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import html_to_markdown
from django.utils.text import slugify
from html_to_markdown import _html_to_markdown as _html_converter
from html_to_markdown.api import _to_rust_conversion_options

from questions.models import RESERVED_SLUGS, TAG_MAX_LENGTH, CloseReason

from ..dump import parse_date, parse_int

SYSTEM_USERNAME = "Community"
VOTER_SITE = "*"  # anonymous voters are shared by every imported site
QUESTION, ANSWER, TAG_EXCERPT = 1, 2, 4
UPVOTE, DOWNVOTE = 2, 3
DUPLICATE_LINK = 3
# PostHistoryTypeId: the Markdown source of a body, and closing.
BODY_SOURCES, CLOSED, REOPENED = {2, 5, 8}, 10, 11
# Close reasons as PostHistory gives them (CloseReasonId in Comment; older dumps used 1-10).
CLOSE_REASONS = {
    "1": CloseReason.DUPLICATE,
    "101": CloseReason.DUPLICATE,
    "2": CloseReason.OFF_TOPIC,
    "102": CloseReason.OFF_TOPIC,
    "3": CloseReason.OPINION_BASED,
    "105": CloseReason.OPINION_BASED,
    "4": CloseReason.NEEDS_DETAILS,
    "103": CloseReason.NEEDS_DETAILS,
    "104": CloseReason.NEEDS_DETAILS,
}
# What a closed question says when the dump does not give the reason.
DEFAULT_CLOSE_REASON = CloseReason.NEEDS_DETAILS
_TAG_INVALID = re.compile(r"[^\w+#.\-]+")
_USERNAME_INVALID = re.compile(r"[^\w.@+-]+")
# Converted to the extension's own options once: the public `convert` converts them again on
# every call, which took 90% of its time (html-to-markdown is pinned, so the names hold).
_MARKDOWN_OPTIONS = _to_rust_conversion_options(
    html_to_markdown.ConversionOptions(
        escape_asterisks=True, escape_underscores=True, escape_misc=True
    )
)


class SkipRow(Exception):
    """This row cannot be imported; the message says why (the id is added by the caller)."""


@dataclass
class FileReport:
    """What happened to the rows of one file."""

    read: int = 0
    created: int = 0
    updated: int = 0
    already: int = 0  # imported by an earlier run
    skipped: Counter = field(default_factory=Counter)  # reason -> rows
    examples: dict[str, list[str]] = field(default_factory=dict)  # reason -> first ids
    error: str = ""  # the file could not be read (any further)
    seconds: float = 0.0
    name: str = ""
    log: Callable[[str], None] | None = None

    def skip(self, row_id: str, reason: str) -> None:
        self.skipped[reason] += 1
        if self.log:
            self.log(f"{self.name} row Id={row_id} skipped: {reason}")
        self.examples.setdefault(reason, [])
        if len(self.examples[reason]) < 5:
            self.examples[reason].append(row_id)


@dataclass
class Report:
    files: dict[str, FileReport] = field(default_factory=dict)
    finished: list[str] = field(default_factory=list)  # what `_finish` brought up to date

    @property
    def created(self) -> int:
        return sum(f.created + f.updated for f in self.files.values())

    def lines(self) -> Iterator[str]:
        for name, f in self.files.items():
            line = f"{name}: {f.read} rows read, {f.created} created"
            if f.updated:
                line += f", {f.updated} updated"
            line += f", {f.already} already imported, {sum(f.skipped.values())} skipped"
            line += f" ({f.seconds:.1f} s)"
            yield line
            for reason, count in f.skipped.most_common():
                ids = ", ".join(f.examples[reason])
                more = ", ..." if count > len(f.examples[reason]) else ""
                yield f"  skipped {count}: {reason} (Id {ids}{more})"
            if f.error:
                yield f"  stopped: {f.error}"
        yield from self.finished


def make_slug(title: str) -> str:
    """The slug `Question.save` gives a title (bulk inserts do not call save)."""
    slug = slugify(title, allow_unicode=True)[:90].strip("-") or "question"
    return f"{slug}-question" if slug in RESERVED_SLUGS else slug


def tag_name(raw: str) -> str:
    """A dump's tag name as a name this site accepts: lower case, letters, digits and + # . - _,
    starting with a letter or digit (".net" becomes "net")."""
    name = _TAG_INVALID.sub("-", raw.strip().lower())
    return re.sub(r"^[^\w]+", "", name)[:TAG_MAX_LENGTH].rstrip("-")


def body_markdown(clean_html: str) -> str:
    """Markdown for sanitized HTML, for bodies the dump has no source of."""
    result = _html_converter.convert(html=clean_html, options=_MARKDOWN_OPTIONS, visitor=None)
    return result.content.strip()


def row_id(row: dict) -> int:
    try:
        value = parse_int(row.get("Id"))
    except ValueError:
        value = None
    if value is None:
        raise SkipRow("no Id, or not a number")
    return value


def date_of(row: dict, name: str, *, required: bool = False):
    try:
        value = parse_date(row.get(name))
    except ValueError as exc:
        raise SkipRow(f"{name} is not a date") from exc
    if required and value is None:
        raise SkipRow(f"no {name}")
    return value


def int_of(row: dict, name: str, default: int | None = None) -> int | None:
    try:
        value = parse_int(row.get(name))
    except ValueError as exc:
        raise SkipRow(f"{name} is not a number") from exc
    return default if value is None else value
