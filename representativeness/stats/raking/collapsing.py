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


def pool_small(
    margins: list[Margin],
    respondents: FloatArray,
    min_cell: int,
    hierarchy: Hierarchy | None,
    frame: pd.DataFrame,
) -> tuple[list[Margin], dict[str, dict[Hashable, list[Hashable]]], list[str], list[str]]:
    """Categories with fewer than ``min_cell`` respondents: collapse the margin along its hierarchy, then
    combine whatever is still small (with the next smallest category until the combined one is big
    enough). A margin left with one category is left out; a joint margin with a small cell is replaced
    by its one-way margins. Returns the margins, the collapsed groups, the names left out and notes."""
    collapsed: dict[str, dict[Hashable, list[Hashable]]] = {}
    dropped: list[str] = []
    notes: list[str] = []
    explicit = {m.spec.columns[0] for m in margins if len(m.spec.columns) == 1}
    queue = list(margins)
    kept: list[Margin] = []
    while queue:
        margin = queue.pop(0)
        observed = mass_by_level(margin, respondents)[:-1]
        small = (margin.shares > 0) & (observed < min_cell)
        if not np.any(small):
            kept.append(margin)
            continue
        column = margin.spec.columns[0]
        if len(margin.spec.columns) > 1:
            notes.append(
                f"{margin.name}: some combinations have fewer than {min_cell} respondents, so the joint target "
                "was replaced by its one-way margins."
            )
            for i, part in enumerate(margin.spec.columns):
                if part not in explicit:
                    explicit.add(part)
                    queue.append(_one_way_from_joint(margin, i, frame))
            continue
        if hierarchy is not None and column in hierarchy and margin.groups is None:
            broad, index = broad_groups(column, margin.labels, hierarchy[column])
            if len(broad) < len(margin.labels):
                shares = np.bincount(index, weights=margin.shares, minlength=len(broad))
                lut = np.append(index, len(broad))
                groups = {g: [d for d, i in zip(margin.labels, index, strict=True) if broad[i] == g] for g in broad}
                notes.append(
                    f"{column}: some categories have fewer than {min_cell} respondents, so it is weighted on its "
                    f"{len(broad)} broad groups instead of {len(margin.labels)} categories."
                )
                collapsed[column] = groups
                queue.insert(
                    0, Margin(spec=margin.spec, labels=broad, shares=shares, codes=lut[margin.codes], groups=groups)
                )
                continue
        pooled = _pooled(margin, observed, min_cell)
        if pooled is None:
            collapsed.pop(column, None)
            dropped.append(margin.name)
            notes.append(
                f"{column}: too few respondents to keep even two groups of at least {min_cell}, so it was left "
                "out of the weighting."
            )
            continue
        combined_label, small_ones, added, replacement = pooled
        members = [label for label in margin.labels if label in {*small_ones, *added}]
        detailed = [d for label in members for d in (margin.groups or {}).get(label, [label])]
        groups = {label: (margin.groups or {}).get(label, [label]) for label in replacement.labels}
        groups[combined_label] = detailed
        collapsed[column] = groups
        replacement.groups = groups
        one = len(small_ones) == 1
        notes.append(
            f"{column}: {_listed(small_ones)} ha{'s' if one else 've'} fewer than {min_cell} respondents, so "
            f"{'it is' if one else 'they are'} combined{' with ' + _listed(added) if added else ''} for weighting."
        )
        kept.append(replacement)
    return kept, collapsed, dropped, notes


def _listed(labels: list[Hashable]) -> str:
    names = [str(label) for label in labels]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _pooled(
    margin: Margin, observed: FloatArray, min_cell: int
) -> tuple[str, list[Hashable], list[Hashable], Margin] | None:
    """The margin with its small categories combined (growing the pool with the smallest others until it
    has at least ``min_cell`` respondents), or None if that leaves fewer than two categories."""
    order = np.argsort(observed, kind="stable")
    small = [int(i) for i in np.flatnonzero((margin.shares > 0) & (observed < min_cell))]
    pool = set(small) | {int(i) for i in np.flatnonzero(margin.shares == 0)}
    while observed[sorted(pool)].sum() < min_cell and len(pool) < len(margin.labels):
        pool.add(int(next(i for i in order if int(i) not in pool)))
    rest = [i for i in range(len(margin.labels)) if i not in pool]
    if not rest:
        return None
    members = [margin.labels[i] for i in sorted(pool)]
    added = [margin.labels[i] for i in sorted(pool - set(small)) if margin.shares[i] > 0]
    label = " + ".join(map(str, members)) if len(members) <= 3 else f"{len(members)} smaller groups combined"
    new_index = np.empty(len(margin.labels) + 1, dtype=np.int64)
    for position, i in enumerate(rest):
        new_index[i] = position
    for i in pool:
        new_index[i] = len(rest)
    new_index[-1] = len(rest) + 1  # the missing level stays last
    shares = np.append(margin.shares[rest], margin.shares[sorted(pool)].sum())
    labels = [margin.labels[i] for i in rest] + [label]
    replacement = Margin(spec=margin.spec, labels=labels, shares=shares, codes=new_index[margin.codes])
    return label, [margin.labels[i] for i in small], added, replacement
