"""Small-number suppression: primary, secondary across a hierarchy, and applying it to a report."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from representativeness.stats.comparison import compare_report, comparison_records
from representativeness.stats.suppression import (
    KEEP_WHEN_COUNT_HIDDEN,
    SumGroup,
    apply_suppression,
    characteristic_sum_groups,
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


def _cells(
    detailed: dict[str, dict[str, int]], prefer_not_to_say: int, skipped: int
) -> tuple[pd.Series, list[SumGroup]]:
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
    """Hidden cells that some combination of the shown sums pins down exactly.

    Each group is an equation sum(parts) - total = 0. Move the shown cells to the right-hand side; a
    hidden cell x is determined exactly when the unit vector e_x lies in the row space of the equations
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


def exposed_by_subtraction(groups: list[SumGroup], mask: pd.Series) -> list[SumGroup]:
    return [group for group in groups if sum(bool(mask[cell]) for cell in group.cells) == 1]


class TestPrimary:
    def test_counts_below_the_threshold_are_hidden_zeros_are_not(self):
        counts = pd.Series({"a": 0, "b": 1, "c": 9, "d": 10, "e": 200, "total": 220})
        mask = suppression_mask(counts, [], always_shown=["total"])
        assert mask.to_dict() == {"a": False, "b": True, "c": True, "d": False, "e": False, "total": False}

    def test_threshold_and_zeros_are_parameters(self):
        counts = pd.Series({"a": 0, "b": 4, "c": 7})
        assert suppression_mask(counts, [], threshold=5).tolist() == [False, True, False]
        assert suppression_mask(counts, [], threshold=5, suppress_zeros=True).tolist() == [True, True, False]

    def test_always_shown_wins_even_below_the_threshold(self):
        counts = pd.Series({"a": 5, "b": 3, "total": 8})
        mask = suppression_mask(counts, [SumGroup("total", ("a", "b"))], always_shown=["total"])
        assert mask.to_dict() == {"a": True, "b": True, "total": False}


class TestSecondary:
    def test_a_lone_hidden_cell_takes_the_next_smallest_with_it(self):
        counts = pd.Series({"a": 3, "b": 40, "c": 25, "answered": 68})
        mask = suppression_mask(counts, [SumGroup("answered", ("a", "b", "c"))], always_shown=["answered"])
        assert mask[mask].index.tolist() == ["a", "c"]

    def test_a_zero_is_not_a_complement_while_a_non_zero_cell_remains(self):
        # Hiding the 0 beside the 3 would protect nothing: hidden cells are 1..9 or (complements) 0 or
        # >= 10, so a hidden pair adding to 3 must be 3 and 0.
        counts = pd.Series({"a": 3, "b": 0, "c": 25, "d": 40, "answered": 68})
        mask = suppression_mask(counts, [SumGroup("answered", ("a", "b", "c", "d"))], always_shown=["answered"])
        assert mask[mask].index.tolist() == ["a", "c"]

    def test_a_zero_is_used_when_nothing_else_is_left(self):
        counts = pd.Series({"answered": 5, "prefer_not_to_say": 0, "skipped": 0, "total": 5})
        groups = [SumGroup("total", ("answered", "prefer_not_to_say", "skipped"))]
        mask = suppression_mask(counts, groups, always_shown=["total"])
        assert mask.to_dict() == {"answered": True, "prefer_not_to_say": True, "skipped": False, "total": False}

    def test_iterates_until_stable_whatever_the_order_of_the_groups(self):
        counts = pd.Series({"x1": 3, "y1": 12, "y2": 13, "z1": 40, "X": 3, "Y": 25, "Z": 40, "answered": 68})
        # The lower groups come first, so the pass that hides Y (the complement of X in "answered")
        # has already gone past Y's own group: only a second pass can protect Y.
        groups = [
            SumGroup("Y", ("y1", "y2")),
            SumGroup("X", ("x1",)),
            SumGroup("Z", ("z1",)),
            SumGroup("answered", ("X", "Y", "Z")),
        ]
        mask = suppression_mask(counts, groups, always_shown=["answered"])
        assert set(mask[mask].index) == {"x1", "X", "Y", "y1"}
        assert not exposed_by_subtraction(groups, mask)
        assert not recoverable(counts, groups, mask)

    def test_ethnic_group_hierarchy(self):
        counts, groups = _cells(ETHNIC_GROUPS, prefer_not_to_say=7, skipped=15)
        assert counts["total"] == 313
        mask = suppression_mask(counts, groups, always_shown=["total"])
        assert set(mask[mask].index) == {
            # primary: below 10 and not zero
            "Chinese",
            "Caribbean",
            "White and Asian",
            "Any other ethnic group",
            "Other ethnic group",
            "prefer_not_to_say",
            # secondary, each the smallest non-zero cell left in its group
            "Other Asian",  # beside Chinese
            "African",  # beside Caribbean (Other Black is 0)
            # beside "Other ethnic group" among the broad groups; it then also protects White and Asian
            # within its own group, so White and Black Caribbean (12) can stay.
            "Mixed or Multiple ethnic groups",
            "skipped",  # beside prefer not to say
        }
        assert not exposed_by_subtraction(groups, mask)
        assert not recoverable(counts, groups, mask)

    def test_the_checker_would_catch_a_recoverable_cell(self):
        # Without secondary suppression the same table gives cells away, and the checker says so.
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


@st.composite
def hierarchies(draw):
    small_or_large = st.one_of(st.integers(0, 12), st.integers(0, 60))
    detailed = {
        f"broad{b}": {f"d{b}.{d}": draw(small_or_large) for d in range(draw(st.integers(1, 5)))}
        for b in range(draw(st.integers(1, 5)))
    }
    return _cells(detailed, prefer_not_to_say=draw(small_or_large), skipped=draw(small_or_large))


@settings(database=None, deadline=None, max_examples=300)
@given(table=hierarchies(), threshold=st.sampled_from([5, 10]))
def test_no_hidden_cell_can_be_recovered_from_any_shown_total(table, threshold):
    counts, groups = table
    mask = suppression_mask(counts, groups, threshold=threshold, always_shown=["total"])
    assert not mask["total"]
    small = (counts > 0) & (counts < threshold)
    assert all(mask[cell] for cell in small.index[small] if cell != "total")
    assert not exposed_by_subtraction(groups, mask)
    assert not recoverable(counts, groups, mask)


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


class TestApply:
    def report(self, prefer_not_to_say: int = 7, skipped: int = 15):
        counts, groups = _cells(ETHNIC_GROUPS, prefer_not_to_say=prefer_not_to_say, skipped=skipped)
        detailed_labels = [label for parts in ETHNIC_GROUPS.values() for label in parts]
        broad_labels = list(ETHNIC_GROUPS)
        census = pd.Series(1000, index=detailed_labels + broad_labels)
        census[broad_labels] = [len(parts) * 1000 for parts in ETHNIC_GROUPS.values()]
        tables = compare_report(
            {
                "detailed": (counts[detailed_labels], census[detailed_labels]),
                "broad": (counts[broad_labels], census[broad_labels]),
            }
        )
        mask = suppression_mask(counts, groups, always_shown=["total"])
        return counts, mask, tables

    def test_hidden_rows_show_nothing_built_on_their_count(self):
        _, mask, tables = self.report()
        published = apply_suppression(tables["detailed"], mask)
        hidden = published[published["suppressed"]]
        assert set(hidden.index) == {
            "Chinese",
            "Other Asian",
            "African",
            "Caribbean",
            "White and Asian",
            "Any other ethnic group",
        }
        for column in published.columns:
            if column in KEEP_WHEN_COUNT_HIDDEN or column == "suppressed":
                continue
            assert hidden[column].isna().all(), column
            assert all(value is None for value in hidden[column]), column
        assert hidden["census_share"].notna().all()
        assert hidden["flag"].notna().all()

    def test_shown_rows_are_untouched(self):
        _, mask, tables = self.report()
        published = apply_suppression(tables["detailed"], mask)
        shown = published[~published["suppressed"]]
        original = tables["detailed"].loc[shown.index]
        assert shown["respondents"].tolist() == original["respondents"].tolist()
        assert shown["share"].tolist() == original["share"].tolist()
        assert shown.loc["Indian", "ratio"] == original.loc["Indian", "ratio"]

    def test_broad_table_uses_the_same_mask(self):
        _, mask, tables = self.report()
        published = apply_suppression(tables["broad"], mask)
        assert published["suppressed"].tolist() == [False, False, False, True, True]
        json.dumps(comparison_records(published), allow_nan=False)

    def test_a_hidden_denominator_hides_every_share(self):
        # Prefer not to say 7 beside skipped 0: the only non-zero complement is "answered" itself.
        counts, mask, tables = self.report(skipped=0)
        assert mask["answered"]
        published = apply_suppression(tables["detailed"], mask)
        assert published["share"].isna().all() and published["ratio"].isna().all()
        assert published["expected"].isna().all()
        shown = published[~published["suppressed"]]
        assert shown["respondents"].notna().all()
        assert shown.loc["Indian", "respondents"] == 30

    def test_rows_need_a_decision(self):
        _, mask, tables = self.report()
        with pytest.raises(ValueError, match="without a suppression decision"):
            apply_suppression(tables["detailed"], mask.drop("Roma"))

    def test_the_denominator_needs_a_decision_too(self):
        _, mask, tables = self.report()
        with pytest.raises(ValueError, match="denominator"):
            apply_suppression(tables["detailed"], mask, denominator="respondents_who_answered")

    def test_summary_counts(self):
        counts, mask, _ = self.report()
        shown = suppress_counts(counts[["answered", "prefer_not_to_say", "skipped", "total"]], mask)
        assert shown.to_dict() == {"answered": 291, "prefer_not_to_say": None, "skipped": None, "total": 313}
