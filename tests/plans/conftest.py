"""The report tests' small, fully known area and survey, for the plan tests."""

from tests.representativeness.reports.conftest import AREA, add, area, make_survey, survey  # noqa: F401
