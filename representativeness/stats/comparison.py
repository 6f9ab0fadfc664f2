"""Compare respondents with the census, one characteristic at a time, then adjust across the report.

For category c with n_c of the n respondents who answered, and census share p_c among residents who
answered (census "Not answered" already removed):

- share = n_c / n, gap = share - p_c (a proportion; the UI shows percentage points),
- representation ratio RR = share / p_c, with an interval = (Wilson interval on the share) / p_c,
- two exact one-sided binomial tests of share = p_c: "smaller" (P[X <= n_c]) and "larger" (P[X >= n_c]).

Choosing the direction after seeing the data. Reporting only the one-sided test that points the way the
gap happens to point would, uncorrected, double the false-positive rate (it is a two-sided question
answered with a one-sided p). We therefore put BOTH one-sided p-values of EVERY category of EVERY
characteristic (detailed and broad) into one Benjamini-Hochberg family of size 2m, and report as q_value
the q of the test in the observed direction. Because p_smaller + p_larger >= 1, the unobserved direction's
p is >= 0.5 and almost never rejected, so in effect each category pays for two looks; the result is close
to BH over m two-sided ("doubled") p-values. BH's guarantee assumes independent or positively dependent
tests; the two directions of one category, and the categories of one characteristic (shares sum to 1),
are negatively dependent. BH is known to hold up well in such cases and is the method the domain notes
name; pass method="fdr_by" to `adjust_report` for Benjamini-Yekutieli, valid under any dependence.

Tests whose null leaves no room for chance are left out of the family and get NaN p/q: n = 0 (nobody
answered), p_c = 0 (census has nobody: P-values 0 or 1 would be an artefact of the baseline) and p_c = 1.

Pure functions on pandas objects: no Django here.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import binom_test

from representativeness.stats.flags import (
    DEFAULT_RULE,
    SETTLE_LIMIT,
    Flag,
    FlagRule,
    flag_categories,
    responses_to_settle,
    share_interval,
    small_count_warning,
)
from representativeness.stats.outreach import outreach_series

# The columns every comparison table has, in this order; extra helpful columns follow them.
COMPARISON_COLUMNS: tuple[str, ...] = (
    "respondents",
    "share",
    "census_share",
    "ratio",
    "ratio_low",
    "ratio_high",
    "gap",
    "p_value",
    "q_value",
    "flag",
)
EXTRA_COLUMNS: tuple[str, ...] = (
    "expected",
    "share_low",
    "share_high",
    "direction",
    "p_smaller",
    "p_larger",
    "q_smaller",
    "q_larger",
    "small_count",
    "outreach_needed",
    "responses_to_settle",
    "settle_beyond_population",
)


def compare_characteristic(respondents: pd.Series, census: pd.Series, *, rule: FlagRule = DEFAULT_RULE) -> pd.DataFrame:
    """One row per category comparing respondents who answered with census residents who answered.

    `respondents`: counts of respondents per category among those who answered (categories with no
    respondents present as 0). `census`: census counts per category, "Not answered" removed, same labels
    (order follows `respondents`). Returns `COMPARISON_COLUMNS + EXTRA_COLUMNS`, indexed by category.

    q_value, q_smaller, q_larger are NaN, flag is None and responses_to_settle <NA> until
    `adjust_report` has seen the whole report: a q-value depends on every other test in the family, so
    it cannot be known here.
    Undefined quantities are NaN (never inf): share etc. when n = 0, ratio and its interval when p_c = 0.
    direction is "smaller" / "larger" / "none" (share below / above / exactly at p_c), None when n = 0.
    """
    counts, census_counts = _validated_inputs(respondents, census)
    n_c = counts.to_numpy(dtype=np.int64)
    k = census_counts.to_numpy(dtype=float)
    n = int(n_c.sum())
    census_total = float(k.sum())
    census_share = k / census_total
    has_baseline = census_share > 0
    nan = np.full(len(n_c), np.nan)

    if n > 0:
        share = n_c / n
        share_low, share_high = share_interval(n_c, n, rule)
        # One correctly rounded division of the counts, not share / census_share: with integer census
        # counts a ratio of exactly 0.8 then comes out as the float 0.8 and the flag boundary is exact.
        ratio = _divide(n_c * census_total, n * k, where=has_baseline)
        ratio_low = _divide(share_low, census_share, where=has_baseline)
        ratio_high = _divide(share_high, census_share, where=has_baseline)
        gap = share - census_share
        # Sign of the gap from the counts (n_c * N vs n * k), for the same reason as the ratio.
        sign = np.sign(n_c * census_total - n * k)
        direction = np.where(sign < 0, "smaller", np.where(sign > 0, "larger", "none")).astype(object)
    else:
        share = share_low = share_high = ratio = ratio_low = ratio_high = gap = nan
        direction = np.full(len(n_c), None, dtype=object)

    p_smaller, p_larger = nan.copy(), nan.copy()
    testable = (census_share > 0) & (census_share < 1) & (n > 0)
    if testable.any():
        p_smaller[testable] = binom_test(n_c[testable], n, prop=census_share[testable], alternative="smaller")
        p_larger[testable] = binom_test(n_c[testable], n, prop=census_share[testable], alternative="larger")

    table = pd.DataFrame(
        {
            "respondents": n_c,
            "share": share,
            "census_share": census_share,
            "ratio": ratio,
            "ratio_low": ratio_low,
            "ratio_high": ratio_high,
            "gap": gap,
            "p_value": _in_direction(direction, p_smaller, p_larger),
            "q_value": nan,
            "flag": np.full(len(n_c), None, dtype=object),
            "expected": n * census_share,
            "share_low": share_low,
            "share_high": share_high,
            "direction": direction,
            "p_smaller": p_smaller,
            "p_larger": p_larger,
            "q_smaller": nan,
            "q_larger": nan,
        },
        index=counts.index,
    )
    table["small_count"] = small_count_warning(table["respondents"], rule)
    table["outreach_needed"] = outreach_series(table["respondents"], table["census_share"], n, rule.outreach_target)
    table["responses_to_settle"] = pd.Series(pd.array([pd.NA] * len(table), dtype="Int64"), index=table.index)
    table["settle_beyond_population"] = False
    # Responses can never outnumber the people counted: what settles a finding is capped there.
    table.attrs["census_total"] = census_total
    return table


def adjust_report(
    tables: Mapping[Hashable, pd.DataFrame], *, rule: FlagRule = DEFAULT_RULE, method: str = "fdr_bh"
) -> dict[Hashable, pd.DataFrame]:
    """Fill q_value (and q_smaller, q_larger) across the whole report, then the flag of every row and,
    where it is "can't tell yet", the responses that would settle it.

    `tables` maps a key (e.g. ("ethnic_group", "detailed")) to a table from `compare_characteristic`;
    pass every table of the report at once so that they form one family. Both one-sided p-values of every
    testable row go into the family (see the module docstring for why). Returns new tables, same keys.
    `method` is passed to statsmodels' multipletests; it is named because its default is not BH.
    """
    pieces: list[np.ndarray] = []
    for table in tables.values():
        testable = _testable(table)
        pieces.append(table["p_smaller"].to_numpy(dtype=float)[testable])
        pieces.append(table["p_larger"].to_numpy(dtype=float)[testable])
    family = np.concatenate(pieces) if pieces else np.array([], dtype=float)
    adjusted = multipletests(family, alpha=rule.q_threshold, method=method)[1] if family.size else family

    out: dict[Hashable, pd.DataFrame] = {}
    position = 0
    for key, table in tables.items():
        result = table.copy()
        testable = _testable(table)
        size = int(testable.sum())
        q_smaller = np.full(len(table), np.nan)
        q_larger = np.full(len(table), np.nan)
        q_smaller[testable] = adjusted[position : position + size]
        q_larger[testable] = adjusted[position + size : position + 2 * size]
        position += 2 * size
        result["q_smaller"] = q_smaller
        result["q_larger"] = q_larger
        result["q_value"] = _in_direction(result["direction"].to_numpy(dtype=object), q_smaller, q_larger)
        result["flag"] = flag_categories(result, rule)
        result["responses_to_settle"], result["settle_beyond_population"] = _settling(result, rule)
        out[key] = result
    return out


def compare_report(
    characteristics: Mapping[Hashable, tuple[pd.Series, pd.Series]], *, rule: FlagRule = DEFAULT_RULE
) -> dict[Hashable, pd.DataFrame]:
    """`compare_characteristic` for each (respondents, census) pair, then `adjust_report` over them all."""
    tables = {
        key: compare_characteristic(respondents, census, rule=rule)
        for key, (respondents, census) in characteristics.items()
    }
    return adjust_report(tables, rule=rule)


def comparison_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table as JSON-ready rows: {"category": label, column: value, ...}.

    NaN, pd.NA and +/-inf become None and numpy scalars become Python ones, so nothing that JSON cannot
    carry (or that a browser would print as "NaN") leaks into an API response or template.
    """
    return [
        {"category": _plain(label), **{str(column): _plain(value) for column, value in row.items()}}
        for label, row in zip(table.index, table.to_dict(orient="records"), strict=True)
    ]


def _validated_inputs(respondents: pd.Series, census: pd.Series) -> tuple[pd.Series, pd.Series]:
    if len(respondents) == 0:
        raise ValueError("a characteristic needs at least one category")
    if respondents.index.has_duplicates or census.index.has_duplicates:
        raise ValueError("category labels must be unique")
    if set(respondents.index) != set(census.index):
        missing = set(respondents.index) ^ set(census.index)
        raise ValueError(f"respondent and census categories differ: {sorted(map(str, missing))}")
    census = census.reindex(respondents.index)
    counts = respondents.to_numpy(dtype=float)
    if not np.all(np.isfinite(counts)) or np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError("respondent counts must be whole numbers >= 0")
    census_values = census.to_numpy(dtype=float)
    if not np.all(np.isfinite(census_values)) or np.any(census_values < 0):
        raise ValueError("census counts must be finite and >= 0")
    if census_values.sum() <= 0:
        raise ValueError("the census baseline has nobody in it")
    return respondents.astype(np.int64), census.astype(float)


def _responses_to_settle(table: pd.DataFrame, rule: FlagRule) -> pd.Series:
    """The responses that would settle each "can't tell yet" row; <NA> on every other row."""
    return _settling(table, rule)[0]


def _settling(table: pd.DataFrame, rule: FlagRule) -> tuple[pd.Series, pd.Series]:
    """The responses that would settle each "can't tell yet" row, and where more responses in all than the
    census counts people (the area's whole population at the table's base) would be needed: no realistic
    number of responses settles it (5,000,000 more for a ward of 15,000 people)."""
    answered = int(table["respondents"].sum())
    population = float(table.attrs.get("census_total", SETTLE_LIMIT))
    limit = min(float(SETTLE_LIMIT), population)
    figures = responses_to_settle(table["respondents"], answered, table["census_share"], rule)
    figures.index = table.index
    undecided = (table["flag"] == Flag.TOO_FEW_RESPONSES.value).to_numpy()
    ratio = table["ratio"].to_numpy(dtype=float)
    on_edge = np.isclose(ratio, rule.under_ratio, rtol=0, atol=1e-9) | np.isclose(
        ratio, rule.over_ratio, rtol=0, atol=1e-9
    )
    unknown = figures.isna().to_numpy(dtype=bool)
    values = figures.to_numpy(dtype=float, na_value=np.nan)
    beyond = undecided & np.isfinite(ratio) & ~on_edge & (unknown | (values + answered > limit))
    figures = figures.where(undecided & ~beyond, pd.NA).astype("Int64")
    return figures, pd.Series(beyond, index=table.index)


def _testable(table: pd.DataFrame) -> np.ndarray:
    """Rows with both one-sided p-values: the rows that belong to the multiple-testing family."""
    return (table["p_smaller"].notna() & table["p_larger"].notna()).to_numpy(dtype=bool)


def _divide(numerator: np.ndarray, denominator: np.ndarray, *, where: np.ndarray) -> np.ndarray:
    """numerator / denominator where `where`, NaN elsewhere, without a divide-by-zero warning."""
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=where)
    return out


def _in_direction(direction: np.ndarray, smaller: np.ndarray, larger: np.ndarray) -> np.ndarray:
    """Pick the smaller-side value, the larger-side value, or (no gap) the lesser of the two."""
    is_smaller = direction == "smaller"
    is_larger = direction == "larger"
    # fmin ignores NaN only when one side is NaN; both sides are NaN together here, so NaN stays NaN.
    neither = np.fmin(smaller, larger)
    return np.where(is_smaller, smaller, np.where(is_larger, larger, neither))


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
