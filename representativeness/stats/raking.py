"""Raking (iterative proportional fitting) on aggregated cells.

Raking adjusts respondent weights until the weighted distribution of each characteristic (age band,
sex, ethnic group, ...) matches the census. Every respondent with the same combination of raking
characteristics (and the same base weight) ends up with the same weight, so it is exact to rake the
*cells* - the distinct combinations, with their respondent counts - rather than the rows. The cost
of the iterations then depends on the number of cells (at most the product of the category counts,
usually far fewer), not on the number of respondents, and the cells can come straight from a SQL
``GROUP BY``.

Two entry points share one engine:

* :func:`rake` takes one row per respondent (a DataFrame of category labels), aggregates it into
  cells with integer arithmetic on category codes, rakes the cells and maps the result back to rows.
* :func:`rake_cells` takes the cells themselves (characteristic columns plus a respondent count).

Conventions (see docs/domain.md, "Weighting"):

* Targets are counts or shares per category; each characteristic is normalised to shares.
* A missing answer (NaN) is its own level whose target is its observed (base-weighted) share, so
  those respondents are neither up- nor down-weighted on that characteristic; the answered levels
  share the rest in census proportions.
* A census category with no respondents cannot be weighted up. It is reported; the characteristic
  is collapsed along ``hierarchy`` when one is given, otherwise left out. A joint target (tuple key)
  with an empty cell is replaced by its one-way margins.
* A key that is a tuple of column names is a joint target (post-stratification cells, e.g. age band
  by sex); see also :func:`representativeness.stats.poststratify.poststratify`.
* Convergence: the largest relative margin error ``|weighted - target| / target`` over every
  category must be at most ``tol``. Non-convergence is reported in the result, never raised.
* Weights are returned with mean 1 over respondents.
* ``cap`` (a multiple of the mean weight) is enforced inside every raking step, which is the fixed
  point of "cap, re-rake, repeat": no weight ever exceeds it. If the cap is too tight for the
  targets, the rake reports non-convergence with the remaining margin error.
* Design effect is Kish's ``n * sum(w^2) / (sum w)^2`` over respondents; effective n = n / deff.

No Django imports here: these are pure functions on pandas objects.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from representativeness.stats.collapse import Hierarchy, broad_groups, describe_collapse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
CodeArray = npt.NDArray[np.integer[Any]]
TargetKey = str | tuple[str, ...]
Targets = Mapping[Any, Any]

# Above this many possible cells, grouping switches from a dense bincount over the key space to a
# sort (np.unique); both are exact, the dense path is just faster when the key space is small.
_DENSE_KEY_LIMIT = 1 << 24
# How far above or below the cap a factor may drift under a cap before it is held (see _ipf).
_DRIFT = 1e12
# A weight counts as "at the cap" when within this relative distance of it (floating noise).
_CAP_RTOL = 1e-9


# ---------------------------------------------------------------------------------------------
# Targets and encoding
# ---------------------------------------------------------------------------------------------


@dataclass
class _Spec:
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


def _parse_targets(targets: Targets) -> list[_Spec]:
    if not isinstance(targets, Mapping) or not targets:
        raise ValueError("targets must be a non-empty mapping of column name to {category: count or share}.")
    specs: list[_Spec] = []
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
        specs.append(_Spec(columns=columns, labels=labels, shares=values / total))
    return specs


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _encode_column(values: pd.Series, labels: Sequence[Hashable], what: str) -> CodeArray:
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


def _encode(frame: pd.DataFrame, spec: _Spec) -> IntArray:
    """Margin codes for every row of ``frame``: position in ``spec.labels``, or len(labels) if missing."""
    absent = [column for column in spec.columns if column not in frame.columns]
    if absent:
        raise ValueError(f"No column {absent[0]!r} for the targets on {spec.name}.")
    if len(spec.columns) == 1:
        codes = _encode_column(frame[spec.columns[0]], spec.labels, repr(spec.columns[0]))
        return codes.astype(np.int64, copy=False)
    # Joint margin: code each column against the labels it takes in the joint table, combine the codes
    # into one integer, then look the combination up; any missing part makes the combination missing.
    parts: list[CodeArray] = []
    radices: list[int] = []
    part_labels: list[list[Hashable]] = []
    for i, column in enumerate(spec.columns):
        own = list(dict.fromkeys(label[i] for label in spec.labels))  # type: ignore[index]
        part_labels.append(own)
        parts.append(_encode_column(frame[column], own, repr(column)))
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


def _group(keys: Sequence[CodeArray], radices: Sequence[int]) -> tuple[IntArray, list[IntArray], IntArray]:
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


# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RakeResult:
    """Raking weights and diagnostics.

    ``weights`` has mean 1 over respondents: one weight per row for :func:`rake`; for
    :func:`rake_cells` the weight each respondent of the cell carries (index of the cells).
    ``max_margin_error`` is the largest relative margin error ``|weighted - target| / target``.
    ``capped`` counts respondents whose weight is at the cap.
    ``empty_categories`` lists census categories that had no respondents, by characteristic;
    ``collapsed`` maps collapsed columns to {broad group: [detailed categories]}; ``dropped`` names
    characteristics left out of the weighting; ``notes`` says all of this in plain English.
    ``margins`` has one row per category of each margin used: respondents, sample share, target
    share and weighted share. ``cells`` has one row per cell: the raking columns, ``count``,
    ``base_weight`` (per respondent) and ``weight`` (per respondent).
    """

    weights: pd.Series
    iterations: int
    converged: bool
    max_margin_error: float
    design_effect: float
    effective_sample_size: float
    capped: int
    min_weight: float
    max_weight: float
    n: int
    tol: float
    cap: float | None
    empty_categories: dict[str, list[Hashable]] = field(default_factory=dict)
    collapsed: dict[str, dict[Hashable, list[Hashable]]] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    margins: pd.DataFrame = field(default_factory=pd.DataFrame)
    cells: pd.DataFrame = field(default_factory=pd.DataFrame)
    used_columns: tuple[str, ...] = ()

    def weights_for(self, frame: pd.DataFrame, *, base_weight: str | None = None) -> pd.Series:
        """The weight of each respondent in ``frame`` (rows or finer cells, e.g. split by an answer).

        ``frame`` needs the raking columns that were used; each of its combinations must have been
        among the raked cells. ``base_weight`` names a column of per-respondent base weights if the
        raking used base weights. Returns a Series on ``frame.index``.
        """
        columns = list(self.used_columns)
        cells = self.cells
        factor = cells["weight"].to_numpy() / cells["base_weight"].to_numpy()
        if not columns:
            # Nothing could be raked: every respondent keeps (a rescaled) base weight.
            base = frame[base_weight].to_numpy(dtype=float) if base_weight else np.ones(len(frame))
            return pd.Series(base * factor[0], index=frame.index, name="weight")
        table = cells[columns].astype(object).assign(_factor=factor)
        table = table.drop_duplicates()
        if table.duplicated(subset=columns).any():
            # With a cap and base weights, respondents of one combination can have different factors.
            spread = table.groupby(columns, dropna=False)["_factor"].agg(lambda s: s.max() / s.min() - 1)
            if (spread > 1e-9).any():
                raise ValueError(
                    "Capping gave respondents with the same characteristics but different base weights "
                    "different factors; look weights up per respondent (rake) instead."
                )
            table = table.drop_duplicates(subset=columns)
        left = frame[columns].astype(object)
        merged = left.merge(table, on=columns, how="left", sort=False)
        values = merged["_factor"].to_numpy(dtype=float)
        if np.isnan(values).any():
            unmatched = left[np.isnan(values)].drop_duplicates().head(20)
            raise ValueError(
                "These combinations were not among the raked cells: "
                f"{[tuple(row) for row in unmatched.itertuples(index=False)]!r}."
            )
        if base_weight is not None:
            values = values * frame[base_weight].to_numpy(dtype=float)
        return pd.Series(values, index=frame.index, name="weight")


def kish_design_effect(weights: npt.ArrayLike, counts: npt.ArrayLike | None = None) -> float:
    """Kish's design effect ``n * sum(w^2) / (sum w)^2`` (``counts`` = respondents per weight)."""
    w = np.asarray(weights, dtype=np.float64)
    c = np.ones_like(w) if counts is None else np.asarray(counts, dtype=np.float64)
    n = c.sum()
    total = (c * w).sum()
    if n <= 0 or total <= 0:
        return math.nan
    return float(n * (c * w * w).sum() / (total * total))


# ---------------------------------------------------------------------------------------------
# Engine
# ---------------------------------------------------------------------------------------------


@dataclass
class _Margin:
    """A margin ready for raking: codes per cell and target totals (last entry = missing level)."""

    spec: _Spec
    labels: list[Hashable]
    shares: FloatArray
    codes: IntArray
    # For reports on a collapsed column: broad label -> detailed labels.
    groups: dict[Hashable, list[Hashable]] | None = None

    @property
    def name(self) -> str:
        return self.spec.name


def _mass_by_level(margin: _Margin, mass: FloatArray) -> FloatArray:
    return np.bincount(margin.codes, weights=mass, minlength=len(margin.labels) + 1)


def _resolve_empty(
    margins: list[_Margin],
    mass: FloatArray,
    hierarchy: Hierarchy | None,
    frame: pd.DataFrame,
) -> tuple[list[_Margin], dict[str, list[Hashable]], dict[str, dict[Hashable, list[Hashable]]], list[str], list[str]]:
    """Collapse or leave out margins with census categories that have no respondents."""
    empty: dict[str, list[Hashable]] = {}
    collapsed: dict[str, dict[Hashable, list[Hashable]]] = {}
    dropped: list[str] = []
    notes: list[str] = []
    explicit = {m.spec.columns[0] for m in margins if len(m.spec.columns) == 1}
    queue = list(margins)
    kept: list[_Margin] = []
    while queue:
        margin = queue.pop(0)
        observed = _mass_by_level(margin, mass)[:-1]
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
                _Margin(spec=margin.spec, labels=broad, shares=shares, codes=lut[margin.codes], groups=groups),
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


def _one_way_from_joint(margin: _Margin, i: int, frame: pd.DataFrame) -> _Margin:
    """The one-way margin of column ``i`` of a joint margin, with targets summed from the joint table."""
    column = margin.spec.columns[i]
    own = list(dict.fromkeys(label[i] for label in margin.spec.labels))  # type: ignore[index]
    shares = np.zeros(len(own))
    for label, share in zip(margin.spec.labels, margin.spec.shares, strict=True):
        shares[own.index(label[i])] += share  # type: ignore[index]
    spec = _Spec(columns=(column,), labels=own, shares=shares)
    return _Margin(spec=spec, labels=own, shares=shares, codes=_encode(frame, spec))


def _max_relative_error(codes: Sequence[IntArray], totals: Sequence[FloatArray], mass: FloatArray) -> float:
    worst = 0.0
    for c, t in zip(codes, totals, strict=True):
        m = np.bincount(c, weights=mass, minlength=len(t))
        positive = t > 0
        if np.any(positive):
            worst = max(worst, float(np.max(np.abs(m[positive] - t[positive]) / t[positive])))
    return worst


def _bounded_factors(c: IntArray, t: FloatArray, h: FloatArray, d: FloatArray, bound: FloatArray) -> FloatArray:
    """Per-level factors f with sum_{cells in level} d * min(h * f, bound) = target.

    Solved for all levels at once: scale the free cells, freeze those that pass the bound, rescale
    the rest, until nothing new passes. Each round only adds frozen cells, so this ends within as
    many rounds as there are cells (usually two or three). A level whose cells are all frozen cannot
    move (its target is out of reach under the cap): factor 1, and the rake will not converge.
    """
    size = len(t)
    frozen = np.zeros(len(h), dtype=bool)
    while True:
        free_mass = np.bincount(c, weights=np.where(frozen, 0.0, h * d), minlength=size)
        frozen_mass = np.bincount(c, weights=np.where(frozen, bound * d, 0.0), minlength=size)
        factor = np.divide(np.maximum(t - frozen_mass, 0.0), free_mass, out=np.ones(size), where=free_mass > 0)
        passing = ~frozen & (h * factor[c] > bound)
        if not np.any(passing):
            return factor
        frozen |= passing


def _ipf(
    codes: Sequence[IntArray],
    totals: Sequence[FloatArray],
    d: FloatArray,
    bound: FloatArray | None,
    tol: float,
    max_iter: int,
    *,
    keep_uncapped: bool = True,
) -> tuple[FloatArray, int, bool, float]:
    """Iterative proportional fitting of per-respondent factors on cells with base mass ``d``.

    One iteration adjusts every margin in turn; convergence is checked on all margins after each.

    With a cap the factors are ``min(h, bound)`` where ``h`` is a product of one multiplier per
    category, as in plain raking, and each step picks the category's multiplier so that its margin
    is met *after* capping. This is "cap, then re-rake, until stable" carried out exactly inside
    each step: the cap holds throughout, and because ``h`` keeps the uncapped product it converges
    to the weights closest to the base weights - in the raking (Kullback-Leibler) sense - that meet
    the targets and the cap, whatever the order of the margins. When the cap is too tight for the
    targets that solution does not exist and ``h`` drifts (towards 0 or infinity): this stops as
    soon as it does. ``keep_uncapped=False`` restarts each step from the capped factors instead,
    which stays bounded; :func:`_fit` falls back to it whenever the first way does not converge.
    """
    h = np.ones(len(d))

    def factors() -> FloatArray:
        return h if bound is None else np.minimum(h, bound)

    error = _max_relative_error(codes, totals, factors() * d)
    if error <= tol:
        return factors(), 0, True, error
    for iteration in range(1, max_iter + 1):
        for c, t in zip(codes, totals, strict=True):
            if bound is None:
                m = np.bincount(c, weights=h * d, minlength=len(t))
                # Levels with no mass have target 0 here (empty categories were resolved earlier).
                h *= np.divide(t, m, out=np.ones(len(t)), where=m > 0)[c]
            else:
                h *= _bounded_factors(c, t, h, d, bound)[c]
                if keep_uncapped:
                    # Factors a trillion times above the cap or below it only arise when the cap is too
                    # tight and h drifts; stop before it overflows and let the caller fall back.
                    if np.any(h > bound * _DRIFT) or np.any(h < bound / _DRIFT):
                        return factors(), iteration, False, math.inf
                else:
                    np.clip(h, bound / _DRIFT, bound, out=h)
        error = _max_relative_error(codes, totals, factors() * d)
        if error <= tol:
            return factors(), iteration, True, error
    return factors(), max_iter, False, error


def _cap_mean_one(weights: FloatArray, counts: FloatArray, cap: float | None) -> FloatArray:
    """Rescale to mean 1 over respondents; with a cap, clip and spread the excess over the others.

    Only moves weights by floating noise after a converged capped rake; it matters when the cap could
    not be met (non-convergence), where it guarantees the promise "never above the cap".
    """
    n = counts.sum()
    w = weights * (n / (counts * weights).sum())
    if cap is None:
        return w
    at_cap = np.zeros(len(w), dtype=bool)
    for _ in range(len(w) + 1):
        over = ~at_cap & (w > cap)
        if not np.any(over):
            break
        at_cap |= over
        free = (counts * np.where(at_cap, 0.0, w)).sum()
        rest = n - cap * counts[at_cap].sum()
        w = np.where(at_cap, cap, w * (rest / free if free > 0 else 1.0))
    return np.minimum(w, cap)


@dataclass
class _Fit:
    weights: FloatArray  # per respondent, per cell, mean 1
    result_kwargs: dict[str, Any]


def _fit(
    specs: list[_Spec],
    frame: pd.DataFrame,
    codes: list[IntArray],
    counts: FloatArray,
    base: FloatArray,
    *,
    tol: float,
    max_iter: int,
    cap: float | None,
    hierarchy: Hierarchy | None,
) -> _Fit:
    """Rake cells: ``codes`` per margin, ``counts`` respondents and ``base`` base weight per cell."""
    _check_controls(tol, max_iter, cap)
    n = float(counts.sum())
    if n <= 0:
        raise ValueError("There are no respondents to weight.")
    mass = counts * base  # base-weighted respondents per cell
    total = float(mass.sum())
    margins = [
        _Margin(spec=spec, labels=list(spec.labels), shares=spec.shares.copy(), codes=c)
        for spec, c in zip(specs, codes, strict=True)
    ]
    margins, empty, collapsed, dropped, notes = _resolve_empty(margins, mass, hierarchy, frame)

    totals: list[FloatArray] = []
    for margin in margins:
        by_level = _mass_by_level(margin, mass)
        missing_share = by_level[-1] / total
        # Non-response keeps its observed share; the answered levels split the rest in census proportions.
        totals.append(np.append(margin.shares * (1.0 - missing_share), missing_share) * total)
        if by_level[-1] > 0:
            unanswered = np.bincount(margin.codes, weights=counts, minlength=len(margin.labels) + 1)[-1]
            notes.append(
                f"{margin.name}: {unanswered:g} respondents ({missing_share:.1%} of the weight) did not answer; "
                "they keep their observed share and are neither weighted up nor down on it."
            )

    margin_codes = [m.codes for m in margins]
    # The cap is a per-respondent weight; the mean per-respondent weight stays total/n while raking,
    # because every margin's targets add up to the total.
    bound = None if cap is None else np.full(len(base), cap * total / n) / base
    if margins:
        g, iterations, converged, _ = _ipf(margin_codes, totals, mass, bound, tol, max_iter)
        if bound is not None and not converged:
            # The cap is (probably) too tight for the targets: use the bounded variant, which keeps
            # every factor between 0 and the cap instead of driving some towards 0.
            g, iterations, converged, _ = _ipf(margin_codes, totals, mass, bound, tol, max_iter, keep_uncapped=False)
    else:
        g, iterations, converged = np.ones(len(base)), 0, True
        notes.append("No characteristic could be used for weighting; respondents keep their base weights.")

    weights = _cap_mean_one(g * base, counts, cap)
    # Report the error of the weights actually returned (after the final rescale / clip).
    final_mass = weights * counts
    error = _max_relative_error(margin_codes, [t * (n / total) for t in totals], final_mass)
    converged = converged and error <= tol
    if not converged:
        notes.append(
            f"Raking did not converge within {max_iter} iterations: the largest margin error is {error:.3g} "
            f"(tolerance {tol:g}). Treat the weighted figures with caution."
        )
    respondents = counts > 0
    deff = kish_design_effect(weights[respondents], counts[respondents])
    capped = 0 if cap is None else int(counts[weights >= cap * (1 - _CAP_RTOL)].sum())
    if capped:
        notes.append(f"{capped} respondents' weights were capped at {cap:g} times the mean weight.")
    return _Fit(
        weights=weights,
        result_kwargs={
            "iterations": iterations,
            "converged": bool(converged),
            "max_margin_error": float(error),
            "design_effect": deff,
            "effective_sample_size": n / deff,
            "capped": capped,
            "min_weight": float(weights[respondents].min()),
            "max_weight": float(weights[respondents].max()),
            "n": int(round(n)),
            "tol": tol,
            "cap": cap,
            "empty_categories": empty,
            "collapsed": collapsed,
            "dropped": dropped,
            "notes": notes,
            "margins": _margins_table(margins, totals, counts, final_mass, n, total),
            "used_columns": tuple(dict.fromkeys(c for m in margins for c in m.spec.columns)),
        },
    )


def _check_controls(tol: float, max_iter: int, cap: float | None) -> None:
    if not (tol > 0 and math.isfinite(tol)):
        raise ValueError("tol must be a positive number.")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError("max_iter must be a positive integer.")
    if cap is not None and not (cap >= 1 and math.isfinite(cap)):
        raise ValueError("cap is a multiple of the mean weight and must be at least 1.")


def _margins_table(
    margins: list[_Margin],
    totals: list[FloatArray],
    counts: FloatArray,
    final_mass: FloatArray,
    n: float,
    total: float,
) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    for margin, target in zip(margins, totals, strict=True):
        respondents = np.bincount(margin.codes, weights=counts, minlength=len(target))
        weighted = np.bincount(margin.codes, weights=final_mass, minlength=len(target))
        for i, label in enumerate([*margin.labels, np.nan]):
            if i == len(margin.labels) and respondents[i] == 0:
                continue  # no missing answers: no "no answer" row
            rows.append(
                {
                    "characteristic": margin.name,
                    "category": label,
                    "no_answer": i == len(margin.labels),
                    "respondents": respondents[i],
                    "sample_share": respondents[i] / n,
                    "target_share": target[i] / total,
                    "weighted_share": weighted[i] / n,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "characteristic",
            "category",
            "no_answer",
            "respondents",
            "sample_share",
            "target_share",
            "weighted_share",
        ],
    )


def _column_labels(specs: list[_Spec]) -> dict[str, list[Hashable]]:
    """Every label each raking column takes in any target (joint targets contribute their parts)."""
    labels: dict[str, dict[Hashable, None]] = {}
    for spec in specs:
        for i, column in enumerate(spec.columns):
            own = labels.setdefault(column, {})
            for label in spec.labels:
                own[label if len(spec.columns) == 1 else label[i]] = None  # type: ignore[index]
    return {column: list(own) for column, own in labels.items()}


# ---------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------


def rake(
    sample: pd.DataFrame,
    targets: Targets,
    *,
    weights: pd.Series | npt.ArrayLike | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    cap: float | None = None,
    hierarchy: Hierarchy | None = None,
) -> RakeResult:
    """Rake respondent weights so each characteristic's weighted distribution matches its targets.

    ``sample`` has one row per respondent and one column per characteristic holding category labels
    (missing as NaN; pandas categoricals welcome). ``targets`` maps a column name to
    {category: population count or share}; a tuple of column names maps to {(label, label): count}
    for a joint target. ``weights`` are optional base weights (positive, aligned with the rows).
    ``tol`` is the largest relative margin error allowed, ``max_iter`` the most iterations (one
    iteration adjusts every margin once), ``cap`` an optional maximum weight as a multiple of the
    mean. ``hierarchy`` ({column: {detailed label: broad label}}) says how to collapse a
    characteristic that has census categories without respondents; without it such a
    characteristic is left out. See the module docstring for the conventions.

    Internally the rows are grouped into cells (distinct combinations of the raking columns and base
    weight) and :func:`rake_cells`' engine rakes the cells.
    """
    if len(sample) == 0:
        raise ValueError("There are no respondents to weight.")
    specs = _parse_targets(targets)
    column_labels = _column_labels(specs)
    absent = [column for column in column_labels if column not in sample.columns]
    if absent:
        raise ValueError(f"The sample has no column {absent[0]!r}, which the targets use.")
    # Cells are combinations of the individual columns (not of the margins), so that each cell keeps
    # its own labels even when a joint margin treats it as missing.
    keys = [_encode_column(sample[column], labels, repr(column)) for column, labels in column_labels.items()]
    radices = [len(labels) + 1 for labels in column_labels.values()]
    base_values: FloatArray | None = None
    if weights is not None:
        base_row = _base_weights(weights, sample.index)
        # Respondents with different base weights go to different cells so that every respondent of
        # a cell has the same final weight (needed for an exact cap and design effect).
        base_code, uniques = pd.factorize(base_row)
        keys.append(base_code.astype(np.int64))
        radices.append(len(uniques))
        base_values = np.asarray(uniques, dtype=np.float64)
    cell_of_row, cell_codes, counts = _group(keys, radices)
    base = base_values[cell_codes[-1]] if base_values is not None else np.ones(len(counts))
    frame = pd.DataFrame(
        {
            column: pd.Categorical.from_codes(
                np.where(codes == len(labels), -1, codes), categories=pd.Index(labels, tupleize_cols=False)
            )
            for (column, labels), codes in zip(column_labels.items(), cell_codes, strict=False)
        }
    )
    # The margins are coded on the cells, which are few, so joint margins cost nothing extra here.
    margin_codes = [_encode(frame, spec) for spec in specs]
    fit = _fit(
        specs,
        frame,
        margin_codes,
        counts.astype(np.float64),
        base,
        tol=tol,
        max_iter=max_iter,
        cap=cap,
        hierarchy=hierarchy,
    )
    cells = frame.assign(count=counts, base_weight=base, weight=fit.weights)
    return RakeResult(
        weights=pd.Series(fit.weights[cell_of_row], index=sample.index, name="weight"),
        cells=cells,
        **fit.result_kwargs,
    )


def rake_cells(
    cells: pd.DataFrame,
    targets: Targets,
    *,
    count: str = "count",
    weight: str | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
    cap: float | None = None,
    hierarchy: Hierarchy | None = None,
) -> RakeResult:
    """Rake aggregated cells, e.g. the result of ``GROUP BY age_band, sex, ...`` with ``COUNT(*)``.

    ``cells`` has the characteristic columns (labels, missing as NaN), a ``count`` column of
    respondents and optionally a ``weight`` column with the *sum* of the respondents' base weights.
    With base weights and a ``cap``, group by the base weight too, so that the respondents of a cell
    share one base weight (the cap applies per respondent). Cells may repeat a combination (e.g.
    grouped by an extra column); they are raked together. Other arguments as for :func:`rake`.

    The result's ``weights`` is the weight of each respondent of each cell (index of ``cells``),
    with mean 1 over respondents; cells with count 0 get the weight their combination would have.
    """
    if count not in cells.columns:
        raise ValueError(f"The cells have no {count!r} column.")
    counts = cells[count].to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(counts)) or np.any(counts < 0):
        raise ValueError(f"The {count!r} column must be finite and non-negative.")
    if weight is None:
        base = np.ones(len(cells))
    else:
        if weight not in cells.columns:
            raise ValueError(f"The cells have no {weight!r} column.")
        sums = cells[weight].to_numpy(dtype=np.float64)
        occupied = counts > 0
        if not np.all(np.isfinite(sums)) or np.any(sums[occupied] <= 0):
            raise ValueError(f"The {weight!r} column must be positive wherever the count is.")
        base = np.divide(sums, counts, out=np.ones(len(cells)), where=occupied)
    specs = _parse_targets(targets)
    codes = [_encode(cells, spec) for spec in specs]
    frame = cells.reset_index(drop=True)
    fit = _fit(specs, frame, codes, counts, base, tol=tol, max_iter=max_iter, cap=cap, hierarchy=hierarchy)
    columns = list(dict.fromkeys(c for spec in specs for c in spec.columns))
    table = cells[columns].assign(count=counts, base_weight=base, weight=fit.weights)
    return RakeResult(
        weights=pd.Series(fit.weights, index=cells.index, name="weight"),
        cells=table,
        **fit.result_kwargs,
    )


def _base_weights(weights: pd.Series | npt.ArrayLike, index: pd.Index) -> FloatArray:
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
