"""Benchmark data at the scale of a big site, fast: `manage.py loadbench --questions N`.

Rows are made in Python and written straight into the tables, by COPY on PostgreSQL and by
`executemany` on SQLite, with ids chosen here, so foreign keys are known without reading
anything back. Nothing goes through the services (they lock, measure and index one post at a
time); instead every stored total is computed from the same rows it totals, so the data is
what the services would have left behind:

- `score` of every post = its vote rows (+1/-1); `answer_count`, `comment_count` = its rows;
- the reputation ledger holds one row per vote received (+10/-2), per downvote cast on an
  answer (-1) and per accept (+15 answerer, +2 asker), and `User.reputation` = max(1, 1 + sum).
  No member receives more than 20 upvotes on one UTC day, so the daily cap never clips a vote
  and `recompute_reputation --dry-run` finds nothing to fix;
- the search index holds one entry per post, built from the same text (demo/loadbench_search).

What it is like: thousands of members (posting as a Zipf distribution: a few write much),
tags with a long tail, questions over five years (more recent than old), answers per question
skewed (a fifth with none, most with 1-3, a few with 50 or more), long bodies of mixed Chinese
and English paragraphs, comments, a third of the questions with an accepted answer. Bodies,
titles and comments come from pools made once (demo/pools.py; a paragraph of plain sentences
renders to `<p>...</p>`, which the tests check against the real renderer), and rows are
written as lines of COPY text. No first revisions are written: a post's history page then
lists none, as for posts imported from elsewhere.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import connection, connections
from django.utils import timezone

from answers.models import Answer
from comments.models import Comment
from pagecache import versions
from questions.models import Question, Tag
from search import slices
from search.models import SearchEntry
from search.text import Document
from votes import reputation
from votes.models import ReputationEvent, ReputationReason, Vote

from .bulk import (
    ANSWERED,
    FLUSH_ROWS,
    MAX_UPVOTES_A_DAY,
    YEARS,
    Stats,
    Table,
    Zipf,
    by_size,
    default_tags,
    default_users,
    drop_constraints,
    drop_indexes,
    fast_session,
    restore_constraints,
    run_parallel,
    tag_names,
)
from .loadbench_lists import bucket_statements, pause_list_triggers, resume_list_triggers
from .loadbench_search import SearchIndexLoad
from .pools import NULL, Clock, Texts, join_docs, tag_documents
from .words import TextMaker

WORKERS = 2  # processes generating rows: one per core
# Ledger rows in COPY text: deltas and reasons.
UP, DOWN, DOWN_GIVEN = (
    reputation.UPVOTE_RECEIVED,
    reputation.DOWNVOTE_RECEIVED,
    reputation.DOWNVOTE_ANSWER_GIVEN,
)
ACCEPTED, ACCEPTER = reputation.ANSWER_ACCEPTED, reputation.ACCEPTER
UPVOTE, DOWNVOTE, DOWNVOTED = (
    ReputationReason.UPVOTE.value,
    ReputationReason.DOWNVOTE.value,
    ReputationReason.DOWNVOTED_ANSWER.value,
)
ACCEPT, ACCEPTER_REASON = ReputationReason.ACCEPTED.value, ReputationReason.ACCEPTER.value


class Loader(SearchIndexLoad):
    def __init__(
        self,
        *,
        questions: int,
        users: int | None = None,
        tags: int | None = None,
        seed: int = 8,
        progress: Callable[[str, int, int], None] | None = None,
        now: datetime | None = None,
    ):
        self.n_questions = questions
        self.n_users = users or default_users(questions)
        self.n_tags = tags or default_tags(questions)
        self.seed = seed
        self.rng = random.Random(seed)
        self.daily_cap = MAX_UPVOTES_A_DAY
        self.done = None  # a worker's shared count of threads made
        self.progress = progress or (lambda label, done, total: None)
        self.now = now or timezone.now()
        self.start = self.now - timedelta(days=365 * YEARS)
        self.stats = Stats()
        self.postgres = connection.vendor == "postgresql"
        self.start_ts = self.start.timestamp()
        self.latest = self.now.timestamp() - 60  # no post in the last minute
        # Upvotes received per (member, UTC day), to stay under the daily cap.
        self.upvotes_on: dict[int, int] = {}

    def run(self) -> Stats:
        started = time.monotonic()
        self._tables()
        # Inside a transaction (a test's) the deferred foreign-key checks forbid CREATE INDEX;
        # a test's few rows are written in this process.
        alone = not self.postgres or connection.in_atomic_block
        tables = [t.model._meta.db_table for t in self.order]
        search, terms = SearchEntry._meta.db_table, "search_titleterm"  # (search.TitleTerm)
        constraints = [] if alone else drop_constraints([*tables, search, terms])
        dropped = [] if alone else drop_indexes([*tables, search, terms])
        if not alone:
            pause_list_triggers()
        if self.postgres:
            with connection.cursor() as cursor:
                fast_session(cursor)
        self._lap("setup", started)
        self._users_and_tags()
        if alone or self.n_questions < 2 * WORKERS * 100:
            self._threads(self.n_questions)
        else:
            self._fork(WORKERS)
        self._lap("rows", started)
        self.stats.events = self.stats.events or self.events.written
        self._search(started)
        # One queue, two connections, the longest first: the search vectors' GIN indexes (a cut's
        # slices replace the full one, oldest first: search.slices), then the rest.
        searched = [sql for table, sql in dropped if table in (search, terms)]
        full = [sql for sql in searched if "(vector)" in sql]
        unique = [c for c in constraints if c[2] == "u" and c[0] != search]
        loaded = by_size([*tables, self.users.table, self.tags.table])
        cut = None if alone else slices.plan(concurrently=False)
        run_parallel(
            (cut.statements if cut else full)
            + ([] if alone else bucket_statements())
            + [
                f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {sql}'
                for table, name, _, sql in unique
            ]
            + [sql for table in loaded for t, sql in dropped if t == table]
            + [sql for sql in searched if sql not in full]
            + self._totals()
            + self._vacuum(loaded)
        )
        if not alone:
            resume_list_triggers()
        if cut or (self.postgres and alone):  # alone: a test's few rows, in its transaction
            slices.save(cut, concurrently=False) if cut else slices.split(concurrently=False)
        self._lap("indexes, list counts, search slices, totals, vacuum", started)
        restore_constraints([c for c in constraints if c not in unique])
        self._reset_sequences()
        self._lap("constraints", started)
        run_parallel(self._vacuum([search, terms, "questions_question"]))
        self._lap("analyze", started)
        versions.bump()  # COPY is no statement the connection reports: say it here
        return self.stats

    def _vacuum(self, tables: list[str]) -> list[str]:
        """VACUUM sets the visibility map, so list pages read their ids from the indexes
        alone (as autovacuum would in time); it cannot run inside a transaction (a test's),
        where ANALYZE does."""
        if not self.postgres:
            return []
        if connection.in_atomic_block:
            return [f"ANALYZE {table}" for table in tables]
        return [f"VACUUM (ANALYZE) {table}" for table in tables]

    # -- steps -----------------------------------------------------------------------------

    def _lap(self, name: str, started: float) -> None:
        self.stats.seconds[name] = round(
            time.monotonic() - started - sum(self.stats.seconds.values()), 1
        )

    def _tables(self) -> None:
        User = get_user_model()
        self.users = Table(
            User,
            ["id", "password", "username", "email", "first_name", "last_name", "is_superuser",
             "is_staff", "is_active", "date_joined", "reputation", "about",
             "suspension_reason", "display_name", "avatar_style", "theme"],
        )  # fmt: skip
        self.tags = Table(Tag, ["id", "name", "description", "created_at", "question_count"])
        post = ["id", "author_id", "body", "body_html", "score", "comment_count", "created_at"]
        self.questions = Table(
            Question, [*post, "title", "slug", "answer_count", "last_activity_at",
                       "close_reason", "is_answered"])  # fmt: skip
        self.question_tags = Table(Question.tags.through, ["id", "question_id", "tag_id"])
        self.answers = Table(Answer, [*post, "question_id", "is_accepted", "accepted_at"])
        self.votes = Table(
            Vote, ["id", "voter_id", "question_id", "answer_id", "value", "created_at"]
        )
        self.comments = Table(
            Comment,
            ["id", "author_id", "question_id", "answer_id", "body", "body_html", "created_at"],
        )
        self.events = Table(
            ReputationEvent,
            ["id", "user_id", "delta", "reason", "question_id", "answer_id", "created_at"],
        )
        self.entries = Table(
            SearchEntry,
            ["id", "question_id", "answer_id", "kind", "author_id", "title", "tags",
             "score", "is_accepted", "answer_count", "created_at", "is_visible"],
            table="demo_loadbench_search" if self.postgres else None,
            extra=["body_no", "tw", "tc", "gw", "gc"],
        )  # fmt: skip
        # Parents before children, so foreign keys hold at every flush.
        self.order = [
            self.questions,
            self.question_tags,
            self.answers,
            self.votes,
            self.comments,
            self.events,
        ]

    def _users_and_tags(self) -> None:
        rng = self.rng
        first = self.users.next_id
        style = get_user_model().avatar_style.field.default
        for _ in range(self.n_users):
            # "reader", not tests.factories' "member<n>": a test's members and these may meet.
            pk = self.users.new_id()
            joined = self.start + timedelta(seconds=rng.random() * YEARS * 365 * 86400 * 0.5)
            self.users.add_row(
                (pk, "!", f"reader{pk}", f"reader{pk}@example.com", "", "", False, False, True,
                 joined, 1, "", "", "", style, "")
            )  # fmt: skip
        self.users.flush()
        self.user_ids = list(range(first, first + self.n_users))
        self.stats.users = self.n_users
        taken = set(Tag.objects.values_list("name", flat=True))
        names = tag_names(self.n_tags, rng, taken)
        self.tag_ids = []
        self.tag_name = {}
        for name in names:
            pk = self.tags.new_id()
            self.tags.add_row((pk, name, "", self.start, 0))
            self.tag_ids.append(pk)
            self.tag_name[pk] = name
        self.tags.flush()
        self.tag_doc = dict(zip(self.tag_ids, tag_documents(names), strict=True))
        self.stats.tags = len(names)
        self.authors = Zipf(self.n_users, 0.9, rng, values=self.user_ids)
        self.tag_draw = Zipf(len(self.tag_ids), 1.1, rng, values=self.tag_ids)
        self.texts = Texts(TextMaker(rng), rng, self.n_questions)
        self.clock = Clock()
        self._staging_tables()

    def _when(self, after: float, mean_days: float) -> float:
        """A moment (seconds since the epoch) after `after` (exponential delay), never
        after now."""
        when = after - math.log(1.0 - self.rng.random()) * mean_days * 86400
        latest = self.latest - self.rng.random() * 60
        return when if when < latest else latest

    def _answer_count(self) -> int:
        """Answers to one question: none for a fifth, else Pareto (mean about 3 in all, 78%
        with 0-2, one in 150 with 50 or more)."""
        if self.rng.random() > ANSWERED:
            return 0
        return min(400, int(self.rng.paretovariate(1.25)))

    def _vote_moment(self, author: int, created: float) -> float | None:
        """When an upvote for `author` on a post made at `created` is cast: a day on which
        they have fewer than 20 upvotes yet, or None when no such day is found."""
        for _ in range(8):
            when = self._when(created, 60)
            key = author * 100_000 + int(when // 86400)
            count = self.upvotes_on.get(key, 0)
            if count < self.daily_cap:
                self.upvotes_on[key] = count + 1
                return when
        return None

    def _votes(self, author: int, created: float, question: str, answer: str) -> int:
        """Vote rows, reputation rows and the score of one post; `question` and `answer`
        are the post's id and NULL (`\\N`) in COPY text, in either order."""
        rng = self.rng
        ups = min(300, int(rng.paretovariate(1.4)) - 1)
        downs = 0 if rng.random() < 0.85 else rng.randint(1, 3)
        if not ups + downs:
            return 0
        voters = rng.sample(self.user_ids, min(len(self.user_ids) - 1, ups + downs))
        stamp, votes, events = self.clock.stamp, self.votes, self.events
        post = f"{question}\t{answer}"
        score = 0
        for n, voter in enumerate(voters):
            if voter == author:
                continue
            if n < ups:
                value, when = 1, self._vote_moment(author, created)
                if when is None:
                    continue
                at = stamp(when)
                events.add(f"{events.new_id()}\t{author}\t{UP}\t{UPVOTE}\t{post}\t{at}\n")
            else:
                value, at = -1, stamp(self._when(created, 60))
                events.add(f"{events.new_id()}\t{author}\t{DOWN}\t{DOWNVOTE}\t{post}\t{at}\n")
                if answer != NULL:
                    events.add(
                        f"{events.new_id()}\t{voter}\t{DOWN_GIVEN}\t{DOWNVOTED}\t{NULL}\t"
                        f"{answer}\t{at}\n"
                    )
            votes.add(f"{votes.new_id()}\t{voter}\t{post}\t{value}\t{at}\n")
            self.stats.votes += 1
            score += value
        return score

    def _comments(self, created: float, question: str, answer: str) -> int:
        rng = self.rng
        if rng.random() < 0.6:
            return 0
        count = min(30, int(rng.paretovariate(1.8)))
        comments, stamp = self.comments, self.clock.stamp
        for _ in range(count):
            text, html = self.texts.comment()
            at = stamp(self._when(created, 10))
            comments.add(
                f"{comments.new_id()}\t{self.authors.draw()}\t{question}\t{answer}\t{text}\t"
                f"{html}\t{at}\n"
            )
        self.stats.comments += count
        return count

    def _fork(self, workers: int) -> None:
        """Make the threads in `workers` processes, each with its own random stream, its own
        share of the ids (worker k takes every workers-th id from k) and of the daily upvote
        cap; the progress bar adds up their counts."""
        connections.close_all()  # each child opens its own connection
        context = multiprocessing.get_context("fork")
        done = [context.Value("q", 0) for _ in range(workers)]
        results = context.Queue()
        total = self.n_questions
        shares = [total // workers + (k < total % workers) for k in range(workers)]

        def work(k: int) -> None:
            self.rng = random.Random(f"{self.seed}-{k}")
            self.texts.rng = self.authors.rng = self.tag_draw.rng = self.rng
            self.daily_cap = MAX_UPVOTES_A_DAY // workers
            for table in [*self.order, self.entries]:
                table.share(k, workers)
            with connection.cursor() as cursor:
                fast_session(cursor)
            self.done = done[k]
            self._threads(shares[k])
            self.stats.events = self.events.written
            results.put((k, self.stats))
            connections.close_all()

        processes = [context.Process(target=work, args=(k,)) for k in range(workers)]
        for process in processes:
            process.start()
        stats = []
        while len(stats) < workers:
            try:
                stats.append(results.get(timeout=1))
            except queue.Empty:
                if any(p.exitcode not in (None, 0) for p in processes):
                    for process in processes:
                        process.kill()
                    raise RuntimeError("a loadbench worker failed (see above)") from None
            self.progress("threads", sum(d.value for d in done), total)
        for process in processes:
            process.join()
        for _, part in stats:
            for name in ("questions", "answers", "accepted", "votes", "comments", "events"):
                setattr(self.stats, name, getattr(self.stats, name) + getattr(part, name))
        self.stats.entries = self.stats.questions + self.stats.answers
        self._staging = True

    def _threads(self, total: int) -> None:
        rng = self.rng
        texts, stamp, events = self.texts, self.clock.stamp, self.events
        start, span = self.start_ts, self.latest - self.start_ts
        accept_rate = (1 / 3) / ANSWERED  # a third of all questions
        for done in range(1, total + 1):
            qid = self.questions.new_id()
            asker = self.authors.draw()
            # More questions lately than at the start, as a site grows.
            created = start + span * math.sqrt(rng.random())
            title, slug, title_doc = texts.title()
            tags = sorted(
                {self.tag_draw.draw() for _ in range(rng.randint(1, 5))},
                key=self.tag_name.__getitem__,
            )
            for tag in tags:
                self.question_tags.add(f"{self.question_tags.new_id()}\t{qid}\t{tag}\n")
            q = str(qid)
            q_score = self._votes(asker, created, q, NULL)
            q_comments = self._comments(created, q, NULL)
            answers = []
            last_activity = created
            for _ in range(self._answer_count()):
                aid = self.answers.new_id()
                author = self.authors.draw()
                a_created = self._when(created, 20)
                a = str(aid)
                score = self._votes(author, a_created, NULL, a)
                comments = self._comments(a_created, NULL, a)
                answers.append((aid, author, score, comments, a_created))
                last_activity = max(last_activity, a_created)
            accepted = None
            if answers and rng.random() < accept_rate:
                candidates = [a for a in answers if a[1] != asker]
                if candidates:
                    accepted = max(candidates, key=lambda a: (a[2], -a[0]))[0]
            tag_text = " ".join(self.tag_name[t] for t in tags)
            tag_docs = [self.tag_doc[t] for t in tags]
            tokens = " ".join(token for _, token in tag_docs)
            for aid, author, score, comments, a_created in answers:
                body = texts.answer_body()
                markdown, html = texts.body_copy[body]
                at, accepted_at, flag = stamp(a_created), NULL, "f"
                if aid == accepted:
                    accepted_at, flag = stamp(self._when(a_created, 5)), "t"
                    events.add(f"{events.new_id()}\t{author}\t{ACCEPTED}\t{ACCEPT}\t{NULL}\t"
                               f"{aid}\t{accepted_at}\n")  # fmt: skip
                    events.add(f"{events.new_id()}\t{asker}\t{ACCEPTER}\t{ACCEPTER_REASON}\t"
                               f"{NULL}\t{aid}\t{accepted_at}\n")  # fmt: skip
                    self.stats.accepted += 1
                self.answers.add(
                    f"{aid}\t{author}\t{markdown}\t{html}\t{score}\t{comments}\t{at}\t{qid}\t"
                    f"{flag}\t{accepted_at}\n"
                )
                self._entry(qid, str(aid), "answer", author, title, tag_text, score, flag, 0, at,
                            body, Document("", ""), Document("", tokens))  # fmt: skip
            body = texts.question_body()
            markdown, html = texts.body_copy[body]
            at = stamp(created)
            # As `questions.liststore` has it (no answer is deleted here): no rewrite after.
            answered = "t" if any(a[2] > 0 or a[0] == accepted for a in answers) else "f"
            self.questions.add(
                f"{qid}\t{asker}\t{markdown}\t{html}\t{q_score}\t{q_comments}\t{at}\t{title}\t"
                f"{slug}\t{len(answers)}\t{stamp(last_activity)}\t\t{answered}\n"
            )
            names = join_docs(*(doc for doc, _ in tag_docs))
            tags_doc = Document(names.words, f"{names.cjk} {tokens}".strip())
            self._entry(qid, NULL, "question", asker, title, tag_text, q_score, "f",
                        len(answers), at, body, title_doc, tags_doc)  # fmt: skip
            self.stats.questions += 1
            self.stats.answers += len(answers)
            if len(self.votes.rows) + len(self.events.rows) > FLUSH_ROWS or done == total:
                for table in self.order:
                    table.flush()
                self._flush_entries()
                if self.done is None:
                    self.progress("threads", done, total)
                else:
                    self.done.value = done

    def _totals(self) -> list[str]:
        """Members' reputation from the ledger and tags' question counts from the tag rows,
        one statement each for all the loaded members and tags (/tags/ sorts on the count;
        the loaded tags are on loaded questions only, none of them deleted)."""
        greatest = "greatest" if self.postgres else "max"
        users, tags = self.users.table, self.tags.table
        return [
            f"""UPDATE {users} SET reputation = {greatest}(1, 1 + e.total)
                FROM (SELECT user_id, sum(delta) AS total FROM {self.events.table}
                      WHERE user_id BETWEEN {self.user_ids[0]} AND {self.user_ids[-1]}
                      GROUP BY user_id) e
                WHERE {users}.id = e.user_id""",
            f"""UPDATE {tags} SET question_count = c.n
                FROM (SELECT tag_id, count(*) AS n FROM {self.question_tags.table}
                      WHERE tag_id BETWEEN {self.tag_ids[0]} AND {self.tag_ids[-1]}
                      GROUP BY tag_id) c
                WHERE {tags}.id = c.tag_id""",
        ]

    def _reset_sequences(self) -> None:
        """Move the id sequences past the ids chosen here (PostgreSQL; SQLite needs nothing)."""
        models = [Tag, Question, Question.tags.through, Answer, Vote, Comment, ReputationEvent,
                  SearchEntry, get_user_model()]  # fmt: skip
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def load(questions: int, **options) -> Stats:
    """Add `questions` questions with their threads, members and tags; see the module doc."""
    return Loader(questions=questions, **options).run()
