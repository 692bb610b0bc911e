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
`only()` of related fields: a model's rows with their `select_related` objects.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

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
    __slots__ = ("sql", "slots", "compiler", "init_list", "start", "end", "populators", "conv")

    def __init__(self, queryset, again, db: str, marks: list):
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
        db = router.db_for_read(self.model) or "default"
        shape = (db, tuple(sorted(fixed.items())), tuple(_length(v) for v in values))
        kept = getattr(self._local, "kept", None)
        if kept is None:
            kept = self._local.kept = {}
        compiled = kept.get(shape)
        if compiled is None:
            compiled = self._compile(db, values, fixed)
            if len(kept) >= MAX_SHAPES:
                kept.clear()
            kept[shape] = compiled
        flat = [item for v in values for item in (v if isinstance(v, list) else [v])]
        params = [flat[index] if index is not None else param for index, param in compiled.slots]
        with connections[db].cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
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

    def _compile(self, db: str, values: list, fixed: dict) -> _Compiled:
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
        return _Compiled(queryset, self.build(*args, **fixed), db, marks)


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
