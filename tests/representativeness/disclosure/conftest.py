"""The report tests' small, fully known census area and survey, shared with the disclosure tests."""

from tests.representativeness.reports.conftest import area, survey  # noqa: F401
