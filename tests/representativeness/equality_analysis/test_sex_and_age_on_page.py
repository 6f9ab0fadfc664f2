"""The officer's equality analysis page and its CSV and XLSX downloads show sex and age together against
the census's joint table (TS009), as the report page and the command do (issue 16, intersections): the
page follows who reads it (exact for staff with the equality-data permission, protected otherwise), the
files are protected whoever makes them, and when no census or no joint table is loaded the page says why.

The truth is the fixture's own counts (`PEOPLE`, 665 respondents stated both); the census shares are
summed from the shipped Greater Manchester file, not through the report's code.
"""

import csv
import io

import lxml.html
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.attacker import count_ranges
from tests.factories import staff_member
from tests.representativeness.reports.test_census_bases import GM, _load, _survey
from tests.representativeness.reports.test_sex_by_age import BANDS, PEOPLE, TRAFFORD, _band, _census

pytestmark = pytest.mark.django_db

TRUTH = {f"{sex.title()}, {_band(age)}": n for (sex, age), n in PEOPLE.items()}
ANSWERED = sum(TRUTH.values())
HIDDEN_WORD = "hidden"


def sign_in(client, *, equality_data: bool) -> None:
    name = "analyst" if equality_data else "officer"
    client.force_login(staff_member(name, role="Analyst", equality_data=equality_data, team="Parks"))


def page_for(client, survey):
    response = client.get(reverse("representativeness:equality_analysis", args=[survey.pk]), {"area": TRAFFORD})
    assert response.status_code == 200
    return response


def sex_and_age_table(response) -> tuple[str, dict[str, list[str]]]:
    """The section's text, and its table's rows: {cell: [respondents, share, census share, ratio, gap, q,
    finding]} as a reader sees them (a hidden figure reads "hidden")."""
    page = lxml.html.fromstring(response.content)
    (heading,) = page.xpath("//h2[normalize-space()='Who answered, by sex and age together']")
    (section,) = page.xpath("//section[.//caption[normalize-space()='Sex and age: respondents against the census']]")
    rows = {}
    for row in section.xpath(".//tbody/tr"):
        label = row.xpath("./th")[0].text_content().strip()
        rows[label] = [" ".join(td.text_content().replace("–", "").split()) for td in row.xpath("./td")]
    return section.text_content(), rows


def test_an_officer_sees_each_cell_against_the_census_with_small_cells_hidden_and_their_flags_kept(
    client, joint_survey
):
    sign_in(client, equality_data=False)
    text, rows = sex_and_age_table(page_for(client, joint_survey))
    assert list(rows) == [f"{sex}, {band}" for sex in ("Female", "Male") for band in BANDS]
    assert "Census 2021 table TS009" in text and f"{ANSWERED} respondents answered" in text
    census = _census()
    census_total = sum(census.values())
    hidden = [label for label, cells in rows.items() if cells[0] == HIDDEN_WORD]
    # Men aged 16 to 24: 5 people, hidden; still said to be under-represented, as the report says it.
    young_men = rows["Male, 16 to 24"]
    assert young_men[0] == young_men[1] == HIDDEN_WORD
    assert young_men[-1].startswith("Under-represented, fewer than 10 responses")
    assert len(hidden) >= 4  # with its row and column: a 2 x 2 pattern at least
    for label, cells in rows.items():
        sex, band = label.split(", ")
        assert cells[2] == f"{census[(sex, band)] / census_total:.1%}"  # the census share, always shown
        if label not in hidden:
            assert cells[0] == str(TRUTH[label])
            assert cells[1] == f"{round(TRUTH[label] / ANSWERED * 100)}%"  # whole percentages
            assert "(" in cells[3]  # the ratio's 95% interval
            assert cells[5] == "not significant" or cells[5].startswith("<")  # q in bands, not exact
    assert "5" not in young_men[0]


def test_no_hidden_cell_can_be_worked_out_from_the_shown_cells_and_totals(client, joint_survey):
    """The reader knows every shown cell, the total the page gives and, beyond the page, both margins
    exactly (how many women and men, and how many in each age band, stated both); each hidden cell under 10
    must still range over at least 4."""
    sign_in(client, equality_data=False)
    text, rows = sex_and_age_table(page_for(client, joint_survey))
    shown = {label: int(cells[0]) for label, cells in rows.items() if cells[0] != HIDDEN_WORD}
    hidden = [label for label in rows if label not in shown]
    assert hidden and f"{ANSWERED} respondents answered" in text
    equations = [({h: 1.0 for h in hidden}, ANSWERED - sum(shown.values()))]
    for part in ("Female", "Male", *BANDS):
        labels = [label for label in TRUTH if part in label.split(", ")]
        equations.append(
            (
                {h: 1.0 for h in hidden if h in labels},
                sum(TRUTH[label] for label in labels) - sum(shown.get(label, 0) for label in labels),
            )
        )
    ranges = count_ranges(equations)
    for cell in hidden:
        low, high = ranges[cell]
        assert low <= TRUTH[cell] <= high
        if TRUTH[cell] < 10:
            assert high - low >= 4, cell


def test_staff_with_the_permission_see_every_cell_exactly(client, joint_survey):
    sign_in(client, equality_data=True)
    text, rows = sex_and_age_table(page_for(client, joint_survey))
    assert all(HIDDEN_WORD not in cells for cells in rows.values())
    for label, cells in rows.items():
        assert cells[0] == str(TRUTH[label])
        assert cells[1] == f"{TRUTH[label] / ANSWERED:.1%}"
    assert rows["Male, 16 to 24"][:2] == ["5", "0.8%"]
    assert rows["Male, 16 to 24"][-1].startswith("Under-represented")
    assert "fewer than 10 responses" not in rows["Male, 16 to 24"][-1]


def _download(client, survey, file_format: str) -> list[dict]:
    url = reverse("representativeness:equality_analysis_download", args=[survey.pk, file_format])
    response = client.get(url, {"area": TRAFFORD})
    assert response.status_code == 200
    if file_format == "csv":
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(body)))
    sheet = load_workbook(io.BytesIO(response.content))["Answers by group"]
    header, *lines = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return [
        {name: "" if value is None else str(value) for name, value in zip(header, line, strict=True)} for line in lines
    ]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_downloads_carry_each_cell_protected_even_for_staff_with_the_permission(client, joint_survey, file_format):
    sign_in(client, equality_data=True)
    rows = _download(client, joint_survey, file_format)
    cells = {row["group"]: row for row in rows if row["characteristic"] == "Sex and age"}
    assert set(cells) == set(TRUTH)
    census = _census()
    census_total = sum(census.values())
    for label, row in cells.items():
        sex, band = label.split(", ")
        assert (row["question"], row["census_table"]) == ("", "TS009")
        assert float(row["census_share"]) == pytest.approx(census[(sex, band)] / census_total, abs=0.005)
        if row["suppressed"] in ("yes", "True"):
            assert row["respondents"] == row["share"] == row["ratio"] == ""
        else:
            assert int(row["respondents"]) == TRUTH[label]
            assert float(row["share"]) == round(TRUTH[label] / ANSWERED, 2)
    young_men = cells["Male, 16 to 24"]
    assert young_men["suppressed"] in ("yes", "True") and young_men["respondents"] == ""
    assert young_men["representation_flag"] == "under_represented"
    assert sum(row["suppressed"] in ("yes", "True") for row in cells.values()) >= 4


def test_without_a_census_the_page_says_why_sex_and_age_are_not_compared(client, db):
    survey = _survey(["sex", "date_of_birth"], slug="joint")
    sign_in(client, equality_data=True)
    response = client.get(reverse("representativeness:equality_analysis", args=[survey.pk]))
    assert response.status_code == 200
    text = " ".join(lxml.html.fromstring(response.content).text_content().split())
    assert "Who answered, by sex and age together" in text
    assert "No census baselines are loaded, so sex and age together are not compared with the census." in text


def test_an_area_without_the_joint_table_says_why(client, db):
    _load(TRAFFORD, GM / "2021_population_by_sex_la_gm.csv")
    survey = _survey(["sex", "date_of_birth"], slug="joint")
    sign_in(client, equality_data=False)
    text = " ".join(lxml.html.fromstring(page_for(client, survey).content).text_content().split())
    assert "Sex and age together are not compared:" in text
    assert "Sex and age: respondents against the census" not in text
