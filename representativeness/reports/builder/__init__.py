"""Build a survey's representativeness report: respondents against Census 2021, characteristic by characteristic.

The respondents are counted in the database (surveys.equality.selectors), the census is read through
representativeness.selectors, and the statistics are the pure functions in representativeness.stats.
This package only joins them up: which categories to compare, on which census base, at which levels,
and what to say about it.

Parts: `tallies` (respondents per category), `comparisons` (which census counts, on which base and at
which levels), `protection` (the figures as the audience may see them, through
representativeness.disclosure), `report` (the result and its headline) and `build` (report_build, which
runs them in turn).
"""

from representativeness.age_bands import survey_age_bands
from representativeness.errors import ReportError
from representativeness.reports.builder.build import report_build
from representativeness.reports.builder.report import CENSUS_DATE, CharacteristicReport, Report
from representativeness.rules import flag_rule_from_settings

__all__ = [
    "CENSUS_DATE",
    "CharacteristicReport",
    "Report",
    "ReportError",
    "flag_rule_from_settings",
    "report_build",
    "survey_age_bands",
]
