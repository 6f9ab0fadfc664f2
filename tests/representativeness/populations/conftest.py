from tests.representativeness.reports.conftest import AREA, add, area, make_survey  # noqa: F401
