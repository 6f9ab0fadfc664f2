"""Small-number suppression: primary, secondary chosen by a keyed rule and checked by an audit of what a
reader who knows the rules can work out (the attacker's linear programme, solved here with scipy)."""

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from representativeness.disclosure.audit import hidden_intervals
from representativeness.disclosure.suppression import (
    SumGroup,
    characteristic_sum_groups,
    default_min_uncertainty,
    flagged_small,
    reader_bounds,
    suppress_counts,
    suppression_mask,
)

ETHNIC_GROUPS = {
    "White": {
        "English, Welsh, Scottish, Northern Irish or British": 150,
        "Irish": 12,
        "Gypsy or Irish Traveller": 0,
        "Roma": 0,
        "Other White": 25,
    },
    "Asian, Asian British or Asian Welsh": {
        "Bangladeshi": 0,
        "Chinese": 4,
        "Indian": 30,
        "Pakistani": 22,
        "Other Asian": 11,
    },
    "Black, Black British, Black Welsh, Caribbean or African": {"African": 14, "Caribbean": 6, "Other Black": 0},
    "Mixed or Multiple ethnic groups": {
        "White and Asian": 3,
        "White and Black African": 0,
        "White and Black Caribbean": 12,
        "Other Mixed or Multiple ethnic groups": 0,
    },
    "Other ethnic group": {"Arab": 0, "Any other ethnic group": 2},
}


def _cells(detailed: dict[str, dict[str, int]], prefer_not_to_say: int, skipped: int) -> tuple[pd.Series, list]:
    """Every count a characteristic's tables show, and the sums that tie them together."""
    counts: dict[str, int] = {}
    for parts in detailed.values():
        counts.update(parts)
    broad = {name: sum(parts.values()) for name, parts in detailed.items()}
    counts.update(broad)
    answered = sum(broad.values())
    counts.update(
        answered=answered,
        prefer_not_to_say=prefer_not_to_say,
        skipped=skipped,
        total=answered + prefer_not_to_say + skipped,
    )
    categories = [category for parts in detailed.values() for category in parts]
    groups = characteristic_sum_groups(categories, broad_groups={name: list(parts) for name, parts in detailed.items()})
    return pd.Series(counts), groups


def recoverable(counts: pd.Series, groups: list[SumGroup], mask: pd.Series) -> set[str]:
    """Hidden cells that some combination of the shown sums pins down exactly (linear algebra only).

    A hidden cell x is determined when the unit vector e_x lies in the row space of the equations
    restricted to the hidden cells (adding e_x as a row does not raise the rank).
    """
    hidden = [cell for cell in counts.index if mask[cell]]
    if not hidden:
        return set()
    column = {cell: j for j, cell in enumerate(hidden)}
    equations = np.zeros((len(groups), len(hidden)))
    for i, group in enumerate(groups):
        for part in group.parts:
            if part in column:
                equations[i, column[part]] += 1
        if group.total in column:
            equations[i, column[group.total]] -= 1
    rank = np.linalg.matrix_rank(equations)
    found = set()
    for cell, j in column.items():
        unit = np.zeros(len(hidden))
        unit[j] = 1
        if np.linalg.matrix_rank(np.vstack([equations, unit])) == rank:
            found.add(cell)
    return found


def attacker_intervals(counts, groups, mask, bounds) -> dict:
    """The attacker's own linear programmes: min and max of each hidden cell given the shown table."""
    hidden = [cell for cell in counts.index if mask[cell]]
    column = {cell: j for j, cell in enumerate(hidden)}
    a_eq, b_eq = [], []
    for group in groups:
        row = np.zeros(len(hidden))
        rhs = 0.0
        for part in group.parts:
            if part in column:
                row[column[part]] += 1
            else:
                rhs -= counts[part]
        if group.total in column:
            row[column[group.total]] -= 1
        else:
            rhs += counts[group.total]
        if row.any():
            a_eq.append(row)
            b_eq.append(rhs)
    box = [(bounds[c][0], None if np.isinf(bounds[c][1]) else bounds[c][1]) for c in hidden]
    result = {}
    for cell, j in column.items():
        objective = np.zeros(len(hidden))
        objective[j] = 1
        low = linprog(objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=box, method="highs")
        high = linprog(-objective, A_eq=a_eq or None, b_eq=b_eq or None, bounds=box, method="highs")
        assert low.status == 0, low.message
        result[cell] = (low.fun, np.inf if high.status == 3 else -high.fun)
    return result


def nothing_left_to_hide(cell, groups, mask, fixed) -> bool:
    """Whether every cell reachable from `cell` through sums and hidden cells is hidden or always shown."""
    reached, changed = {cell}, True
    while changed:
        changed = False
        for group in groups:
            if any(member in reached for member in group.cells):
                for member in group.cells:
                    if member not in fixed and not mask[member]:
                        return False
                    if member not in reached and mask[member]:
                        reached.add(member)
                        changed = True
    return True


def same(one: dict, other: dict) -> bool:
    """Two audits agree: the same cells, each with the same interval (to rounding)."""
    return one.keys() == other.keys() and all(
        np.allclose(np.array(one[c], dtype=float), np.array(other[c], dtype=float), atol=1e-6) for c in one
    )


class TestPrimary:
    def test_counts_below_the_threshold_are_hidden_zeros_are_not(self):
        counts = pd.Series({"a": 0, "b": 1, "c": 9, "d": 10, "e": 200, "total": 220})
        mask = suppression_mask(counts, [], always_shown=["total"])
        assert mask.to_dict() == {"a": False, "b": True, "c": True, "d": False, "e": False, "total": False}

    def test_the_threshold_is_a_parameter(self):
        counts = pd.Series({"a": 0, "b": 4, "c": 7})
        assert suppression_mask(counts, [], threshold=5).tolist() == [False, True, False]

    def test_always_shown_wins_even_below_the_threshold(self):
        counts = pd.Series({"a": 5, "b": 3, "total": 8})
        mask = suppression_mask(counts, [SumGroup("total", ("a", "b"))], always_shown=["total"])
        assert mask.to_dict() == {"a": True, "b": True, "total": False}

    def test_below_the_threshold_every_part_is_hidden_zeros_included(self):
        # Three people answered: showing which categories are empty would say where they are.
        counts = pd.Series({"a": 2, "b": 1, "c": 0, "d": 0, "answered": 3})
        mask = suppression_mask(counts, [SumGroup("answered", ("a", "b", "c", "d"))], always_shown=["answered"])
        assert mask.to_dict() == {"a": True, "b": True, "c": True, "d": True, "answered": False}


class TestSecondary:
    def test_a_lone_hidden_cell_takes_a_non_zero_cell_with_it(self):
        counts = pd.Series({"a": 3, "b": 40, "c": 0, "d": 25, "answered": 68})
        mask = suppression_mask(counts, [SumGroup("answered", ("a", "b", "c", "d"))], always_shown=["answered"])
        assert mask["a"] and not mask["c"] and mask.sum() == 2

    def test_the_choice_is_keyed_and_not_the_smallest_cell(self):
        counts = pd.Series({"a": 3, **{f"b{i}": 10 + i for i in range(8)}, "answered": 3 + sum(range(10, 18))})
        group = [SumGroup("answered", ("a", *(f"b{i}" for i in range(8))))]
        chosen = {
            key: tuple(suppression_mask(counts, group, always_shown=["answered"], key=key).pipe(lambda m: m.index[m]))
            for key in (b"one", b"two", b"three", b"four", b"five")
        }
        assert all(cells[0] == "a" and len(cells) == 2 for cells in chosen.values())
        assert len(set(chosen.values())) > 1  # different keys, different complements
        assert not all(cells == ("a", "b0") for cells in chosen.values())  # not "the smallest"

    def test_the_choice_does_not_depend_on_the_complements_value(self):
        group = [SumGroup("answered", ("a", "b", "c", "d"))]
        first = pd.Series({"a": 3, "b": 12, "c": 50, "d": 200, "answered": 265})
        second = pd.Series({"a": 3, "b": 200, "c": 12, "d": 50, "answered": 265})
        for key in (b"k1", b"k2", b"k3"):
            one = suppression_mask(first, group, always_shown=["answered"], key=key)
            two = suppression_mask(second, group, always_shown=["answered"], key=key)
            assert one.equals(two)

    def test_two_flagged_cells_that_add_up_to_18_get_a_third(self):
        # Both published as "fewer than 10" and adding up to 18: both would be 9 without a third cell.
        counts = pd.Series({"a": 9, "b": 9, "c": 30, "d": 0, "answered": 48})
        group = [SumGroup("answered", ("a", "b", "c", "d"))]
        mask = suppression_mask(counts, group, always_shown=["answered"], flag_when_small={"a", "b"})
        assert mask[["a", "b", "c"]].all()

    def test_a_cell_known_to_be_large_narrows_its_neighbour_and_the_audit_knows(self):
        # "c" would be flagged if it were small and is not, so a reader knows it is at least 10: with
        # a and c adding up to 12, a is at most 2. The audit sees that and hides another cell.
        counts = pd.Series({"a": 2, "c": 10, "d": 40, "e": 35, "answered": 87})
        group = [SumGroup("answered", ("a", "c", "d", "e"))]
        for key in (b"x", b"y", b"z", b"w"):
            mask = suppression_mask(counts, group, always_shown=["answered"], key=key, flag_when_small={"c"})
            bounds = reader_bounds(counts.to_dict(), group, set(mask.index[mask]), flag_when_small={"c"})
            low, high = attacker_intervals(counts, group, mask, bounds)["a"]
            assert high - low >= default_min_uncertainty(10), (key, mask[mask].index.tolist())

    def test_ethnic_group_hierarchy(self):
        counts, groups = _cells(ETHNIC_GROUPS, prefer_not_to_say=7, skipped=15)
        mask = suppression_mask(counts, groups, always_shown=["total"], key=b"survey")
        primary = {"Chinese", "Caribbean", "White and Asian", "Any other ethnic group", "prefer_not_to_say"}
        assert primary <= set(mask.index[mask])
        assert not recoverable(counts, groups, mask)
        bounds = reader_bounds(counts.to_dict(), groups, set(mask.index[mask]), fixed={"total"})
        for cell, (low, high) in attacker_intervals(counts, groups, mask, bounds).items():
            if 0 < counts[cell] < 10:
                assert high - low >= 4, cell

    def test_the_checker_would_catch_a_recoverable_cell(self):
        counts, groups = _cells(ETHNIC_GROUPS, prefer_not_to_say=7, skipped=15)
        primary_only = (counts < 10) & (counts > 0)
        assert {"Chinese", "Caribbean", "White and Asian", "prefer_not_to_say"} <= recoverable(
            counts, groups, primary_only
        )

    def test_parts_that_do_not_add_up_are_refused(self):
        with pytest.raises(ValueError, match="do not add up"):
            suppression_mask(pd.Series({"a": 3, "b": 4, "t": 8}), [SumGroup("t", ("a", "b"))])

    def test_unknown_labels_are_refused(self):
        with pytest.raises(ValueError, match="not in counts"):
            suppression_mask(pd.Series({"a": 3, "t": 3}), [SumGroup("t", ("a", "b"))])

    def test_a_cell_that_cannot_be_protected_is_an_error_not_a_leak(self):
        counts = pd.Series({"a": 3, "b": 40, "t": 43})
        with pytest.raises(ValueError, match="cannot protect"):
            suppression_mask(counts, [SumGroup("t", ("a", "b"))], always_shown=["b", "t"])


def old_public_rule(counts: dict, group: SumGroup, threshold: int = 10) -> set:
    """The rule on main before this change, for one sum whose total is always shown: primary below the
    threshold (zeros shown), then, while a single cell is hidden, the smallest non-zero other cell, a
    zero only if none is left, ties in the order given."""
    hidden = {c for c in group.parts if 0 < counts[c] < threshold}
    if len(hidden) == 1:
        others = [c for c in group.parts if c not in hidden]
        hidden.add(min(others, key=lambda c: (counts[c] == 0, counts[c], group.parts.index(c))))
    return hidden


def consistent_tables(published: dict, group: SumGroup, hidden: set, rule=None) -> list[dict]:
    """Every table agreeing with what was published (and, given `rule`, for which re-running it hides
    the same cells): the attack in the issue, by enumeration."""
    total = published[group.total] - sum(published[c] for c in group.parts if c not in hidden)
    cells = sorted(hidden)
    found = []
    for values in itertools.product(range(total + 1), repeat=len(cells)):
        if sum(values) != total:
            continue
        candidate = dict(published) | dict(zip(cells, values, strict=True))
        if rule is None or rule(candidate, group) == hidden:
            found.append(candidate)
    return found


def test_re_running_the_old_public_rule_narrowed_two_hidden_counts_to_9_and_12():
    """The old rule hid the smallest other cell. Enumerating every table that agrees with the page and
    keeping those for which re-running the rule hides the same cells left two: one of Buddhist and Hindu
    is 9, the other 12. The keyed rule cannot be re-run, and the sums alone leave Buddhist anywhere
    from 1 to 8 or more."""
    group = SumGroup("answered", ("Buddhist", "Hindu", "Jewish", "Sikh", "Muslim"))
    truth = {"Buddhist": 9, "Hindu": 12, "Jewish": 12, "Sikh": 25, "Muslim": 40, "answered": 98}
    hidden_old = old_public_rule(truth, group)
    assert hidden_old == {"Buddhist", "Hindu"}
    left = consistent_tables(truth, group, hidden_old, rule=old_public_rule)
    assert sorted((t["Buddhist"], t["Hindu"]) for t in left) == [(9, 12), (12, 9)]

    for key in (b"one", b"two", b"three"):
        mask = suppression_mask(pd.Series(truth), [group], always_shown=["answered"], key=key)
        hidden_new = set(mask.index[mask])
        left = consistent_tables(truth, group, hidden_new)
        possible = {t["Buddhist"] for t in left if all(t[c] >= 1 for c in hidden_new)}
        assert len(possible & set(range(1, 10))) >= 5, (key, hidden_new)


def test_with_the_empty_wards_named_the_old_rule_gave_a_small_survey_away():
    """Nine people, all in one ward. The old page hid that ward and the first empty ward beside it; the
    weighting notes named every empty ward, so the hidden empty one was known to be 0 and Ashton 9.
    Now every ward is hidden when fewer than 10 answered, and nothing names an empty one."""
    wards = ("Altrincham", "Ashton", "Bowdon", "Broadheath", "Brooklands")
    group = SumGroup("answered", wards)
    truth = {"Altrincham": 0, "Ashton": 9, "Bowdon": 0, "Broadheath": 0, "Brooklands": 0, "answered": 9}
    hidden_old = old_public_rule(truth, group)
    assert hidden_old == {"Ashton", "Altrincham"}
    named_empty = {ward for ward in wards if truth[ward] == 0}
    left = [t for t in consistent_tables(truth, group, hidden_old) if all(t[w] == 0 for w in named_empty)]
    assert [t["Ashton"] for t in left] == [9]

    mask = suppression_mask(pd.Series(truth), [group], always_shown=["answered"], key=b"secret")
    hidden_new = set(mask.index[mask])
    assert hidden_new == set(wards)
    left = consistent_tables(truth, group, hidden_new)
    for ward in wards:
        assert {t[ward] for t in left} == set(range(10))


@st.composite
def hierarchies(draw):
    small_or_large = st.one_of(st.integers(0, 12), st.integers(0, 60))
    detailed = {
        f"broad{b}": {f"d{b}.{d}": draw(small_or_large) for d in range(draw(st.integers(1, 5)))}
        for b in range(draw(st.integers(1, 5)))
    }
    return _cells(detailed, prefer_not_to_say=draw(small_or_large), skipped=draw(small_or_large))


@settings(database=None, deadline=None, max_examples=60)
@given(
    table=hierarchies(),
    threshold=st.sampled_from([5, 10]),
    key=st.binary(min_size=0, max_size=4),
    flag_seed=st.integers(0, 2**16),
)
def test_no_hidden_count_can_be_narrowed_below_the_minimum(table, threshold, key, flag_seed):
    """Whatever the table and the flags, the attacker's linear programme leaves every hidden small count
    at least `min_uncertainty` wide, unless the count's own total is below the threshold (then all of
    its parts are hidden and only which category is unknown)."""
    counts, groups = table
    rng = np.random.default_rng(flag_seed)
    flaggable = {c for c in counts.index if c not in ("total", "answered") and rng.random() < 0.3}
    mask = suppression_mask(
        counts, groups, threshold=threshold, always_shown=["total"], key=key, flag_when_small=flaggable
    )
    small = (counts > 0) & (counts < threshold)
    assert not mask["total"]
    assert all(mask[cell] for cell in small.index[small] if cell != "total")
    assert not recoverable(counts, groups, mask) - set(counts.index[counts == 0])
    bounds = reader_bounds(
        counts.to_dict(), groups, set(mask.index[mask]), fixed={"total"}, flag_when_small=flaggable, threshold=threshold
    )
    intervals = attacker_intervals(counts, groups, mask, bounds)
    assert same(intervals, hidden_intervals(counts.to_dict(), groups, set(mask.index[mask]), bounds))
    width = default_min_uncertainty(threshold)
    for cell, (low, high) in intervals.items():
        assert low <= counts[cell] <= high  # the truth is always possible
        if 0 < counts[cell] < threshold and high - low < width:
            # Only when nothing more could be hidden: every cell tied to it is hidden or always shown.
            assert nothing_left_to_hide(cell, groups, mask, {"total"}), (cell, low, high)


@settings(database=None, deadline=None, max_examples=12)
@given(
    rows=st.integers(2, 3),
    columns=st.integers(2, 4),
    data=st.data(),
)
def test_a_grid_with_row_and_column_totals_is_audited_as_a_linear_programme(rows, columns, data):
    """Tables whose sums form cycles (a cross-tabulation) are solved exactly too."""
    cells = {
        (r, c): data.draw(st.one_of(st.integers(0, 12), st.integers(10, 50)), label=f"cell {r},{c}")
        for r, c in itertools.product(range(rows), range(columns))
    }
    counts = dict(cells)
    groups = []
    for r in range(rows):
        counts[("row", r)] = sum(cells[(r, c)] for c in range(columns))
        groups.append(SumGroup(("row", r), tuple((r, c) for c in range(columns))))
    for c in range(columns):
        counts[("column", c)] = sum(cells[(r, c)] for r in range(rows))
        groups.append(SumGroup(("column", c), tuple((r, c) for r in range(rows))))
    counts["all"] = sum(cells.values())
    groups.append(SumGroup("all", tuple(("row", r) for r in range(rows))))
    series = pd.Series(list(counts.values()), index=pd.Index(list(counts), tupleize_cols=False))
    mask = suppression_mask(series, groups, always_shown=["all"], key=b"grid")
    assert not recoverable(series, groups, mask) - set(series.index[series == 0])
    bounds = reader_bounds(counts, groups, set(series.index[mask]), fixed={"all"})
    assert same(
        hidden_intervals(counts, groups, set(series.index[mask]), bounds),
        attacker_intervals(series, groups, mask, bounds),
    )


class TestGroups:
    def test_flat_characteristic(self):
        assert characteristic_sum_groups(["Female", "Male"]) == [
            SumGroup("total", ("answered", "prefer_not_to_say", "skipped")),
            SumGroup("answered", ("Female", "Male")),
        ]

    def test_every_category_in_exactly_one_broad_group(self):
        with pytest.raises(ValueError):
            characteristic_sum_groups(["a", "b", "c"], broad_groups={"X": ["a"], "Y": ["b"]})
        with pytest.raises(ValueError):
            characteristic_sum_groups(["a", "b"], broad_groups={"X": ["a", "b"], "Y": ["b"]})

    def test_labels_must_be_distinct(self):
        with pytest.raises(ValueError):
            characteristic_sum_groups(["answered", "other"])


def test_summary_counts_and_flags():
    counts, groups = _cells(ETHNIC_GROUPS, prefer_not_to_say=7, skipped=15)
    mask = suppression_mask(counts, groups, always_shown=["total"], key=b"k")
    shown = suppress_counts(counts[["answered", "prefer_not_to_say", "total"]], mask)
    assert shown["prefer_not_to_say"] is None and shown["total"] == 313
    flags = flagged_small(counts, mask, {"Chinese", "Indian"}, 10)
    assert flags["Chinese"] and not flags["Indian"]  # Indian (30) is not hidden, or not small


def test_a_count_the_always_shown_cells_give_away_is_hidden_when_the_caller_publishes_them_knowingly():
    """One respondent, who answered: total 1 and answered 1 are published, so asked is 1 whatever is
    hidden. The caller says it publishes them knowing that; the count is hidden, the rest as it can be."""
    counts = pd.Series({"total": 1, "asked": 1, "not_asked": 0, "answered": 1, "pnts": 0, "skipped": 0})
    groups = [SumGroup("total", ("asked", "not_asked")), SumGroup("asked", ("answered", "pnts", "skipped"))]
    with pytest.raises(ValueError, match="cannot protect"):
        suppression_mask(counts, groups, always_shown=["total", "answered"])
    mask = suppression_mask(counts, groups, always_shown=["total", "answered"], implied_by_shown=True)
    assert set(mask[mask].index) == {"asked", "not_asked", "pnts", "skipped"}
