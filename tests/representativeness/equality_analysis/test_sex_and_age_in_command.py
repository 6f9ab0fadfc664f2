"""manage.py equality_analysis prints sex and age together against the census's joint table (TS009), as
the report does (issue 16, intersections): in its JSON (`intersections`, added to layout 1) and CSV, protected
unless --exact.

Respondents per cell are counted here from the profiles one by one, and the census shares summed from the
shipped Greater Manchester file, not through the report's code.
"""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from statsmodels.stats.proportion import proportion_confint

from surveys.models import EqualityProfile
from tests.representativeness.reports.test_sex_by_age import BANDS, TRAFFORD, _band, _census

pytestmark = pytest.mark.django_db


def _command(*flags: str) -> str:
    out = StringIO()
    call_command("equality_analysis", "joint", *flags, stdout=out)
    return out.getvalue()


def _counted_one_by_one(survey) -> dict[str, int]:
    """Respondents who stated both their sex (female or male) and an age in one of the survey's bands."""
    cells = {f"{sex}, {band}": 0 for sex in ("Female", "Male") for band in BANDS}
    for sex, age, status in EqualityProfile.objects.filter(survey=survey).values_list("sex", "age", "age_status"):
        if sex in ("female", "male") and status == "answered" and age is not None and age >= 16:
            cells[f"{sex.title()}, {_band(age)}"] += 1
    return cells


def test_exact_json_has_every_sex_and_age_cell_against_the_census(joint_survey):
    data = json.loads(_command("--format", "json", "--exact", "--area", TRAFFORD))
    assert data["layout_version"] == 1
    assert data["intersections_area"] == {"code": TRAFFORD, "name": "Trafford"}
    (joint,) = data["intersections"]
    assert (joint["key"], joint["label"], joint["census_table"]) == ("sex_by_age", "Sex and age", "TS009")
    truth = _counted_one_by_one(joint_survey)
    answered = sum(truth.values())
    census = _census()
    census_total = sum(census.values())
    assert joint["counts"]["answered"] == answered == 665
    rows = {row["category"]: row for row in joint["categories"]}
    assert list(rows) == list(truth)
    for label, n in truth.items():
        row = rows[label]
        sex, band = label.split(", ")
        assert row["respondents"] == n
        assert row["share"] == pytest.approx(n / answered)
        assert row["census_share"] == pytest.approx(census[(sex, band)] / census_total)
        high = proportion_confint(n, answered, method="wilson")[1]
        assert row["ratio_high"] == pytest.approx(high / (census[(sex, band)] / census_total))
        assert row["suppressed"] is False
    assert rows["Male, 16 to 24"]["flag"] == "under_represented"
    # The answers' part of the layout is unchanged beside it.
    assert {"questions", "findings", "notes", "respondents"} <= set(data)


def test_protected_output_hides_the_small_cell_as_the_report_does(joint_survey):
    data = json.loads(_command("--format", "json", "--area", TRAFFORD))
    assert data["method"]["audience"] == "protected"
    (joint,) = data["intersections"]
    rows = {row["category"]: row for row in joint["categories"]}
    truth = _counted_one_by_one(joint_survey)
    young_men = rows["Male, 16 to 24"]
    assert truth["Male, 16 to 24"] == 5
    assert young_men["suppressed"] is True and young_men["respondents"] is None and young_men["share"] is None
    shown = {label: row for label, row in rows.items() if not row["suppressed"]}
    assert shown and len(shown) <= len(rows) - 4  # hidden with its row and column: a 2 x 2 pattern at least
    for label, row in shown.items():
        assert row["respondents"] == truth[label]
        assert row["share"] == round(truth[label] / sum(truth.values()), 2)  # whole percentages
        assert row["p_value"] is None and row["p_band"]
    # The same cells as the report's own JSON: no two outputs show between them what either hides.
    out = StringIO()
    call_command("representativeness_report", "joint", "--area", TRAFFORD, "--format", "json", stdout=out)
    (report_joint,) = json.loads(out.getvalue())["intersections"]
    assert report_joint["categories"] == joint["categories"]


def test_csv_rows_after_the_answers_carry_each_cell(joint_survey):
    text = _command("--format", "csv", "--area", TRAFFORD).lstrip("\ufeff")
    lines = list(csv.reader(StringIO(text)))
    header = lines[0]
    assert header[:9] == ["question", "row", "answer", "characteristic", "group", "respondents", "share", "low", "high"]
    assert header[-10:-7] == ["census_table", "census_share", "ratio"]
    cells = {line[header.index("group")]: dict(zip(header, line, strict=True)) for line in lines[1:]}
    truth = _counted_one_by_one(joint_survey)
    assert set(cells) == set(truth)
    census = _census()
    census_total = sum(census.values())
    for label, n in truth.items():
        row = cells[label]
        assert (row["question"], row["characteristic"], row["census_table"]) == ("", "Sex and age", "TS009")
        sex, band = label.split(", ")
        assert float(row["census_share"]) == pytest.approx(census[(sex, band)] / census_total, abs=0.005)
        if row["suppressed"] == "yes":
            assert row["respondents"] == row["share"] == ""
        else:
            assert int(row["respondents"]) == n
    assert cells["Male, 16 to 24"]["suppressed"] == "yes"
    assert cells["Male, 16 to 24"]["representation_flag"] == "under_represented"
    exact = list(csv.reader(StringIO(_command("--format", "csv", "--exact", "--area", TRAFFORD).lstrip("\ufeff"))))
    young_men = next(line for line in exact if line[header.index("group")] == "Male, 16 to 24")
    assert int(young_men[header.index("respondents")]) == 5


def test_a_survey_without_a_census_says_why_sex_and_age_are_not_compared(db):
    from tests.representativeness.reports.test_census_bases import _survey

    _survey(["sex", "date_of_birth"], slug="joint")
    data = json.loads(_command("--format", "json", "--exact"))
    assert data["intersections"] == [] and data["intersections_area"] is None
    assert any("sex and age together are not compared" in note for note in data["notes"])
