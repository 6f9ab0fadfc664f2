"""The representation flag: is a group under-, over- or fairly represented among respondents, or can't we tell yet?

The flag is read off the 95% interval on the representation ratio RR, against an "in line" band
(0.8 to 1.25 by default; 0.8 borrows the "four-fifths" rule, a convention, so the thresholds live in a
`FlagRule` that the Django layer builds from settings):

- under-represented: the whole interval lies below the band (and the Benjamini-Hochberg q-value of the
  one-sided test is below 0.05, so that many comparisons in one report do not flag groups by chance);
- over-represented: the whole interval lies above the band (and q below 0.05);
- in line: the whole interval lies inside the band;
- can't tell yet (`too_few_responses`): the interval reaches across an edge of the band, so the data fit
  more than one of those, with how many more responses would settle it (`responses_to_settle`).

"Not significant" is never read as "in line": a ratio of 0.78 (0.52 to 1.16) could be either.

`too_few_responses` is one value for two cases the prose words apart (reports.builder.report.clear_difference):
a group whose difference from the census is clear (q below the threshold) but whose interval crosses an edge
of the band is "more/fewer than its census share, by a margin not yet clearly beyond the in-line band"; only
a group about which nothing is clear yet is "too early to tell".

Pure functions on pandas objects: no Django here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

# Ratios are compared with this much slack so that floating point, not the data, never decides
# whether a ratio sitting exactly on a threshold (e.g. 0.8) crosses it: on the threshold is not beyond it.
RATIO_TOLERANCE = 1e-9


class Flag(StrEnum):
    UNDER_REPRESENTED = "under_represented"
    OVER_REPRESENTED = "over_represented"
    IN_LINE = "in_line"
    # "Can't tell yet": nobody answered, or the interval on RR reaches across an edge of the in-line band,
    # so the data fit more than one finding. The value keeps its first name (the JSON layout is stable).
    TOO_FEW_RESPONSES = "too_few_responses"
    # The census records nobody in this category, so RR = share / 0 has no meaning. This is a baseline
    # problem (wrong population base, perturbed small-area count), not a fact about respondents.
    NO_CENSUS_BASELINE = "no_census_baseline"


@dataclass(frozen=True, slots=True)
class FlagRule:
    """Thresholds for the representation flag and the statistics that feed it.

    Defaults are the common rule from docs/domain.md. `small_count` is a separate warning (n_c below it),
    not part of the flag. `outreach_target` is the RR that the outreach figure aims for: 1.0 means
    "as many as the census share", a council may prefer `under_ratio` ("enough to stop being flagged").
    """

    under_ratio: float = 0.8
    over_ratio: float = 1.25
    q_threshold: float = 0.05
    confidence: float = 0.95
    # Wilson by default; Clopper-Pearson ("beta") is the conservative choice for small counts.
    interval_method: Literal["wilson", "beta"] = "wilson"
    small_count: int = 30
    outreach_target: float = 1.0

    def __post_init__(self) -> None:
        if not 0 < self.under_ratio < 1 < self.over_ratio or not math.isfinite(self.over_ratio):
            raise ValueError("FlagRule needs 0 < under_ratio < 1 < over_ratio (finite)")
        if not 0 < self.q_threshold < 1:
            raise ValueError("FlagRule.q_threshold must be between 0 and 1")
        if not 0 < self.confidence < 1:
            raise ValueError("FlagRule.confidence must be between 0 and 1")
        if self.interval_method not in ("wilson", "beta"):
            raise ValueError("FlagRule.interval_method must be 'wilson' or 'beta'")
        if self.small_count < 0:
            raise ValueError("FlagRule.small_count must not be negative")
        if not (self.outreach_target > 0 and math.isfinite(self.outreach_target)):
            raise ValueError("FlagRule.outreach_target must be a positive number")


DEFAULT_RULE = FlagRule()


def flag_categories(table: pd.DataFrame, rule: FlagRule = DEFAULT_RULE) -> pd.Series:
    """The flag of every row of a comparison table, as a Series of `Flag` values (plain strings).

    Needs the columns share, census_share, ratio_low, ratio_high and q_value. A q_value of NaN (no test
    could be run, or the table was never adjusted) can never support an under/over flag. The checks
    run in this order, first match wins:

    1. share is NaN (n = 0: nobody answered)                   -> too_few_responses (can't tell yet)
    2. census_share == 0                                       -> no_census_baseline
    3. ratio_high < under and q < q_threshold                  -> under_represented
    4. ratio_low > over and q < q_threshold                    -> over_represented
    5. under <= ratio_low and ratio_high <= over               -> in_line (the whole interval in the band)
    6. otherwise                                               -> too_few_responses (can't tell yet)

    An interval ending exactly on an edge of the band counts as inside it.
    """
    share = table["share"].to_numpy(dtype=float)
    census_share = table["census_share"].to_numpy(dtype=float)
    low = table["ratio_low"].to_numpy(dtype=float)
    high = table["ratio_high"].to_numpy(dtype=float)
    q = table["q_value"].to_numpy(dtype=float)

    # Comparisons with NaN are False, which is what we want: an unknown value never triggers a flag.
    below, above, inside = _regions(low, high, rule)
    significant = q < rule.q_threshold
    conditions = [
        np.isnan(share),
        census_share == 0,
        below & significant,
        above & significant,
        inside,
    ]
    choices = [
        Flag.TOO_FEW_RESPONSES.value,
        Flag.NO_CENSUS_BASELINE.value,
        Flag.UNDER_REPRESENTED.value,
        Flag.OVER_REPRESENTED.value,
        Flag.IN_LINE.value,
    ]
    flags = np.select(conditions, choices, default=Flag.TOO_FEW_RESPONSES.value)
    return pd.Series(flags, index=table.index, name="flag", dtype=object)


def _regions(
    low: npt.NDArray[np.float64], high: npt.NDArray[np.float64], rule: FlagRule
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Whether each interval on RR lies wholly below, wholly above or wholly inside the in-line band."""
    below = high < rule.under_ratio - RATIO_TOLERANCE
    above = low > rule.over_ratio + RATIO_TOLERANCE
    inside = (low >= rule.under_ratio - RATIO_TOLERANCE) & (high <= rule.over_ratio + RATIO_TOLERANCE)
    return below, above, inside


def share_interval(
    count: npt.ArrayLike, n: npt.ArrayLike, rule: FlagRule = DEFAULT_RULE
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The rule's interval on a share (Wilson or Clopper-Pearson), for counts that may be fractional.

    At a count of 0 (or n) the bound is exactly 0 (or 1); statsmodels' floating point leaves 1e-18.
    """
    counts = np.asarray(count, dtype=float)
    sizes = np.asarray(n, dtype=float)
    low, high = proportion_confint(counts, sizes, alpha=1 - rule.confidence, method=rule.interval_method)
    low, high = np.array(low, dtype=float, ndmin=1), np.array(high, dtype=float, ndmin=1)
    low[np.broadcast_to(counts, low.shape) <= 0] = 0.0
    high[np.broadcast_to(counts >= sizes, high.shape)] = 1.0
    return low, high


# Beyond this many responses in all, "more responses would settle it" is not a useful promise.
SETTLE_LIMIT = 10_000_000


def responses_to_settle(
    respondents: npt.ArrayLike,
    answered: int,
    census_share: npt.ArrayLike,
    rule: FlagRule = DEFAULT_RULE,
) -> pd.Series:
    """How many more responses in all, if they came in the current mix, would settle each group's flag.

    For a group whose interval on RR reaches across an edge of the in-line band ("can't tell yet"),
    the smallest number of extra responses m (so n + m in all, with the group keeping its share) after
    which the interval lies wholly below, inside or above the band: the region its point ratio is in.
    A nullable integer Series in the order given: <NA> where nobody answered, the census has nobody in
    the group, the point ratio sits on an edge of the band (no amount of data at that ratio settles
    it) or more than `SETTLE_LIMIT` responses would be needed; 0 where the interval is settled already.
    Shares are held fixed, so this is a guide to the scale of outreach, not a promise.
    """
    counts = np.asarray(respondents, dtype=float)
    p = np.asarray(census_share, dtype=float)
    size = len(counts)
    result = pd.array([pd.NA] * size, dtype="Int64")
    if answered <= 0 or size == 0:
        return pd.Series(result)
    share = counts / answered
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(p > 0, share / p, np.nan)
    edges = np.isclose(ratio, rule.under_ratio, rtol=0, atol=1e-9) | np.isclose(
        ratio, rule.over_ratio, rtol=0, atol=1e-9
    )
    solvable = (p > 0) & np.isfinite(ratio) & ~edges

    def settled(total: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
        low, high = share_interval(share * total, total, rule)
        with np.errstate(divide="ignore", invalid="ignore"):
            below, above, inside = _regions(low / p, high / p, rule)
        want_below = ratio < rule.under_ratio
        want_above = ratio > rule.over_ratio
        return np.where(want_below, below, np.where(want_above, above, inside))

    now = np.full(size, float(answered))
    done_now = settled(now)
    # Double until settled (or past the limit), then halve the gap: the interval narrows as n grows.
    high_total = now.copy()
    open_rows = solvable & ~done_now
    while open_rows.any():
        high_total[open_rows] *= 2
        open_rows &= ~settled(high_total) & (high_total <= SETTLE_LIMIT)
    reachable = solvable & ~done_now & (high_total <= SETTLE_LIMIT)
    low_total = np.where(reachable, high_total / 2, now)
    while True:
        gap = reachable & (high_total - low_total > 1)
        if not gap.any():
            break
        middle = np.floor((low_total + high_total) / 2)
        ok = settled(middle)
        high_total = np.where(gap & ok, middle, high_total)
        low_total = np.where(gap & ~ok, middle, low_total)
    extra = np.ceil(high_total - answered)
    values = np.where(solvable & done_now, 0, np.where(reachable, extra, -1)).astype(np.int64)
    return pd.Series(pd.array([int(v) if v >= 0 else pd.NA for v in values], dtype="Int64"))


def small_count_warning(respondents: pd.Series, rule: FlagRule = DEFAULT_RULE) -> pd.Series:
    """True where a category has fewer respondents than `rule.small_count` (default 30).

    Separate from the flag: a small count makes any statement about the group fragile even when the
    test is significant.
    """
    return (respondents < rule.small_count).rename("small_count")
