"""How narrowly can someone who reads a published table, and knows the rules, bound each hidden count?

A published table shows some counts and hides others. Its sums (a total equals the sum of its parts)
still hold, so a reader can write one equation per sum with the shown counts as constants and the
hidden ones as unknowns, add what the rules tell them about each hidden count (a count hidden as too
small is at least 1 and below the threshold; a row flagged "fewer than 10 responses" is below 10), and
work out the smallest and largest value each hidden count can take. That is what tau-argus calls an
audit, and it is what this module computes: the interval each hidden count is known to lie in.

For the tables the reports publish (a characteristic's categories, its broad groups and the total who
answered) the sums form a tree: each hidden count is in at most two sums and no chain of sums comes back
on itself. Then tightening each count's bounds one sum at a time until nothing changes gives exactly the
interval a linear programme would (the tests check this against scipy's). Tables whose sums form a
cycle (a grid with row and column totals) are solved as linear programmes, two per hidden count.

Pure functions on plain mappings: no Django and no pandas here.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

from scipy.optimize import linprog

INF = math.inf
_MAX_PASSES = 1000


@dataclass(frozen=True, slots=True)
class SumGroup:
    """Cells that must add up: `total` = sum of `parts`."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return (*self.parts, self.total)


Bounds = tuple[float, float]


def hidden_intervals(
    values: Mapping[Hashable, float],
    groups: Sequence[SumGroup],
    hidden: Collection[Hashable],
    bounds: Mapping[Hashable, Bounds],
    *,
    only: Collection[Hashable] | None = None,
) -> dict[Hashable, Bounds]:
    """The interval (low, high) each hidden cell is known to lie in, given the shown cells and the sums.

    `values` holds every cell's true count; only those of shown cells (not in `hidden`) are used.
    `bounds` gives what the rules say about each hidden cell before any sum is used (high may be
    `math.inf`). The true counts must satisfy every sum and bound. `only`: the cells wanted, when the
    sums form cycles and each cell costs two linear programmes (a tree gives every cell at once).
    """
    hidden = set(hidden)
    if not hidden:
        return {}
    equations = _equations(values, groups, hidden)
    start = {cell: (float(bounds[cell][0]), float(bounds[cell][1])) for cell in hidden}
    if is_tree(values, groups, hidden):
        return _propagate(start, equations)
    return _linear_programmes(start, equations, hidden if only is None else set(only))


def is_tree(values: Mapping[Hashable, float], groups: Sequence[SumGroup], hidden: Collection[Hashable]) -> bool:
    """Whether the hidden cells and the sums that mention them form a forest (no cycle through two sums)."""
    hidden = set(hidden)
    return _is_forest(hidden, _equations(values, groups, hidden))


_Equation = tuple[dict[Hashable, int], float]  # {hidden cell: +1 for a part, -1 for the total}, right-hand side


def _equations(values: Mapping[Hashable, float], groups: Sequence[SumGroup], hidden: set[Hashable]) -> list[_Equation]:
    equations: list[_Equation] = []
    for group in groups:
        coefficients: dict[Hashable, int] = {}
        rhs = 0.0
        for part in group.parts:
            if part in hidden:
                coefficients[part] = coefficients.get(part, 0) + 1
            else:
                rhs -= float(values[part])
        if group.total in hidden:
            coefficients[group.total] = coefficients.get(group.total, 0) - 1
        else:
            rhs += float(values[group.total])
        if coefficients:
            equations.append((coefficients, rhs))
    return equations


def _is_forest(hidden: set[Hashable], equations: list[_Equation]) -> bool:
    """Whether hidden cells and the sums that mention them form a forest (no cycle through two sums)."""
    parent: dict[object, object] = {}

    def find(node: object) -> object:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]  # type: ignore[index]
            node = parent[node]
        return node

    for index, (coefficients, _) in enumerate(equations):
        for cell in coefficients:
            a, b = find(("cell", cell)), find(("sum", index))
            if a == b:
                return False
            parent[a] = b
    return True


def _propagate(start: dict[Hashable, Bounds], equations: list[_Equation]) -> dict[Hashable, Bounds]:
    low = {cell: bound[0] for cell, bound in start.items()}
    high = {cell: bound[1] for cell, bound in start.items()}
    for _ in range(_MAX_PASSES):
        changed = False
        for coefficients, rhs in equations:
            for cell, a in coefficients.items():
                # a * x = rhs - sum(b * y) over the others: the others' range bounds a * x.
                rest_min = sum(b * (low[y] if b > 0 else high[y]) for y, b in coefficients.items() if y != cell)
                rest_max = sum(b * (high[y] if b > 0 else low[y]) for y, b in coefficients.items() if y != cell)
                lo, hi = rhs - rest_max, rhs - rest_min
                if a < 0:
                    lo, hi = -hi, -lo
                if lo > low[cell]:
                    low[cell], changed = lo, True
                if hi < high[cell]:
                    high[cell], changed = hi, True
        if not changed:
            break
    return {cell: (low[cell], high[cell]) for cell in start}


def _linear_programmes(
    start: dict[Hashable, Bounds], equations: list[_Equation], wanted: set[Hashable]
) -> dict[Hashable, Bounds]:
    cells = list(start)
    column = {cell: j for j, cell in enumerate(cells)}
    a_eq = [[0.0] * len(cells) for _ in equations]
    for i, (coefficients, _) in enumerate(equations):
        for cell, a in coefficients.items():
            a_eq[i][column[cell]] = float(a)
    b_eq = [rhs for _, rhs in equations]
    variable_bounds = [(lo, None if math.isinf(hi) else hi) for lo, hi in start.values()]
    result: dict[Hashable, Bounds] = {}
    for cell, j in column.items():
        if cell not in wanted:
            continue
        objective = [0.0] * len(cells)
        ends = []
        for sign in (1.0, -1.0):
            objective[j] = sign
            solved = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=variable_bounds, method="highs")
            if solved.status == 3:  # unbounded
                ends.append(-INF * sign)
            elif solved.status != 0:
                raise ValueError(f"the published sums and bounds are inconsistent ({solved.message})")
            else:
                ends.append(sign * solved.fun)
        result[cell] = (round(ends[0], 6), round(ends[1], 6))
    return result
