"""The search index part of `loadbench` (demo/loadbench.py): entries made as `search.index`
would make them, but with each pool paragraph's text and tsvectors computed once in SQL and a
body's put together from its paragraphs' (one INSERT ... SELECT, split over connections), so a
million posts are never parsed one by one. A mixin of `loadbench.Loader`, whose attributes it
uses (`postgres`, `texts`, `entries`, `stats`, `search_indexes`, `_lap`)."""

from __future__ import annotations

import io

from django.db import connection

from search.index import CJK_CONFIG, WORDS_CONFIG, _tags_document
from search.text import Document, document, html_to_text

from .bulk import _copy_text, run_parallel


class SearchIndexLoad:
    def _entry(self, qid, aid, kind, author, title, html, names, score, accepted, count, created,
               paragraphs):  # fmt: skip
        """A search entry, as `search.index` would make it: its body text and body vector are
        put together in SQL from the pool's paragraphs (see `_search`)."""
        if not self.postgres:
            return  # SQLite: `rebuild` indexes the (few) posts at the end
        tags = _tags_document(names, words=kind == "question")
        title_doc = document(title) if kind == "question" else Document("", "")
        self.entries.add(
            (self.entries.new_id(), qid, aid, kind, author, title, " ".join(names), score,
             accepted, count, created, True, "{" + ",".join(map(str, paragraphs)) + "}",
             title_doc.words, title_doc.cjk, tags.words, tags.cjk)
        )  # fmt: skip

    def _staging_tables(self) -> None:
        """The pool's paragraphs with their plain text and tsvectors (each parsed once, not
        once per post that uses it), and the entries waiting for their text and vectors."""
        if not self.postgres:
            return
        plain = [html_to_text(p.html) for p in self.texts.pool]
        # What html_to_text puts between two paragraphs of a body.
        self.separator = html_to_text("<p>x</p>\n<p>y</p>")[1:-1]
        buffer = io.StringIO()
        for number, (paragraph, text) in enumerate(zip(self.texts.pool, plain, strict=True)):
            row = (number, text, paragraph.doc.words, paragraph.doc.cjk)
            buffer.write("\t".join(map(_copy_text, row)) + "\n")
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS demo_loadbench_search")
            cursor.execute("DROP TABLE IF EXISTS demo_loadbench_paragraph")
            cursor.execute(
                """CREATE UNLOGGED TABLE demo_loadbench_search (
                       LIKE questions_searchentry INCLUDING DEFAULTS,
                       paragraphs int[], tw text, tc text, gw text, gc text)"""
            )
            cursor.execute("ALTER TABLE demo_loadbench_search ALTER body DROP NOT NULL")
            cursor.execute(
                """CREATE UNLOGGED TABLE demo_loadbench_paragraph (
                       id int PRIMARY KEY, plain text, words text, cjk text,
                       wv tsvector, cv tsvector)"""
            )
            cursor.copy_expert(
                "COPY demo_loadbench_paragraph (id, plain, words, cjk) FROM STDIN", buffer
            )
            cursor.execute(
                f"""UPDATE demo_loadbench_paragraph
                    SET wv = setweight(to_tsvector('{WORDS_CONFIG}', words), 'C'),
                        cv = setweight(to_tsvector('{CJK_CONFIG}', cjk), 'C')"""
            )
            # || of tsvectors as an aggregate: a body's vector from its paragraphs' vectors.
            cursor.execute("DROP AGGREGATE IF EXISTS demo_loadbench_concat(tsvector)")
            cursor.execute(
                """CREATE AGGREGATE demo_loadbench_concat(tsvector)
                   (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')"""
            )
        self._staging = True

    def _flush_entries(self) -> None:
        if not self.postgres or not self.entries.rows:
            return
        self.entries.flush()
        self.stats.entries = self.entries.written

    def _search(self, started: float) -> None:
        if not self.postgres:
            from search.index import rebuild

            self.stats.entries = rebuild(batch_size=200)
            return
        if not getattr(self, "_staging", False):
            return
        columns = ", ".join(c for c in self.entries.columns[:-5])
        prefixed = ", ".join(f"s.{c}" for c in self.entries.columns[:-5])
        title = f"to_tsvector('{WORDS_CONFIG}', s.tw) || to_tsvector('{CJK_CONFIG}', s.tc)"
        head = (
            f"setweight({title}, 'A') || setweight(to_tsvector('{WORDS_CONFIG}', s.gw) || "
            f"to_tsvector('{CJK_CONFIG}', s.gc), 'B')"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM demo_loadbench_search")
            low, high = cursor.fetchone()
        if low is None:
            return
        step = max(1, (high - low + 1) // 8 + 1)
        separator = self.separator.replace("'", "''")
        run_parallel(
            [
                f"""INSERT INTO questions_searchentry ({columns}, body, vector, title_vector)
                    SELECT {prefixed}, b.body, {head} || b.wv || b.cv,
                           CASE WHEN s.answer_id IS NULL THEN {title} END
                    FROM demo_loadbench_search s, LATERAL (
                        SELECT string_agg(p.plain, E'{separator}' ORDER BY n.o) AS body,
                               demo_loadbench_concat(p.wv ORDER BY n.o) AS wv,
                               demo_loadbench_concat(p.cv ORDER BY n.o) AS cv
                        FROM unnest(s.paragraphs) WITH ORDINALITY AS n(id, o)
                        JOIN demo_loadbench_paragraph p ON p.id = n.id) b
                    WHERE s.id >= {start} AND s.id < {start + step}"""
                for start in range(low, high + 1, step)
            ]
        )
        self._lap("search entries", started)
        # The title terms of similar and related questions (search.models.TitleTerm), as
        # search.index.TITLE_TERMS_SQL reads them from the title vectors; from the narrower
        # staging rows, and sorted, so the primary key grows at its end.
        run_parallel(
            [
                f"""INSERT INTO search_titleterm (term, question_id)
                    SELECT term, s.question_id FROM demo_loadbench_search s,
                        unnest(tsvector_to_array({title})) term
                    WHERE s.answer_id IS NULL AND s.id >= {start} AND s.id < {start + step}
                    ORDER BY 1, 2"""
                for start in range(low, high + 1, step)
            ]
        )
        self._lap("title terms", started)
        run_parallel(getattr(self, "search_indexes", []))
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE demo_loadbench_search")
            cursor.execute("DROP TABLE demo_loadbench_paragraph")
            cursor.execute("DROP AGGREGATE demo_loadbench_concat(tsvector)")
