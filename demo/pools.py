"""What loadbench's rows are assembled from, made once before the first row: pools of
paragraphs, bodies, title halves and comments with their HTML, their index form and their
COPY text already computed, and a fast writer of timestamps. A row then costs a few random
draws and an f-string, not a Markdown render, a text split or a datetime.

A million questions drawing from pools of this size look like a big site's: the words are
Zipf-distributed, a body is 1-5 paragraphs of 2-7 mixed Chinese/English sentences (a pool
paragraph turns up in a few hundred posts at 1 M, a pool body in a dozen or two), titles are
one of 200 million Chinese/English pairs, comments one of 30,000.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from html import escape

from questions.models import RESERVED_SLUGS
from search.text import Document, document, html_to_text, tag_token

from .words import TextMaker

PARAGRAPH_POOL = 20_000
BODY_POOL = 100_000  # of each kind: questions' bodies (1-5 paragraphs), answers' (1-4)
TITLE_HALVES = 10_000  # Chinese halves; as many English ones
COMMENT_POOL = 30_000
NULL = r"\N"


def copy_text(value: str) -> str:
    """A string as a value in PostgreSQL's COPY text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def join_docs(*docs: Document) -> Document:
    """The index form of texts joined by spaces, from theirs (`document` splits at spaces:
    no CJK run and no word reaches across one)."""
    return Document(
        " ".join(d.words for d in docs if d.words), " ".join(d.cjk for d in docs if d.cjk)
    )


@dataclass
class Paragraph:
    text: str
    html: str
    doc: Document


@dataclass
class Half:
    """One half of a title: its text, slug and index form."""

    text: str
    slug: str
    doc: Document


class Clock:
    """Timestamps as seconds since the epoch (floats: cheap to draw and compare), written in
    COPY text as `YYYY-MM-DD HH:MM:SS.ffffff+00` from tables of days and times of day."""

    def __init__(self):
        self.days: dict[int, str] = {}
        self.times = [
            f"{h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)
        ]

    def stamp(self, t: float) -> str:
        seconds = int(t)
        day, second = divmod(seconds, 86400)
        date = self.days.get(day)
        if date is None:
            date = self.days[day] = time.strftime("%Y-%m-%d ", time.gmtime(day * 86400))
        return f"{date}{self.times[second]}.{int((t - seconds) * 1e6):06d}+00"


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text, allow_unicode=True)


class Texts:
    """The pools. Bodies are numbered: questions' `0 .. q_bodies - 1`, answers' after them;
    `body_paragraphs[n]` lists body n's paragraphs (the search index builds its text from
    them), `body_copy[n]` is (Markdown, HTML) in COPY text."""

    def __init__(self, maker: TextMaker, rng: random.Random, scale: int):
        self.rng = rng
        self.maker = maker
        self.pool: list[Paragraph] = []
        for _ in range(min(PARAGRAPH_POOL, 200 + scale)):
            text = maker.body()
            self.pool.append(Paragraph(text, f"<p>{escape(text, quote=False)}</p>", document(text)))
        # Paragraphs hold no tab, newline or backslash: only the joints need escaping.
        assert not any(copy_text(p.text) != p.text for p in self.pool)
        texts, htmls = [p.text for p in self.pool], [p.html for p in self.pool]
        count, rand, randint = len(self.pool), rng.random, rng.randint
        self.body_paragraphs: list[list[int]] = []
        self.body_copy: list[tuple[str, str]] = []
        size = min(BODY_POOL, 100 + 2 * scale)
        for low, high in ((1, 5), (1, 4)):
            for _ in range(size):
                chosen = [int(rand() * count) for _ in range(randint(low, high))]
                self.body_paragraphs.append(chosen)
                self.body_copy.append(
                    (
                        "\\n\\n".join([texts[n] for n in chosen]),
                        "\\n".join([htmls[n] for n in chosen]),
                    )
                )
        self.q_bodies = size
        halves = min(TITLE_HALVES, 100 + scale)
        self.chinese = [self._half(maker.chinese(2, 4)) for _ in range(halves)]
        self.english = [self._half(maker.english(3, 6)) for _ in range(halves)]
        self.comments = []
        for _ in range(min(COMMENT_POOL, 100 + scale)):
            text = maker.comment()
            self.comments.append((copy_text(text), copy_text(escape(text, quote=False))))

    @staticmethod
    def _half(text: str) -> Half:
        return Half(text, _slug(text), document(text))

    def question_body(self) -> int:
        return int(self.rng.random() * self.q_bodies)

    def answer_body(self) -> int:
        return self.q_bodies + int(self.rng.random() * self.q_bodies)

    def title(self) -> tuple[str, str, Document]:
        """(title, slug, index form): a Chinese and an English half in either order, as
        `TextMaker.title` makes them; the slug is what `Question.save` sets."""
        rng = self.rng
        parts = [rng.choice(self.chinese), rng.choice(self.english)]
        if rng.random() < 0.5:
            parts.reverse()
        first, second = parts
        slug = f"{first.slug}-{second.slug}"[:90].strip("-") or "question"
        if slug in RESERVED_SLUGS:
            slug = f"{slug}-question"
        return f"{first.text} {second.text}", slug, join_docs(first.doc, second.doc)

    def comment(self) -> tuple[str, str]:
        """(text, HTML) of a comment, in COPY text."""
        return self.comments[int(self.rng.random() * len(self.comments))]

    def plain_paragraphs(self) -> list[str]:
        """Each pool paragraph's plain text, as `html_to_text` makes it of the body HTML."""
        return [html_to_text(p.html) for p in self.pool]


def tag_documents(names: list[str]) -> list[tuple[Document, str]]:
    """Per tag: the index form of its name and its tag token (see `search.index`)."""
    return [(document(name), tag_token(name)) for name in names]
