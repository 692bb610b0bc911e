"""The search box's little language, parsed in pure Python (no SQL is built here).

    "exact phrase"   the words in this order          [tag]         questions tagged so, and
    is:question      questions only (is:q)                          their answers
    is:answer        answers only (is:a)              user:name     posts by that member
    answers:0        questions with exactly 0 answers score:3       score of at least 3

Everything else is a word; all words must match. Text that only looks like an operator (an
unpaired quote or bracket, `is:maybe`, `score:high`) is searched as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .text import normalize, term_parts

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
MAX_TAGS = 5

_TOKEN = re.compile(r'"([^"]*)"|\[([^\[\]\s]+)\]|(\S+)')
_OPERATOR = re.compile(r"^(is|user|answers|score):(.+)$", re.IGNORECASE)
_KINDS = {"question": "question", "q": "question", "answer": "answer", "a": "answer"}
_INTEGER = re.compile(r"^[+-]?\d{1,9}$")


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False

    @property
    def parts(self):
        return term_parts(self.text, phrase=self.phrase)


@dataclass
class ParsedQuery:
    text: str = ""  # the normalised, possibly shortened query
    terms: list[Term] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    kind: str | None = None  # "question" or "answer"
    user: str | None = None
    answers: int | None = None
    min_score: int | None = None
    shortened: bool = False  # longer than MAX_QUERY_LENGTH, or too many terms or tags

    @property
    def has_filters(self) -> bool:
        return bool(
            self.tags
            or self.kind
            or self.user
            or self.answers is not None
            or self.min_score is not None
        )

    @property
    def parts(self):
        """Every searchable part of every term, in order."""
        return [part for term in self.terms for part in term.parts]

    @property
    def is_empty(self) -> bool:
        """Nothing to search by: no searchable words and no filters."""
        return not self.parts and not self.has_filters


def parse_query(raw: str) -> ParsedQuery:
    """Parse what a searcher typed. Never raises; the result is always safe to run."""
    text = normalize(raw)
    query = ParsedQuery()
    if len(text) > MAX_QUERY_LENGTH:
        text = text[:MAX_QUERY_LENGTH].rstrip()
        query.shortened = True
    query.text = text
    for match in _TOKEN.finditer(text):
        phrase, tag, word = match.groups()
        if phrase is not None:
            if phrase.strip():
                _add_term(query, Term(" ".join(phrase.split()), phrase=True))
        elif tag is not None:
            _add_tag(query, tag.lower())
        elif not _operator(query, word):
            _add_term(query, Term(word))
    return query


def _add_term(query: ParsedQuery, term: Term) -> None:
    if not term.parts or term in query.terms:
        return
    if len(query.terms) >= MAX_TERMS:
        query.shortened = True
        return
    query.terms.append(term)


def _add_tag(query: ParsedQuery, name: str) -> None:
    if name in query.tags:
        return
    if len(query.tags) >= MAX_TAGS:
        query.shortened = True
        return
    query.tags.append(name)


def _operator(query: ParsedQuery, word: str) -> bool:
    """Apply `word` when it is a well-formed operator; False leaves it to be searched as text."""
    match = _OPERATOR.match(word)
    if not match:
        return False
    name, value = match.group(1).lower(), match.group(2)
    if name == "is" and value.lower() in _KINDS:
        query.kind = _KINDS[value.lower()]
    elif name == "user":
        query.user = value
    elif name == "answers" and _INTEGER.match(value) and int(value) >= 0:
        query.answers = int(value)
    elif name == "score" and _INTEGER.match(value):
        query.min_score = int(value)
    else:
        return False
    return True
