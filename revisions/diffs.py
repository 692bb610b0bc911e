"""Line diffs between two versions of a post, for the revisions page, with bounded work.

`difflib.ndiff` compares every pair of differing lines character by character: quadratic in
lines and worse, so one edit of a 4,000-line body took seconds per page view. Here:

1. Lines both versions start and end with are set aside in one pass (most edits touch a few
   lines in the middle).
2. What remains is compared by a longest-common-subsequence table when it is small
   (`TABLE_CELLS`); a larger remainder is first split at lines that occur exactly once in each
   version (patience diff), and each piece between those anchors is handled the same way.
3. Every table cell and every line scanned for anchors is charged to one budget
   (`WORK_BUDGET`); once it is spent, what remains shows as removed and added in full. The
   diff may then be longer than the shortest one, never wrong, and never slow.
4. Unchanged lines outside `CONTEXT` lines of a change fold into one "unchanged lines" mark,
   and a diff of more than `MAX_OUTPUT_LINES` lines is cut there, so the page stays small.

`line_diff` returns a `Diff`: its `ops` are (kind, text) pairs, kind " " (unchanged), "-"
(removed), "+" (added), "=" (text is the number of unchanged lines folded) or "…" (the number
of diff lines cut off at the end); its `work` is what the comparison cost, in table cells and
lines scanned.

`word_diff` is what people read on the revisions page: the same line diff, then each run of
removed and added lines compared again word by word (a CJK character counts as a word), by the
same bounded machinery with a budget of its own (`WORD_BUDGET` tokens and cells). Its ops are
" " (an unchanged line), "=" and "…" as above, and "~" whose payload is a list of (kind, text)
parts, kind " " (in both versions), "-" (only in the old) or "+" (only in the new): the old
text is the " " and "-" parts, the new one the " " and "+" parts. Once the word budget is
spent, a run shows as all removed and all added.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

TABLE_CELLS = 40_000
WORK_BUDGET = 200_000
CONTEXT = 3
MAX_OUTPUT_LINES = 1_000

WORD_BUDGET = 400_000
SAME, REMOVED, ADDED, FOLDED, CUT, CHANGED = " ", "-", "+", "=", "…", "~"

_CJK = "\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
# One CJK character, a run of other word characters, a run of spaces, or one other character.
_TOKEN = re.compile(f"[{_CJK}]|[^\\W{_CJK}]+|\\s+|[^\\w\\s]")


@dataclass
class Diff:
    ops: list[tuple[str, str]] = field(default_factory=list)
    work: int = 0


class _Budget:
    def __init__(self, units: int):
        self.left = units
        self.spent = 0

    def take(self, units: int) -> bool:
        """Spend `units` when they are left; False (and nothing spent) when they are not."""
        if units > self.left:
            return False
        self.left -= units
        self.spent += units
        return True


def line_diff(old: str, new: str) -> Diff:
    """The lines removed from `old` and added in `new`, with context (see the module)."""
    a, b = old.splitlines(), new.splitlines()
    budget = _Budget(WORK_BUDGET)
    ops = _diff(a, b, budget)
    return Diff(ops=_fold(ops), work=budget.spent)


def word_diff(old: str, new: str) -> Diff:
    """The line diff of `old` and `new` with each changed run compared word by word (see the
    module)."""
    a, b = old.splitlines(), new.splitlines()
    budget = _Budget(WORK_BUDGET)
    words = _Budget(WORD_BUDGET)
    ops = _refine(_diff(a, b, budget), words)
    return Diff(ops=_fold(ops), work=budget.spent + words.spent)


def _refine(ops: list[tuple[str, str]], budget: _Budget) -> list[tuple]:
    """Runs of removed and added lines become one "~" op of word-level parts."""
    out: list[tuple] = []
    removed: list[str] = []
    added: list[str] = []

    def flush():
        if removed or added:
            out.append((CHANGED, _word_parts("\n".join(removed), "\n".join(added), budget)))
            removed.clear()
            added.clear()

    for kind, line in ops:
        if kind == REMOVED:
            removed.append(line)
        elif kind == ADDED:
            added.append(line)
        else:
            flush()
            out.append((kind, line))
    flush()
    return out


def _word_parts(old: str, new: str, budget: _Budget) -> list[tuple[str, str]]:
    if not old or not new:
        return [(REMOVED, old)] if old else [(ADDED, new)]
    ops = _diff(_TOKEN.findall(old), _TOKEN.findall(new), budget)
    parts: list[tuple[str, str]] = []
    for kind, token in ops:  # neighbours of one kind join into one part
        if parts and parts[-1][0] == kind:
            parts[-1] = (kind, parts[-1][1] + token)
        else:
            parts.append((kind, token))
    return _tidy(parts)


def _is_glue(text: str) -> bool:
    """A common part too small to read as "unchanged" between two changes: a space, a comma."""
    return not text.strip() or (len(text) == 1 and not text.isalnum())


def _tidy(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fold glue between changes into them, and show each run of changes as the old words then
    the new ones, so "555 0100" replaced reads as one phrase, not word by word."""
    out: list[tuple[str, str]] = []
    removed: list[str] = []
    added: list[str] = []

    def flush():
        if removed:
            out.append((REMOVED, "".join(removed)))
        if added:
            out.append((ADDED, "".join(added)))
        removed.clear()
        added.clear()

    for k, (kind, text) in enumerate(parts):
        if kind == REMOVED:
            removed.append(text)
        elif kind == ADDED:
            added.append(text)
        elif (removed or added) and k + 1 < len(parts) and _is_glue(text):
            removed.append(text)
            added.append(text)
        else:
            flush()
            out.append((kind, text))
    flush()
    return out


def _diff(a: list[str], b: list[str], budget: _Budget) -> list[tuple[str, str]]:
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    ops = [(SAME, line) for line in a[:start]]
    ops += _middle(a[start:end_a], b[start:end_b], budget)
    ops += [(SAME, line) for line in a[end_a:]]
    return ops


def _replace(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    return [(REMOVED, line) for line in a] + [(ADDED, line) for line in b]


def _middle(a: list[str], b: list[str], budget: _Budget) -> list[tuple[str, str]]:
    """Diff of two versions that share neither their first nor their last line."""
    if not a or not b:
        return _replace(a, b)
    cells = len(a) * len(b)
    if cells <= TABLE_CELLS and budget.take(cells):
        return _table_diff(a, b)
    if not budget.take(len(a) + len(b)):
        return _replace(a, b)
    anchors = _anchors(a, b)
    if not anchors:
        return _replace(a, b)
    ops: list[tuple[str, str]] = []
    i = j = 0
    for ai, bj in anchors:
        ops += _diff(a[i:ai], b[j:bj], budget)
        ops.append((SAME, a[ai]))
        i, j = ai + 1, bj + 1
    ops += _diff(a[i:], b[j:], budget)
    return ops


def _anchors(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Pairs (i, j) with a[i] == b[j] for lines found exactly once in each version, the longest
    run of them in the same order in both (patience sorting, n log n)."""
    count_a, count_b = Counter(a), Counter(b)
    where_b = {line: j for j, line in enumerate(b) if count_b[line] == 1}
    pairs = [
        (i, where_b[line]) for i, line in enumerate(a) if count_a[line] == 1 and line in where_b
    ]
    # Longest increasing subsequence of the j's, keeping back links to rebuild it.
    tails: list[int] = []  # tails[k]: index into pairs of the end of the best run of length k+1
    links: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        k = _bisect(pairs, tails, j)
        if k:
            links[index] = tails[k - 1]
        if k == len(tails):
            tails.append(index)
        else:
            tails[k] = index
    run = []
    index = tails[-1] if tails else -1
    while index != -1:
        run.append(pairs[index])
        index = links[index]
    return run[::-1]


def _bisect(pairs: list[tuple[int, int]], tails: list[int], j: int) -> int:
    low, high = 0, len(tails)
    while low < high:
        mid = (low + high) // 2
        if pairs[tails[mid]][1] < j:
            low = mid + 1
        else:
            high = mid
    return low


def _table_diff(a: list[str], b: list[str]) -> list[tuple[str, str]]:
    """Longest common subsequence by the textbook table: len(a) * len(b) cells."""
    n, m = len(a), len(b)
    # lengths[i][j]: LCS length of a[i:] and b[j:]
    lengths = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = lengths[i], lengths[i + 1]
        line = a[i]
        for j in range(m - 1, -1, -1):
            if line == b[j]:
                row[j] = below[j + 1] + 1
            else:
                row[j] = max(below[j], row[j + 1])
    ops: list[tuple[str, str]] = []
    i = j = 0
    while i < n and j < m:
        if a[i] == b[j]:
            ops.append((SAME, a[i]))
            i += 1
            j += 1
        elif lengths[i + 1][j] >= lengths[i][j + 1]:
            ops.append((REMOVED, a[i]))
            i += 1
        else:
            ops.append((ADDED, b[j]))
            j += 1
    return ops + _replace(a[i:], b[j:])


def _fold(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Keep `CONTEXT` unchanged lines around each change, fold the rest, cut a long diff."""
    changed = [k for k, (kind, _) in enumerate(ops) if kind != SAME]
    if not changed:
        return [(FOLDED, str(len(ops)))] if ops else []
    keep = [False] * len(ops)
    for k in changed:
        for near in range(max(0, k - CONTEXT), min(len(ops), k + CONTEXT + 1)):
            keep[near] = True
    folded: list[tuple[str, str]] = []
    skipped = 0
    for kept, op in zip(keep, ops, strict=True):
        if kept:
            if skipped:
                folded.append((FOLDED, str(skipped)))
                skipped = 0
            folded.append(op)
        else:
            skipped += 1
    if skipped:
        folded.append((FOLDED, str(skipped)))
    if len(folded) > MAX_OUTPUT_LINES:
        rest = len(folded) - MAX_OUTPUT_LINES
        folded = folded[:MAX_OUTPUT_LINES] + [(CUT, str(rest))]
    return folded
