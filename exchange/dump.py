"""Reading and writing the Stack Exchange data dump format: one XML file per table, a root
element (`<posts>`) holding one `<row .../>` per record, every field an attribute.

Reading is streaming and safe whatever the file declares: defusedxml's iterparse over expat
loads no DTD and fetches nothing (a `<!DOCTYPE posts SYSTEM "...">` line is read and ignored),
and a file that declares an entity (an external one, or the nested ones of "billion laughs")
is refused before any row of it is read. A byte-order mark is fine. Memory stays flat: each
row is cleared once read and the root let go of every few thousand rows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

# The tables, in the order an import reads them.
FILES = (
    "Users.xml",
    "Tags.xml",
    "Posts.xml",
    "PostHistory.xml",
    "PostLinks.xml",
    "Comments.xml",
    "Votes.xml",
    "Badges.xml",
)


class DumpError(Exception):
    """A file that cannot be read (any further): unsafe, not XML, or broken part-way."""


class UnsafeDump(DumpError):
    """A file that declares entities: refused before any row of it is read."""


class _Counting(io.RawIOBase):
    """A binary file that counts the bytes read, for the progress bar."""

    def __init__(self, raw):
        self.raw, self.done = raw, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = self.raw.readinto(buffer)
        self.done += n or 0
        return n


def iter_rows(
    path: Path, progress: Callable[[int, int], None] | None = None
) -> Iterator[dict[str, str]]:
    """Yield the attributes of every `<row>` of one dump file, in file order.

    `progress(bytes_read, file_size)` is called every 1,000 rows. Raises DumpError when the
    file declares entities (nothing of it is read) or stops being well-formed part-way (the
    rows before the fault have been yielded).
    """
    size = path.stat().st_size
    with path.open("rb") as raw:
        counting = _Counting(raw)
        stream = io.BufferedReader(counting, buffer_size=1 << 16)
        events = iterparse(stream, events=("start", "end"), forbid_dtd=False)
        root = None
        count = 0
        try:
            for event, element in events:
                if event == "start":
                    if root is None:
                        root = element
                    continue
                if element.tag != "row":
                    continue
                yield dict(element.attrib)
                element.clear()
                count += 1
                if count % 1000 == 0:
                    root.clear()
                    if progress:
                        progress(counting.done, size)
        except DefusedXmlException as exc:
            raise UnsafeDump(
                f"{path.name}: refused, it declares an entity ({exc}); a dump needs none, and "
                "none is fetched or expanded"
            ) from exc
        except ParseError as exc:
            raise DumpError(f"{path.name}: not well-formed XML ({exc})") from exc
        if progress:
            progress(size, size)


# --- Fields ---------------------------------------------------------------------------------

_TAGS_ANGLE = re.compile(r"<([^<>]+)>")


def parse_tags(raw: str | None) -> list[str]:
    """`<a><b>` or `|a|b|` as names, order kept, duplicates dropped."""
    raw = (raw or "").strip()
    names = _TAGS_ANGLE.findall(raw) if raw.startswith("<") else raw.split("|")
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def parse_date(raw: str | None) -> datetime | None:
    """A dump date ("2010-07-20T19:12:14.353", UTC without a zone) as an aware datetime."""
    if not raw:
        return None
    moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def format_date(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def parse_int(raw: str | None) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    return int(raw)


# --- Writing --------------------------------------------------------------------------------


class DumpWriter:
    """Write one dump file row by row: `with DumpWriter(path, "posts") as out: out.row(...)`.
    Attributes whose value is None are left out, as the published dumps leave them out."""

    def __init__(self, path: Path, root: str):
        self.path, self.root = path, root
        self.count = 0

    def __enter__(self):
        self.file = self.path.open("w", encoding="utf-8", newline="\n")
        self.file.write(f'<?xml version="1.0" encoding="utf-8"?>\n<{self.root}>\n')
        return self

    def row(self, **fields) -> None:
        attributes = " ".join(
            f"{name}={quoteattr(_xml_text(value))}"
            for name, value in fields.items()
            if value is not None
        )
        self.file.write(f"  <row {attributes} />\n")
        self.count += 1

    def __exit__(self, *exc):
        self.file.write(f"</{self.root}>\n")
        self.file.close()


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    """The value as attribute text: dates in the dump's form and the characters XML 1.0
    forbids dropped (`quoteattr` keeps line breaks as character references)."""
    if isinstance(value, datetime):
        value = format_date(value)
    return _XML_INVALID.sub("", str(value))
