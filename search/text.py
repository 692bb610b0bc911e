"""Text preparation shared by the index and the queries: one function decides what a "token" is,
so that what is indexed and what is searched always agree, on PostgreSQL and on SQLite.

Latin (and every other space-separated script) is left to the database: PostgreSQL's 'english'
configuration and SQLite's porter/unicode61 tokenizer both split on non-letters, lower-case and
stem. Only accents are folded here, because PostgreSQL's 'english' configuration keeps them
(café) and SQLite's `remove_diacritics 2` drops them (cafe); folding first makes both see cafe
without the `unaccent` extension.

CJK text has no spaces between words and neither database can split it into words without an
extension or a dictionary. Each run of Han, kana or Hangul characters becomes overlapping
character bigrams (支付宝 -> 支付 付宝) followed by the run's last character as a lone token (宝):

- a query of 2 or more CJK characters is the phrase of its bigrams: 支付宝 -> "支付 付宝", so it
  matches exactly the posts containing those characters in that order;
- a query of 1 character X is the prefix query X*: every character of a run is the first
  character of a bigram, except the last one, which is there as its lone token.

Traditional and simplified characters stay distinct (銀行 does not find 银行): mapping between
them needs a conversion table (OpenCC's is several MB and maps many-to-one, 發/髮 -> 发), which
stock PostgreSQL does not ship and which would make searches for one form match text that
means something else. Precision is kept; a searcher who wants both can type both.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Han (unified, extension A, compatibility, extensions B and later), the iteration marks 々〆〇,
# Hiragana, Katakana (with the prolonged sound mark ー), Katakana extensions, Hangul syllables and
# jamo. Half-width katakana become full-width through NFKC first.
CJK_CHARS = (
    "\u1100-\u11ff"
    "\u3005-\u3007"
    "\u3040-\u30ff"
    "\u3130-\u318f"
    "\u31f0-\u31ff"
    "\u3400-\u4dbf"
    "\u4e00-\u9fff"
    "\ua960-\ua97f"
    "\uac00-\ud7af"
    "\ud7b0-\ud7ff"
    "\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
CJK_RUN = re.compile(f"[{CJK_CHARS}]+")
_BLOCK_TAGS = re.compile(
    r"</?(?:p|div|br|hr|li|ul|ol|h[1-6]|pre|blockquote|table|thead|tbody|tr|td|th|dl|dt|dd)"
    r"\b[^>]*>",
    re.IGNORECASE,
)
_ANY_TAG = re.compile(r"<[^>]*>")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def normalize(text: str) -> str:
    """NFKC (full-width Latin and half-width kana become ordinary), no control characters
    (PostgreSQL refuses NUL), collapsed whitespace."""
    text = _CONTROL.sub(" ", text or "")
    return " ".join(unicodedata.normalize("NFKC", text).split())


def fold_accents(text: str) -> str:
    """Drop combining marks from non-CJK text: café -> cafe, Ångström -> Angstrom.

    Only ever called on text without CJK characters: NFKD would split Hangul syllables into jamo
    and strip the voicing marks of kana.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def cjk_tokens(run: str) -> list[str]:
    """Bigrams of one CJK run, then its last character: 支付宝 -> [支付, 付宝, 宝]."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


@dataclass(frozen=True)
class Document:
    """Text split for the index: `words` for the word-based configuration (stemmed), `cjk` for
    the CJK tokens (indexed as they are)."""

    words: str
    cjk: str

    def combined(self) -> str:
        """One string holding both, for SQLite (its tokenizer keeps CJK tokens intact)."""
        return f"{self.words} {self.cjk}".strip()


def document(text: str) -> Document:
    """Split plain text into its index form."""
    text = normalize(text)
    tokens: list[str] = []
    for run in CJK_RUN.findall(text):
        tokens.extend(cjk_tokens(run))
    words = fold_accents(CJK_RUN.sub(" ", text))
    return Document(words=" ".join(words.split()), cjk=" ".join(tokens))


TAG_TOKEN_PREFIX = "xtag"


def tag_token(name: str) -> str:
    """One index token standing for a tag, for the [tag] filter: letters and digits only (the
    name's UTF-8 in hex), so every tokenizer keeps it whole, and no word a post contains."""
    return TAG_TOKEN_PREFIX + name.lower().encode("utf-8").hex()


def html_to_text(markup: str) -> str:
    """Plain text of sanitized HTML (a post's `body_html`): block elements become line breaks,
    inline ones vanish without a space (so <b>支付</b>宝 stays one CJK run)."""
    text = _ANY_TAG.sub("", _BLOCK_TAGS.sub("\n", markup or ""))
    return html.unescape(text).strip()


def has_letters(text: str) -> bool:
    """True when text holds something both databases index (a letter or digit)."""
    return any(ch.isalnum() for ch in text)


@dataclass(frozen=True)
class Part:
    """One piece of a search term, as both databases can match it.

    kind: "words" (Latin etc., a phrase when `phrase`), "cjk" (a phrase of CJK bigrams, in
    `text` separated by spaces), "prefix" (one CJK character, matched as a prefix) or "tag" (a
    tag token, from `tag_token`).
    """

    kind: str
    text: str
    phrase: bool = False


def term_parts(text: str, *, phrase: bool = False) -> list[Part]:
    """The parts one query term matches through; an empty list when nothing in it is
    searchable (punctuation only)."""
    text = normalize(text)
    parts: list[Part] = []
    words = " ".join(fold_accents(CJK_RUN.sub(" ", text)).split())
    if has_letters(words):
        parts.append(Part("words", words, phrase=phrase))
    for run in CJK_RUN.findall(text):
        if len(run) == 1:
            parts.append(Part("prefix", run))
        else:
            parts.append(Part("cjk", " ".join(cjk_tokens(run)[:-1])))
    return parts


# --- Highlighting -------------------------------------------------------------------------
# Snippets are cut and marked in Python, from the stored plain text of the page's rows only:
# the same on both databases, and nothing of the post reaches the page unescaped.

_SUFFIXES = ("ing", "ed", "es", "s", "ly")
_WORD = re.compile(r"\w+")


def _stem(word: str) -> str:
    """A rough stem, only to decide what to mark (the database did the real matching)."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _match_char(ch: str) -> str:
    """`ch` as the query sees it (NFKC, accents folded) when that is one character, else `ch`."""
    normal = unicodedata.normalize("NFKC", ch)
    return _fold_char(normal) if len(normal) == 1 else ch


def _fold_char(ch: str) -> str:
    if ch.isascii() or CJK_RUN.match(ch):
        return ch
    folded = fold_accents(ch)
    return folded if len(folded) == 1 else ch


def highlight_pattern(parts: list[Part]) -> re.Pattern | None:
    """One regex matching what the parts matched: words by their stem (run, running), CJK
    text as written."""
    alternatives = []
    for part in parts:
        if part.kind == "words":
            words = _WORD.findall(part.text)
            alternatives += [rf"\b{re.escape(_stem(word.lower()))}\w*" for word in words]
        elif part.kind == "cjk":
            tokens = part.text.split()
            alternatives.append(re.escape(tokens[0] + "".join(t[-1] for t in tokens[1:])))
        elif part.kind == "prefix":
            alternatives.append(re.escape(part.text))
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)  # longest first: 支付宝 before 支
    return re.compile("|".join(alternatives), re.IGNORECASE)


def highlight(text: str, pattern: re.Pattern | None, *, length: int = 0) -> str:
    """HTML for `text` with every match of `pattern` in <mark>, everything else escaped.

    With `length`, only a window of about that many characters is kept, starting a little
    before the first match (or at the start), with … where text was cut.
    """
    text = " ".join((text or "").split())
    # Matched on a same-length folded copy (cafe marks café, ＡＢＣ marks abc), cut from the
    # original, so the reader sees the text as written: NFKC over the whole text turned Chinese
    # full-width punctuation (：，？) into ASCII in the snippets.
    folded = "".join(_match_char(ch) for ch in text)
    matches = list(pattern.finditer(folded)) if pattern else []
    start, end = 0, len(text)
    if length and len(text) > length:
        first = matches[0].start() if matches else 0
        start = max(0, first - length // 4)
        if start:
            space = text.rfind(" ", max(0, start - 15), start)
            start = space + 1 if space != -1 else start
        end = min(len(text), start + length)
        if end < len(text):
            space = text.find(" ", end, end + 15)
            end = space if space != -1 else end
    out = ["…" if start else ""]
    position = start
    for match in matches:
        if match.start() < position or not match.group():
            continue
        if match.start() >= end:
            break
        out.append(escape(text[position : match.start()]))
        out.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        position = match.end()
    out.append(escape(text[position:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))
