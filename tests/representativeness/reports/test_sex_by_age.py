"""Sex and age together (issue 16, intersections): respondents in each sex-by-age-band cell against the
census's joint table (TS009), with the one-characteristic report's statistics and suppression.

The census figures are read straight from the shipped Greater Manchester file and the statistics worked
out here with scipy and statsmodels; hidden cells are attacked with a linear programme that knows every
published figure and both margins (how many women and men, and how many in each age band, stated both).
"""

import csv
import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.urls import reverse
from scipy import stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from representativeness.census.parse import CensusUpload
from representativeness.disclosure import Audience
from representativeness.reports.builder import report_build
from representativeness.services.baselines import census_files_import
from tests.attacker import count_ranges
from tests.factories import staff_member
from tests.representativeness.reports.conftest import add
from tests.representativeness.reports.test_census_bases import GM, TRAFFORD, _load, _survey

pytestmark = pytest.mark.django_db

BANDS = ["16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 to 74", "75 and over"]
# (sex, an age in the band) -> respondents
PEOPLE = {
    ("female", 20): 30,
    ("female", 30): 60,
    ("female", 40): 70,
    ("female", 50): 80,
    ("female", 60): 70,
    ("female", 70): 50,
    ("female", 80): 40,
    ("male", 20): 5,  # too few to publish
    ("male", 30): 40,
    ("male", 40): 45,
    ("male", 50): 60,
    ("male", 60): 55,
    ("male", 70): 40,
    ("male", 80): 20,
}


def _band(age: int) -> str:
    return next(b for b in BANDS if b == "75 and over" and age >= 75 or b != "75 and over" and age <= int(b[-2:]))


def _census() -> dict[tuple[str, str], int]:
    """Trafford's residents by sex and age band, summed from the file (single years, 90 and over last)."""
    counts: dict[tuple[str, str], int] = {}
    with (GM / "2021_population_by_sex_and_age_la_gm.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["area_code"] != TRAFFORD or row["sex"] == "All persons":
                continue
            label = row["age"]
            age = 0 if "under 1" in label else int("".join(ch for ch in label.split(" and ")[0] if ch.isdigit()))
            if age < 16:
                continue
            cell = (row["sex"], _band(age))
            counts[cell] = counts.get(cell, 0) + int(row["value"])
    return counts


@pytest.fixture
def joint_survey():
    _load(TRAFFORD, GM / "2021_population_by_sex_and_age_la_gm.csv", GM / "2021_population_by_sex_la_gm.csv")
    survey = _survey(["sex", "date_of_birth"], slug="joint")
    for (sex, age), n in PEOPLE.items():
        add(survey, n, sex=sex, age=age, age_status="answered")
    add(survey, 12, sex="female", age_status="prefer_not_to_say")
    add(survey, 11, sex="prefer_not_to_say", age=45, age_status="answered")
    add(survey, 4, section_skipped=True)
    return survey


def _rows(report) -> dict[str, dict]:
    (joint,) = report.intersections
    return joint, {row["category"]: row for row in joint.categories}


def test_each_sex_and_age_cell_against_the_census_joint_table_with_the_reports_statistics(joint_survey):
    report = report_build(survey=joint_survey, area_code=TRAFFORD, audience=Audience.EXACT)
    joint, rows = _rows(report)
    assert (joint.key, joint.label, joint.census_table) == ("sex_by_age", "Sex and age", "TS009")
    census = _census()
    census_total = sum(census.values())
    answered = sum(PEOPLE.values())
    assert joint.answered == answered
    assert (joint.prefer_not_to_say, joint.not_asked) == (12 + 11, 4)
    labels = [f"{sex}, {band}" for sex in ("Female", "Male") for band in BANDS]
    assert list(rows) == labels
    p_values = []
    for (sex, age), n in PEOPLE.items():
        row = rows[f"{sex.title()}, {_band(age)}"]
        census_share = census[(sex.title(), _band(age))] / census_total
        assert row["respondents"] == n
        assert row["share"] == pytest.approx(n / answered)
        assert row["census_share"] == pytest.approx(census_share)
        low, high = proportion_confint(n, answered, method="wilson")
        assert (row["ratio_low"], row["ratio_high"]) == (
            pytest.approx(low / census_share),
            pytest.approx(high / census_share),
        )
        smaller = stats.binomtest(n, answered, census_share, alternative="less").pvalue
        larger = stats.binomtest(n, answered, census_share, alternative="greater").pvalue
        assert (row["p_smaller"], row["p_larger"]) == (pytest.approx(smaller), pytest.approx(larger))
        p_values += [smaller, larger]
    # Its own Benjamini-Hochberg family: both directions of every cell, not mixed with the report's.
    q = multipletests(p_values, method="fdr_bh")[1]
    for index, (sex, age) in enumerate(PEOPLE):
        row = rows[f"{sex.title()}, {_band(age)}"]
        observed = q[2 * index] if row["direction"] == "smaller" else q[2 * index + 1]
        assert row["q_value"] == pytest.approx(observed)
    # Men aged 16 to 24: 5 of 665 (0.8%) against 6.6% of residents: clearly under-represented.
    young_men = rows["Male, 16 to 24"]
    assert young_men["flag"] == "under_represented" and young_men["outreach_needed"] > 0
    assert "Male, 16 to 24" in joint.under_represented
    # The one-characteristic report is untouched: sex and age are still compared on their own.
    assert [c.key for c in report.characteristics] == ["age", "sex"]


def test_a_cell_too_small_to_publish_cannot_be_worked_out_from_the_margins(joint_survey):
    report = report_build(survey=joint_survey, area_code=TRAFFORD, audience=Audience.PROTECTED)
    joint, rows = _rows(report)
    assert rows["Male, 16 to 24"]["respondents"] is None and rows["Male, 16 to 24"]["suppressed"]
    # Still said to be under-represented: with any count below 10 it would be.
    assert rows["Male, 16 to 24"]["flag"] == "under_represented"
    hidden = [label for label, row in rows.items() if row["respondents"] is None]
    assert len(hidden) >= 4  # a 2 x 2 pattern at least: with both margins known, fewer could be solved
    truth = {f"{sex.title()}, {_band(age)}": n for (sex, age), n in PEOPLE.items()}
    # The reader knows every shown cell, the total and both margins exactly.
    equations = []
    for labels in (
        *([f"{sex}, {band}" for band in BANDS] for sex in ("Female", "Male")),
        *([f"{sex}, {band}" for sex in ("Female", "Male")] for band in BANDS),
    ):
        equations.append(({h: 1.0 for h in hidden if h in labels}, sum(truth[h] for h in labels if h in hidden)))
    ranges = count_ranges(equations)
    for cell in hidden:
        low, high = ranges[cell]
        if truth[cell] < 10:
            assert high - low >= 4, cell
    # Shown shares are whole percentages; nothing is published for a hidden cell but its census share.
    shown = rows["Female, 45 to 54"]
    assert shown["share"] == pytest.approx(round(80 / sum(PEOPLE.values()), 2))
    assert rows["Male, 16 to 24"]["share"] is None and rows["Male, 16 to 24"]["census_share"] is not None


def test_the_report_json_download_and_page_carry_sex_and_age(joint_survey, client):
    out = StringIO()
    call_command("representativeness_report", "joint", "--area", TRAFFORD, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    (joint,) = data["intersections"]
    assert joint["key"] == "sex_by_age" and joint["census_table"] == "TS009"
    young_men = next(c for c in joint["categories"] if c["category"] == "Male, 16 to 24")
    assert young_men["respondents"] is None and young_men["suppressed"] is True
    assert [c["key"] for c in data["characteristics"]] == ["age", "sex"]  # unchanged

    staff = staff_member(team=joint_survey.team)
    client.force_login(staff)
    query = {"area": TRAFFORD}
    page = client.get(reverse("representativeness:report", args=[joint_survey.pk]), query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Sex and age" in html and "Male, 16 to 24" in html
    download = client.get(reverse("representativeness:report_download", args=[joint_survey.pk, "csv"]), query)
    lines = list(csv.reader(StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    young = next(line for line in lines if "Male, 16 to 24" in line)
    header = lines[0]
    assert young[header.index("characteristic")] == "Sex and age"
    assert young[header.index("respondents")] == "" and young[header.index("suppressed")] == "yes"
    assert np.isfinite(float(next(line for line in lines if "Female, 45 to 54" in line)[header.index("share")]))


def test_the_equality_impact_assessment_names_the_missing_sex_and_age_cells(joint_survey):
    from representativeness.equality_analysis.eqia import eqia_build

    summary = eqia_build(survey=joint_survey, area_code=TRAFFORD)
    (participation,) = [s for s in summary.sections if s.heading.startswith("Who took part")]
    (joint,) = [b for b in participation.bullets if b.startswith("Sex and age:")]
    assert joint.startswith("Sex and age: “Male, 16 to 24” under-represented; too early to tell for ")


def test_every_council_compared_with_hides_the_same_sex_and_age_cells(joint_survey):
    """Which cells are hidden is chosen by one fixed census (the survey's default report area), not by the
    council compared with, so no two reports show between them what either hides; and the table still shows
    most of its cells."""
    councils = [f"E0800000{n}" for n in range(1, 10)] + ["E08000010"]
    census_files_import(
        uploads=[
            CensusUpload(file_name=f"{GM.name}/{name}", data=(GM / name).read_bytes())
            for name in ("2021_population_by_sex_and_age_la_gm.csv", "2021_population_by_sex_la_gm.csv")
        ],
        area_codes=councils,
    )
    hidden = {}
    for code in councils:
        report = report_build(survey=joint_survey, area_code=code, audience=Audience.PROTECTED)
        _, rows = _rows(report)
        hidden[code] = frozenset(label for label, row in rows.items() if row["suppressed"])
    assert len(set(hidden.values())) == 1, hidden
    (cells,) = set(hidden.values())
    assert "Male, 16 to 24" in cells and 4 <= len(cells) <= 6, cells
