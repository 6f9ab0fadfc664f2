"""The report as the protected audience gets it: rounded, banded, hidden rows still flagged when that
holds whatever their count, and counts such as "not asked" suppressed like any other."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from representativeness.census.parse import CensusUpload
from representativeness.disclosure import Audience, Level
from representativeness.disclosure.comparison import under_represented_whatever_the_count
from representativeness.reports.builder import report_build
from representativeness.services.baselines import SHIPPED_CENSUS_DIR, census_files_import
from representativeness.stats.comparison import compare_report
from representativeness.stats.flags import DEFAULT_RULE
from surveys.equality.services import equality_section_add
from surveys.models import Page, Survey
from tests.factories import TeamFactory
from tests.representativeness.reports.conftest import AREA, add

BANDS = {"< 0.001", "< 0.01", "< 0.05", "not significant"}
TRAFFORD = "E08000009"


def on_grid(value, step: float) -> bool:
    return value is None or abs(value / step - round(value / step)) < 1e-9


@pytest.mark.django_db
def test_every_figure_of_the_protected_json_is_rounded_or_banded(survey, capsys):
    call_command("representativeness_report", "parks", "--area", AREA, "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["method"]["audience"] == "protected" and data["method"]["suppressed"] is True
    rows = [row for c in data["characteristics"] for row in c["categories"]]
    for row in rows:
        for field in ("share", "gap"):
            assert on_grid(row[field], 0.01), (row["category"], field, row[field])
        for field in ("ratio", "ratio_low", "ratio_high"):
            assert on_grid(row[field], 0.01), (row["category"], field, row[field])
        assert row["p_value"] is None and row["q_value"] is None
        assert row["q_band"] in BANDS or (row["suppressed"] and row["q_band"] is None)
        assert on_grid(row["outreach_needed"], 10) and on_grid(row["responses_to_settle"], 10)
    assert any(row["suppressed"] for row in rows)

    call_command("representativeness_report", "parks", "--area", AREA, "--format", "json", "--exact")
    exact = json.loads(capsys.readouterr().out)
    assert exact["method"]["audience"] == "exact" and exact["method"]["suppressed"] is False
    muslim = next(r for c in exact["characteristics"] for r in c["categories"] if r["category"] == "Muslim")
    assert muslim["respondents"] == 4 and muslim["q_value"] > 0 and muslim["q_band"] in BANDS


@settings(database=None, deadline=None, max_examples=25)
@given(
    answered=st.integers(10, 2000),
    shares=st.lists(st.floats(0.005, 0.6), min_size=2, max_size=6),
    extra_tests=st.integers(0, 40),
)
def test_a_hidden_row_is_flagged_only_if_it_would_be_with_any_count_below_the_threshold(answered, shares, extra_tests):
    """Checked against the report's own statistics: for every count 0..9 of the group, with the rest of
    the respondents spread over the others, Benjamini-Hochberg over the whole family flags it."""
    categories = [f"c{i}" for i in range(len(shares))] + ["rest"]
    census = pd.Series(
        [*(s * 10_000 for s in shares), 10_000.0 + max(0.0, 10_000 - sum(shares) * 10_000)], index=categories
    )
    filler = pd.Series(np.full(extra_tests, 5), index=[f"x{i}" for i in range(extra_tests)])
    filler_census = pd.Series(np.full(extra_tests, 1000.0), index=filler.index)
    for target in categories[:-1]:
        respondents = pd.Series(0, index=categories)
        respondents["rest"] = answered
        family = 2 * (len(categories) + extra_tests)
        level = Level(respondents=respondents, census=census, table=pd.DataFrame())
        flagged = target in under_represented_whatever_the_count(
            level, rule=DEFAULT_RULE, threshold=10, family_size=family
        )
        if not flagged:
            continue
        for count in range(10):
            trial = respondents.copy()
            trial[target], trial["rest"] = count, answered - count
            tables = compare_report(
                {"c": (trial, census), "x": (filler, filler_census)} if extra_tests else {"c": (trial, census)}
            )
            assert tables["c"].loc[target, "flag"] == "under_represented", (target, count)


def _survey_with_age(slug: str) -> Survey:
    sex_and_age = SHIPPED_CENSUS_DIR / "greater-manchester" / "2021_population_by_sex_and_age_la_gm.csv"
    sex = SHIPPED_CENSUS_DIR / "greater-manchester" / "2021_population_by_sex_la_gm.csv"
    census_files_import(
        uploads=[CensusUpload(file_name=Path(p).name, data=Path(p).read_bytes()) for p in (sex, sex_and_age)],
        area_codes=[TRAFFORD],
    )
    survey = Survey.objects.create(title=slug, slug=slug, status=Survey.Status.OPEN, team=TeamFactory(name="Parks"))
    Page.objects.create(survey=survey, position=1, title="Your views")
    equality_section_add(survey=survey, keys=["date_of_birth", "sex"])
    return survey


@pytest.mark.django_db
def test_a_single_under_age_respondent_is_never_a_count_of_one():
    """The issue: one respondent under 16 showed as `not_asked = 1`. An age below the survey's range now
    counts as skipped (not "not asked", which every characteristic shares), small counts of it are
    hidden like any other, and only the exact audience reads a note about it."""
    survey = _survey_with_age("young")
    add(survey, 40, sex="female", age=40, age_status="answered")
    add(survey, 30, sex="male", age=52, age_status="answered")
    add(survey, 1, sex="female", age=15, age_status="answered")
    exact = report_build(survey=survey, area_code=TRAFFORD, audience=Audience.EXACT)
    age = next(c for c in exact.characteristics if c.key == "age")
    assert (age.answered, age.skipped, age.not_asked) == (70, 1, 0)
    assert any("below the survey's youngest eligible age" in note for note in age.notes)

    protected = report_build(survey=survey, area_code=TRAFFORD, audience=Audience.PROTECTED)
    for characteristic in protected.characteristics:
        counts = [characteristic.asked, characteristic.prefer_not_to_say, characteristic.skipped]
        assert 1 not in counts and characteristic.not_asked != 1, characteristic.key
    age = next(c for c in protected.characteristics if c.key == "age")
    assert age.skipped is None  # hidden, with a complement
    assert not any("youngest" in note for c in protected.characteristics for note in c.notes)
    sex = next(c for c in protected.characteristics if c.key == "sex")
    assert sex.not_asked == 0 and age.not_asked in (0, None)
