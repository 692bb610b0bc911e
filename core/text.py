"""Text rules every app shares: what counts as visible, and what a title may not carry.

Text made only of whitespace, zero-width and other invisible characters looks empty to a
reader, so minimum lengths count visible characters only, and such text is refused as empty.
Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what follows
them: in a title they can make it read differently in lists, links and emails, so titles lose
them (plain right-to-left text needs none of them; U+200E and U+200F marks are kept).
"""

from __future__ import annotations

import re
import unicodedata

# Invisible though not "format" (Cf) or whitespace: fillers and blanks that render as nothing.
_INVISIBLE_EXTRA = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180e\u2800\u3164\uffa0")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def is_invisible(char: str) -> bool:
    """Whitespace, controls, format characters (zero-width space, joiners, bidi marks, the
    byte order mark, soft hyphen...) and the blank fillers."""
    return (
        char.isspace()
        or unicodedata.category(char) in ("Cc", "Cf", "Zs", "Zl", "Zp")
        or char in _INVISIBLE_EXTRA
    )


def visible_length(text: str) -> int:
    """How many characters of `text` a reader sees."""
    return sum(1 for char in text if not is_invisible(char))


def strip_bidi_controls(text: str) -> str:
    """`text` without bidirectional overrides, embeddings and isolates."""
    return _BIDI_CONTROLS.sub("", text)
