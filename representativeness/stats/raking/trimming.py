"""Trimming raked weights to bounds, as R's ``survey::trimWeights`` does.

The other way to bound weights besides bounded raking (``fitting``, R's ``calibrate(..., bounds=)``):
any bounds around the mean can be met, at the cost of margins that no longer match the targets exactly.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def trim_weights(
    weights: npt.ArrayLike,
    counts: npt.ArrayLike,
    *,
    lower: float = 0.0,
    upper: float = math.inf,
    strict: bool = True,
    max_passes: int = 1000,
) -> FloatArray:
    """Weights trimmed to ``lower`` and ``upper``: weights outside are set to the bound, and what was cut
    off (or added) is spread equally over the respondents inside, so the total is kept. ``strict``
    repeats that until no weight is outside (R's ``strict = TRUE``); respondents already at a bound count
    as inside, as in R. ``weights`` per respondent of each cell, ``counts`` respondents per cell.
    """
    w = np.array(weights, dtype=np.float64)
    n = np.asarray(counts, dtype=np.float64)
    if not lower <= upper:
        raise ValueError("The lower bound must not be above the upper bound.")
    occupied = n > 0
    for _ in range(max_passes):
        outside = occupied & ((w < lower) | (w > upper))
        if not np.any(outside):
            break
        inside = occupied & ~outside
        if not np.any(inside):
            raise ValueError("Every weight is outside the bounds: there is nobody to spread the trimmed weight over.")
        kept = np.clip(w, lower, upper)
        trimmed = float((n * (w - kept)).sum())
        w = np.where(inside, kept + trimmed / float(n[inside].sum()), kept)
        if not strict:
            break
    return w
