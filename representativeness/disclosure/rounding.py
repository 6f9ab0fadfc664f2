"""How figures built from counts are rounded for readers without the equality-data permission.

Exact derived figures are equations in the counts: a full-precision effective sample size gives the
Kish sum of squared weights back, ten of them give ten hidden counts, and full-precision q-values give
each test's rank in the Benjamini-Hochberg family. Rounded, they carry the finding and not the counts:

- shares, gaps and intervals on shares: whole percentages (0.1234 -> 0.12);
- ratios and intervals on ratios: two decimal places;
- p-values and q-values: bands, "< 0.001", "< 0.01", "< 0.05" or "not significant";
- outreach targets, effective sample sizes: the nearest 10 (an outreach target above 0 is at least 10);
- design effects and test statistics: one decimal place.

Every function passes None and NaN through as None. Pure functions: no Django here.
"""

from __future__ import annotations

import math

P_BANDS: tuple[tuple[float, str], ...] = ((0.001, "< 0.001"), (0.01, "< 0.01"), (0.05, "< 0.05"))
NOT_SIGNIFICANT = "not significant"


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _half_up(value: float) -> int:
    return math.floor(value + 0.5)


def whole_percent(share: float | None) -> float | None:
    """A proportion rounded to a whole percentage, still as a proportion (0.1234 -> 0.12)."""
    return None if _missing(share) else _half_up(float(share) * 100) / 100  # type: ignore[arg-type]


def two_places(value: float | None) -> float | None:
    """A ratio to two decimal places."""
    return None if _missing(value) else _half_up(float(value) * 100) / 100  # type: ignore[arg-type]


def one_place(value: float | None) -> float | None:
    """A design effect or test statistic to one decimal place."""
    return None if _missing(value) else _half_up(float(value) * 10) / 10  # type: ignore[arg-type]


def p_band(p: float | None) -> str | None:
    """The band a p-value or q-value falls in."""
    if _missing(p):
        return None
    for bound, label in P_BANDS:
        if p < bound:  # type: ignore[operator]
            return label
    return NOT_SIGNIFICANT


def nearest_ten(value: float | None) -> int | None:
    """A count-like figure to the nearest 10 (an effective sample size of 1087 -> 1090)."""
    return None if _missing(value) else 10 * _half_up(float(value) / 10)  # type: ignore[arg-type]


def outreach_target(value: float | None) -> int | None:
    """Extra responses needed, to the nearest 10, but never rounded down to 0 when some are needed."""
    if _missing(value):
        return None
    rounded = nearest_ten(value)
    assert rounded is not None
    return max(rounded, 10) if float(value) > 0 else 0  # type: ignore[arg-type]
