"""Collapse detailed categories to broad ones along a hierarchy (e.g. 19 ethnic groups to 5).

Raking cannot weight up a census category that has no respondents: there is nobody to carry its
share. The usual remedy is to rake on a coarser classification in which every category has
someone. Census classifications are hierarchical (ONS ethnic group 19 -> 8 -> 5 categories), so a
mapping from each detailed label to its broad label is enough to collapse both the respondents and
the targets consistently.

Pure pandas/numpy; no Django here, so the Django service and the tests can share it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

# column -> {detailed label -> broad label}
Hierarchy = Mapping[str, Mapping[Any, Any]]


def broad_groups(
    column: str, detailed: Sequence[Hashable], mapping: Mapping[Any, Any]
) -> tuple[list[Hashable], npt.NDArray[np.int64]]:
    """Broad labels (in order of first appearance) and, for each detailed label, its broad index.

    Raises ValueError naming the detailed labels the mapping does not cover, because silently
    dropping them would lose their population share.
    """
    uncovered = [label for label in detailed if label not in mapping]
    if uncovered:
        raise ValueError(
            f"The hierarchy for {column!r} does not say which broad group these categories belong to: {uncovered!r}."
        )
    broad: list[Hashable] = []
    position: dict[Hashable, int] = {}
    index = np.empty(len(detailed), dtype=np.int64)
    for i, label in enumerate(detailed):
        group = mapping[label]
        if group not in position:
            position[group] = len(broad)
            broad.append(group)
        index[i] = position[group]
    return broad, index


def describe_collapse(column: str, detailed: Sequence[Hashable], broad: Sequence[Hashable]) -> str:
    """One plain-English sentence for reports."""
    return (
        f"{column}: the {len(detailed)} detailed categories were combined into {len(broad)} broad groups "
        f"({', '.join(str(label) for label in broad)})."
    )


@dataclass(frozen=True)
class Collapsed:
    """Sample and targets after collapsing, with what was done.

    ``collapsed`` maps each collapsed column to {broad label: [detailed labels]}.
    """

    sample: pd.DataFrame
    targets: dict[Any, dict[Any, float]]
    collapsed: dict[str, dict[Hashable, list[Hashable]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def collapse_to_hierarchy(
    sample: pd.DataFrame,
    targets: Mapping[Any, Mapping[Any, float]],
    hierarchy: Hierarchy,
) -> Collapsed:
    """Collapse every column named in ``hierarchy`` (and present in ``targets``) to its broad groups.

    The sample column becomes a categorical with the broad labels (missing stays missing); the
    targets of the detailed labels are summed per broad group. Columns not in ``hierarchy`` are left
    untouched. ``rake(..., hierarchy=...)`` does the same thing, but only for the columns that
    actually need it (a category without respondents); use this helper to collapse up front, e.g.
    to report on broad groups throughout.
    """
    out_sample = sample.copy()
    out_targets: dict[Any, dict[Any, float]] = {key: dict(value) for key, value in targets.items()}
    collapsed: dict[str, dict[Hashable, list[Hashable]]] = {}
    notes: list[str] = []
    for column, mapping in hierarchy.items():
        if column not in out_targets:
            continue
        if column not in sample.columns:
            raise ValueError(f"The sample has no column {column!r}.")
        detailed = list(out_targets[column])
        values = sample[column]
        present = pd.unique(values.dropna().to_numpy())
        # Respondent labels outside the hierarchy would become missing silently; refuse instead.
        unknown = [label for label in present if label not in mapping]
        if unknown:
            raise ValueError(f"The hierarchy for {column!r} does not cover these respondent categories: {unknown!r}.")
        broad, index = broad_groups(column, detailed, mapping)
        sums = np.zeros(len(broad))
        np.add.at(sums, index, np.asarray([out_targets[column][label] for label in detailed], dtype=float))
        out_targets[column] = dict(zip(broad, sums.tolist(), strict=True))
        # A categorical keeps the database-like dtype and makes later encoding cheap.
        mapped = values.map(lambda label, m=mapping: m[label] if pd.notna(label) else np.nan)
        out_sample[column] = pd.Categorical(mapped, categories=pd.Index(broad))
        collapsed[column] = {
            group: [d for d, i in zip(detailed, index, strict=True) if broad[i] == group] for group in broad
        }
        notes.append(describe_collapse(column, detailed, broad))
    return Collapsed(sample=out_sample, targets=out_targets, collapsed=collapsed, notes=notes)
