"""Post-stratification on a joint census table (e.g. age band by sex).

Post-stratification is raking with a single joint margin: every cell of the joint table is scaled to
its census count in one step. It is implemented as exactly that - :func:`rake` with a tuple key - so
it shares the conventions (missing answers keep their share, empty cells reported) and the result
type. A joint target can also be mixed with one-way targets in ``rake`` itself, e.g.
``rake(sample, {("age", "sex"): joint, "ethnicity": ethnic})``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy.typing as npt
import pandas as pd

from representativeness.stats.raking import RakeResult, rake


def joint_targets_mapping(
    joint_targets: pd.Series | pd.DataFrame, *, value: str = "count"
) -> tuple[tuple[str, ...], dict[tuple[Hashable, ...], float]]:
    """Columns and {(label, ...): count} from a MultiIndex Series or a long DataFrame.

    A Series needs a MultiIndex whose level names are the sample's column names. A DataFrame needs
    the characteristic columns and a ``value`` column of counts or shares.
    """
    if isinstance(joint_targets, pd.DataFrame):
        if value not in joint_targets.columns:
            raise ValueError(f"The joint targets have no {value!r} column.")
        columns = tuple(str(c) for c in joint_targets.columns if c != value)
        series = joint_targets.set_index(list(columns))[value]
    else:
        series = joint_targets
        columns = tuple(str(name) for name in series.index.names)
    if not isinstance(series.index, pd.MultiIndex) or any(name in (None, "None") for name in columns):
        raise ValueError("Joint targets need two or more named characteristics (a named MultiIndex).")
    mapping: dict[tuple[Hashable, ...], float] = {}
    for label, count in series.items():
        if label in mapping:
            raise ValueError(f"The joint targets repeat the cell {label!r}.")
        mapping[tuple(label)] = float(count)  # type: ignore[arg-type]  # a MultiIndex label is a tuple
    return columns, mapping


def poststratify(
    sample: pd.DataFrame,
    joint_targets: pd.Series | pd.DataFrame,
    *,
    value: str = "count",
    weights: pd.Series | npt.ArrayLike | None = None,
    cap: float | None = None,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> RakeResult:
    """Weight ``sample`` so its joint distribution over the table's characteristics matches the census.

    ``joint_targets`` is a Series with a MultiIndex named after the sample's columns, or a DataFrame
    of those columns plus a ``value`` column. Without a cap this converges in one iteration. A cell
    with no respondents cannot be weighted up: the result reports it, and the weighting falls back
    to raking on the table's one-way margins (see ``notes``).
    """
    columns, mapping = joint_targets_mapping(joint_targets, value=value)
    targets: dict[Any, Any] = {columns: mapping}
    return rake(sample, targets, weights=weights, tol=tol, max_iter=max_iter, cap=cap)
