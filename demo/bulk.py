"""The pieces loadbench builds its rows from: tables written in bulk (COPY or executemany),
tag names, the Zipf sampler, the run's statistics, and the index drop and rebuild around a
load (the text pools are in `pools`)."""

from __future__ import annotations

import bisect
import io
import itertools
import random
import re
import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, connections
from django.utils.text import slugify

from questions.models import RESERVED_SLUGS, TAG_PATTERN
from votes import reputation

from .pools import copy_text
from .words import CHINESE, ENGLISH, TAGS

YEARS = 5
MAX_UPVOTES_A_DAY = reputation.DAILY_CAP // reputation.UPVOTE_RECEIVED
ANSWERED = 0.8  # the share of questions with at least one answer
FLUSH_ROWS = 20_000


def default_users(questions: int) -> int:
    """Thousands of members for a big site, a few hundred for a small one."""
    return max(50, min(50_000, questions // 20))


def default_tags(questions: int) -> int:
    return max(30, min(30_000, questions // 40))


# --- Writing rows ---------------------------------------------------------------------------


def _copy_text(value) -> str:
    """One value in PostgreSQL's COPY text format."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return copy_text(value)
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


class Table:
    """Rows for one table, in a fixed column order, written in batches.

    `columns` are attribute names of the model's concrete fields. Rows are added as lines of
    PostgreSQL's COPY text format (`add`: tab-separated, `\\N` for NULL, ending in a newline;
    `add_row` makes one of a tuple). On SQLite each line is read back and each value goes
    through its field's `to_python` and `get_db_prep_save`, as the ORM would.
    """

    def __init__(self, model, columns: list[str], *, table: str | None = None, extra=()):
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        self.fields = [fields[name] for name in columns]
        self.table = table or model._meta.db_table
        self.columns = [f.column for f in self.fields] + list(extra)  # extra: COPY only
        self.rows: list[str] = []
        self.add = self.rows.append
        self.written = 0
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.stride = 1  # loadbench's worker k of n takes the ids next_id + k, + k + n, ...

    def share(self, worker: int, workers: int) -> None:
        self.next_id += worker
        self.stride = workers

    def new_id(self) -> int:
        self.next_id += self.stride
        return self.next_id - self.stride

    def add_row(self, row: tuple) -> None:
        self.add("\t".join(map(_copy_text, row)) + "\n")

    def flush(self) -> None:
        if not self.rows:
            return
        columns = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                data = io.BytesIO("".join(self.rows).encode())
                cursor.copy_expert(f"COPY {self.table} ({columns}) FROM STDIN", data, 1 << 20)
            else:
                prepared = [
                    tuple(
                        None
                        if v == r"\N"
                        else f.get_db_prep_save(f.to_python(_uncopy(v)), connection)
                        for f, v in zip(self.fields, line[:-1].split("\t"), strict=True)
                    )
                    for line in self.rows
                ]
                marks = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", prepared
                )
        self.written += len(self.rows)
        self.rows.clear()


def _uncopy(value: str) -> str:
    """A value of COPY text back as the string it stands for."""
    if "\\" not in value:
        return value
    escapes = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
    return re.sub(r"\\.", lambda m: escapes[m.group()], value)


# --- Names ----------------------------------------------------------------------------------


def question_slug(title: str) -> str:
    """What `Question.save` sets."""
    slug = slugify(title, allow_unicode=True)[:90].strip("-") or "question"
    return f"{slug}-question" if slug in RESERVED_SLUGS else slug


def tag_names(count: int, rng: random.Random, taken: set[str]) -> list[str]:
    """`count` new tag names: the vocabulary's words first, then pairs of them."""
    pattern = re.compile(TAG_PATTERN)
    words = list(dict.fromkeys(TAGS + [w for w in ENGLISH if len(w) > 2] + CHINESE))
    names: list[str] = []
    seen = set(taken)

    def take(name: str) -> None:
        if name not in seen and len(name) <= 35 and pattern.match(name):
            seen.add(name)
            names.append(name)

    for word in words:
        take(word)
    for first, second in itertools.product(words, repeat=2):
        if len(names) >= count:
            break
        if first != second:
            take(f"{first}-{second}")
    number = 0
    while len(names) < count:
        number += 1
        take(f"{rng.choice(words)}-{number}")
    return names[:count]


# --- The generator ----------------------------------------------------------------------------


class Zipf:
    """Draw from `values` (default 0..n-1) with weight 1/(rank+1)^s, ranks shuffled."""

    def __init__(self, n: int, s: float, rng: random.Random, values: list | None = None):
        self.rng = rng
        self.order = list(range(n))
        rng.shuffle(self.order)
        if values is not None:
            self.order = [values[i] for i in self.order]
        self.cum = list(itertools.accumulate(1 / (rank + 1) ** s for rank in range(n)))
        self.total = self.cum[-1]

    def draw(self):
        return self.order[bisect.bisect(self.cum, self.rng.random() * self.total)]


@dataclass
class Stats:
    users: int = 0
    tags: int = 0
    questions: int = 0
    answers: int = 0
    accepted: int = 0
    votes: int = 0
    comments: int = 0
    events: int = 0
    entries: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def drop_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """On PostgreSQL, drop the plain indexes of the big tables while they are empty (each
    is rebuilt once at the end, far faster than kept up row by row). Indexes that back a
    constraint (primary keys, unique constraints) stay."""
    dropped = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if cursor.fetchone()[0]:
                continue
            cursor.execute(
                """SELECT i.indexname, i.indexdef FROM pg_indexes i
                   WHERE i.tablename = %s AND NOT EXISTS (
                       SELECT 1 FROM pg_constraint c
                       WHERE c.conindid = (quote_ident(i.indexname))::regclass)""",
                [table],
            )
            for name, definition in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{name}"')
                dropped.append((table, definition))
    return dropped


def drop_constraints(tables: list[str]) -> list[tuple[str, str]]:
    """On PostgreSQL, drop the foreign keys and unique constraints of the big tables while
    they are empty: COPY would otherwise check each row's keys one lookup at a time (and
    keep each unique index). Returns (table, statement) pairs that add them back."""
    dropped = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
            if cursor.fetchone()[0]:
                continue
            cursor.execute(
                """SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
                   WHERE conrelid = %s::regclass AND contype IN ('f', 'u')""",
                [table],
            )
            for name, kind, definition in cursor.fetchall():
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                dropped.append((table, name, kind, definition))
    return dropped


def restore_constraints(dropped: list[tuple[str, str, str, str]]) -> None:
    """Add the constraints back: unique ones two at a time (each builds its index); foreign
    keys first NOT VALID (no scan, one at a time: they lock both tables), then validated two
    at a time (a validation locks neither table against the other)."""
    run_parallel(
        [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, kind, definition in dropped
            if kind == "u"
        ]
    )
    foreign = [(table, name, d) for table, name, kind, d in dropped if kind == "f"]
    with connection.cursor() as cursor:
        for table, name, definition in foreign:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition} NOT VALID')
    if connection.in_atomic_block:
        return  # a test's transaction: the deferred checks run at its end anyway
    run_parallel(
        [f'ALTER TABLE {table} VALIDATE CONSTRAINT "{name}"' for table, name, _ in foreign]
    )


def by_size(tables: list[str]) -> list[str]:
    """The tables, biggest first (PostgreSQL; as they come on SQLite)."""
    if connection.vendor != "postgresql":
        return tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t FROM unnest(%s::text[]) t ORDER BY pg_total_relation_size(t) DESC",
            [tables],
        )
        return [row[0] for row in cursor.fetchall()]


def fast_session(cursor) -> None:
    """Settings for a loading connection: no waiting for the WAL at commit, and long values
    compressed with lz4 where the server has it (pglz is several times slower; both read
    back alike)."""
    cursor.execute("SET synchronous_commit = off")
    cursor.execute("SET jit = off")  # compiling the few big statements costs more than it saves
    cursor.execute(
        """SELECT 'lz4' = ANY(enumvals) FROM pg_settings
           WHERE name = 'default_toast_compression'"""
    )
    if cursor.fetchone()[0]:
        cursor.execute("SET default_toast_compression = lz4")


def run_parallel(statements: list[str], workers: int = 2) -> None:
    """Run the statements on `workers` connections of their own; on this one, in turn,
    inside a transaction (a test's), which other connections could not see into."""
    if not statements:
        return
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        return
    queue = list(statements)
    lock = threading.Lock()
    errors = []

    def work():
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    statement = queue.pop(0)
                with connection.cursor() as cursor:
                    fast_session(cursor)
                    cursor.execute("SET maintenance_work_mem = '1GB'")
                    cursor.execute("SET work_mem = '512MB'")  # the search entries' join
                    cursor.execute(statement)
        except Exception as error:  # re-raised below, in the caller's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
