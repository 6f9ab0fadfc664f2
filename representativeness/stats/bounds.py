"""Which weight bounds the raking targets allow, worked out before raking (a linear programme).

Raked weights are one per cell. Weights ``w_c`` (per respondent, mean 1) that meet every margin exactly
satisfy ``sum_c n_c x_c w_c = n t`` (``x_c``: the cell's margin indicators, ``t``: each category's target
share). Whether weights between ``lower`` and ``upper`` can do so is a linear feasibility problem, and
the smallest possible largest weight is the linear programme "minimise u subject to w_c <= u". A cap
below it cannot be met by raking or by any other calibration to the same margins (R's
``calibrate(..., bounds=)`` would not converge either), so it is refused before raking.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, sparse

from representativeness.stats.raking.result import RakeResult


def _system(rake: RakeResult) -> tuple[sparse.csr_matrix, np.ndarray, np.ndarray]:
    counts = rake.respondents_by_position
    occupied = np.flatnonzero(counts > 0)
    design = rake.design[occupied]
    equality = sparse.csr_matrix(design.T * counts[occupied][None, :])
    return equality, rake.design_targets * counts.sum(), occupied


def smallest_max_weight(rake: RakeResult) -> float:
    """The smallest largest weight (a multiple of the mean) any weights meeting the margins can have."""
    equality, targets, occupied = _system(rake)
    cells = len(occupied)
    # Variables: the cells' weights, then u. Minimise u with w_c - u <= 0.
    objective = np.append(np.zeros(cells), 1.0)
    upper = sparse.hstack([sparse.identity(cells), -np.ones((cells, 1))]).tocsr()
    result = optimize.linprog(
        objective,
        A_ub=upper,
        b_ub=np.zeros(cells),
        A_eq=sparse.hstack([equality, sparse.csr_matrix((equality.shape[0], 1))]).tocsr(),
        b_eq=targets,
        bounds=[(0, None)] * (cells + 1),
        method="highs",
    )
    return float(result.x[-1]) if result.success else math.inf


def bounds_feasible(rake: RakeResult, *, lower: float = 0.0, upper: float = math.inf) -> bool:
    """Whether weights between ``lower`` and ``upper`` (multiples of the mean) can meet every margin."""
    equality, targets, occupied = _system(rake)
    cells = len(occupied)
    result = optimize.linprog(
        np.zeros(cells),
        A_eq=equality,
        b_eq=targets,
        bounds=[(lower, None if math.isinf(upper) else upper)] * cells,
        method="highs",
    )
    return bool(result.success)
