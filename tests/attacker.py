"""The attacker's own linear programmes, shared by the tests that try to work hidden counts back out.

Each equation is `({unknown: coefficient, ...}, value)`: what a reader knows (a shown total less the
shown cells, say). Every unknown is a count, so at least 0.
"""

from collections.abc import Hashable, Iterable, Mapping

from scipy.optimize import linprog

Equation = tuple[Mapping[Hashable, float], float]


def count_ranges(equations: Iterable[Equation]) -> dict[Hashable, tuple[float, float]]:
    """The smallest and largest value each unknown count can take, given every equation."""
    equations = list(equations)
    unknowns = sorted({key for coefficients, _ in equations for key in coefficients}, key=repr)
    column = {key: j for j, key in enumerate(unknowns)}
    a_eq = [[0.0] * len(unknowns) for _ in equations]
    for i, (coefficients, _) in enumerate(equations):
        for key, a in coefficients.items():
            a_eq[i][column[key]] = a
    b_eq = [value for _, value in equations]
    ranges = {}
    for key, j in column.items():
        ends = []
        for sign in (1, -1):
            objective = [0.0] * len(unknowns)
            objective[j] = sign
            solved = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
            assert solved.status == 0, solved.message
            ends.append(round(sign * solved.fun, 6))
        ranges[key] = (ends[0], ends[1])
    return ranges
