"""Raking targets and cells: parsing the targets, coding respondents' categories, grouping rows into cells."""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.integer[Any]]
TargetKey = str | tuple[str, ...]
Targets = Mapping[Any, Any]

# Above this many possible cells, grouping switches from a dense bincount over the key space to a
# sort (np.unique); both are exact, the dense path is just faster when the key space is small.
_DENSE_KEY_LIMIT = 1 << 24


@dataclass
class Spec:
    """One raking margin as given: the column(s), the category labels and their population shares."""

    columns: tuple[str, ...]
    labels: list[Hashable]  # tuples of labels for a joint margin
    shares: FloatArray  # sums to 1 over ``labels``

    @property
    def key(self) -> TargetKey:
        return self.columns[0] if len(self.columns) == 1 else self.columns

    @property
    def name(self) -> str:
        return " × ".join(self.columns)


def parse_targets(targets: Targets) -> list[Spec]:
    if not isinstance(targets, Mapping) or not targets:
        raise ValueError("targets must be a non-empty mapping of column name to {category: count or share}.")
    specs: list[Spec] = []
    for key, mapping in targets.items():
        columns: tuple[str, ...]
        if isinstance(key, tuple):
            if not key or not all(isinstance(c, str) for c in key):
                raise ValueError(f"A joint target key must be a non-empty tuple of column names, got {key!r}.")
            columns = key
        elif isinstance(key, str):
            columns = (key,)
        else:
            raise ValueError(f"A target key must be a column name or a tuple of column names, got {key!r}.")
        items = list(mapping.items())
        if not items:
            raise ValueError(f"The targets for {key!r} are empty.")
        labels: list[Hashable] = []
        for label, _ in items:
            if len(columns) > 1:
                if not isinstance(label, tuple) or len(label) != len(columns):
                    raise ValueError(
                        f"Joint target {key!r} needs {len(columns)}-tuples of labels as categories, got {label!r}."
                    )
                if any(_is_missing(part) for part in label):
                    raise ValueError(f"Joint target {key!r} has a missing label in {label!r}.")
            elif _is_missing(label):
                raise ValueError(
                    f"The targets for {key!r} contain a missing label; missing answers get their observed share "
                    "automatically."
                )
            labels.append(label)
        if len(set(labels)) != len(labels):
            raise ValueError(f"The targets for {key!r} repeat a category.")
        values = np.asarray([float(value) for _, value in items], dtype=np.float64)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise ValueError(f"The targets for {key!r} must be finite and non-negative.")
        total = values.sum()
        if total <= 0:
            raise ValueError(f"The targets for {key!r} add up to zero.")
        specs.append(Spec(columns=columns, labels=labels, shares=values / total))
    return specs


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def encode_column(values: pd.Series, labels: Sequence[Hashable], what: str) -> CodeArray:
    """Code each value by its position in ``labels``; missing values get ``len(labels)``.

    Raises ValueError naming any respondent category that is not in ``labels``. For categoricals the
    result may be a small integer type (it is only combined into keys and used as an index).
    """
    index = pd.Index(list(labels), tupleize_cols=False)
    missing_code = len(labels)
    if isinstance(values.dtype, pd.CategoricalDtype):
        # Work on the few categories, not the many rows: map each category to its target position once.
        categories = values.cat.categories
        position = index.get_indexer(categories).astype(np.int64)
        raw = values.cat.codes.to_numpy()
        if np.any(position < 0):
            used = np.bincount(raw[raw >= 0], minlength=len(categories)) > 0
            unknown = list(categories[(position < 0) & used])
            if unknown:
                raise ValueError(f"Respondent categories of {what} are not in its targets: {unknown!r}.")
        if np.array_equal(position, np.arange(len(categories))) and (len(raw) == 0 or raw.min() >= 0):
            # Categories in target order and no missing answers (the usual case for data from the
            # database): the codes are already right, so skip a pass over the rows.
            return raw
        # The lookup table's last entry serves the categorical code -1 (missing): take() counts
        # negative indices from the end.
        return np.take(np.append(position, missing_code), raw)
    codes = index.get_indexer(pd.Index(values)).astype(np.int64, copy=False)
    if np.any(codes < 0):
        missing = values.isna().to_numpy()
        unknown_mask = (codes < 0) & ~missing
        if np.any(unknown_mask):
            unknown = list(pd.unique(values.to_numpy()[unknown_mask]))[:20]
            raise ValueError(f"Respondent categories of {what} are not in its targets: {unknown!r}.")
        codes[missing] = missing_code
    return codes


def encode(frame: pd.DataFrame, spec: Spec) -> IntArray:
    """Margin codes for every row of ``frame``: position in ``spec.labels``, or len(labels) if missing."""
    absent = [column for column in spec.columns if column not in frame.columns]
    if absent:
        raise ValueError(f"No column {absent[0]!r} for the targets on {spec.name}.")
    if len(spec.columns) == 1:
        codes = encode_column(frame[spec.columns[0]], spec.labels, repr(spec.columns[0]))
        return codes.astype(np.int64, copy=False)
    # Joint margin: code each column against the labels it takes in the joint table, combine the codes
    # into one integer, then look the combination up; any missing part makes the combination missing.
    parts: list[CodeArray] = []
    radices: list[int] = []
    part_labels: list[list[Hashable]] = []
    for i, column in enumerate(spec.columns):
        own = list(dict.fromkeys(label[i] for label in spec.labels))  # type: ignore[index]
        part_labels.append(own)
        parts.append(encode_column(frame[column], own, repr(column)))
        radices.append(len(own))
    space = math.prod(radices)
    key = np.zeros(len(frame), dtype=np.int64)
    any_missing = np.zeros(len(frame), dtype=bool)
    for part, radix in zip(parts, radices, strict=True):
        any_missing |= part == radix
        key = key * radix + np.minimum(part, radix - 1)
    lookup = np.full(space, -1, dtype=np.int64)
    for position, label in enumerate(spec.labels):
        combined = 0
        for i, radix in enumerate(radices):
            combined = combined * radix + part_labels[i].index(label[i])  # type: ignore[index]
        lookup[combined] = position
    codes = lookup[key]
    codes[any_missing] = len(spec.labels)
    bad = (codes < 0) & ~any_missing
    if np.any(bad):
        combos = frame.loc[bad, list(spec.columns)].drop_duplicates().head(20)
        unknown = [tuple(row) for row in combos.itertuples(index=False)]
        raise ValueError(f"Respondent combinations of {spec.name} are not in its joint targets: {unknown!r}.")
    return codes


def group_rows(keys: Sequence[CodeArray], radices: Sequence[int]) -> tuple[IntArray, list[IntArray], IntArray]:
    """Group rows by their combination of codes.

    Returns the cell of each row, the codes of each cell (one array per input), and the row count
    of each cell. Uses a mixed-radix integer key so grouping is a bincount, not a hash of tuples.
    """
    n = len(keys[0]) if keys else 0
    space = math.prod(radices)
    if space < 2**62:
        key = np.zeros(n, dtype=np.int64)
        for codes, radix in zip(keys, radices, strict=True):
            key *= radix
            key += codes
        if space <= max(_DENSE_KEY_LIMIT, 4 * n):
            counts_by_key = np.bincount(key, minlength=space)
            present = np.flatnonzero(counts_by_key)
            lookup = np.empty(space, dtype=np.int64)
            lookup[present] = np.arange(len(present))
            cell_of_row = lookup[key]
            counts = counts_by_key[present]
        else:
            present, cell_of_row, counts = np.unique(key, return_inverse=True, return_counts=True)
        cell_codes: list[IntArray] = []
        remainder = present.astype(np.int64)
        for radix in reversed(radices):
            cell_codes.append(remainder % radix)
            remainder = remainder // radix
        cell_codes.reverse()
        return cell_of_row.astype(np.int64, copy=False), cell_codes, counts.astype(np.int64, copy=False)
    # Key space too large for int64 (never with census classifications): group the code columns by sorting.
    stacked = np.stack(keys, axis=1)
    unique_rows, cell_of_row, counts = np.unique(stacked, axis=0, return_inverse=True, return_counts=True)
    return (
        cell_of_row.reshape(-1).astype(np.int64),
        [unique_rows[:, i].astype(np.int64) for i in range(len(keys))],
        counts.astype(np.int64),
    )


def labels_by_column(specs: list[Spec]) -> dict[str, list[Hashable]]:
    """Every label each raking column takes in any target (joint targets contribute their parts)."""
    labels: dict[str, dict[Hashable, None]] = {}
    for spec in specs:
        for i, column in enumerate(spec.columns):
            own = labels.setdefault(column, {})
            for label in spec.labels:
                own[label if len(spec.columns) == 1 else label[i]] = None  # type: ignore[index]
    return {column: list(own) for column, own in labels.items()}


def base_weights(weights: pd.Series | npt.ArrayLike, index: pd.Index) -> FloatArray:
    if isinstance(weights, pd.Series):
        if not weights.index.equals(index):
            raise ValueError("weights must have the same index as sample.")
        values = weights.to_numpy(dtype=np.float64)
    else:
        values = np.asarray(weights, dtype=np.float64)
    if values.shape != (len(index),):
        raise ValueError("weights must have one value per row of sample.")
    if not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ValueError("Base weights must be positive and finite.")
    return values
