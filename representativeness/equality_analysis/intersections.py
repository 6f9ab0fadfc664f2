"""Sex and age together against the census's joint table (TS009), beside the equality analysis.

The respondent profile by sex and age band is the representativeness report's intersection
(`representativeness.reports.builder.intersections`): the same statistics, snapshot and protection, so
the command, the equality analysis page and its downloads show the very cells the report page and the EqIA
summary show, hidden cells included.
Design: docs/decisions/0030-intersections-and-detailed-groups.md.
"""

from dataclasses import dataclass, field

from representativeness.disclosure import Audience
from representativeness.reports.builder import CharacteristicReport, Report, report_build
from representativeness.selectors import report_area_default_code
from surveys.equality.selectors import survey_equality_keys
from surveys.models import Survey

# The About you questions a sex-by-age table needs.
SEX_AND_AGE_KEYS = {"sex", "date_of_birth"}


@dataclass
class AnalysisIntersections:
    """The report's intersections against one area (None when no census is loaded), and why any is missing."""

    report: Report | None
    notes: list[str] = field(default_factory=list)

    @property
    def characteristics(self) -> list[CharacteristicReport]:
        return [] if self.report is None else self.report.intersections


def analysis_intersections(*, survey: Survey, area_code: str | None, audience: Audience) -> AnalysisIntersections:
    """The survey's respondents by sex and age band against `area_code`'s census (default: the report's
    default area), for `audience`. Raises ReportError as the report does (an unknown area, a snapshot
    withheld until its refresh)."""
    asks_both = set(survey_equality_keys(survey_id=survey.pk)) >= SEX_AND_AGE_KEYS
    if not asks_both:
        return AnalysisIntersections(None)
    area_code = area_code or report_area_default_code()
    if area_code is None:
        return AnalysisIntersections(
            None, ["No census baselines are loaded, so sex and age together are not compared with the census."]
        )
    report = report_build(survey=survey, area_code=area_code, audience=audience)
    notes = [] if report.intersections else [n for n in report.notes if n.startswith("Sex and age together")]
    return AnalysisIntersections(report, notes)
