"""Weighting for readers without the equality-data permission, and every weighting download.

A weight is an equation in the counts: with the census targets public, a cell's weight is its target
share over its respondents' share, so a weight (or anything built from it: an effective sample size, a
weighted interval, "no respondents in ...") gives small counts back. For the protected audience:

- **Raking only on groups whose counts the report shows.** Before raking, a characteristic with a group
  of fewer than `threshold` respondents, or whose count the report of the same published snapshot hides
  (`PublishedGroups`: a large group can be hidden as the complement of a small one), is collapsed along
  the census hierarchy (19 ethnic groups to 5); groups still small or hidden are combined into one
  ("other groups, combined", whose count is the number who answered less the shown ones), and if that
  has fewer than `threshold` respondents, its respondents are not weighted on that characteristic
  (they keep their observed share, like those who did not answer). A joint age-by-sex target with a
  small or hidden cell is replaced by age and sex separately. So no weight describes fewer than
  `threshold` people, and every group raked on has a count the report shows or the shown counts give:
  the weights, and every figure built from them, say nothing about a hidden count.
- **Nothing names a group.** The notes say that groups were combined, never which; the raking's own
  notes (which list empty groups and count non-respondents) are not published.
- **Rounded results.** Shares and intervals to whole percentages, effective sample sizes to the nearest
  10, design effects to one decimal place. An answer chosen by fewer than `threshold` respondents has
  its weighted share and interval hidden, with another answer's beside it (chosen as the suppression
  module chooses complements), since a small group's weighted share is the sum of a few weights.

For the exact audience every function returns what it was given.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from representativeness.disclosure.protection import Protection
from representativeness.disclosure.suppression import SumGroup
from representativeness.errors import ReportError

POOLED = "Other groups, combined"
_PUBLIC_RAKE_NOTES = ("Raking did not converge", "No characteristic could be used")
SHARE_COLUMNS = ("unweighted_share", "unweighted_low", "unweighted_high")
WEIGHTED_COLUMNS = ("weighted_share", "weighted_low", "weighted_high")


@dataclass(frozen=True)
class PublishedGroups:
    """The groups whose counts the report of the same published snapshot shows the protected audience,
    labelled as the weighting labels them. `labels`: by characteristic (or ("age", "sex") for the joint
    table, labels (band, sex)), the groups shown at the level the targets are given at; `broad`: by
    characteristic with a census hierarchy, the broad groups shown. A characteristic or level missing
    shows nothing (deny by default)."""

    labels: Mapping[Any, frozenset[Any]] = field(default_factory=dict)
    broad: Mapping[str, frozenset[Any]] = field(default_factory=dict)

    def shows(self, key: Any, label: Any, *, broad: bool = False) -> bool:
        return label in (self.broad if broad else self.labels).get(key, frozenset())


@dataclass
class SafeMargins:
    """The targets to rake on after combining small groups, how to relabel cells for them, and what to say."""

    targets: dict[Any, dict[Any, float]]
    hierarchy: dict[str, dict[str, str]]
    relabel: dict[str, dict[Any, Any]] = field(default_factory=dict)  # characteristic: {label: new label or NaN}
    notes: list[str] = field(default_factory=list)
    joint_replaced: bool = False

    def apply(self, cells: pd.DataFrame) -> pd.DataFrame:
        """`cells` (respondents, or answers by respondents' characteristics) with the groups relabelled."""
        out = cells.copy()
        for column, mapping in self.relabel.items():
            if column in out:
                out[column] = out[column].map(
                    lambda label, m=mapping: m.get(label, label) if pd.notna(label) else np.nan
                )
        return out


def safe_margins(
    cells: pd.DataFrame,
    targets: Mapping[Any, Mapping[Any, float]],
    hierarchy: Mapping[str, Mapping[str, str]],
    *,
    count: str,
    labels: Mapping[str, str],
    protection: Protection,
    published: PublishedGroups | None,
) -> SafeMargins:
    """Targets, and a relabelling of cells, in which every group raked on has at least the threshold
    and a count the report of the same snapshot shows (`published`; None only for the exact audience).

    `cells`: one column per characteristic (census labels, NaN for no answer) and `count`. `targets`:
    {characteristic: {label: census count}}, or {(age, sex): {(band, sex): count}} for a joint target.
    `labels`: each characteristic's name for the notes.
    """
    if protection.exact:
        return SafeMargins(
            targets={k: dict(v) for k, v in targets.items()},
            hierarchy={key: dict(mapping) for key, mapping in hierarchy.items()},
        )
    threshold = protection.threshold
    shown = published or PublishedGroups()
    safe: dict[Any, dict[Any, float]] = {}
    margins = SafeMargins(targets=safe, hierarchy={})
    for key, target in targets.items():
        if isinstance(key, tuple):
            joint = cells.groupby(list(key), dropna=True)[count].sum()
            if all(joint.get(label, 0) >= threshold and shown.shows(key, label) for label in target):
                safe[key] = dict(target)
                continue
            margins.joint_replaced = True
            margins.notes.append(
                "Age and sex are raked separately: some age-and-sex groups have too few responses, or counts "
                "the report hides."
            )
            for position, column in enumerate(key):
                margin: dict[Any, float] = {}
                for label, value in target.items():
                    margin[label[position]] = margin.get(label[position], 0.0) + float(value)
                safe[column] = margin
        else:
            safe[key] = {label: float(value) for label, value in target.items()}
    for key in [k for k in safe if not isinstance(k, tuple)]:
        _make_safe(key, cells, count, hierarchy, labels, threshold, margins, shown)
    if not safe:
        raise ReportError(
            f"No characteristic has {threshold} or more responses, in counts the report shows, in enough of its "
            "groups to weight on."
        )
    return margins


def _make_safe(
    key: str,
    cells: pd.DataFrame,
    count: str,
    hierarchy: Mapping[str, Mapping[str, str]],
    labels: Mapping[str, str],
    threshold: int,
    margins: SafeMargins,
    shown: PublishedGroups,
) -> None:
    """Collapse, combine or leave out `key`'s small or hidden groups (see the module docstring), in
    `margins`. Which are decided from the counts the report shows alone (a shown count is 0 or at least
    the threshold), so the choice says nothing about a hidden one."""
    target = margins.targets[key]
    sizes = cells.groupby(key, dropna=True, observed=True)[count].sum()
    name = labels.get(key, key)
    name = name[:1].upper() + name[1:]
    mapping: dict[Any, Any] = {}
    broad_level = False

    def unsafe(label: Any) -> bool:
        return sizes.get(label, 0) < threshold or not shown.shows(key, label, broad=broad_level)

    if key in hierarchy and any(unsafe(label) for label in target):
        mapping = {label: hierarchy[key].get(label, label) for label in target}
        broad: dict[Any, float] = {}
        for label, value in target.items():
            broad[mapping[label]] = broad.get(mapping[label], 0.0) + value
        sizes = sizes.groupby(lambda label: mapping.get(label, label)).sum()
        target = broad
        broad_level = True
        margins.notes.append(
            f"{name} is weighted on its broad groups: some detailed groups have too few responses, or counts the "
            "report hides."
        )
    elif key in hierarchy:
        margins.hierarchy[key] = dict(hierarchy[key])
    small = [label for label in target if unsafe(label)]
    kept = {label: value for label, value in target.items() if label not in small}
    if small:
        pooled = sum(int(sizes.get(label, 0)) for label in small) >= threshold
        new_label = POOLED if pooled else np.nan
        mapping = {
            old: (new_label if new in small else new)
            for old, new in (mapping or {label: label for label in target}).items()
        }
        if pooled:
            kept[POOLED] = float(sum(target[label] for label in small))
            margins.notes.append(
                f"{name}: groups with fewer than {threshold} responses, or whose counts the report hides, are "
                "weighted together."
            )
        else:
            margins.notes.append(
                f"{name}: respondents in groups with too few responses are not weighted on it; they keep their "
                "observed share, as those who did not answer do."
            )
    if len(kept) < 2:
        del margins.targets[key]
        margins.hierarchy.pop(key, None)
        mapping = {label: np.nan for label in target} | {old: np.nan for old in mapping}
        margins.notes.append(
            f"{name} is left out: too few of its groups have {threshold} or more responses in counts the report shows."
        )
    else:
        margins.targets[key] = kept
    if mapping:
        margins.relabel[key] = mapping


def protected_bounds(
    cap: float | None, floor: float | None, protection: Protection
) -> tuple[float | None, float | None, list[str]]:
    """The weight bounds to rake to for the audience, and what to say if they were changed.

    Whether a cap can be met is an equation in the counts (the smallest possible largest weight is a
    group's census share over its share of respondents): with any cap accepted, halving the gap between
    a refused cap and an accepted one finds it, and a group's count, to any precision. For the protected
    audience a cap counts as the whole number at or above it and a floor as the tenth at or below it
    (none below 0.1), so the refusals and the weights say no more than those steps.
    """
    if protection.exact:
        return cap, floor, []
    stepped_cap = None if cap is None else float(math.ceil(cap - 1e-9))
    stepped_floor = None if floor is None or floor < 0.1 else math.floor(floor * 10 + 1e-9) / 10
    if (stepped_cap, stepped_floor) == (cap, floor):
        return cap, floor, []
    return (
        stepped_cap,
        stepped_floor,
        [
            "Weights are bounded at whole numbers (largest) and tenths (smallest) of the average for anyone without "
            "permission to view equality data: a finer bound would give the counts away."
        ],
    )


def rake_notes(notes: Sequence[str], protection: Protection) -> list[str]:
    """The raking's own notes the audience may read: all for the exact audience; otherwise only those
    that name no group and count nobody (the rest list empty groups and count non-respondents)."""
    if protection.exact:
        return list(notes)
    return [note for note in notes if note.startswith(_PUBLIC_RAKE_NOTES)]


def protect_weighted_table(table: pd.DataFrame, protection: Protection) -> pd.DataFrame:
    """One question's side-by-side table as the audience may see it (see the module docstring).

    Adds `weighted_hidden`: True where the weighted share and interval are hidden.
    """
    result = table.copy()
    if protection.exact:
        return result.assign(weighted_hidden=False)
    counts = table["respondents"].astype("int64")
    total = "__answered__"
    cells = pd.concat([counts, pd.Series({total: int(counts.sum())})])
    cells.index = pd.Index(list(cells.index), tupleize_cols=False)
    mask = protection.mask(cells, [SumGroup(total, tuple(counts.index))], always_shown=[total])
    hidden = mask.loc[list(table.index)].to_numpy(dtype=bool)
    for column in (*SHARE_COLUMNS, *WEIGHTED_COLUMNS):
        if column in result:
            result[column] = [protection.share(_number(v)) for v in result[column]]
    for column in WEIGHTED_COLUMNS:
        if column in result:
            values = result[column].to_numpy(dtype=float, copy=True)
            values[hidden] = np.nan
            result[column] = values
    if "weighted_respondents" in result:
        result = result.drop(columns=["weighted_respondents"])
    return result.assign(weighted_hidden=hidden)


def protect_weighted_results(results: Any, protection: Protection) -> Any:
    """A question's WeightedResults with its table, effective size and design effect protected."""
    if protection.exact:
        return dataclasses.replace(results, table=protect_weighted_table(results.table, protection))
    table = protect_weighted_table(results.table, protection)
    notes = [] if table["weighted_hidden"].any() else list(results.notes)
    return dataclasses.replace(
        results,
        table=table,
        effective_n=protection.effective_size(results.effective_n),
        design_effect=protection.design_effect(results.design_effect),
        notes=notes,
    )


def _number(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number


__all__ = [
    "POOLED",
    "PublishedGroups",
    "SafeMargins",
    "protect_weighted_results",
    "protect_weighted_table",
    "protected_bounds",
    "rake_notes",
    "safe_margins",
]
