"""Server-rendered SVG charts: respondents' share of each category against the census share.

Each category gets a bar (respondents' share) with its 95% interval drawn as a whisker, and a diamond
at the census share. Flags are written as words at the end of the row, so colour is never the only cue;
the table beside the chart carries the same numbers for anyone who cannot see it.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

LABEL_WIDTH = 260
PLOT_WIDTH = 360
FLAG_WIDTH = 150
ROW_HEIGHT = 28
TOP = 34
BOTTOM = 30

FLAG_WORDS = {
    "under_represented": "Under-represented",
    "over_represented": "Over-represented",
    "in_line": "In line",
    "too_few_responses": "Can't tell yet",
    "no_census_baseline": "No census population",
}
# A "can't tell yet" row whose difference from the census share is clear, only not yet clearly beyond the
# in-line band (reports.builder.report.clear_difference): which way, never "can't tell" nor more than that.
CLEAR_DIFFERENCE_WORDS = {"more": "More than census", "fewer": "Fewer than census"}


@dataclass(frozen=True)
class ChartRow:
    label: str
    share: float | None
    share_low: float | None
    share_high: float | None
    census_share: float | None
    flag: str | None
    suppressed: bool = False
    # "more" or "fewer" on a "can't tell yet" row whose difference from the census is clear (the flag is kept).
    clear_difference: str | None = None


# Tick steps, in percentage points, that give round labels (0%, 5%, 10%, ...).
TICK_STEPS = (1, 2, 5, 10, 20, 25)
MAX_TICK_INTERVALS = 5


def axis_ticks(top: float) -> list[float]:
    """Round ticks from 0% to just above `top` (a proportion): the finest step of TICK_STEPS that needs at
    most MAX_TICK_INTERVALS intervals, ending on a whole step; never beyond 100%."""
    top_points = min(max(top, 0.0), 1.0) * 100
    for step in TICK_STEPS:
        intervals = max(1, math.ceil(top_points / step - 1e-9))
        if intervals <= MAX_TICK_INTERVALS:
            break
    if intervals * step > 100:
        intervals = math.ceil(100 / step)
    return [min(i * step, 100) / 100 for i in range(intervals + 1)]


def _ticks(rows: Sequence[ChartRow]) -> list[float]:
    values = [v for r in rows for v in (r.share_high, r.census_share, r.share) if v is not None and not r.suppressed]
    return axis_ticks(max(values, default=0.1))


def _x(value: float, axis_max: float) -> float:
    return LABEL_WIDTH + PLOT_WIDTH * min(value, axis_max) / axis_max


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def comparison_chart(*, title: str, rows: Sequence[ChartRow], chart_id: str, census: bool = True) -> SafeString:
    """An accessible SVG (role img, title and description) comparing respondents with the census.
    `census=False`: a chart of answers alone (an outcome's questions), with no census in its legend or
    description, since there is no census figure to compare."""
    ticks = _ticks(rows)
    axis_max = ticks[-1]
    height = TOP + ROW_HEIGHT * len(rows) + BOTTOM
    width = LABEL_WIDTH + PLOT_WIDTH + FLAG_WIDTH
    parts: list[str] = []
    for t in ticks:
        x = _x(t, axis_max)
        parts.append(
            format_html(
                '<line x1="{x}" y1="{top}" x2="{x}" y2="{bottom}" class="chart-grid"/>'
                '<text x="{x}" y="{label_y}" text-anchor="middle" class="chart-tick">{label}</text>',
                x=f"{x:.1f}",
                top=TOP - 6,
                bottom=height - BOTTOM,
                label_y=height - BOTTOM + 18,
                label=_percent(t),
            )
        )
    for i, row in enumerate(rows):
        y = TOP + ROW_HEIGHT * i
        middle = y + ROW_HEIGHT / 2
        parts.append(
            format_html(
                '<text x="{x}" y="{y}" text-anchor="end" class="chart-label">{label}</text>',
                x=LABEL_WIDTH - 8,
                y=f"{middle + 4:.1f}",
                label=row.label if len(row.label) <= 38 else row.label[:36] + "…",
            )
        )
        if row.suppressed or row.share is None:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" class="chart-note">{note}</text>',
                    x=LABEL_WIDTH + 6,
                    y=f"{middle + 4:.1f}",
                    note="Hidden to protect small numbers" if row.suppressed else "No responses",
                )
            )
        else:
            parts.append(
                format_html(
                    '<rect x="{x}" y="{y}" width="{w}" height="{h}" class="chart-bar chart-bar--{flag}"/>',
                    x=LABEL_WIDTH,
                    y=f"{y + 7:.1f}",
                    w=f"{_x(row.share, axis_max) - LABEL_WIDTH:.1f}",
                    h=ROW_HEIGHT - 14,
                    flag=row.flag or "none",
                )
            )
            if row.share_low is not None and row.share_high is not None:
                low, high = _x(row.share_low, axis_max), _x(row.share_high, axis_max)
                parts.append(
                    format_html(
                        '<path d="M{low} {m} H{high} M{low} {a} V{b} M{high} {a} V{b}" class="chart-interval"/>',
                        low=f"{low:.1f}",
                        high=f"{high:.1f}",
                        m=f"{middle:.1f}",
                        a=f"{middle - 5:.1f}",
                        b=f"{middle + 5:.1f}",
                    )
                )
        if row.census_share is not None:
            cx = _x(row.census_share, axis_max)
            parts.append(
                format_html(
                    '<path d="M{x} {t} L{r} {m} L{x} {b} L{l} {m} Z" class="chart-census"/>',
                    x=f"{cx:.1f}",
                    t=f"{middle - 6:.1f}",
                    b=f"{middle + 6:.1f}",
                    l=f"{cx - 6:.1f}",
                    r=f"{cx + 6:.1f}",
                    m=f"{middle:.1f}",
                )
            )
        if row.flag in FLAG_WORDS:
            word = CLEAR_DIFFERENCE_WORDS.get(row.clear_difference or "", FLAG_WORDS[row.flag])
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" class="chart-flag chart-flag--{flag}">{word}</text>',
                    x=LABEL_WIDTH + PLOT_WIDTH + 10,
                    y=f"{middle + 4:.1f}",
                    flag=row.flag,
                    word=word,
                )
            )
    legend = format_html(
        '<rect x="{x}" y="8" width="14" height="10" class="chart-bar chart-bar--none"/>'
        '<text x="{tx}" y="17" class="chart-tick">Respondents, with 95% interval</text>'
        '<path d="M{cx} 7 L{cr} 13 L{cx} 19 L{cl} 13 Z" class="chart-census"/>'
        '<text x="{ctx}" y="17" class="chart-tick">Census 2021</text>',
        x=LABEL_WIDTH,
        tx=LABEL_WIDTH + 20,
        cx=LABEL_WIDTH + 230,
        cl=LABEL_WIDTH + 224,
        cr=LABEL_WIDTH + 236,
        ctx=LABEL_WIDTH + 242,
    )
    if not census:
        legend = format_html(
            '<rect x="{x}" y="8" width="14" height="10" class="chart-bar chart-bar--none"/>'
            '<text x="{tx}" y="17" class="chart-tick">People who answered</text>',
            x=LABEL_WIDTH,
            tx=LABEL_WIDTH + 20,
        )
    description = "; ".join(
        f"{r.label}: hidden"
        if r.suppressed or r.share is None
        else f"{r.label}: {_percent(r.share)}"
        if not census
        else f"{r.label}: respondents {_percent(r.share)}, census "
        f"{_percent(r.census_share) if r.census_share is not None else 'not available'}"
        for r in rows
    )
    return svg_chart(
        width=width, height=height, chart_id=chart_id, title=title, description=description, parts=[legend, *parts]
    )


def svg_chart(
    *, width: float, height: float, chart_id: str, title: str, description: str, parts: Sequence[str]
) -> SafeString:
    """An accessible SVG: role img, labelled by its title and described by `description`. `parts` must
    each have been built with format_html (so escaped)."""
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" class="chorus-chart" role="img" '
        'aria-labelledby="{id}-title {id}-desc"><title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        id=chart_id,
        title=title,
        desc=description,
        body=mark_safe("".join(parts)),  # each part was built with format_html, so escaped
    )
