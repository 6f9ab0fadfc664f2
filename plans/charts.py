"""A server-rendered SVG of a target group's responses so far, week by week, against its target.

Running totals are drawn as a line of points, one per week, with the target as a dashed line and named
in words; weeks whose running total is hidden (small numbers) are left out of the line and named in the
description. The table beside the chart carries the same numbers for anyone who cannot see it.
"""

from collections.abc import Sequence

from django.utils.html import format_html
from django.utils.safestring import SafeString

from plans.protection import ShownWeek
from representativeness.reports.charts import svg_chart

LEFT = 50
PLOT_WIDTH = 460
PLOT_HEIGHT = 180
TOP = 30
BOTTOM = 34
RIGHT = 90


def _axis_max(weeks: Sequence[ShownWeek], target: int | None) -> int:
    top = max([w.cumulative for w in weeks if w.cumulative is not None] + [target or 0, 1])
    step = 10 ** max(0, len(str(top)) - 1)
    return (top // step + 1) * step


def progress_chart(*, title: str, weeks: Sequence[ShownWeek], target: int | None, chart_id: str) -> SafeString:
    axis_max = _axis_max(weeks, target)
    width, height = LEFT + PLOT_WIDTH + RIGHT, TOP + PLOT_HEIGHT + BOTTOM
    step = PLOT_WIDTH / max(len(weeks), 1)

    def x(index: int) -> float:
        return LEFT + step * (index + 0.5)

    def y(value: float) -> float:
        return TOP + PLOT_HEIGHT * (1 - value / axis_max)

    parts = []
    for i in range(5):
        value = axis_max * i / 4
        parts.append(
            format_html(
                '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" class="chart-grid"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" class="chart-tick">{label}</text>',
                l=LEFT,
                r=LEFT + PLOT_WIDTH,
                y=f"{y(value):.1f}",
                tx=LEFT - 6,
                ty=f"{y(value) + 4:.1f}",
                label=f"{value:,.0f}",
            )
        )
    label_every = max(1, len(weeks) // 8)
    points = []
    for index, week in enumerate(weeks):
        if index % label_every == 0:
            parts.append(
                format_html(
                    '<text x="{x}" y="{y}" text-anchor="middle" class="chart-tick">{label}</text>',
                    x=f"{x(index):.1f}",
                    y=TOP + PLOT_HEIGHT + 18,
                    label=f"Week {week.number}",
                )
            )
        if week.cumulative is not None:
            points.append((x(index), y(week.cumulative)))
            parts.append(
                format_html(
                    '<circle cx="{x}" cy="{y}" r="4" class="chart-point"/>',
                    x=f"{x(index):.1f}",
                    y=f"{y(week.cumulative):.1f}",
                )
            )
    if len(points) > 1:
        path = " ".join(f"{'M' if i == 0 else 'L'}{px:.1f} {py:.1f}" for i, (px, py) in enumerate(points))
        parts.insert(0, format_html('<path d="{d}" class="chart-line"/>', d=path))
    if target is not None:
        parts.append(
            format_html(
                '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" class="chart-target"/>'
                '<text x="{tx}" y="{ty}" class="chart-flag">Target {t}</text>',
                l=LEFT,
                r=LEFT + PLOT_WIDTH,
                y=f"{y(target):.1f}",
                tx=LEFT + PLOT_WIDTH + 6,
                ty=f"{y(target) + 4:.1f}",
                t=f"{target:,}",
            )
        )
    description = "; ".join(
        f"week {w.number}: {'hidden' if w.cumulative is None else f'{w.cumulative:,} so far'}" for w in weeks
    )
    if target is not None:
        description += f"; target {target:,}"
    return svg_chart(width=width, height=height, chart_id=chart_id, title=title, description=description, parts=parts)
