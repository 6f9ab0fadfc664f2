"""The report chart's axis ticks are round numbers, whatever the largest share."""

import re

import pytest

from representativeness.reports.charts import ChartRow, axis_ticks, comparison_chart


@pytest.mark.parametrize(
    ("top", "labels"),
    [
        (0.28, [0, 10, 20, 30]),  # once 0%, 8%, 15%, 23%, 30%
        (0.3, [0, 10, 20, 30]),
        (0.041, [0, 1, 2, 3, 4, 5]),
        (0.09, [0, 2, 4, 6, 8, 10]),
        (0.52, [0, 20, 40, 60]),
        (0.97, [0, 20, 40, 60, 80, 100]),
        (1.0, [0, 20, 40, 60, 80, 100]),
        (0.0, [0, 1]),
    ],
)
def test_ticks_are_round_and_reach_the_largest_share(top, labels):
    ticks = axis_ticks(top)
    assert [round(t * 100, 6) for t in ticks] == labels
    assert ticks[-1] >= top


def test_the_chart_prints_round_tick_labels():
    rows = [
        ChartRow(label="Pakistani", share=0.12, share_low=0.1, share_high=0.28, census_share=0.2, flag=None),
        ChartRow(label="Indian", share=0.05, share_low=0.03, share_high=0.08, census_share=0.06, flag=None),
    ]
    svg = comparison_chart(title="Ethnic group", rows=rows, chart_id="c1")
    assert re.findall(r'class="chart-tick">(\d+%)<', svg) == ["0%", "10%", "20%", "30%"]
