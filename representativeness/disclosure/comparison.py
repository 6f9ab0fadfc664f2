"""Protecting a characteristic's comparison with the census: its tables, its counts and its chi-square.

For the protected audience (docs/disclosure-control.md):

- the category counts of every level (detailed and broad) are suppressed together, since they add up;
- a hidden row keeps its census share, and is flagged "under-represented" with a rounded outreach
  target when the group would be under-represented whatever its hidden count (even with threshold - 1
  responses, with a Bonferroni bound on its q-value, which can only be larger than Benjamini-Hochberg's).
  That test uses only published figures, so the flag says nothing about the count beyond "fewer than
  the threshold", and the suppression takes the flag into account when it checks what a reader can
  work out: since the flag depends on the area compared with, it assumes a reader knows which side of
  the threshold every hidden group is on (some area could flag it), so what is hidden does not depend
  on the area. The outreach target is worked out at half the threshold and rounded to the nearest 10,
  so it does not depend on the hidden count either;
- every other figure in a shown row is rounded (`rounding`), p- and q-values become bands, and a column
  this module has no rule for is not published at all (deny by default);
- "prefer not to say", skipped and not asked are suppressed like any count (the survey's total and the
  number who answered stay shown);
- the chi-square is left out whenever a count of its characteristic is hidden, and rounded otherwise.

For the exact audience everything is returned as it came, with `suppressed` False.
"""

from __future__ import annotations

import functools
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from representativeness.disclosure import rounding
from representativeness.disclosure.protection import Protection
from representativeness.disclosure.suppression import SumGroup, flagged_small
from representativeness.stats.comparison import compare_characteristic
from representativeness.stats.flags import Flag, FlagRule, flag_categories
from representativeness.stats.outreach import outreach_needed

ANSWERED = "answered"
MARGIN = "margin"
COUNT_FIELDS = ("asked", "answered", "prefer_not_to_say", "skipped", "not_asked")

# How each column of a comparison table is published to the protected audience. A column not listed is
# not published (None), so a column added to the comparison later stays out until someone decides.
_COUNT, _SHARE, _RATIO, _P, _STATISTIC, _KEEP, _OUTREACH = (
    "count",
    "share",
    "ratio",
    "p",
    "statistic",
    "keep",
    "outreach",
)
COLUMN_RULES: dict[str, str] = {
    "respondents": _COUNT,
    "share": _SHARE,
    "share_low": _SHARE,
    "share_high": _SHARE,
    "gap": _SHARE,
    "census_share": _KEEP,  # from the census, not from respondents: shown even on a hidden row
    "ratio": _RATIO,
    "ratio_low": _RATIO,
    "ratio_high": _RATIO,
    "p_value": _P,
    "q_value": _P,
    "p_smaller": _P,
    "p_larger": _P,
    "q_smaller": _P,
    "q_larger": _P,
    "expected": _STATISTIC,
    "direction": _COUNT,  # derivable from a shown count, so shown with it
    "small_count": _COUNT,
    "flag": _COUNT,  # on a hidden row, only the under-represented flag that holds whatever the count
    "outreach_needed": _OUTREACH,
    "responses_to_settle": _OUTREACH,
    "settle_beyond_population": _COUNT,  # follows from the count, so hidden with it
}
BANDS = {"p_value": "p_band", "q_value": "q_band"}


@dataclass(frozen=True)
class Level:
    """One level (detailed or broad) of a characteristic: respondents, census and their comparison."""

    respondents: pd.Series
    census: pd.Series
    table: pd.DataFrame


@dataclass
class ProtectedCharacteristic:
    tables: dict[str, pd.DataFrame]  # by level, with a `suppressed` column (and p_band, q_band)
    counts: dict[str, int | None]
    any_hidden: bool


def family_size(tables: Sequence[pd.DataFrame]) -> int:
    """How many tests share one Benjamini-Hochberg family: both directions of every tested row."""
    return 2 * sum(int((table["p_smaller"].notna() & table["p_larger"].notna()).sum()) for table in tables)


def under_represented_whatever_the_count(
    level: Level, *, rule: FlagRule, threshold: int, family_size: int
) -> set[Hashable]:
    """The groups of a level that would be flagged under-represented with any count from 0 to threshold - 1.

    Worked out at threshold - 1 responses (the flag only gets more certain with fewer), with the
    Bonferroni bound p * family_size in place of the Benjamini-Hochberg q-value it bounds, and only
    from figures that are published anyway: the number who answered and the census.
    """
    answered = int(level.respondents.sum())
    count = threshold - 1
    census = level.census.astype(float)
    census_total = float(census.sum())
    candidates = [c for c in census.index if 0 < census[c] < census_total]
    if answered < threshold or family_size <= 0 or not candidates:
        return set()
    # Every group at `count` at once: one comparison whose rows are the groups, each with `count`
    # responses, and one more row holding everyone else (each row's figures depend only on its own count,
    # the number who answered and its census share). Where there is no room for that, one at a time.
    batches = [candidates] if answered >= count * len(candidates) else [[c] for c in candidates]
    found: set[Hashable] = set()
    rest = ("__everyone else__",)
    for batch in batches:
        respondents = pd.Series([count] * len(batch) + [answered - count * len(batch)], index=[*batch, rest])
        shares = pd.Series([*census[batch], census_total - float(census[batch].sum())], index=[*batch, rest])
        probe = compare_characteristic(respondents, shares, rule=rule).loc[batch]
        for p, q in (("p_smaller", "q_smaller"), ("p_larger", "q_larger"), ("p_value", "q_value")):
            probe[q] = np.minimum(1.0, probe[p].to_numpy(dtype=float) * family_size)
        flags = flag_categories(probe, rule)
        found.update(flags.index[flags == Flag.UNDER_REPRESENTED.value])
    return found


def outreach_whatever_the_count(
    category: Hashable, *, level: Level, rule: FlagRule, threshold: int, protection: Protection
) -> Any:
    """The rounded outreach target of a hidden group, worked out at half the threshold."""
    answered = int(level.respondents.sum())
    census_total = float(level.census.sum())
    share = float(level.census.get(category, 0.0)) / census_total if census_total else 0.0
    count = min(threshold // 2, answered)
    return protection.outreach(outreach_needed(count, answered, share, rule.outreach_target))


def protect_characteristic(
    *,
    name: str,
    levels: Mapping[str, Level],
    broad_parts: Mapping[Hashable, Sequence[Hashable]] | None,
    counts: Mapping[str, int],
    total: int,
    rule: FlagRule,
    family_size: int,
    protection: Protection,
    margins: Mapping[Hashable, Sequence[Hashable]] | None = None,
    reference: Mapping[str, pd.Series] | None = None,
    unpublished: Mapping[str, pd.Series] | None = None,
) -> ProtectedCharacteristic:
    """The characteristic's tables and counts as `protection`'s audience may see them.

    `levels`: "detailed" and/or "broad". `broad_parts`: {broad group: its detailed categories} when
    both levels are shown. `counts`: asked, answered, prefer_not_to_say, skipped, not_asked. `total`:
    the survey's respondents, published anyway. `family_size`: tests in the report's family.
    `margins`: for a joint table (sex by age), {margin: its detailed categories} for every row and
    column of the table. Each margin is taken as known to the reader (the one-characteristic tables
    publish figures close to it), so a hidden cell is protected against its row and its column at once.
    `reference`: by level, the census of one fixed area (the survey's default report area), whichever
    area `levels` compare with: complements are chosen by its shares, so the same cells are hidden in
    every report of one snapshot. Without it (no baseline there), by the keyed order alone.
    `unpublished`: by level, respondents counted into the suppression but not published: the detailed
    counts where the compared area's census has only the broad groups, so the broad groups hidden are
    those the detailed-and-broad report of the same snapshot hides (with `broad_parts` over them).
    """
    if protection.exact:
        return ProtectedCharacteristic(
            tables={level: _with_bands(item.table).assign(suppressed=False) for level, item in levels.items()},
            counts={field: counts[field] for field in COUNT_FIELDS},
            any_hidden=False,
        )
    counted = {level: item.respondents for level, item in levels.items()} | dict(unpublished or {})
    cells: dict[Hashable, int] = {(name, ANSWERED): int(counts[ANSWERED])}
    for level, respondents in counted.items():
        cells.update({(name, level, category): int(n) for category, n in respondents.items()})
    top_level = "broad" if "broad" in counted else "detailed"
    groups = [SumGroup((name, ANSWERED), tuple((name, top_level, c) for c in counted[top_level].index))]
    if broad_parts is not None and "broad" in counted and "detailed" in counted:
        groups += [
            SumGroup((name, "broad", broad), tuple((name, "detailed", c) for c in parts))
            for broad, parts in broad_parts.items()
        ]
    known: list[Hashable] = [(name, ANSWERED)]
    for margin, parts in (margins or {}).items():
        cells[(name, MARGIN, margin)] = sum(cells[(name, "detailed", c)] for c in parts)
        groups.append(SumGroup((name, MARGIN, margin), tuple((name, "detailed", c) for c in parts)))
        known.append((name, MARGIN, margin))

    @functools.cache
    def flaggable_in(level: str) -> set[Hashable]:
        return under_represented_whatever_the_count(
            levels[level], rule=rule, threshold=protection.threshold, family_size=family_size
        )

    def flaggable(cell: Hashable) -> bool:
        return _is_category(cell, levels) and cell[2] in flaggable_in(cell[1])

    def any_area_could_flag(cell: Hashable) -> bool:
        """Every group: some area compared with could flag it, so a reader may know each hidden one's side of
        the threshold; the cells hidden then do not depend on which area's flags are shown."""
        return _is_category(cell, counted)

    def reference_share(cell: Hashable) -> float:
        """What hiding a group loses: its share of the reference census (the same whichever area is
        compared with, so every report of one snapshot hides the same cells), the largest group shown."""
        if not _is_category(cell, counted):
            return 1.0
        census = (reference or {}).get(cell[1])
        if census is None or not float(census.sum()):
            return 0.0
        return float(census.get(cell[2], 0.0)) / float(census.sum())

    series = _cell_series(cells)
    try:
        mask = protection.mask(
            series, groups, always_shown=known, flag_when_small=any_area_could_flag, cost=reference_share
        )
    except ValueError:
        if margins:
            # The margins pin a small cell whatever else is hidden: publish none of the joint table's counts.
            mask = pd.Series([cell not in known for cell in series.index], index=series.index, name="suppressed")
        else:
            # The number who answered pins a small group: the characteristic has one group only (a young
            # people's group of one age, a file naming one category), so that group's count is the number who
            # answered. Both are hidden, and the number who answered is protected with the counts below.
            known.remove((name, ANSWERED))
            mask = protection.mask(
                series, groups, always_shown=known, flag_when_small=any_area_could_flag, cost=reference_share
            )
    answered_hidden = bool(mask[(name, ANSWERED)])
    flagged = flagged_small(series, mask, flaggable, protection.threshold)
    tables = {}
    for level, item in levels.items():
        index = [(name, level, c) for c in item.table.index]
        hidden = pd.Series(mask[index].to_numpy(dtype=bool), index=item.table.index)
        small = pd.Series(flagged[index].to_numpy(dtype=bool), index=item.table.index)
        outreach = {
            c: outreach_whatever_the_count(
                c, level=item, rule=rule, threshold=protection.threshold, protection=protection
            )
            for c in small.index[small]
        }
        tables[level] = protect_comparison(
            item.table, hidden=hidden, flagged=small, outreach=outreach, protection=protection
        )
    return ProtectedCharacteristic(
        tables=tables,
        counts=protect_counts(counts, total=total, name=name, protection=protection, answered_hidden=answered_hidden),
        any_hidden=bool(mask[[not _is_category(cell, unpublished or {}) for cell in mask.index]].any()),
    )


def protect_comparison(
    table: pd.DataFrame,
    *,
    hidden: pd.Series,
    flagged: pd.Series,
    outreach: Mapping[Hashable, Any],
    protection: Protection,
) -> pd.DataFrame:
    """A comparison table as the protected audience sees it (see the module docstring)."""
    rows_hidden = hidden.reindex(table.index).fillna(False).astype(bool).to_numpy()
    rows_flagged = flagged.reindex(table.index).fillna(False).astype(bool).to_numpy()
    result = pd.DataFrame(index=table.index)
    for column in table.columns:
        rule = COLUMN_RULES.get(str(column))
        values = table[column].to_numpy(dtype=object, copy=True)
        if rule is None:
            values[:] = None
        elif rule == _SHARE:
            values = np.array([protection.share(_number(v)) for v in values], dtype=object)
        elif rule == _RATIO:
            values = np.array([protection.ratio(_number(v)) for v in values], dtype=object)
        elif rule == _STATISTIC:
            values = np.array([protection.statistic(_number(v)) for v in values], dtype=object)
        elif rule == _P:
            if column in BANDS:
                result[BANDS[column]] = np.array(
                    [None if h else protection.p_band(_number(v)) for v, h in zip(values, rows_hidden, strict=True)],
                    dtype=object,
                )
            values = np.array([protection.p_value(_number(v)) for v in values], dtype=object)
        elif rule == _OUTREACH:
            values = np.array([protection.outreach(_number(v)) for v in values], dtype=object)
        if rule != _KEEP:
            values[rows_hidden] = None
        if column == "flag":
            values[rows_flagged] = Flag.UNDER_REPRESENTED.value
        if column == "outreach_needed":
            for position, label in enumerate(table.index):
                if rows_flagged[position]:
                    values[position] = outreach.get(label)
        result[column] = values
    # `suppressed` says "hidden to protect someone", which a reader must be able to tell apart from a
    # value that is None because it is undefined (no census baseline, nobody answered).
    result["suppressed"] = rows_hidden
    return result


def protect_counts(
    counts: Mapping[str, int], *, total: int, name: str, protection: Protection, answered_hidden: bool = False
) -> dict[str, int | None]:
    """asked, answered, prefer_not_to_say, skipped and not_asked, small ones hidden with a complement.

    The survey's total and the number who answered stay shown: the first is published anyway, and
    the second is the denominator of every share. What they give away together is published with
    them: where everyone answered (one respondent, who answered), everyone was asked, and nobody
    preferred not to say; those counts are still hidden where small, but cannot be protected further.
    `answered_hidden`: the characteristic's table hides the number who answered (it would give away the
    count of its only group): here it is hidden too, and protected like the other counts.
    """
    if protection.exact:
        return {field: counts[field] for field in COUNT_FIELDS}
    values: dict[Hashable, int] = {(name, field): int(counts[field]) for field in COUNT_FIELDS}
    cells = _cell_series(values | {(name, "total"): int(total)})
    groups = [
        SumGroup((name, "total"), ((name, "asked"), (name, "not_asked"))),
        SumGroup((name, "asked"), ((name, "answered"), (name, "prefer_not_to_say"), (name, "skipped"))),
    ]
    shown = [(name, "total")] if answered_hidden else [(name, "total"), (name, ANSWERED)]
    mask = protection.mask(cells, groups, always_shown=shown, implied_by_shown=True)
    return {field: None if mask[(name, field)] else int(counts[field]) for field in COUNT_FIELDS}


def protect_goodness_of_fit(
    fit: dict[str, Any] | None, *, any_hidden: bool, protection: Protection
) -> dict[str, Any] | None:
    """Left out when any count of its characteristic is hidden (its counts would give them back)."""
    if fit is None:
        return fit
    if protection.exact:
        return {**fit, "p_band": protection.p_band(fit.get("p_value"))}
    if any_hidden:
        return None
    return {
        **fit,
        "statistic": protection.statistic(fit.get("statistic")),
        "p_value": protection.p_value(fit.get("p_value")),
        "p_band": protection.p_band(fit.get("p_value")),
    }


def _with_bands(table: pd.DataFrame) -> pd.DataFrame:
    """The table with the bands of its p- and q-values beside them (the exact audience gets both)."""
    result = table.copy()
    for column, band in BANDS.items():
        if column in table:
            result[band] = pd.Series(
                [rounding.p_band(_number(v)) for v in table[column]], index=table.index, dtype=object
            )
    return result


def _is_category(cell: Hashable, levels: Mapping[str, object]) -> TypeGuard[tuple[str, str, Hashable]]:
    """Whether a cell is a group of one of the levels, (name, level, category), rather than a total."""
    return isinstance(cell, tuple) and len(cell) == 3 and cell[1] in levels


def _cell_series(cells: Mapping[Hashable, int]) -> pd.Series:
    """Counts labelled by tuples, kept as one level of labels (pandas would make a MultiIndex of them)."""
    return pd.Series(list(cells.values()), index=pd.Index(list(cells), tupleize_cols=False), dtype="int64")


def _number(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(number) else number
