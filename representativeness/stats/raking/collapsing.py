"""Census categories without respondents: collapse a margin along its hierarchy, or leave it out."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from representativeness.stats.collapse import Hierarchy, broad_groups, describe_collapse
from representativeness.stats.raking.cells import FloatArray, IntArray, Spec, encode


@dataclass
class Margin:
    """A margin ready for raking: codes per cell and target totals (last entry = missing level)."""

    spec: Spec
    labels: list[Hashable]
    shares: FloatArray
    codes: IntArray
    # For reports on a collapsed column: broad label -> detailed labels.
    groups: dict[Hashable, list[Hashable]] | None = None

    @property
    def name(self) -> str:
        return self.spec.name


def mass_by_level(margin: Margin, mass: FloatArray) -> FloatArray:
    return np.bincount(margin.codes, weights=mass, minlength=len(margin.labels) + 1)


def resolve_empty(
    margins: list[Margin],
    mass: FloatArray,
    hierarchy: Hierarchy | None,
    frame: pd.DataFrame,
) -> tuple[list[Margin], dict[str, list[Hashable]], dict[str, dict[Hashable, list[Hashable]]], list[str], list[str]]:
    """Collapse or leave out margins with census categories that have no respondents."""
    empty: dict[str, list[Hashable]] = {}
    collapsed: dict[str, dict[Hashable, list[Hashable]]] = {}
    dropped: list[str] = []
    notes: list[str] = []
    explicit = {m.spec.columns[0] for m in margins if len(m.spec.columns) == 1}
    queue = list(margins)
    kept: list[Margin] = []
    while queue:
        margin = queue.pop(0)
        observed = mass_by_level(margin, mass)[:-1]
        zero_target_used = (margin.shares == 0) & (observed > 0)
        if np.any(zero_target_used):
            labels = [margin.labels[i] for i in np.flatnonzero(zero_target_used)]
            raise ValueError(
                f"The targets for {margin.name} are zero for categories that have respondents: {labels!r}."
            )
        is_empty = (margin.shares > 0) & (observed == 0)
        if not np.any(is_empty):
            kept.append(margin)
            continue
        labels = [margin.labels[i] for i in np.flatnonzero(is_empty)]
        empty.setdefault(margin.name, []).extend(labels)
        listed = ", ".join(str(label) for label in labels)
        column = margin.spec.columns[0]
        if len(margin.spec.columns) > 1:
            notes.append(
                f"{margin.name}: no respondents in {listed}, so the joint target was replaced by its one-way margins."
            )
            for i, part in enumerate(margin.spec.columns):
                if part in explicit:
                    continue
                explicit.add(part)
                queue.append(_one_way_from_joint(margin, i, frame))
            continue
        if hierarchy is not None and column in hierarchy and margin.groups is None:
            broad, index = broad_groups(column, margin.labels, hierarchy[column])
            shares = np.bincount(index, weights=margin.shares, minlength=len(broad))
            # Missing stays the missing level (its code moves to the new last position).
            lut = np.append(index, len(broad))
            groups = {g: [d for d, i in zip(margin.labels, index, strict=True) if broad[i] == g] for g in broad}
            notes.append(f"{column}: no respondents in {listed}. " + describe_collapse(column, margin.labels, broad))
            collapsed[column] = groups
            queue.insert(
                0,
                Margin(spec=margin.spec, labels=broad, shares=shares, codes=lut[margin.codes], groups=groups),
            )
            continue
        if margin.groups is not None:
            collapsed.pop(column, None)
            notes.append(
                f"{column}: even the broad groups {listed} have no respondents, so {column} was left out "
                "of the weighting."
            )
        else:
            notes.append(
                f"{column}: no respondents in {listed}, which cannot be weighted up, so {column} was left out "
                "of the weighting."
            )
        dropped.append(margin.name)
    return kept, empty, collapsed, dropped, notes


def _one_way_from_joint(margin: Margin, i: int, frame: pd.DataFrame) -> Margin:
    """The one-way margin of column ``i`` of a joint margin, with targets summed from the joint table."""
    column = margin.spec.columns[i]
    own = list(dict.fromkeys(label[i] for label in margin.spec.labels))  # type: ignore[index]
    shares = np.zeros(len(own))
    for label, share in zip(margin.spec.labels, margin.spec.shares, strict=True):
        shares[own.index(label[i])] += share  # type: ignore[index]
    spec = Spec(columns=(column,), labels=own, shares=shares)
    return Margin(spec=spec, labels=own, shares=shares, codes=encode(frame, spec))
