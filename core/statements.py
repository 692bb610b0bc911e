"""Querysets compiled to SQL once per process, then run again with other values.

Django compiles a queryset to SQL each time it is evaluated: it resolves every lookup, join,
column and ordering again. For a thread's reads that costs more than PostgreSQL's own work: the
question with its author, category and related list took 1.75 ms of CPU through the ORM and
0.14 ms as the same SQL run directly (bench/README.md, "Statements compiled once").

`Statement(model, build)`: `build(*values, **fixed)` returns the queryset for those values. The
first run for each `fixed` (and each length of the list values) builds it with marker values
in place of the values, compiles it, and keeps the SQL, which parameter each value goes to,
and how rows become instances (Django's own select list, related populators and converters,
as `ModelIterable` uses them). Later runs execute that SQL with the values and make the
instances in the same way: the same objects as `list(build(*values, **fixed))`, and the
same statement, through the same connection (so query counts, the replica router and the
cache-version wrappers all see it).

What may vary between runs must be a value; everything else in the queryset is fixed when
first compiled, so the first run builds and compiles it twice and keeps it only if both give
the same SQL and parameters (a `timezone.now()` inside would not, and is refused).
A list value is for an `__in` lookup: it is padded to the next power of two by repeating its
last item, so there are few shapes to keep. Each thread keeps its own compilations (a
compiler holds its thread's connection). No `prefetch_related`, `values()`, annotations or
`only()` of related fields: a model's rows with their `select_related` objects, of which some
fields may be deferred (the thread's statements leave their authors' private fields out).

On PostgreSQL each kept statement is also prepared on the server (PREPARE, then EXECUTE with
the values), once per connection: PostgreSQL then plans it once rather than on every run.
Planning was most of the server's time for a thread's reads, 1.1 of its 1.5 ms at a million
questions (bench/README.md). The PREPARE goes in the same round trip as the first EXECUTE, so
a view runs as many statements as before. Prepared statements live as long as the server
connection: behind a pooler that hands one client's statements to several server connections
(PgBouncer in transaction mode), set `DB_PREPARED_STATEMENTS=0`.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connections, router
from django.db.models.query import get_related_populators

# Marker values: -MARK_BASE - i stands for the i-th value, a number no real id or count has.
MARK_BASE = 7_340_000_000_000
# Shapes kept per statement (fixed arguments × list lengths × databases).
MAX_SHAPES = 64


class StatementError(ValueError):
    """The queryset cannot be kept: a value is not among its parameters, or the SQL depends on
    something else than the values."""


class _Compiled:
    __slots__ = (
        "sql",
        "slots",
        "compiler",
        "init_list",
        "start",
        "end",
        "populators",
        "conv",
        "name",
        "numbered",
        "execute",
    )

    def __init__(self, queryset, again, db: str, marks: list, counting: bool):
        compiler = queryset.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        if (sql, list(params)) != _sql(again, db):
            raise StatementError("the SQL changes from one compilation to the next")
        where = {mark: index for index, mark in enumerate(marks)}
        self.slots = []
        found = set()
        for param in params:
            index = where.get(param) if isinstance(param, int) else None
            self.slots.append((index, param))
            if index is not None:
                found.add(index)
        if found != set(range(len(marks))):
            raise StatementError("a value is not among the statement's parameters")
        self.sql = sql
        self.compiler = compiler
        select, klass_info = compiler.select, compiler.klass_info
        if compiler.annotation_col_map or klass_info is None:
            raise StatementError("a statement gives its model's rows, without annotations")
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, db)
        self.conv = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        if counting:  # PostgreSQL and SQLite drop the columns the count does not use
            self.sql = sql = f"SELECT COUNT(*) FROM ({sql}) counted"
            self.conv = None
        self.name = None
        if connections[db].vendor == "postgresql" and settings.JOKESITE_PREPARED_STATEMENTS:
            digest = hashlib.md5(sql.encode(), usedforsecurity=False).hexdigest()[:16]
            self.name = f"jokesite_{digest}"
            _PREPARED_SQL[self.name] = sql
            self.numbered = _numbered(sql)
            self.execute = "(" + ", ".join(["%s"] * len(params)) + ")" if params else ""


class Statement:
    def __init__(self, model, build: Callable):
        self.model = model
        self.build = build
        self._local = threading.local()

    def rows(self, *values, **fixed) -> list:
        """The instances `list(build(*values, **fixed))` would give."""
        values = [_padded(v) if isinstance(v, list | tuple) else v for v in values]
        if not all(map(_fits, values)):
            # Beyond what a database integer holds: Django's lookups know what such a value
            # matches (nothing, or everything for an exclusion); the driver would fail.
            return list(self.build(*values, **fixed))
        db, compiled, rows = self._run(values, fixed, counting=False)
        compiler = compiled.compiler
        if compiled.conv:
            rows = compiler.apply_converters(rows, compiled.conv)
        make, init_list = self.model.from_db, compiled.init_list
        start, end = compiled.start, compiled.end
        out = []
        for row in rows:
            obj = make(db, init_list, row[start:end])
            for populator in compiled.populators:
                populator.populate(row, obj)
            out.append(obj)
        return out

    def count(self, *values, **fixed) -> int:
        """`build(*values, **fixed).count()`; list values are not padded (a repeated id would
        be counted twice)."""
        if any(isinstance(v, list | tuple) for v in values) or not all(map(_fits, values)):
            return self.build(*values, **fixed).count()
        return self._run(list(values), fixed, counting=True)[2][0][0]

    def _run(self, values: list, fixed: dict, *, counting: bool):
        db = router.db_for_read(self.model) or "default"
        shape = (db, counting, tuple(sorted(fixed.items())), tuple(_length(v) for v in values))
        kept = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = {}
        compiled = kept.get(shape)
        if compiled is None:
            compiled = self._compile(db, values, fixed, counting)
            if len(kept) >= MAX_SHAPES:
                kept.clear()
            kept[shape] = compiled
        flat = [item for v in values for item in (v if isinstance(v, list) else [v])]
        params = [flat[index] if index is not None else param for index, param in compiled.slots]
        wrapper = connections[db]
        with wrapper.cursor() as cursor:
            if compiled.name is None:
                cursor.execute(compiled.sql, params)
            else:
                _run_prepared(wrapper, cursor, compiled, params)
            return db, compiled, cursor.fetchall()

    def _compile(self, db: str, values: list, fixed: dict, counting: bool) -> _Compiled:
        marks, args, number = [], [], 0
        for value in values:
            if isinstance(value, list):
                items = [-(MARK_BASE + number + i) for i in range(len(value))]
                number += len(value)
                marks += items
                args.append(items)
            else:
                marks.append(-(MARK_BASE + number))
                args.append(marks[-1])
                number += 1
        queryset = self.build(*args, **fixed)
        if queryset.model is not self.model or queryset._prefetch_related_lookups:
            raise StatementError("a statement gives its model's rows, with nothing prefetched")
        return _Compiled(queryset, self.build(*args, **fixed), db, marks, counting)


class PreparedSQL:
    """Plain SQL (with `%s` placeholders) for reads too small for the ORM's compilation to be
    worth it: run as a prepared statement on PostgreSQL, as `Statement` runs its SQL, and as
    it is elsewhere or with `DB_PREPARED_STATEMENTS=0`."""

    def __init__(self, sql: str):
        self.sql = sql
        digest = hashlib.md5(sql.encode(), usedforsecurity=False).hexdigest()[:16]
        self.name = f"jokesite_{digest}"
        _PREPARED_SQL[self.name] = sql
        self.numbered = _numbered(sql)
        count = len(_PLACEHOLDER.findall(sql)) - sql.count("%%")
        self.execute = "(" + ", ".join(["%s"] * count) + ")" if count else ""

    def fetch(self, db: str, params: list) -> list[tuple]:
        wrapper = connections[db]
        with wrapper.cursor() as cursor:
            if wrapper.vendor == "postgresql" and settings.JOKESITE_PREPARED_STATEMENTS:
                _run_prepared(wrapper, cursor, self, params)
            else:
                cursor.execute(self.sql, params)
            return cursor.fetchall()


def _run_prepared(wrapper, cursor, compiled: _Compiled | PreparedSQL, params: list) -> None:
    """EXECUTE the statement prepared on this server connection, PREPAREing it first (in the
    same round trip) when this connection has not. What a connection has prepared is kept on
    Django's connection object, for the driver connection it holds now: a new one (after a
    reconnect) starts with none. After an error nobody knows which were prepared (PREPARE
    is not undone by a rollback; the EXECUTE after it may have failed), so the names get a new
    generation and are prepared again; the old ones stay on the server until the connection
    closes (`DB_CONN_MAX_AGE`, 60 seconds by default)."""
    kept = wrapper.__dict__.get("_jokesite_prepared")
    if kept is None or kept[0] is not wrapper.connection:
        kept = wrapper._jokesite_prepared = [wrapper.connection, set(), 0]
    name = f"{compiled.name}_{kept[2]}"
    execute = f"EXECUTE {name}{compiled.execute}"
    first = name not in kept[1]
    try:
        if first:
            cursor.execute(f"PREPARE {name} AS {compiled.numbered};\n{execute}", params)
            kept[1].add(name)
        else:
            cursor.execute(execute, params)
    except Exception:
        kept[1].clear()
        kept[2] += 1
        raise


_PLACEHOLDER = re.compile(r"%[%s]")
# The SQL each prepared statement's name stands for, in this process: `readable`.
_PREPARED_SQL: dict[str, str] = {}
_EXECUTE = re.compile(r"(?:^|\n)EXECUTE (jokesite_[0-9a-f]{16})_\d+\b")


def readable(sql: str) -> str:
    """The SQL a logged `EXECUTE jokesite_…` ran (as logged, for anything else): for tests
    and logs that look at which tables a request read."""
    match = _EXECUTE.search(sql)
    if match is None or match[1] not in _PREPARED_SQL:
        return sql
    return _PREPARED_SQL[match[1]]


def _numbered(sql: str) -> str:
    """Django's SQL with its `%s` placeholders as PostgreSQL's `$1`, `$2`...; `%%` (a percent
    sign, for the driver) stays as it is."""
    count = 0

    def number(match) -> str:
        nonlocal count
        if match[0] == "%%":
            return "%%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


def _sql(queryset, db: str) -> tuple[str, list]:
    sql, params = queryset.query.get_compiler(using=db).as_sql()
    return sql, list(params)


def _padded(items) -> list:
    items = list(items)
    if not items:
        raise StatementError("an empty list matches nothing: leave the lookup out")
    size = 1 << (len(items) - 1).bit_length()
    return items + [items[-1]] * (size - len(items))


def _fits(value) -> bool:
    if isinstance(value, list):
        return all(map(_fits, value))
    return not isinstance(value, int) or -(2**63) <= value < 2**63


def _length(value) -> int | None:
    return len(value) if isinstance(value, list) else None
