"""The search index part of `loadbench` (demo/loadbench.py): entries made as `search.index`
would make them, but with each pool paragraph's text and tsvectors computed once in SQL, each
pool body's put together once from its paragraphs', and an entry's from its body's and its
own title and tags (one INSERT ... SELECT, split over connections), so a million posts are
never parsed one by one. A mixin of `loadbench.Loader`, whose attributes it uses (`postgres`,
`texts`, `entries`, `stats`, `_lap`); the search table's indexes are rebuilt there."""

from __future__ import annotations

import io

from django.db import connection

from search.index import CJK_CONFIG, WORDS_CONFIG
from search.text import Document, html_to_text

from .bulk import _copy_text, run_parallel
from .pools import copy_text


class SearchIndexLoad:
    def _entry(self, qid, answer, kind, author, title, tags, score, accepted, count, created,
               body, title_doc: Document, tags_doc: Document):  # fmt: skip
        """A search entry, as `search.index` would make it: its body text and body vector
        are the pool body's (see `_search`); `answer`, `accepted` and `created` in COPY
        text."""
        if not self.postgres:
            return  # SQLite: `rebuild` indexes the (few) posts at the end
        self.entries.add(
            f"{self.entries.new_id()}\t{qid}\t{answer}\t{kind}\t{author}\t{title}\t"
            f"{tags}\t{score}\t{accepted}\t{count}\t{created}\tt\t{body}\t"
            f"{copy_text(title_doc.words)}\t{title_doc.cjk}\t{copy_text(tags_doc.words)}\t"
            f"{tags_doc.cjk}\n"
        )

    def _staging_tables(self) -> None:
        """The pool's paragraphs (with their plain text, parsed once in SQL, not once per post
        that uses them) and bodies, and the entries waiting for their text and vectors."""
        if not self.postgres:
            return
        plain = self.texts.plain_paragraphs()
        # What html_to_text puts between two paragraphs of a body.
        self.separator = html_to_text("<p>x</p>\n<p>y</p>")[1:-1]
        paragraphs = io.StringIO()
        for number, (paragraph, text) in enumerate(zip(self.texts.pool, plain, strict=True)):
            row = (number, text, paragraph.doc.words, paragraph.doc.cjk)
            paragraphs.write("\t".join(map(_copy_text, row)) + "\n")
        paragraphs.seek(0)
        bodies = io.StringIO()
        for number, parts in enumerate(self.texts.body_paragraphs):
            bodies.write(f"{number}\t{{{','.join(map(str, parts))}}}\n")
        bodies.seek(0)
        with connection.cursor() as cursor:
            for table in ("search", "paragraph", "body"):
                cursor.execute(f"DROP TABLE IF EXISTS demo_loadbench_{table}")
            cursor.execute(
                """CREATE UNLOGGED TABLE demo_loadbench_search (
                       LIKE questions_searchentry INCLUDING DEFAULTS,
                       body_no int, tw text, tc text, gw text, gc text)"""
            )
            cursor.execute("ALTER TABLE demo_loadbench_search ALTER body DROP NOT NULL")
            cursor.execute(
                """CREATE UNLOGGED TABLE demo_loadbench_paragraph (
                       id int PRIMARY KEY, plain text, words text, cjk text,
                       wv tsvector, cv tsvector)"""
            )
            cursor.execute(
                """CREATE UNLOGGED TABLE demo_loadbench_body (
                       id int PRIMARY KEY, paragraphs int[], body text, vector tsvector)
                   WITH (toast_tuple_target = 8160)"""
            )
            # Kept in the row, uncompressed where it fits: read once per entry that uses it.
            cursor.execute(
                """ALTER TABLE demo_loadbench_body
                   ALTER body SET STORAGE MAIN, ALTER vector SET STORAGE MAIN"""
            )
            cursor.copy_expert(
                "COPY demo_loadbench_paragraph (id, plain, words, cjk) FROM STDIN", paragraphs
            )
            cursor.copy_expert("COPY demo_loadbench_body (id, paragraphs) FROM STDIN", bodies)
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

    def _pool_vectors(self) -> None:
        """Each pool paragraph's tsvectors, then each pool body's text and vector: its
        paragraphs' words, then their CJK tokens, as `document` splits the body (for
        tsvectors a || b || c == a || (b || c)); each half on its own connection."""
        separator = self.separator.replace("'", "''")
        bodies = len(self.texts.body_paragraphs)
        run_parallel(
            [
                f"""UPDATE demo_loadbench_paragraph
                    SET wv = setweight(to_tsvector('{WORDS_CONFIG}', words), 'C'),
                        cv = setweight(to_tsvector('{CJK_CONFIG}', cjk), 'C')
                    WHERE id % 2 = {half}"""
                for half in (0, 1)
            ]
        )
        run_parallel(
            [
                f"""UPDATE demo_loadbench_body d SET (body, vector) = (
                        SELECT string_agg(p.plain, E'{separator}' ORDER BY n.o),
                               demo_loadbench_concat(p.wv ORDER BY n.o)
                               || demo_loadbench_concat(p.cv ORDER BY n.o)
                        FROM unnest(d.paragraphs) WITH ORDINALITY AS n(id, o)
                        JOIN demo_loadbench_paragraph p ON p.id = n.id)
                    WHERE d.id >= {start} AND d.id < {start + bodies // 2 + 1}"""
                for start in (0, bodies // 2 + 1)
            ]
        )

    def _search(self, started: float) -> None:
        if not self.postgres:
            from search.index import rebuild

            self.stats.entries = rebuild(batch_size=200)
            return
        if not getattr(self, "_staging", False):
            return
        columns = ", ".join(c for c in self.entries.columns[:-5])
        prefixed = ", ".join(f"s.{c}" for c in self.entries.columns[:-5])
        tags = f"to_tsvector('{WORDS_CONFIG}', s.gw) || to_tsvector('{CJK_CONFIG}', s.gc)"
        with connection.cursor() as cursor:
            cursor.execute("SELECT min(id), max(id) FROM demo_loadbench_search")
            low, high = cursor.fetchone()
        if low is None:
            return
        self._pool_vectors()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE demo_loadbench_search (id, body_no), demo_loadbench_body (id)")
        step = max(1, (high - low + 1) // 8 + 1)
        # Each question's title terms (search.models.TitleTerm, for similar and related
        # questions) from the title vector its entry was just given, as
        # search.index.TITLE_TERMS_SQL reads them: in the same statement, so no title is parsed
        # twice; sorted, so the primary key grows at its end.
        run_parallel(
            [
                f"""WITH entry AS (
                        INSERT INTO questions_searchentry ({columns}, body, vector, title_vector)
                        SELECT {prefixed}, b.body,
                               setweight(t.vector, 'A') || setweight({tags}, 'B') || b.vector,
                               CASE WHEN s.answer_id IS NULL THEN t.vector END
                        FROM demo_loadbench_search s
                        JOIN demo_loadbench_body b ON b.id = s.body_no,
                        LATERAL (SELECT to_tsvector('{WORDS_CONFIG}', s.tw)
                                        || to_tsvector('{CJK_CONFIG}', s.tc) AS vector) t
                        WHERE s.id >= {start} AND s.id < {start + step}
                        RETURNING question_id, title_vector)
                    INSERT INTO search_titleterm (term, question_id)
                    SELECT term, entry.question_id
                    FROM entry, unnest(tsvector_to_array(entry.title_vector)) term
                    WHERE entry.title_vector IS NOT NULL
                    ORDER BY 1, 2"""
                for start in range(low, high + 1, step)
            ]
        )
        self._lap("search entries and title terms", started)
        with connection.cursor() as cursor:
            for table in ("search", "paragraph", "body"):
                cursor.execute(f"DROP TABLE demo_loadbench_{table}")
            cursor.execute("DROP AGGREGATE demo_loadbench_concat(tsvector)")
