"""The representation flag: is a group under-, over- or fairly represented among respondents?

The rule (see docs/domain.md, "Representativeness statistics") needs three things to agree before it
calls a group under-represented: the representation ratio RR is below 0.8, the upper end of its 95%
interval is below 1, and the Benjamini-Hochberg q-value is below 0.05. Over-representation is the mirror
image (RR above 1.25, lower end above 1). The thresholds are conventions (0.8 borrows the "four-fifths"
rule), so they live in a `FlagRule` that the Django layer builds from settings.

Pure functions on pandas objects: no Django here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

import numpy as np
import pandas as pd

# Ratios are compared with this much slack so that floating point, not the data, never decides
# whether a ratio sitting exactly on a threshold (e.g. 0.8) crosses it: on the threshold is not beyond it.
RATIO_TOLERANCE = 1e-9


class Flag(StrEnum):
    UNDER_REPRESENTED = "under_represented"
    OVER_REPRESENTED = "over_represented"
    IN_LINE = "in_line"
    # Nobody answered, or the interval on RR is so wide that the data fit both under- and
    # over-representation: the honest answer is "we cannot tell", not "in line".
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

    Needs the columns share, census_share, ratio, ratio_low, ratio_high and q_value. A q_value of NaN
    (no test could be run, or the table was never adjusted) can never support an under/over flag.
    The checks run in this order, first match wins:

    1. share is NaN (n = 0: nobody answered)                    -> too_few_responses
    2. census_share == 0                                        -> no_census_baseline
    3. RR < under and ratio_high < 1 and q < q_threshold        -> under_represented
    4. RR > over and ratio_low > 1 and q < q_threshold          -> over_represented
    5. ratio_low < under and ratio_high > over                  -> too_few_responses
       (the interval reaches into both flagged regions: the data fit either story)
    6. otherwise                                                -> in_line

    3 and 4 cannot both hold (their intervals are disjoint), nor can 3/4 and 5.
    """
    share = table["share"].to_numpy(dtype=float)
    census_share = table["census_share"].to_numpy(dtype=float)
    ratio = table["ratio"].to_numpy(dtype=float)
    low = table["ratio_low"].to_numpy(dtype=float)
    high = table["ratio_high"].to_numpy(dtype=float)
    q = table["q_value"].to_numpy(dtype=float)

    # Comparisons with NaN are False, which is what we want: an unknown value never triggers a flag.
    below = ratio < rule.under_ratio - RATIO_TOLERANCE
    above = ratio > rule.over_ratio + RATIO_TOLERANCE
    significant = q < rule.q_threshold
    conditions = [
        np.isnan(share),
        census_share == 0,
        below & (high < 1) & significant,
        above & (low > 1) & significant,
        (low < rule.under_ratio - RATIO_TOLERANCE) & (high > rule.over_ratio + RATIO_TOLERANCE),
    ]
    choices = [
        Flag.TOO_FEW_RESPONSES.value,
        Flag.NO_CENSUS_BASELINE.value,
        Flag.UNDER_REPRESENTED.value,
        Flag.OVER_REPRESENTED.value,
        Flag.TOO_FEW_RESPONSES.value,
    ]
    flags = np.select(conditions, choices, default=Flag.IN_LINE.value)
    return pd.Series(flags, index=table.index, name="flag", dtype=object)


def small_count_warning(respondents: pd.Series, rule: FlagRule = DEFAULT_RULE) -> pd.Series:
    """True where a category has fewer respondents than `rule.small_count` (default 30).

    Separate from the flag: a small count makes any statement about the group fragile even when the
    test is significant.
    """
    return (respondents < rule.small_count).rename("small_count")
