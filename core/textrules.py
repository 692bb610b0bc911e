"""The text rules every form and every list follows (contract v1.3, "Text rules").

- Minimum lengths count each CJK character as two: a Chinese character carries about as much
  as two Latin letters, so 支付宝转账为什么收费？ (11 characters) is a long enough title.
  Maximum lengths stay plain characters (they protect storage, not meaning).
- Text that is empty once whitespace, zero-width and other invisible characters are removed is
  refused as empty, and invisible characters never count toward a minimum.
- Errors speak to the person in one sentence of their own ("Write a title of at least 15
  characters."), in their language, instead of Django's generic "Ensure this value...".
- `plain_text` turns a post into the plain text lists and excerpts show: no Markdown or HTML.

Pure functions and one form field, no models: every app can use them.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

TITLE_MIN, TITLE_MAX = 15, 150
BODY_MIN, BODY_MAX = 30, 30_000
COMMENT_MIN, COMMENT_MAX = 15, 600

# Characters that count twice toward a minimum: Han (unified, extension A, compatibility,
# extensions B and later), kana, Hangul, Bopomofo, CJK punctuation (、。「」) and full-width forms
# (？！，：). Emoji and other wide symbols count once: they are not writing.
_WIDE = re.compile(
    "["
    "\u1100-\u11ff"  # Hangul jamo
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3100-\u31ef"  # Bopomofo, Hangul compatibility jamo, Kanbun, CJK strokes
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\ua960-\ua97f"  # Hangul jamo extended A
    "\uac00-\ud7ff"  # Hangul syllables, jamo extended B
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\ufe30-\ufe4f"  # CJK compatibility forms
    "\uff01-\uff60"  # full-width ASCII forms and punctuation
    "\uffe0-\uffe6"  # full-width signs
    "\U00020000-\U0003134f"  # CJK extensions B to H
    "]"
)

# Characters that show nothing though Unicode does not file them under "format" or "space":
# Hangul fillers, the Braille blank, the combining grapheme joiner, Khmer inherent vowels,
# variation selectors (a lone one renders as nothing).
_INVISIBLE_EXTRA = re.compile(
    "[\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\ufe00-\ufe0f\U000e0100-\U000e01ef]"
)
# Unicode categories that are never visible: controls, format characters (zero-width space,
# joiners, BOM, soft hyphen, bidi marks, tag characters), lone surrogates and separators (every
# kind of space). Unassigned code points stay: they may be emoji newer than Python's tables.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}


def visible(text: str) -> str:
    """`text` without whitespace or any invisible character: what a reader actually sees."""
    text = _INVISIBLE_EXTRA.sub("", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE_CATEGORIES)


def is_blank(text: str) -> bool:
    """True when nothing would show: only spaces, zero-width or other invisible characters."""
    return not visible(text)


def weighted_length(text: str) -> int:
    """Length toward a minimum: visible characters, each CJK character counting as two; the
    spaces between words count once each (collapsed), invisible characters not at all."""
    text = _INVISIBLE_EXTRA.sub("", text or "")
    words = [visible(word) for word in text.split()]
    words = [word for word in words if word]
    if not words:
        return 0
    letters = sum(len(word) + len(_WIDE.findall(word)) for word in words)
    return letters + len(words) - 1


def strip_invisible_edges(text: str) -> str:
    """`text` without leading or trailing whitespace and invisible characters."""
    start, end = 0, len(text)
    while start < end and is_blank(text[start]):
        start += 1
    while end > start and is_blank(text[end - 1]):
        end -= 1
    return text[start:end]


@dataclass(frozen=True)
class TextRule:
    """Length limits and the sentences that explain them, for one kind of text.

    `too_short(n)` and `too_long(n, count)` return the translated sentence: written out whole
    below, once each, so translators see every sentence as the person will.
    """

    minimum: int
    maximum: int
    empty: Promise  # "Write a title."
    too_short: Callable[[int], str]
    too_long: Callable[[int, int], str]

    def errors(self, text: str) -> list[str]:
        """What is wrong with `text`, in sentences for the person who wrote it."""
        if is_blank(text):
            return [str(self.empty)]
        if weighted_length(text) < self.minimum:
            return [self.too_short(self.minimum)]
        if len(text) > self.maximum:
            return [self.too_long(self.maximum, len(text))]
        return []

    def check(self, text: str) -> str:
        """`text` when it passes, else a ValidationError carrying the sentence."""
        if problems := self.errors(text):
            code = "required" if is_blank(text) else "length"
            raise forms.ValidationError(problems[0], code=code)
        return text


TITLE = TextRule(
    minimum=TITLE_MIN,
    maximum=TITLE_MAX,
    empty=_("Write a title."),
    too_short=lambda n: (
        ngettext(
            "Write a title of at least %(n)d character (a Chinese character counts as two).",
            "Write a title of at least %(n)d characters (a Chinese character counts as two).",
            n,
        )
        % {"n": n}
    ),
    too_long=lambda n, count: (
        ngettext(
            "Shorten the title to %(n)d character: it has %(count)d.",
            "Shorten the title to %(n)d characters: it has %(count)d.",
            n,
        )
        % {"n": n, "count": count}
    ),
)
BODY = TextRule(
    minimum=BODY_MIN,
    maximum=BODY_MAX,
    empty=_("Write the text of your post."),
    too_short=lambda n: (
        ngettext(
            "Write at least %(n)d character (a Chinese character counts as two).",
            "Write at least %(n)d characters (a Chinese character counts as two).",
            n,
        )
        % {"n": n}
    ),
    too_long=lambda n, count: (
        ngettext(
            "Shorten the text to %(n)d character: it has %(count)d.",
            "Shorten the text to %(n)d characters: it has %(count)d.",
            n,
        )
        % {"n": n, "count": count}
    ),
)
COMMENT = TextRule(
    minimum=COMMENT_MIN,
    maximum=COMMENT_MAX,
    empty=_("Write a comment."),
    too_short=lambda n: (
        ngettext(
            "Write a comment of at least %(n)d character (a Chinese character counts as two).",
            "Write a comment of at least %(n)d characters (a Chinese character counts as two).",
            n,
        )
        % {"n": n}
    ),
    too_long=lambda n, count: (
        ngettext(
            "Shorten the comment to %(n)d character: it has %(count)d.",
            "Shorten the comment to %(n)d characters: it has %(count)d.",
            n,
        )
        % {"n": n, "count": count}
    ),
)


class RuleField(forms.CharField):
    """A CharField checked by a `TextRule` instead of Django's generic length validators.

    No `minlength` reaches the HTML: the browser counts characters its own way and would stop a
    Chinese title the rule accepts. `maxlength` does, as a typing aid; the rule checks it again.
    """

    def __init__(self, *, rule: TextRule, **kwargs):
        self.rule = rule
        kwargs.setdefault("error_messages", {})
        kwargs["error_messages"].setdefault("required", rule.empty)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if not widget.is_hidden:
            attrs["maxlength"] = str(self.rule.maximum)
        return attrs

    def validate(self, value):
        if value in self.empty_values or is_blank(value):
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return
        self.rule.check(value)


# --- Plain text for lists and excerpts ------------------------------------------------------

_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|h[1-6]|pre|blockquote|table|thead|tbody|tr|td|th|dl|dt|dd)"
    r"\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")
# Markdown a body may hold, for posts without rendered HTML: fences, headings, quotes, list
# markers, emphasis, code spans, images, links (their text stays), reference definitions.
_MD_FENCE = re.compile(r"^\s*(```|~~~).*$", re.MULTILINE)
_MD_LINE_START = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+|\d+[.)]\s+)", re.MULTILINE)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"(\*\*|__|~~|\*|_|`)(?=\S)(.+?)(?<=\S)\1")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$", re.MULTILINE)


def html_to_plain(markup: str) -> str:
    """Plain text of sanitized HTML: block elements become spaces, inline ones vanish without
    a space (so <b>支付</b>宝 stays 支付宝), entities decoded, whitespace collapsed."""
    text = _ANY_TAG.sub("", _BLOCK_TAGS.sub(" ", markup or ""))
    return " ".join(html.unescape(text).split())


def markdown_to_plain(text: str) -> str:
    """A rough plain text of Markdown source, for when no rendered HTML is at hand."""
    text = _MD_FENCE.sub("", text or "")
    text = _MD_REF_DEF.sub("", text)
    text = _MD_RULE.sub("", text)
    text = _MD_LINE_START.sub("", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    for _round in range(3):  # nested emphasis: ***a*** -> **a** -> a
        text = _MD_EMPHASIS.sub(r"\2", text)
    return " ".join(text.split())


def plain_text(post) -> str:
    """A question's, answer's or comment's text with no markup: from its sanitized
    `body_html` when it has one (what the reader sees), else from its Markdown `body`."""
    markup = getattr(post, "body_html", None)
    if markup:
        return html_to_plain(markup)
    return markdown_to_plain(getattr(post, "body", "") or "")


def excerpt(text: str, length: int) -> str:
    """`text` cut to at most `length` characters, at a word boundary when one is near, with
    an ellipsis where it was cut."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    space = cut.rfind(" ")
    if space > length * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,.;:，。；：、") + "…"


_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    """`text` without bidirectional overrides, embeddings and isolates (U+202A-U+202E,
    U+2066-U+2069), which reorder what follows them: a title could read differently in lists,
    links and emails. Plain right-to-left text needs none of them; U+200E/U+200F marks stay."""
    return _BIDI_CONTROLS.sub("", text)
