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
def one_on_paper(area):
    """Ten responses online and one on paper: an analyst's download of the paper responses counts one."""
    survey = make_survey("one")
    add(survey, 10, sex="male", religion="no_religion")
    add(survey, 1, channel="paper", sex="female", religion="christian")
    return survey


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_a_download_counting_one_response_has_every_count_of_it_hidden(client, one_on_paper):
    """The issue's 500: `cannot protect hidden cell ('sex', 'asked')` when a report counts one response."""
    client.force_login(staff_member("analyst", equality_data=True))
    url = reverse("representativeness:report_download", args=[one_on_paper.pk, "csv"])
    rows = csv_rows(client.get(url + f"?area={AREA}&channel=paper"))
    assert {row["category"] for row in rows} >= {"Female", "Male", "Christian", "Muslim"}
    assert all(row["respondents"] == "" for row in rows)  # every category hidden, zeros included

    page = client.get(reverse("representativeness:report", args=[one_on_paper.pk]) + f"?area={AREA}&channel=paper")
    assert page.status_code == 200 and "Female" in page.text  # the analyst on screen: exact


def test_the_exact_audience_still_reads_the_one_response(one_on_paper):
    report = report_build(survey=one_on_paper, area_code=AREA, channel="paper", audience=Audience.EXACT)
    sex = next(c for c in report.characteristics if c.key == "sex")
    assert (sex.asked, sex.answered, sex.not_asked) == (1, 1, 0)
    assert {row["category"]: row["respondents"] for row in sex.categories} == {"Female": 1, "Male": 0}

    protected = report_build(survey=one_on_paper, area_code=AREA, channel="paper", audience=Audience.PROTECTED)
    sex = next(c for c in protected.characteristics if c.key == "sex")
    assert sex.answered == 1 and sex.asked is None and sex.prefer_not_to_say is None
    assert all(row["respondents"] is None for row in sex.categories)


def test_an_officer_sees_no_figures_until_ten_responses_are_published(client, area):
    survey = make_survey("few")
    add(survey, 1, sex="female", religion="christian")
    client.force_login(staff_member("officer"))
    page = client.get(reverse("representativeness:report", args=[survey.pk]) + f"?area={AREA}")
    assert page.status_code == 200
    assert "No responses are published yet" in page.text and "Female" in page.text
    add(survey, 9, sex="male", religion="christian")
    page = client.get(reverse("representativeness:report", args=[survey.pk]) + f"?area={AREA}")
    assert "These figures count the 10 responses published" in page.text


def test_a_few_unpublished_responses_are_not_called_nobody(client, area):
    """Officers see the responses on the survey's page: their report says the figures are not published
    yet, never "Nobody has responded yet"."""
    survey = make_survey("few")
    add(survey, 3, sex="female")
    client.force_login(staff_member("officer"))
    page = client.get(reverse("representativeness:report", args=[survey.pk]) + f"?area={AREA}")
    assert "Nobody has responded yet" not in page.text
    assert "No responses are published yet" in page.text

    empty = make_survey("empty")
    nobody = client.get(reverse("representativeness:report", args=[empty.pk]) + f"?area={AREA}")
    assert "Nobody has responded yet" in nobody.text


def test_the_weighting_page_says_no_responses_are_published_yet(client, area):
    """Two responses, none published (the snapshot needs 10): an officer without the equality-data permission
    was told "There are no responses with 'About you' answers to weight", which the survey's page contradicts."""
    survey = make_survey("few-weighted")
    add(survey, 2, sex="female", religion="christian")
    client.force_login(staff_member("officer"))
    page = client.get(reverse("representativeness:weighting", args=[survey.pk]) + f"?area={AREA}&characteristics=sex")
    assert page.status_code == 400
    assert "No responses are published yet: these figures are published once at least 10 responses" in page.text
    assert "There are no responses with" not in page.text
