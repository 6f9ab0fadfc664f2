"""A report's characteristics as the pages show them (`_report_section.html`): each with its chart, the
caption that says what the table shows, and its outreach targets. The report page, a dataset's or an
activity's report and the equality analysis page's sex and age together all draw them this way."""

from collections.abc import Sequence

from representativeness.reports.builder import CharacteristicReport, Report
from representativeness.reports.builder.report import clear_difference
from representativeness.reports.charts import ChartRow, comparison_chart


def report_sections(report: Report, characteristics: Sequence[CharacteristicReport] | None = None) -> list[dict]:
    """One section per characteristic of `characteristics` (default: the report's characteristics, then its
    intersections, sex and age together, drawn the same way)."""
    chosen = [*report.characteristics, *report.intersections] if characteristics is None else characteristics
    sections = []
    for index, characteristic in enumerate(chosen):
        rows = [
            ChartRow(
                label=str(row["category"]),
                share=row["share"],
                share_low=row.get("share_low"),
                share_high=row.get("share_high"),
                census_share=row["census_share"],
                flag=row["flag"],
                suppressed=bool(row["suppressed"]),
                clear_difference=clear_difference(row, report.rule),
            )
            for row in characteristic.categories
        ]
        # The table's own flags, hidden groups counted as can't tell yet: never "no group under-represented"
        # while any could be.
        caption = f"{characteristic.label}: {report.finding(characteristic)}"
        sections.append(
            {
                "characteristic": characteristic,
                "caption": caption,
                "chart": comparison_chart(title=caption, rows=rows, chart_id=f"chart-{index}"),
                "outreach": [
                    row
                    for row in characteristic.categories
                    if row["flag"] == "under_represented" and row["outreach_needed"]
                ],
            }
        )
    return sections
