"""The bounded line diff behind the revisions page (questions/diffs.py)."""

import difflib
import random

import pytest

from revisions import diffs
from revisions.diffs import line_diff


def changes(diff):
    return [(kind, text) for kind, text in diff.ops if kind in "+-"]


def test_one_changed_line_in_the_middle():
    old = "a\nb\nc\nd\ne\nf\ng\nh\ni"
    new = "a\nb\nc\nd\nE\nf\ng\nh\ni"
    assert line_diff(old, new).ops == [
        ("=", "1"),
        (" ", "b"),
        (" ", "c"),
        (" ", "d"),
        ("-", "e"),
        ("+", "E"),
        (" ", "f"),
        (" ", "g"),
        (" ", "h"),
        ("=", "1"),
    ]


def test_original_revision_is_all_added():
    assert line_diff("", "one\ntwo").ops == [("+", "one"), ("+", "two")]


def test_identical_versions_fold_into_one_mark():
    assert line_diff("x\ny", "x\ny").ops == [("=", "2")]


@pytest.mark.parametrize("seed", range(30))
def test_diff_rebuilds_both_versions_and_is_as_short_as_difflib(seed):
    """Applying the ops (before folding) gives back each version, and for inputs small enough
    for the table the number of changed lines is minimal, like difflib's."""
    rng = random.Random(seed)
    words = ["a", "b", "c", "d", "e"]
    old = [rng.choice(words) for _ in range(rng.randint(0, 40))]
    new = [rng.choice(words) for _ in range(rng.randint(0, 40))]
    ops = diffs._diff(old, new, diffs._Budget(diffs.WORK_BUDGET))
    assert [t for k, t in ops if k != "+"] == old
    assert [t for k, t in ops if k != "-"] == new
    matched = sum(
        size for *_, size in difflib.SequenceMatcher(None, old, new, False).get_matching_blocks()
    )
    assert sum(1 for k, _ in ops if k == " ") >= matched


def test_four_thousand_line_body_edited_once_costs_little_work_and_output():
    old = "\n".join("x" if i % 2 else "y" for i in range(4000))
    new = old.replace("y", "z", 1)
    diff = line_diff(old, new)
    assert changes(diff) == [("-", "y"), ("+", "z")]
    assert len(diff.ops) <= 2 * diffs.CONTEXT + 4
    assert diff.work <= 10


@pytest.mark.parametrize(
    "old, new",
    [
        # Every line changed: a table of 4,000 x 4,000 would be 16 million cells.
        ("\n".join("x" for _ in range(4000)), "\n".join("y" for _ in range(4000))),
        # The same few lines repeated in another order: no unique line to anchor on.
        (
            "\n".join("abc"[i % 3] for i in range(4000)),
            "\n".join("bca"[i % 3] + "!" * (i % 2) for i in range(4000)),
        ),
        # Many unique lines moved about: patience anchors, then many small pieces.
        (
            "\n".join(f"line {i}" for i in range(15000)),
            "\n".join(f"line {(i * 7919) % 15000}" for i in range(15000)),
        ),
    ],
    ids=["all-changed", "repeated-lines", "shuffled"],
)
def test_work_and_output_are_bounded_for_any_input(old, new):
    diff = line_diff(old, new)
    assert diff.work <= diffs.WORK_BUDGET
    assert len(diff.ops) <= diffs.MAX_OUTPUT_LINES + 1
    removed_or_cut = [k for k, _ in diff.ops if k in "-…"]
    assert removed_or_cut, "a change is shown"


def test_budget_spent_shows_the_rest_as_replaced(monkeypatch):
    monkeypatch.setattr(diffs, "WORK_BUDGET", 0)
    ops = diffs._diff(["a", "b", "c"], ["a", "c", "d"], diffs._Budget(0))
    assert ops == [(" ", "a"), ("-", "b"), ("-", "c"), ("+", "c"), ("+", "d")]


def test_long_diff_is_cut_with_a_count_of_what_is_left():
    diff = line_diff("", "\n".join(str(i) for i in range(diffs.MAX_OUTPUT_LINES + 50)))
    assert len(diff.ops) == diffs.MAX_OUTPUT_LINES + 1
    assert diff.ops[-1] == ("…", "50")


def rebuilt(ops, keep):
    """One side of a word diff's change op: the text of the parts in `keep`."""
    return "".join(text for kind, text in ops if kind in keep)


def test_word_diff_marks_only_the_changed_words():
    old = "Banks settle in batches.\n\nA few times a day."
    new = "Banks settle in big batches.\n\nA few times a day."
    ops = diffs.word_diff(old, new).ops
    assert ops[0] == (diffs.CHANGED, [(" ", "Banks settle in "), ("+", "big "), (" ", "batches.")])
    assert ops[1:] == [(" ", ""), (" ", "A few times a day.")]


def test_word_diff_counts_each_cjk_character_as_a_word():
    ops = diffs.word_diff("支付宝转账为什么收费", "支付宝转账为何收费").ops
    parts = [(" ", "支付宝转账为"), ("-", "什么"), ("+", "何"), (" ", "收费")]
    assert ops == [(diffs.CHANGED, parts)]


@pytest.mark.parametrize("seed", range(20))
def test_word_diff_rebuilds_both_versions(seed):
    rng = random.Random(seed)
    words = ["joke", "pun", " ", "\n", "笑", "话", ",", "flat"]
    old = "".join(rng.choice(words) for _ in range(200))
    new = "".join(rng.choice(words) for _ in range(200))
    a, b = _unfold(old, new)
    # A run of only blank lines may show as nothing; every other line comes back.
    assert [line for line in a if line] == [line for line in old.splitlines() if line]
    assert [line for line in b if line] == [line for line in new.splitlines() if line]


def _unfold(old, new):
    """Both versions rebuilt from an unfolded word diff (CONTEXT large enough to keep all)."""
    a, b = [], []
    saved = diffs.CONTEXT
    diffs.CONTEXT = 10**6
    try:
        ops = diffs.word_diff(old, new).ops
    finally:
        diffs.CONTEXT = saved
    for kind, payload in ops:
        if kind == " ":
            a.append(payload)
            b.append(payload)
        elif kind == "~":
            left, right = rebuilt(payload, " -"), rebuilt(payload, " +")
            a += left.split("\n") if left else []
            b += right.split("\n") if right else []
    return a, b


def test_word_diff_work_is_bounded_for_a_body_at_the_limit():
    rng = random.Random(3)
    old = " ".join(rng.choice("abcdefgh") for _ in range(15_000))  # one 30,000-character line
    new = " ".join(rng.choice("abcdefgh") for _ in range(15_000))
    diff = diffs.word_diff(old, new)
    assert diff.work <= diffs.WORK_BUDGET + diffs.WORD_BUDGET
    assert rebuilt(diff.ops[0][1], " -") == old and rebuilt(diff.ops[0][1], " +") == new
