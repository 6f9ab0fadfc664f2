"""Target groups suggested from a representativeness report: its under-represented groups and outreach figures.

Each under-represented group with an outreach figure ("about N more responses would bring it in line")
becomes a suggestion whose target is the group's responses so far plus that figure, read from the report
as the officer sees it. Where the report hides the group's count (a small number, for someone without
the equality-data permission) the suggestion carries the outreach figure only, and the officer enters a
target when accepting it.
"""

from dataclasses import dataclass

from representativeness.reports.builder import Report
from representativeness.stats.flags import Flag


@dataclass(frozen=True)
class Suggestion:
    characteristic: str
    level: str
    category: str
    respondents: int | None
    outreach: int
    target: int | None


def report_suggestions(report: Report) -> list[Suggestion]:
    """The report's under-represented groups with an outreach figure, broad levels first."""
    found = []
    for level in ("broad", "detailed"):
        for characteristic in report.characteristics:
            if characteristic.level != level:
                continue
            for row in characteristic.categories:
                outreach = row.get("outreach_needed")
                if row["flag"] != Flag.UNDER_REPRESENTED or not outreach:
                    continue
                respondents = row.get("respondents")
                found.append(
                    Suggestion(
                        characteristic=characteristic.key,
                        level=level,
                        category=str(row["category"]),
                        respondents=None if respondents is None else int(respondents),
                        outreach=int(outreach),
                        target=None if respondents is None else int(respondents) + int(outreach),
                    )
                )
    return found
