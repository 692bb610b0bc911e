"""Search in Chinese and English on stock PostgreSQL and on SQLite.

- `text`: what a token is (CJK bigrams, folded accents) and the snippet highlighter;
- `query`: the query language, parsed in pure Python.
"""

from .query import MAX_QUERY_LENGTH, MAX_TERMS, ParsedQuery, parse_query
from .text import highlight, highlight_pattern

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "ParsedQuery",
    "highlight",
    "highlight_pattern",
    "parse_query",
]
