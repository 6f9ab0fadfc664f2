"""Reading baselines for reports: categories, totals, custom areas summed from wards, ages and age bands."""

import pandas as pd
import pytest
from django.core.management import call_command

from representativeness.census.choices import SourceFormat
from representativeness.models import Area, Baseline
from representativeness.selectors import (
    AgeBandsNotAligned,
    BaselineNotFound,
    age_band_counts,
    age_sex_band_counts,
    area_list,
    baseline_age_counts,
    baseline_age_sex_counts,
    baseline_category_counts,
    baseline_get,
    baseline_list,
    baseline_tables,
    baseline_total,
    composite_area_list,
)
from representativeness.services import area_create_composite

pytestmark = pytest.mark.django_db

STOCKPORT, TRAFFORD = "E08000007", "E08000009"
ALTRINCHAM, BOWDON, HALE_BARNS = "E05000819", "E05000821", "E05000830"


@pytest.fixture(scope="module")
def _shipped_census(django_db_setup, django_db_blocker):
    """The shipped census data, loaded once for this module (each test's own changes are rolled back).
    Its audit entries stay: the log is append-only, so later tests must look for their own entries."""
    with django_db_blocker.unblock():
        call_command("load_census")
    yield
    with django_db_blocker.unblock():
        Area.objects.all().delete()


@pytest.fixture
def loaded(_shipped_census, db):
    """The shipped data, with the database open to the test."""


@pytest.fixture
def south_trafford(loaded) -> Area:
    return area_create_composite(
        code="SOUTH-TRAFFORD", name="South Trafford", component_codes=[ALTRINCHAM, BOWDON, HALE_BARNS]
    )


def _long(shipped, name: str) -> pd.DataFrame:
    return pd.read_csv(shipped(name))


def test_category_counts_are_in_canonical_order_with_not_answered_identified(loaded):
    religion = baseline_category_counts(area_code=STOCKPORT, table="TS030")
    assert list(religion.index) == [
        "No religion",
        "Christian",
        "Buddhist",
        "Hindu",
        "Jewish",
        "Muslim",
        "Sikh",
        "Other religion",
        "Not answered",
    ]
    assert religion.attrs["not_answered"] == "Not answered"
    assert religion.attrs["population_base"] == "all"
    assert religion.attrs["total"] == int(religion.sum())


def test_broad_groups_and_tables_without_groups(loaded):
    ethnic = baseline_category_counts(area_code=STOCKPORT, table="TS021", level="broad")
    assert ethnic["Asian, Asian British or Asian Welsh"] == 963 + 2306 + 4433 + 10_953 + 2809
    assert ethnic.sum() == baseline_category_counts(area_code=STOCKPORT, table="TS021").sum()
    disability = baseline_category_counts(area_code=STOCKPORT, table="TS038", level="broad")
    assert disability["Disabled under the Equality Act"] == 22_708 + 30_785
    sex = baseline_category_counts(area_code=STOCKPORT, table="TS008", level="broad")
    assert list(sex.index) == ["Female", "Male"]


def test_population_base_of_a_16_plus_table(loaded):
    orientation = baseline_category_counts(area_code=STOCKPORT, table="TS077")
    assert orientation.attrs["population_base"] == "16+"
    assert orientation.attrs["not_answered"] == "Not answered"


def test_missing_baseline(loaded):
    assert baseline_get(area_code=ALTRINCHAM, table="TS077") is None
    with pytest.raises(BaselineNotFound):
        baseline_category_counts(area_code=ALTRINCHAM, table="TS077")
    with pytest.raises(BaselineNotFound):
        baseline_category_counts(area_code="E99999999", table="TS021")


def test_baseline_get_and_lists(loaded):
    baseline = baseline_get(area_code=STOCKPORT, table="ts021")
    assert isinstance(baseline, Baseline) and baseline.pk
    assert baseline.characteristic == "ethnic_group"
    assert area_list(level="ward").count() == 21
    listed = {(b.area.code, b.table): b.total_count for b in baseline_list()}
    assert listed[(STOCKPORT, "TS021")] == 294_770
    assert "TS009" in baseline_tables(area_code=ALTRINCHAM)


def test_a_custom_area_is_the_sum_of_its_wards(south_trafford, shipped):
    frame = _long(shipped, "trafford-wards/2021_population_ethnic_group_ward_trafford.csv")
    wards = frame[frame.area_code.isin([ALTRINCHAM, BOWDON, HALE_BARNS])]
    expected = wards.groupby("ethnic_group").value.sum()
    counts = baseline_category_counts(area_code="SOUTH-TRAFFORD", table="TS021")
    assert counts["Pakistani"] == expected["Asian, Asian British or Asian Welsh: Pakistani"]
    assert counts.sum() == expected.sum()
    assert baseline_total(area_code="SOUTH-TRAFFORD", table="TS021") == sum(
        baseline_total(area_code=code, table="TS021") for code in (ALTRINCHAM, BOWDON, HALE_BARNS)
    )


def test_a_custom_areas_baseline_describes_where_it_came_from(south_trafford):
    baseline = baseline_get(area_code="SOUTH-TRAFFORD", table="TS030")
    assert baseline is not None and baseline.pk is None
    assert baseline.source_format == SourceFormat.COMPOSITE
    assert baseline.source_file_name == f"Sum of {ALTRINCHAM}, {BOWDON}, {HALE_BARNS}"
    summary = next(s for s in composite_area_list() if s.area.code == "SOUTH-TRAFFORD")
    assert summary.tables == ["TS008", "TS009", "TS021", "TS030", "TS038", "TS039"]


def test_a_custom_area_has_no_baseline_where_a_component_lacks_the_table(loaded):
    area_create_composite(code="MIXED", name="Stockport and Altrincham", component_codes=[STOCKPORT, ALTRINCHAM])
    assert baseline_get(area_code="MIXED", table="TS077") is None
    with pytest.raises(BaselineNotFound, match=ALTRINCHAM):
        baseline_category_counts(area_code="MIXED", table="TS077")
    assert baseline_category_counts(area_code="MIXED", table="TS021").sum() > 294_770


def test_single_year_ages_from_the_sex_by_age_table(loaded, shipped):
    ages = baseline_age_counts(area_code=STOCKPORT)
    assert list(ages.index) == list(range(91))
    assert ages.attrs == {"table": "TS009", "open_ended_from": 90, "sex": "All persons"}
    frame = _long(shipped, "greater-manchester/2021_population_by_sex_and_age_la_gm.csv")
    stockport = frame[(frame.area_code == STOCKPORT) & (frame.sex == "All persons")]
    assert ages.sum() == stockport.value.sum()
    assert ages[0] == stockport[stockport.age == "Aged under 1 year"].value.item()
    female = baseline_age_counts(area_code=STOCKPORT, sex="Female")
    assert female.sum() == frame[(frame.area_code == STOCKPORT) & (frame.sex == "Female")].value.sum()


def test_single_years_to_100_come_from_ts007_when_loaded(loaded, fixture_path):
    call_command("import_census", str(fixture_path("census2021-ts007-ltla.csv")), "--area", STOCKPORT)
    ages = baseline_age_counts(area_code=STOCKPORT)
    assert ages.attrs["table"] == "TS007"
    assert list(ages.index) == list(range(101))
    # By sex only TS009 has it.
    assert baseline_age_counts(area_code=STOCKPORT, sex="Male").attrs["table"] == "TS009"


def test_age_bands_from_single_years_follow_any_scheme(loaded):
    bands = [(16, 24), (25, 44), (45, 64), (65, 74), (75, None)]
    counts = age_band_counts(area_code=STOCKPORT, bands=bands)
    ages = baseline_age_counts(area_code=STOCKPORT)
    assert list(counts.index) == ["16 to 24", "25 to 44", "45 to 64", "65 to 74", "75 and over"]
    assert counts["16 to 24"] == ages.loc[16:24].sum()
    assert counts["75 and over"] == ages.loc[75:].sum()
    assert counts.attrs["aligned"] and counts.attrs["note"] == ""
    assert counts.dtype == "int64"


def test_five_year_bands_regroup_where_the_survey_bands_align(loaded, shipped):
    """A council with only TS007A (no single years) and a survey whose bands follow the 5-year edges."""
    Baseline.objects.filter(area__code=STOCKPORT, table="TS009").delete()
    counts = age_band_counts(area_code=STOCKPORT, bands=[(15, 24), (25, 64), (65, None)])
    frame = _long(shipped, "greater-manchester/2021_population_by_5_year_age_bands_la_gm.csv")
    stockport = frame[frame.area_code == STOCKPORT].set_index("indicator").value
    assert counts.attrs["table"] == "TS007A" and counts.attrs["aligned"]
    assert counts["15 to 24"] == stockport["Aged 15 to 19 years"] + stockport["Aged 20 to 24 years"]
    assert counts["65 and over"] == stockport.loc["Aged 65 to 69 years":].sum()


def test_five_year_bands_that_the_survey_cuts_are_estimated_and_the_report_is_told(loaded, shipped):
    Baseline.objects.filter(area__code=STOCKPORT, table="TS009").delete()
    counts = age_band_counts(area_code=STOCKPORT, bands=[(16, 24), (25, 64), (65, None)])
    assert not counts.attrs["aligned"]
    assert counts.attrs["estimated_bands"] == ["16 to 24"]
    assert "5-year bands" in counts.attrs["note"] and "16 to 24" in counts.attrs["note"]
    frame = _long(shipped, "greater-manchester/2021_population_by_5_year_age_bands_la_gm.csv")
    stockport = frame[frame.area_code == STOCKPORT].set_index("indicator").value
    # Four of the five years of 15-19, spread evenly, plus all of 20-24.
    assert counts["16 to 24"] == pytest.approx(
        stockport["Aged 15 to 19 years"] * 4 / 5 + stockport["Aged 20 to 24 years"]
    )
    with pytest.raises(AgeBandsNotAligned) as raised:
        age_band_counts(area_code=STOCKPORT, bands=[(16, 24), (25, None)], allow_estimate=False)
    assert raised.value.table == "TS007A" and raised.value.bands == ["16 to 24"]


def test_an_open_ended_census_band_cannot_be_cut(loaded):
    with pytest.raises(AgeBandsNotAligned, match="85 to 94"):
        age_band_counts(area_code=STOCKPORT, bands=[(16, 84), (85, 94)])


@pytest.mark.parametrize("bands", [[(30, 20)], [(16, 30), (25, 40)], [(16, None), (30, 40)]])
def test_bands_must_be_ordered_ranges(loaded, bands):
    with pytest.raises(ValueError):
        age_band_counts(area_code=STOCKPORT, bands=bands)


def test_joint_age_and_sex_for_post_stratification(loaded):
    joint = baseline_age_sex_counts(area_code=STOCKPORT)
    assert list(joint.columns) == ["Female", "Male"]
    assert list(joint.index) == list(range(91))
    assert joint["Female"].sum() == baseline_age_counts(area_code=STOCKPORT, sex="Female").sum()
    banded = age_sex_band_counts(area_code=STOCKPORT, bands=[(16, 34), (35, 64), (65, None)])
    assert banded.loc["16 to 34", "Male"] == joint.loc[16:34, "Male"].sum()


def test_age_bands_for_a_custom_area_are_summed_from_its_wards(south_trafford):
    counts = age_band_counts(area_code="SOUTH-TRAFFORD", bands=[(16, 64), (65, None)])
    expected = sum(
        age_band_counts(area_code=code, bands=[(16, 64), (65, None)]) for code in (ALTRINCHAM, BOWDON, HALE_BARNS)
    )
    assert counts.tolist() == expected.tolist()
