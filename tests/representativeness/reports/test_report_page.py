"""The officer's report page and its downloads: suppression depends on who looks, and files always suppress."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db


def login(client, *extra: str) -> None:
    """An engagement officer in the survey's team (Parks), with the equality-data permission if asked."""
    client.force_login(staff_member("u" + "".join(extra), equality_data="view_equality_data" in extra))


def report_url(survey, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"area": AREA, **params}.items())
    return reverse("representativeness:report", args=[survey.pk]) + "?" + query


def test_page_gives_the_headline_a_chart_and_a_table_with_small_counts_hidden(client, survey):
    login(client)
    page = client.get(report_url(survey))
    assert page.status_code == 200
    text = page.text
    assert "2 groups are under-represented: Male (sex); Muslim (religion)." in text
    assert text.count("<svg") == 2 and text.count("<figure") == 2 and "<figcaption" in text
    assert "Census 2021 table TS030" in text and "21 March 2021" in text
    assert "counts below 10 are hidden" in text
    muslim_row = text[text.index('scope="row" class="govuk-table__header">Muslim') :].split("</tr>")[0]
    assert muslim_row.count(">hidden<") == 5  # count, share, ratio, gap and q hidden; the census share shown
    assert "10.4%" in muslim_row and "Under-represented</strong>, fewer than 10 responses" in muslim_row
    assert "About 20 more responses from the group “Muslim”" in text  # a hidden group's target, to the nearest 10
    assert "About 50 more responses from the group “Male”" in text  # (0.4 * 200 - 50) / 0.6 = 50


def test_officer_with_equality_permission_sees_small_counts(client, survey):
    login(client, "view_equality_data")
    page = client.get(report_url(survey))
    assert "counts below 10 are hidden" not in page.text
    assert ">4<" in page.text.replace(" ", "")


def test_downloads_are_suppressed_even_for_officers_with_permission(client, survey):
    login(client, "view_equality_data")
    url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={AREA}"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    muslim = next(r for r in rows if r["category"] == "Muslim")
    assert muslim["respondents"] == "" and muslim["suppressed"] == "yes"
    male = next(r for r in rows if r["category"] == "Male")
    assert male["respondents"] == "50" and male["flag"] == "under_represented"

    xlsx = client.get(reverse("representativeness:report_download", args=[survey.pk, "xlsx"]) + f"?area={AREA}")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Categories"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = values[0]
    muslim_row = next(r for r in values if r[header.index("category")] == "Muslim")
    assert muslim_row[header.index("respondents")] is None


def test_the_json_download_is_the_commands_json_protected_even_for_officers_with_permission(client, survey):
    import json

    from django.core.management import call_command

    login(client, "view_equality_data")
    url = reverse("representativeness:report_download", args=[survey.pk, "json"]) + f"?area={AREA}"
    assert f'href="{url}"' in client.get(report_url(survey)).text
    response = client.get(url)
    assert response["Content-Type"] == "application/json" and "attachment" in response["Content-Disposition"]
    downloaded = json.loads(response.content)
    out = io.StringIO()
    call_command("representativeness_report", survey.slug, "--area", AREA, "--format", "json", stdout=out)
    command = json.loads(out.getvalue())
    assert {k: v for k, v in downloaded.items() if k != "generated_at"} == {
        k: v for k, v in command.items() if k != "generated_at"
    }
    muslim = next(r for c in downloaded["characteristics"] for r in c["categories"] if r["category"] == "Muslim")
    assert muslim["respondents"] is None and muslim["suppressed"] is True


def test_a_bad_filter_gets_a_message_not_a_crash(client, survey):
    login(client)
    page = client.get(report_url(survey, submitted_from="2026-05-01", submitted_to="2026-04-01"))
    assert page.status_code == 400
    assert "The end date must be the same as or after the start date." in page.text
    assert page.text.count("Error: ") >= 1
    assert client.get(report_url(survey, area="E99999999")).status_code == 400


@pytest.mark.parametrize("dates", [{"submitted_to": "9999-12-31"}, {"submitted_from": "0001-01-01"}])
def test_a_date_filter_beyond_any_response_gets_a_message_not_a_crash(client, survey, dates):
    login(client, "view_equality_data")
    message = "Enter a date between 1 January 2000 and 31 December 2999, or leave it blank for no limit."
    for url in (
        report_url(survey, **dates),
        reverse("representativeness:weighting", args=[survey.pk])
        + f"?area={AREA}&characteristics=sex&"
        + "&".join(f"{k}={v}" for k, v in dates.items()),
    ):
        page = client.get(url)
        assert page.status_code == 400, url
        assert message in page.text


def test_the_report_needs_an_officer(client, survey):
    assert client.get(report_url(survey)).status_code == 302
    client.force_login(User.objects.create_user("resident", password="pw"))
    assert client.get(report_url(survey)).status_code == 403


def test_filters_are_refused_to_officers_who_may_not_see_small_numbers(client, survey):
    """Two overlapping filtered reports, compared, would give away counts that each one hides."""
    login(client)
    page = client.get(report_url(survey, channel="paper"))
    assert page.status_code == 400
    assert "Only staff with permission to view equality data can filter" in page.text
    download = client.get(
        reverse("representativeness:report_download", args=[survey.pk, "csv"])
        + f"?area={AREA}&submitted_from=2026-01-01"
    )
    assert download.status_code == 400
    weighting = client.get(reverse("representativeness:weighting", args=[survey.pk]) + f"?area={AREA}&channel=paper")
    assert weighting.status_code == 400


def test_filters_work_for_analysts(client, survey):
    login(client, "view_equality_data")
    assert client.get(report_url(survey, channel="online")).status_code == 200


def test_page_and_download_show_one_finding_rule_with_cant_tell_yet(client, survey):
    """Women at a ratio of exactly 1.25 (interval 1.14 to 1.34) and Hindus at 6 of 200 against 2% could be
    either in line or not. Hindus' figures could be anything, so the page says "Can't tell yet", and that no
    realistic number of responses would settle it. Women are clearly more than their census share (q well
    below 0.05), only not clearly beyond the band: the page says that, not "can't tell yet"."""
    login(client, "view_equality_data")
    text = client.get(report_url(survey)).text
    female_row = text[text.index('scope="row" class="govuk-table__header">Female') :].split("</tr>")[0]
    assert "More than the census share, not yet clearly beyond the in-line band" in female_row
    assert "Can&#x27;t tell yet" not in female_row and "would settle it" not in female_row  # on the edge: never
    hindu_row = text[text.index('scope="row" class="govuk-table__header">Hindu') :].split("</tr>")[0]
    # The 1,000 people of Testborough could not give the responses that would settle it.
    assert "Can&#x27;t tell yet" in hindu_row and "no realistic number of responses would settle it" in hindu_row
    assert "In line</strong>: the whole interval is inside the band" in text

    url = reverse("representativeness:report_download", args=[survey.pk, "csv"]) + f"?area={AREA}"
    rows = list(csv.DictReader(io.StringIO(b"".join(client.get(url).streaming_content).decode("utf-8-sig"))))
    female = next(r for r in rows if r["category"] == "Female")
    assert female["flag"] == "too_few_responses" and female["responses_to_settle"] == ""


def test_early_on_each_chart_says_it_is_too_early_to_tell_never_that_no_group_is_under_represented(client, area):
    from tests.representativeness.reports.conftest import add, make_survey

    early = make_survey("early-charts")
    add(early, 3, sex="female", religion="christian")
    add(early, 2, sex="male", religion="no_religion")
    login(client, "view_equality_data")
    text = client.get(report_url(early)).text
    assert "Too early to tell" in text
    assert "no group clearly under-represented" not in text
    assert "Sex: too early to tell for both groups" in text


def test_one_degree_of_freedom_is_singular(client, survey):
    """Sex has two groups: its goodness of fit has 1 degree of freedom (the page said "1 degrees")."""
    login(client, "view_equality_data")
    text = client.get(report_url(survey)).text
    assert "1 degree of freedom" in text and "1 degrees of freedom" not in text
