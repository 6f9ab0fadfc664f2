from tests.representativeness.reports.conftest import area, survey  # noqa: F401  the report tests' known survey
