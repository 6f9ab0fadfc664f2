"""The fitting loop: iterative proportional fitting on cells, with an optional cap, and the fit's diagnostics."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from representativeness.stats.collapse import Hierarchy
from representativeness.stats.raking.cells import FloatArray, IntArray, Spec
from representativeness.stats.raking.collapsing import Margin, mass_by_level, pool_small, resolve_empty
from representativeness.stats.raking.result import kish_design_effect
from representativeness.stats.raking.trimming import trim_weights

# How far above or below the cap a factor may drift under a cap before it is held (see _ipf).
_DRIFT = 1e12
# Two-sided bounds: the range of log factors searched per step, and how many halvings (to float noise).
_LOG_SEARCH = 60.0
_BISECTIONS = 110
# A weight counts as "at the cap" when within this relative distance of it (floating noise).
_CAP_RTOL = 1e-9


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
    which stays bounded; :func:`fit` falls back to it whenever the first way does not converge.
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


def _two_sided_factors(
    c: IntArray, t: FloatArray, h: FloatArray, d: FloatArray, low: FloatArray, high: FloatArray
) -> FloatArray:
    """Per-level factors f with sum_{cells in level} d * clip(h * f, low, high) = target, by bisection on
    log f for every level at once (the sum rises with f). A level that cannot reach its target within
    the bounds gets a factor at the end of the search range, and the rake does not converge."""
    size = len(t)
    below, above = np.full(size, -_LOG_SEARCH), np.full(size, _LOG_SEARCH)
    for _ in range(_BISECTIONS):
        middle = (below + above) / 2
        reached = np.bincount(c, weights=d * np.clip(h * np.exp(middle)[c], low, high), minlength=size)
        short = reached < t
        below = np.where(short, middle, below)
        above = np.where(short, above, middle)
    return np.where(t > 0, np.exp((below + above) / 2), 1.0)


def _ipf_two_sided(
    codes: Sequence[IntArray],
    totals: Sequence[FloatArray],
    d: FloatArray,
    low: FloatArray,
    high: FloatArray,
    tol: float,
    max_iter: int,
) -> tuple[FloatArray, int, bool, float]:
    """Raking with a floor and a cap on the factors: factors clip(h, low, high), h a product of one
    multiplier per category, each step meeting its margin after clipping. At a fixed point these are the
    weights closest to the base weights (in the raking sense) within the bounds that meet the targets,
    the solution of R's calibrate(..., calfun = "raking", bounds = c(low, high))."""
    h = np.ones(len(d))
    error = _max_relative_error(codes, totals, np.clip(h, low, high) * d)
    if error <= tol:
        return np.clip(h, low, high), 0, True, error
    for iteration in range(1, max_iter + 1):
        for c, t in zip(codes, totals, strict=True):
            h *= _two_sided_factors(c, t, h, d, low, high)[c]
            np.clip(h, low / _DRIFT, high * _DRIFT, out=h)
        error = _max_relative_error(codes, totals, np.clip(h, low, high) * d)
        if error <= tol:
            return np.clip(h, low, high), iteration, True, error
    return np.clip(h, low, high), max_iter, False, error


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
class Fit:
    weights: FloatArray  # per respondent, per cell, mean 1
    result_kwargs: dict[str, Any]


def fit_margins(
    specs: list[Spec],
    frame: pd.DataFrame,
    codes: list[IntArray],
    counts: FloatArray,
    base: FloatArray,
    *,
    tol: float,
    max_iter: int,
    cap: float | None,
    hierarchy: Hierarchy | None,
    min_cell: int | None = None,
    floor: float | None = None,
    trim: bool = False,
) -> Fit:
    """Rake cells: ``codes`` per margin, ``counts`` respondents and ``base`` base weight per cell."""
    _check_controls(tol, max_iter, cap)
    if floor is not None and not (0 < floor <= 1 and math.isfinite(floor)):
        raise ValueError("floor is a multiple of the mean weight and must be above 0 and at most 1.")
    n = float(counts.sum())
    if n <= 0:
        raise ValueError("There are no respondents to weight.")
    mass = counts * base  # base-weighted respondents per cell
    total = float(mass.sum())
    margins = [
        Margin(spec=spec, labels=list(spec.labels), shares=spec.shares.copy(), codes=c)
        for spec, c in zip(specs, codes, strict=True)
    ]
    pooled_notes: list[str] = []
    pooled_collapsed: dict[str, dict[Hashable, list[Hashable]]] = {}
    pooled_dropped: list[str] = []
    if min_cell is not None and min_cell > 1:
        margins, pooled_collapsed, pooled_dropped, pooled_notes = pool_small(
            margins, counts, min_cell, hierarchy, frame
        )
    margins, empty, collapsed, dropped, notes = resolve_empty(margins, mass, hierarchy, frame)
    collapsed = {**pooled_collapsed, **collapsed}
    dropped = pooled_dropped + dropped
    notes = pooled_notes + notes

    totals: list[FloatArray] = []
    for margin in margins:
        by_level = mass_by_level(margin, mass)
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
    bound = None if cap is None or trim else np.full(len(base), cap * total / n) / base
    if margins and floor is not None and not trim:
        low = np.full(len(base), floor * total / n) / base
        high = bound if bound is not None else np.full(len(base), np.inf)
        g, iterations, converged, _ = _ipf_two_sided(margin_codes, totals, mass, low, high, tol, max_iter)
    elif margins:
        g, iterations, converged, _ = _ipf(margin_codes, totals, mass, bound, tol, max_iter)
        if bound is not None and not converged:
            # The cap is (probably) too tight for the targets: use the bounded variant, which keeps
            # every factor between 0 and the cap instead of driving some towards 0.
            g, iterations, converged, _ = _ipf(margin_codes, totals, mass, bound, tol, max_iter, keep_uncapped=False)
    else:
        g, iterations, converged = np.ones(len(base)), 0, True
        notes.append("No characteristic could be used for weighting; respondents keep their base weights.")

    trimming = trim and (cap is not None or floor is not None)
    weights = _cap_mean_one(g * base, counts, None if trimming else cap)
    if trimming:
        raked = weights
        lower, upper = floor or 0.0, math.inf if cap is None else cap
        weights = trim_weights(raked, counts, lower=lower, upper=upper)
    # Report the error of the weights actually returned (after the final rescale / clip / trim).
    final_mass = weights * counts
    error = _max_relative_error(margin_codes, [t * (n / total) for t in totals], final_mass)
    if trimming:
        outside = int(counts[(counts > 0) & ((raked < lower) | (raked > upper))].sum())
        if outside:
            notes.append(
                f"{outside} respondents' weights were trimmed to between {lower:g} and {upper:g} times the mean "
                "weight after raking, and what was cut off spread equally over the others, as R's trimWeights does."
            )
    else:
        converged = converged and error <= tol
    if not converged:
        notes.append(
            f"Raking did not converge within {max_iter} iterations: the largest margin error is {error:.3g} "
            f"(tolerance {tol:g}). Treat the weighted figures with caution."
        )
    respondents = counts > 0
    deff = kish_design_effect(weights[respondents], counts[respondents])
    capped = 0 if cap is None else int(counts[weights >= cap * (1 - _CAP_RTOL)].sum())
    if capped and not trimming:
        notes.append(f"{capped} respondents' weights were capped at {cap:g} times the mean weight.")
    floored = 0 if floor is None else int(counts[weights <= floor * (1 + _CAP_RTOL)].sum())
    if floored and not trimming:
        notes.append(f"{floored} respondents' weights were held at the floor of {floor:g} times the mean weight.")
    return Fit(
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
            "floor": floor,
            "trimmed": trimming,
            "untrimmed_weights": raked if trimming else None,
            "empty_categories": empty,
            "collapsed": collapsed,
            "dropped": dropped,
            "notes": notes,
            "margins": _margins_table(margins, totals, counts, final_mass, n, total),
            "used_columns": tuple(dict.fromkeys(c for m in margins for c in m.spec.columns)),
            "design_codes": (
                len(base),
                tuple((_smallest(m.codes, len(m.labels) + 1), len(m.labels) + 1) for m in margins),
            ),
            "design_targets": (np.concatenate([t / total for t in totals]) if margins else np.ones(1)),
        },
    )


def _smallest(codes: IntArray, width: int) -> npt.NDArray[np.integer[Any]]:
    """Codes below `width` in the smallest integer type that holds them (a byte a cell for most margins)."""
    return codes.astype(np.min_scalar_type(max(width - 1, 0)))


def _check_controls(tol: float, max_iter: int, cap: float | None) -> None:
    if not (tol > 0 and math.isfinite(tol)):
        raise ValueError("tol must be a positive number.")
    if int(max_iter) != max_iter or max_iter < 1:
        raise ValueError("max_iter must be a positive integer.")
    if cap is not None and not (cap >= 1 and math.isfinite(cap)):
        raise ValueError("cap is a multiple of the mean weight and must be at least 1.")


def _margins_table(
    margins: list[Margin],
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
