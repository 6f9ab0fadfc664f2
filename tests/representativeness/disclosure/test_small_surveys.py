"""Surveys with very few responses: the report and its downloads work, and give nobody away."""

import csv
import io

import pytest
from django.urls import reverse

from representativeness.disclosure import Audience
from representativeness.reports.builder import report_build
from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA, add, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_response(area):
    survey = make_survey("one")
    add(survey, 1, sex="female", religion="christian")
    return survey


def test_a_report_of_one_response_is_shown_with_every_count_of_it_hidden(client, one_response):
    """The issue's 500: `cannot protect hidden cell ('sex', 'asked')` on a survey with one response."""
    client.force_login(staff_member("officer"))
    page = client.get(reverse("representativeness:report", args=[one_response.pk]) + f"?area={AREA}")
    assert page.status_code == 200
    assert "Female" in page.text and "Christian" in page.text

    url = reverse("representativeness:report_download", args=[one_response.pk, "csv"])
    download = client.get(url + f"?area={AREA}")
    assert download.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert rows and all(row["respondents"] == "" for row in rows)  # every category hidden
    assert {row["category"] for row in rows} >= {"Female", "Male", "Christian", "Muslim"}


def test_the_exact_audience_still_reads_the_one_response(one_response, area):
    report = report_build(survey=one_response, area_code=AREA, audience=Audience.EXACT)
    sex = next(c for c in report.characteristics if c.key == "sex")
    assert (sex.asked, sex.answered, sex.not_asked) == (1, 1, 0)
    assert {row["category"]: row["respondents"] for row in sex.categories} == {"Female": 1, "Male": 0}

    protected = report_build(survey=one_response, area_code=AREA, audience=Audience.PROTECTED)
    sex = next(c for c in protected.characteristics if c.key == "sex")
    assert sex.answered == 1 and sex.asked is None and sex.prefer_not_to_say is None
    assert all(row["respondents"] is None for row in sex.categories)
