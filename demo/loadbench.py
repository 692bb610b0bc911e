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
- the search index holds one entry per post, built from the same text (on PostgreSQL by one
  INSERT ... SELECT with to_tsvector, split over two connections).

What it is like: thousands of members (posting as a Zipf distribution: a few write much),
tags with a long tail, questions over five years (more recent than old), answers per question
skewed (a fifth with none, most with 1-3, a few with 50 or more), long bodies of mixed Chinese
and English paragraphs, comments, a third of the questions with an accepted answer. Bodies
are made of paragraphs drawn from a pool, so a million posts do not cost a million Markdown
renders: a paragraph of plain sentences renders to `<p>...</p>`, which the tests check
against the real renderer.

No first revisions are written: a post's history page then lists none, as for posts
imported from elsewhere.
"""

from __future__ import annotations

import math
import multiprocessing
import queue
import random
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from html import escape

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
from votes import reputation
from votes.models import ReputationEvent, ReputationReason, Vote

from .bulk import (
    ANSWERED,
    FLUSH_ROWS,
    MAX_UPVOTES_A_DAY,
    PARAGRAPH_POOL,
    YEARS,
    Stats,
    Table,
    Texts,
    Zipf,
    default_tags,
    default_users,
    drop_constraints,
    drop_indexes,
    question_slug,
    restore_constraints,
    run_parallel,
    tag_names,
)
from .loadbench_lists import pause_list_triggers, resume_list_triggers
from .loadbench_search import SearchIndexLoad
from .words import TextMaker

WORKERS = 2  # processes generating rows: one per core


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
        # Upvotes received per (member, UTC day), to stay under the daily cap.
        self.upvotes_on: dict[int, int] = {}
        self.reputation: dict[int, int] = {}

    # -- public ----------------------------------------------------------------------------

    def run(self) -> Stats:
        started = time.monotonic()
        self._tables()
        # Inside a transaction (a test's) the deferred foreign-key checks forbid CREATE INDEX;
        # a test's few rows are written in this process.
        alone = not self.postgres or connection.in_atomic_block
        tables = [t.model._meta.db_table for t in self.order]
        search = SearchEntry._meta.db_table
        constraints = [] if alone else drop_constraints([*tables, search])
        dropped = [] if alone else drop_indexes([*tables, search])
        if not alone:
            pause_list_triggers()
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
        self._lap("setup", started)
        self._users_and_tags()
        if alone or self.n_questions < 2 * WORKERS * 100:
            self._threads(self.n_questions)
        else:
            self._fork(WORKERS)
        self._lap("rows", started)
        if not alone:  # before the indexes: the answered flags are written without them
            resume_list_triggers()
            self._lap("list counts", started)
        self._restore_indexes(dropped)
        self._lap("indexes", started)
        restore_constraints([c for c in constraints if c[0] != search])
        self._lap("constraints", started)
        self._finish()
        self._lap("totals", started)
        self._search(started)
        restore_constraints([c for c in constraints if c[0] == search])
        self._reset_sequences()
        self._lap("search indexes", started)
        if self.postgres:  # the search index's time slices (search.slices), two at a time
            slices.split(concurrently=False, create=None if alone else run_parallel)
        self._lap("search slices", started)
        if self.postgres:
            # VACUUM sets the visibility map, so list pages read their ids from the indexes
            # alone (as autovacuum would in time); it cannot run inside a transaction.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self._lap("analyze", started)
        versions.bump()  # COPY is no statement the connection reports: say it here
        return self.stats

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
            Question, [*post, "title", "slug", "answer_count", "last_activity_at", "close_reason"]
        )
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
            extra=["paragraphs", "tw", "tc", "gw", "gc"],
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

    def _restore_indexes(self, dropped: list[tuple[str, str]]) -> None:
        """Recreate the dropped indexes, two at a time (one per core); the search table's
        once it is filled."""
        run_parallel([sql for table, sql in dropped if table != "questions_searchentry"])
        self.search_indexes = [sql for table, sql in dropped if table == "questions_searchentry"]

    def _users_and_tags(self) -> None:
        rng = self.rng
        first = self.users.next_id
        for _ in range(self.n_users):
            pk = self.users.new_id()
            joined = self.start + timedelta(seconds=rng.random() * YEARS * 365 * 86400 * 0.5)
            self.users.add(
                (pk, "!", f"member{pk}", f"member{pk}@example.com", "", "", False, False, True,
                 joined, 1, "", "", "", get_user_model().avatar_style.field.default, "")
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
            self.tags.add((pk, name, "", self.start, 0))
            self.tag_ids.append(pk)
            self.tag_name[pk] = name
        self.tags.flush()
        self.stats.tags = len(names)
        self.authors = Zipf(self.n_users, 0.9, rng)
        self.tag_draw = Zipf(len(self.tag_ids), 1.1, rng)
        self.texts = Texts(TextMaker(rng), rng, min(PARAGRAPH_POOL, 200 + self.n_questions))
        self.maker = self.texts.maker
        self._staging_tables()

    def _author(self) -> int:
        return self.user_ids[self.authors.draw()]

    def _when(self, after: datetime, mean_days: float) -> datetime:
        """A moment after `after` (exponential delay), never after now."""
        delay = timedelta(days=self.rng.expovariate(1 / mean_days))
        return min(after + delay, self.now - timedelta(seconds=self.rng.random() * 60))

    def _answer_count(self) -> int:
        """Answers to one question: none for a fifth, else Pareto (mean about 3 in all, 78%
        with 0-2, one in 150 with 50 or more)."""
        if self.rng.random() > ANSWERED:
            return 0
        return min(400, int(self.rng.paretovariate(1.25)))

    def _event(self, user_id: int, delta: int, reason: str, when, *, question=None, answer=None):
        self.events.add((self.events.new_id(), user_id, delta, reason, question, answer, when))
        self.reputation[user_id] = self.reputation.get(user_id, 0) + delta

    def _vote_moment(self, author: int, created: datetime) -> datetime | None:
        """When an upvote for `author` on a post made at `created` is cast: a day on which
        they have fewer than 20 upvotes yet, or None when no such day is found."""
        for _ in range(8):
            when = self._when(created, 60)
            key = author * 100_000 + when.toordinal()
            count = self.upvotes_on.get(key, 0)
            if count < self.daily_cap:
                self.upvotes_on[key] = count + 1
                return when
        return None

    def _votes(self, author: int, created: datetime, *, question=None, answer=None) -> int:
        """Vote rows, reputation rows and the score of one post."""
        rng = self.rng
        ups = min(300, int(rng.paretovariate(1.4)) - 1)
        downs = 0 if rng.random() < 0.85 else rng.randint(1, 3)
        voters = rng.sample(self.user_ids, min(len(self.user_ids) - 1, ups + downs))
        score = 0
        post = {"question": question, "answer": answer}
        for n, voter in enumerate(voters):
            if voter == author:
                continue
            value = 1 if n < ups else -1
            if value == 1:
                when = self._vote_moment(author, created)
                if when is None:
                    continue
                self._event(
                    author, reputation.UPVOTE_RECEIVED, ReputationReason.UPVOTE, when, **post
                )
            else:
                when = self._when(created, 60)
                self._event(
                    author, reputation.DOWNVOTE_RECEIVED, ReputationReason.DOWNVOTE, when, **post
                )
                if answer is not None:
                    self._event(
                        voter,
                        reputation.DOWNVOTE_ANSWER_GIVEN,
                        ReputationReason.DOWNVOTED_ANSWER,
                        when,
                        answer=answer,
                    )
            self.votes.add((self.votes.new_id(), voter, question, answer, value, when))
            self.stats.votes += 1
            score += value
        return score

    def _comments(self, created: datetime, *, question=None, answer=None) -> int:
        rng = self.rng
        if rng.random() < 0.6:
            return 0
        count = min(30, int(rng.paretovariate(1.8)))
        for _ in range(count):
            text = self.maker.comment()
            self.comments.add(
                (self.comments.new_id(), self._author(), question, answer, text,
                 escape(text, quote=False), self._when(created, 10))
            )  # fmt: skip
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
            self.texts.rng = self.maker.rng = self.authors.rng = self.tag_draw.rng = self.rng
            self.daily_cap = MAX_UPVOTES_A_DAY // workers
            for table in [*self.order, self.entries]:
                table.share(k, workers)
            with connection.cursor() as cursor:
                cursor.execute("SET synchronous_commit = off")
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
        span = (self.now - self.start).total_seconds()
        accept_rate = (1 / 3) / ANSWERED  # a third of all questions
        for done in range(1, total + 1):
            qid = self.questions.new_id()
            asker = self._author()
            # More questions lately than at the start, as a site grows.
            created = self.start + timedelta(seconds=span * math.sqrt(rng.random()))
            created = min(created, self.now - timedelta(minutes=1))
            title = self.maker.title()
            body, body_html, body_doc = self.texts.body(1, 5)  # doc: paragraph numbers
            tags = sorted(
                {self.tag_ids[self.tag_draw.draw()] for _ in range(rng.randint(1, 5))},
                key=self.tag_name.__getitem__,
            )
            names = [self.tag_name[t] for t in tags]
            for tag in tags:
                self.question_tags.add((self.question_tags.new_id(), qid, tag))
            q_score = self._votes(asker, created, question=qid)
            q_comments = self._comments(created, question=qid)
            answers = []
            last_activity = created
            for _ in range(self._answer_count()):
                aid = self.answers.new_id()
                author = self._author()
                a_created = self._when(created, 20)
                a_body, a_html, a_doc = self.texts.body(1, 4)
                score = self._votes(author, a_created, answer=aid)
                comments = self._comments(a_created, answer=aid)
                answers.append([aid, author, a_body, a_html, score, comments, a_created, a_doc])
                last_activity = max(last_activity, a_created)
            accepted = None
            if answers and rng.random() < accept_rate:
                candidates = [a for a in answers if a[1] != asker]
                if candidates:
                    accepted = max(candidates, key=lambda a: (a[4], -a[0]))
            for aid, author, a_body, a_html, score, comments, a_created, a_doc in answers:
                is_accepted = accepted is not None and aid == accepted[0]
                accepted_at = None
                if is_accepted:
                    accepted_at = self._when(a_created, 5)
                    self._event(author, reputation.ANSWER_ACCEPTED, ReputationReason.ACCEPTED,
                                accepted_at, answer=aid)  # fmt: skip
                    self._event(asker, reputation.ACCEPTER, ReputationReason.ACCEPTER,
                                accepted_at, answer=aid)  # fmt: skip
                    self.stats.accepted += 1
                self.answers.add(
                    (aid, author, a_body, a_html, score, comments, a_created, qid, is_accepted,
                     accepted_at)
                )  # fmt: skip
                self._entry(qid, aid, "answer", author, title, a_html, names, score,
                            is_accepted, 0, a_created, a_doc)  # fmt: skip
            self.questions.add(
                (qid, asker, body, body_html, q_score, q_comments, created, title,
                 question_slug(title), len(answers), last_activity, "")
            )  # fmt: skip
            self._entry(qid, None, "question", asker, title, body_html, names, q_score,
                        False, len(answers), created, body_doc)  # fmt: skip
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

    def _finish(self) -> None:
        """Reputation totals from the ledger, in one statement for all the loaded members."""
        users = self.users.table
        greatest = "greatest" if self.postgres else "max"
        with connection.cursor() as cursor:
            cursor.execute(
                f"""UPDATE {users} SET reputation = {greatest}(1, 1 + coalesce(
                        (SELECT sum(delta) FROM {self.events.table} e
                         WHERE e.user_id = {users}.id), 0))
                    WHERE id BETWEEN %s AND %s""",
                [self.user_ids[0], self.user_ids[-1]],
            )
        if not self.stats.events:
            self.stats.events = self.events.written
        Tag.objects.filter(pk__in=self.tag_ids).recount()  # /tags/ sorts on the stored count

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
