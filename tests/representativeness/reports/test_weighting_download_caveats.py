"""The weighting's CSV download carries what the page, the XLSX "Diagnostics" sheet and the API's JSON say of
the weighting (issue 11: the same information in every output): a `caveats` column ending every row, the same
on each, as the report's CSV has. Like every download it is protected, whoever makes it: it names no empty or
hidden group and gives no figure worked out from the counts."""

import csv
import io

import pandas as pd
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db

# Sex and religion, weights trimmed to at most 1.5 (near enough the census to be shown): the voted survey
# has 4 Muslim and 6 Hindu respondents and none of the other religions (hidden and empty groups), and the
# census gives both at all ages.
QUERY = f"?area={AREA}&characteristics=sex&characteristics=religion&cap=1.5&bounds=trim"
HIDDEN = ("Buddhist", "Hindu", "Jewish", "Muslim", "Sikh", "Other religion")
HEADER = [
    "question",
    "row_or_option",
    "answer",
    "respondents",
    "unweighted_share",
    "unweighted_low",
    "unweighted_high",
    "weighted_share",
    "weighted_low",
    "weighted_high",
    "leading_answer_changes",
    "caveats",
]


def _page_diagnostics(client, survey) -> list[str]:
    page = client.get(reverse("representativeness:weighting", args=[survey.pk]) + QUERY)
    assert page.status_code == 200
    return list(page.context["diagnostics"])


def _download(client, survey, file_format: str):
    response = client.get(reverse("representativeness:weighting_download", args=[survey.pk, file_format]) + QUERY)
    assert response.status_code == 200
    return response


def _csv(client, survey) -> tuple[list[dict[str, str]], pd.DataFrame]:
    content = b"".join(_download(client, survey, "csv").streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    return rows, pd.read_csv(io.BytesIO(content), encoding="utf-8-sig")


def _assert_protected(caveats: str) -> None:
    assert "no respondents" not in caveats.lower() and "did not answer" not in caveats
    assert "Weights range from" not in caveats and "iteration" not in caveats
    for label in HIDDEN:
        assert label not in caveats, label


def test_the_csv_ends_every_row_with_the_caveats_the_officers_page_shows(client, voted):
    client.force_login(staff_member("officer"))  # without the equality-data permission: the page is protected
    lines = _page_diagnostics(client, voted)
    assert any("Religion is weighted to the census shares of all usual residents" in line for line in lines)
    assert any("differ from the census by up to" in line for line in lines)  # trimming's distance
    assert (
        "Religion: groups with fewer than 10 responses, or whose counts the report hides, are weighted together."
        in lines
    )  # collapsed

    rows, frame = _csv(client, voted)
    # pandas reads the table as it was: one row per answer, the figures still numbers, one more column.
    assert list(frame.columns) == HEADER
    assert list(frame["answer"]) == ["Play areas", "Paths"]
    assert frame["weighted_share"].dtype == float and frame["respondents"].dtype == "int64"
    assert frame["caveats"].nunique() == 1
    # Word for word what the page says, one line after another.
    assert [row["caveats"] for row in rows] == [" ".join(lines)] * 2
    _assert_protected(rows[0]["caveats"])


def test_an_analysts_csv_carries_the_protected_caveats_as_every_download_does(client, voted):
    client.force_login(staff_member("analyst", equality_data=True))
    exact = " ".join(_page_diagnostics(client, voted))
    assert "Weights range from" in exact and "Buddhist" in exact  # on screen, the exact audience

    rows, frame = _csv(client, voted)
    caveats = rows[0]["caveats"]
    assert frame["caveats"].nunique() == 1 and list(frame.columns) == HEADER
    _assert_protected(caveats)
    assert "Religion is weighted to the census shares of all usual residents" in caveats
    assert (
        "Religion: groups with fewer than 10 responses, or whose counts the report hides, are weighted together."
        in caveats
    )
    # The same as the XLSX's Diagnostics sheet, and as an officer without the permission is shown.
    book = load_workbook(io.BytesIO(_download(client, voted, "xlsx").content))
    diagnostics = [row[0].value for row in book["Diagnostics"].iter_rows(min_row=2)]
    assert caveats == " ".join(diagnostics)
    assert [c.value for c in next(book["Results"].iter_rows(max_row=1))] == HEADER
    client.force_login(staff_member("officer"))
    assert caveats == " ".join(_page_diagnostics(client, voted))
