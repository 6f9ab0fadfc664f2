"""Numbers as the report prints them. A hidden (None) value prints as a dash with a screen-reader word."""

import math

from django import template
from django.utils.safestring import SafeString, mark_safe

from representativeness.disclosure import rounding
from representativeness.equality_analysis.findings import FLAG_WORDS as DIFFERENCE_WORDS
from representativeness.equality_analysis.findings import in_points
from representativeness.reports.builder.report import clear_difference
from representativeness.reports.charts import FLAG_WORDS
from representativeness.stats.flags import FlagRule
from representativeness.weighting import characteristics_named

register = template.Library()

# A constant: nothing in it to escape.
_HIDDEN = mark_safe('<span aria-hidden="true">–</span><span class="govuk-visually-hidden">hidden</span>')


def _missing(value: object) -> bool:
    return value is None or value != value  # NaN is the one value unequal to itself


@register.filter
def percent(value: float | None, places: int = 1) -> str | SafeString:
    return _HIDDEN if _missing(value) else f"{value * 100:.{places}f}%"


@register.filter
def points(value: float | None, places: int = 1) -> str | SafeString:
    """A gap between two shares, in percentage points, with its sign."""
    return _HIDDEN if _missing(value) else f"{value * 100:+.{places}f} pts"


register.filter(in_points)


@register.filter
def ratio(value: float | None) -> str | SafeString:
    return _HIDDEN if _missing(value) else f"{value:.2f}"


@register.filter
def pvalue(value: float | None) -> str | SafeString:
    if _missing(value):
        return _HIDDEN
    return "< 0.001" if value < 0.001 else f"{value:.3f}"


@register.filter
def band(value: str | None) -> str | SafeString:
    """A p- or q-value band ("< 0.01", "not significant") as published to readers without the permission."""
    return value or _HIDDEN


@register.filter
def count(value: int | None) -> str | SafeString:
    return _HIDDEN if _missing(value) else f"{int(value):,}"


@register.filter
def flag_words(value: str | None) -> str:
    return FLAG_WORDS.get(value or "", "")


@register.filter
def finding_words(row: dict, rule: FlagRule) -> str:
    """A report row's finding in words: its flag's, but for a "can't tell yet" row whose difference from the
    census share is clear, which way and that it is not yet clearly beyond the in-line band."""
    way = clear_difference(row, rule)
    if way is None:
        return flag_words(row.get("flag"))
    return f"{'More' if way == 'more' else 'Fewer'} than the census share, not yet clearly beyond the in-line band"


@register.filter
def difference_words(value: str | None) -> str:
    """The equality analysis's flag in words."""
    return DIFFERENCE_WORDS.get(value or "", "")


def two_significant_figures(value: float) -> int:
    """507 -> 510, 1,234 -> 1,200, 7 -> 7: a figure that is only a guide, rounded so it reads as one.

    From 100 up the figure is first taken to the nearest 10, as the protected figures are
    (rounding.nearest_ten), then to two significant figures, both halves rounded up: so an exact 285 and
    its protected 290 both read "about 290", and 1,245 and its protected 1,250 both "about 1,300".
    """
    if value <= 0:
        return 0
    if value >= 100:
        value = float(rounding.nearest_ten(value) or 0)
    digits = len(str(int(round(value))))
    step = 10 ** (digits - 2) if digits > 2 else 1
    return step * math.floor(value / step + 0.5)


@register.filter
def about(value: float | None) -> str | SafeString:
    """A guide figure (responses that would settle a finding), to two significant figures."""
    return _HIDDEN if _missing(value) else f"{two_significant_figures(float(value)):,}"


@register.filter
def weighted_on(keys: list[str]) -> str:
    """The characteristics a weighting raked on (its summary's keys), in words."""
    return characteristics_named(keys)
