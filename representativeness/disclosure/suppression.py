"""Small-number suppression that still holds when the reader knows the rules (docs/disclosure-control.md).

Primary suppression hides every count from 1 to `threshold` - 1 (1..9 by default). Zeros are shown:
"no responses from this group" identifies nobody and is the most useful fact an outreach report gives,
except where the total they belong to is itself below the threshold (then every part is hidden, zeros
included, and the parts of those parts, or the zeros would point at the few cells that hold everyone).

Secondary suppression stops a hidden count being worked out from the sums the table still shows. A
table is described by `SumGroup`s ("total = sum of parts"). The rule is not "hide the smallest other
cell": a reader who knows that rule learns that the second hidden cell is no larger than any shown one,
and can often solve for the first. Instead:

1. After primary suppression, `audit.hidden_intervals` works out the interval a reader can pin each
   hidden count to, from the shown counts, the sums and everything the rules say (a hidden row flagged
   "fewer than 10 responses" is below 10; a hidden row that would carry that flag if it were small but
   does not is at least 10; a hidden count is at least 1 unless zeros may have been hidden beside it).
2. Any hidden small count whose interval is narrower than `min_uncertainty` (4 for a threshold of 10,
   so at least five values stay possible), and any hidden count pinned to one value, gets one more
   cell hidden beside it, and the audit runs again, until every hidden count is protected or nothing
   more can be hidden.
3. Which cell is hidden next does not depend on its value beyond whether it is zero: non-zero cells
   come first, then (because they bound a neighbour less) cells that are not group totals and cells that
   are not known to be large, then the cells whose hiding loses least by a published measure (the
   report uses the share of one fixed area's census, whichever area it compares with: a small group
   rather than the largest, and the same cells for every area), and among equals the order is
   a keyed hash of the cell's name. The key is secret (derived from SECRET_KEY and the survey) and
   fixed for a survey, so the same cell is chosen every time the same table is published. Knowing the
   rest of the order tells a reader nothing about any count, since none of it depends on one.

If a small count cannot be protected because every other cell of its sums is always shown, that is an
error (`ValueError`), never a leak, unless the caller says it publishes the always-shown cells knowing
what they imply (`implied_by_shown`): then the count is hidden and the table is as protected as the
always-shown figures allow. Where the total itself is below the threshold, every part is hidden
and the reader learns only that the few people counted are somewhere among the parts.

Pure functions on pandas objects: no Django here.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping, Sequence

import pandas as pd

from representativeness.disclosure.audit import INF, Bounds, SumGroup, hidden_intervals, is_tree

DEFAULT_THRESHOLD = 10

# The cells published with a "fewer than the threshold" flag when hidden and small: a collection of cell
# labels, or a function telling whether a label is one (called only for cells that matter, and cached).
FlagWhenSmall = Collection[Hashable] | Callable[[Hashable], bool]


def _predicate(flag_when_small: FlagWhenSmall) -> Callable[[Hashable], bool]:
    if callable(flag_when_small):
        return functools.cache(flag_when_small)
    members = set(flag_when_small)
    return members.__contains__


__all__ = [
    "DEFAULT_THRESHOLD",
    "SumGroup",
    "characteristic_sum_groups",
    "default_min_uncertainty",
    "flagged_small",
    "reader_bounds",
    "suppress_counts",
    "suppression_mask",
]


def default_min_uncertainty(threshold: int) -> int:
    """How wide (highest minus lowest possible value) a hidden small count's interval must stay: 4 for 10."""
    return max(1, (threshold - 1) // 2)


def characteristic_sum_groups(
    categories: Sequence[Hashable],
    *,
    broad_groups: Mapping[Hashable, Sequence[Hashable]] | None = None,
    total: Hashable = "total",
    answered: Hashable = "answered",
    prefer_not_to_say: Hashable = "prefer_not_to_say",
    skipped: Hashable = "skipped",
) -> list[SumGroup]:
    """The sums a characteristic's published table shows, as `SumGroup`s.

    total = answered + prefer_not_to_say + skipped; answered = sum of the categories, or, with
    `broad_groups` ({broad label: its detailed categories}), answered = sum of the broad groups and each
    broad group = sum of its detailed categories. Every label must be distinct (prefix them if a broad
    and a detailed group share a name).
    """
    groups = [SumGroup(total, (answered, prefer_not_to_say, skipped))]
    if broad_groups is None:
        groups.append(SumGroup(answered, tuple(categories)))
    else:
        members = [category for parts in broad_groups.values() for category in parts]
        if sorted(map(repr, members)) != sorted(map(repr, categories)):
            raise ValueError("each category must belong to exactly one broad group")
        groups.append(SumGroup(answered, tuple(broad_groups)))
        groups.extend(SumGroup(broad, tuple(parts)) for broad, parts in broad_groups.items())
    labels = [label for group in groups for label in group.parts] + [total]
    if len(set(labels)) != len(labels):
        raise ValueError("every cell of the table needs its own label")
    return groups


def suppression_mask(
    counts: pd.Series,
    groups: Iterable[SumGroup],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    always_shown: Collection[Hashable] = (),
    key: bytes = b"",
    flag_when_small: FlagWhenSmall = (),
    min_uncertainty: int | None = None,
    cost: Callable[[Hashable], float] | None = None,
    implied_by_shown: bool = False,
    unpublished: Collection[Hashable] = (),
) -> pd.Series:
    """True for every count that must be hidden (primary or secondary), indexed like `counts`.

    `counts`: every cell of the table (categories, group totals, answered, ...). `always_shown`: cells
    published regardless (the survey's total of respondents, shown elsewhere anyway); never hidden and
    never chosen as complements. `key`: the secret that orders the choice of complements (empty in
    tests: then the order is public). `flag_when_small`: cells that, hidden with a count below the
    threshold, will be published with a flag saying so (the reader's bounds take that into account).
    `cost`: how much hiding a cell loses, from published figures only (a census share, say), never from
    its count: cheaper cells are chosen as complements first, the key deciding among equals.
    `implied_by_shown`: the caller publishes the `always_shown` cells knowing what they give away
    together (a survey of one respondent, who answered the sex question, was asked it); a small count
    they pin down is hidden like any other, but is not an error. Without it, such a count raises.
    `unpublished`: cells counted in the sums but never published (the rest of a broad group beside a
    detailed group inside it): hidden from the start whatever their count, never complements, and
    protected like any hidden count when small; the reader is not assumed to know whether one is zero,
    and a large one worked out exactly gives nothing away that its published neighbours do not.
    Raises ValueError if a group's parts do not add up to its total (the hierarchy would be wrong and
    the protection void) or if a small count would stay exactly recoverable.
    """
    groups = list(groups)
    value_of = _validated(counts, groups, always_shown)
    fixed = set(always_shown)
    flaggable = _predicate(flag_when_small)
    width = default_min_uncertainty(threshold) if min_uncertainty is None else min_uncertainty

    never_shown = set(unpublished) - fixed
    hidden = {cell for cell, value in value_of.items() if 0 < value < threshold and cell not in fixed} | never_shown
    _hide_parts_of_small_totals(hidden, groups, value_of, fixed, threshold)

    stuck: set[Hashable] = set()
    # Cells the audit found protected: hiding more only widens what a reader can work out (each newly hidden
    # cell is one more unknown), so they stay protected and are not audited again.
    safe: set[Hashable] = set()
    while True:
        bounds = reader_bounds(
            value_of,
            groups,
            hidden,
            fixed=fixed,
            flag_when_small=flaggable,
            threshold=threshold,
            unpublished=never_shown,
        )
        # A large unpublished cell is never weak: only its small neighbours need protecting.
        large = {cell for cell in never_shown if value_of[cell] >= threshold}
        weak = _first_weak(
            value_of, groups, hidden, bounds, stuck | large, threshold=threshold, width=width, key=key, safe=safe
        )
        if weak is None:
            break
        cell, (low, high) = weak
        complement = _complement(cell, groups, hidden, fixed, value_of, flaggable, threshold, key, cost or _free)
        if complement is None:
            # Every cell tied to this one is hidden or always shown: the always-shown cells alone pin it.
            if high - low < 0.5 and value_of[cell] < threshold and not implied_by_shown:
                raise ValueError(f"cannot protect hidden cell {cell!r}: every other cell of its sums is always shown")
            stuck.add(cell)  # as protected as the table allows (a total below the threshold)
            continue
        hidden.add(complement)
    return pd.Series([label in hidden for label in counts.index], index=counts.index, name="suppressed")


def _hide_parts_of_small_totals(
    hidden: set[Hashable],
    groups: list[SumGroup],
    value_of: Mapping[Hashable, float],
    fixed: set[Hashable],
    threshold: int,
) -> None:
    """Hide every part of a sum whose total is below the threshold, zeros included, down the hierarchy.

    Shown zeros beside a small total say where its few people are: with three who answered and every
    category but one shown as 0, the hidden one is 3.
    """
    changed = True
    while changed:
        changed = False
        for group in groups:
            small = value_of[group.total] < threshold and (value_of[group.total] > 0 or group.total in hidden)
            if not small:
                continue
            for part in group.parts:
                if part not in fixed and part not in hidden:
                    hidden.add(part)
                    changed = True


def reader_bounds(
    values: Mapping[Hashable, float],
    groups: Sequence[SumGroup],
    hidden: Collection[Hashable],
    *,
    fixed: Collection[Hashable] = (),
    flag_when_small: FlagWhenSmall = (),
    threshold: int = DEFAULT_THRESHOLD,
    unpublished: Collection[Hashable] = (),
) -> dict[Hashable, Bounds]:
    """What a reader who knows the rules can say about each hidden cell before using any sum.

    A hidden cell is at least 1, unless it is zero (zeros are hidden only as a last resort, and
    assuming the reader can tell errs on the safe side) or a part of a sum whose every part is hidden
    (then nobody can tell the zeros). A cell published as "fewer than `threshold`" is below it; a cell
    that would be published so if it were small, but is not, is at least `threshold`. A cell that is
    never published (`unpublished`) is at least 0: nothing tells whether it is zero.
    """
    hidden = set(hidden)
    fixed = set(fixed)
    never_shown = set(unpublished)
    flaggable = _predicate(flag_when_small)
    all_hidden_parts: set[Hashable] = set()
    for group in groups:
        parts = [part for part in group.parts if part not in fixed]
        if parts and all(part in hidden for part in parts):
            all_hidden_parts.update(parts)
    bounds: dict[Hashable, Bounds] = {}
    for cell in hidden:
        value = values[cell]
        low = 0.0 if value == 0 or cell in all_hidden_parts or cell in never_shown else 1.0
        high = INF
        if cell in never_shown:
            bounds[cell] = (low, high)
            continue
        if flaggable(cell):
            if value < threshold:
                high = float(threshold - 1)
            else:
                low = float(threshold)
        bounds[cell] = (low, high)
    return bounds


def flagged_small(counts: pd.Series, mask: pd.Series, flag_when_small: FlagWhenSmall, threshold: int) -> pd.Series:
    """True for the hidden cells that are published with a "fewer than `threshold`" flag.

    The same rule `suppression_mask` assumed the reader knows: hidden, in `flag_when_small`, below the
    threshold.
    """
    flaggable = _predicate(flag_when_small)
    hidden = mask.reindex(counts.index).astype(bool).to_numpy()
    values = [
        bool(is_hidden) and float(value) < threshold and flaggable(label)
        for is_hidden, (label, value) in zip(hidden, counts.items(), strict=True)
    ]
    return pd.Series(values, index=counts.index, name="flagged_small")


def suppress_counts(counts: pd.Series, mask: pd.Series) -> pd.Series:
    """The counts with hidden ones replaced by None."""
    result = counts.astype(object)
    result[mask.reindex(counts.index).astype(bool).to_numpy()] = None
    return result


def _validated(counts: pd.Series, groups: list[SumGroup], always_shown: Collection[Hashable]) -> dict[Hashable, float]:
    if counts.index.has_duplicates:
        raise ValueError("cell labels must be unique")
    values = counts.astype(float)
    if (values < 0).any() or values.isna().any():
        raise ValueError("counts must be >= 0")
    unknown = {cell for group in groups for cell in group.cells} - set(counts.index)
    unknown |= set(always_shown) - set(counts.index)
    if unknown:
        raise ValueError(f"labels not in counts: {sorted(map(str, unknown))}")
    value_of: dict[Hashable, float] = dict(zip(counts.index, values, strict=True))
    for group in groups:
        if not _close(sum(value_of[part] for part in group.parts), value_of[group.total]):
            raise ValueError(f"the parts of {group.total!r} do not add up to it")
    return value_of


def _close(a: float, b: float) -> bool:
    """np.isclose(a, b) with its default tolerances, for two numbers (a thousand calls a report: numpy's
    own costs more per call than the sums it checks)."""
    return (abs(a - b) <= 1e-08 + 1e-05 * abs(b) and math.isfinite(b)) or a == b


def _first_weak(
    value_of: Mapping[Hashable, float],
    groups: list[SumGroup],
    hidden: set[Hashable],
    bounds: Mapping[Hashable, Bounds],
    stuck: set[Hashable],
    *,
    threshold: int,
    width: int,
    key: bytes,
    safe: set[Hashable] | None = None,
) -> tuple[Hashable, Bounds] | None:
    """The first hidden non-zero cell, in keyed order, that a reader can bound too narrowly, and its interval.

    `safe`: cells already found protected with fewer cells hidden, skipped (and added to as cells are found
    protected): the first weak cell is the same either way.
    """
    safe = set() if safe is None else safe
    order = [
        cell
        for cell in sorted(hidden, key=lambda c: _rank(key, c))
        if cell not in stuck and cell not in safe and value_of[cell] > 0
    ]
    if is_tree(value_of, groups, hidden):
        intervals = hidden_intervals(value_of, groups, hidden, bounds)
        lookup = intervals.__getitem__
    else:  # two linear programmes a cell: work them out one at a time, up to the first weak one

        def lookup(cell: Hashable) -> Bounds:
            return hidden_intervals(value_of, groups, hidden, bounds, only=[cell])[cell]

    for cell in order:
        interval = lookup(cell)
        if _too_narrow(interval, value_of[cell], threshold, width):
            return cell, interval
        safe.add(cell)
    return None


def _too_narrow(interval: Bounds, value: float, threshold: int, width: int) -> bool:
    low, high = interval
    if value < threshold:
        return high - low < width
    return high - low < 0.5 or math.isclose(high, low)  # a complement pinned to one value exposes its neighbours


def _free(cell: Hashable) -> float:
    return 0.0


def _rank(key: bytes, cell: Hashable) -> bytes:
    """The cell's place in the keyed order: an HMAC of its name, unpredictable without the key."""
    return hmac.new(key, repr(cell).encode(), hashlib.sha256).digest()


def _complement(
    cell: Hashable,
    groups: list[SumGroup],
    hidden: set[Hashable],
    fixed: set[Hashable],
    value_of: Mapping[Hashable, float],
    flaggable: Callable[[Hashable], bool],
    threshold: int,
    key: bytes,
    cost: Callable[[Hashable], float],
) -> Hashable | None:
    """The next cell to hide for a weak one; None if there is none.

    Looked for in the sums the weak cell belongs to, then, if every cell there is hidden or always
    shown, in the sums of the hidden cells it is tied to, and so on outwards.
    """
    reached = {cell}
    seen_groups: set[int] = set()
    while True:
        frontier = [
            index
            for index, group in enumerate(groups)
            if index not in seen_groups and any(member in reached for member in group.cells)
        ]
        if not frontier:
            return None
        seen_groups.update(frontier)
        candidates: dict[Hashable, bool] = {}  # cell -> whether it is a total above the reached cells
        for index in frontier:
            group = groups[index]
            for other in group.cells:
                if other in hidden or other in fixed:
                    continue
                above = other == group.total and any(part in reached for part in group.parts)
                candidates[other] = candidates.get(other, True) and above
        if candidates:

            def preference(
                other: Hashable, candidates: dict[Hashable, bool] = candidates
            ) -> tuple[bool, bool, bool, float, bytes]:
                known_large = value_of[other] >= threshold and flaggable(other)
                return (value_of[other] == 0, candidates[other], known_large, cost(other), _rank(key, other))

            return min(candidates, key=preference)
        reached.update(member for index in frontier for member in groups[index].cells if member in hidden)
