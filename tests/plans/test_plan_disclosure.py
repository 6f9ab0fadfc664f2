"""The plan's figures for an officer without the equality-data permission hold as the report's do
(issue #10): counted from the published snapshot, so one new response changes nothing, and a group's
total shown only where the report shows that group's count, so no total gives back a count the report
hides (by subtraction from the figures the report shows)."""

import re

import pytest

from plans.models import Activity, Attribution, TargetGroup
from surveys.models import EqualityProfile, Response
from tests.factories import staff_member
from tests.representativeness.disclosure.test_attacks import download_rows
from tests.representativeness.reports.conftest import add, make_survey
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db


def progress(client, survey) -> list[str]:
    """Every 'N of a target of T' and every week's figure the plan page shows."""
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    return re.findall(r"([\d,]+) of a target of", page) + re.findall(r'numeric">([\d,]+)<', page)


def test_one_new_response_changes_no_figure_of_the_plan(client, survey):
    """Before, the Christian group's total went from 130 to 131 as soon as one Christian responded."""
    TargetGroup.objects.create(survey=survey, characteristic="religion", category="Christian", target=200)
    activity = Activity.objects.create(survey=survey, kind="event", title="Church fair", date="2027-02-01")
    for response in Response.objects.filter(equality_profile__religion="christian")[:30]:
        Attribution.objects.create(activity=activity, response=response, how="named")
    client.force_login(staff_member("officer"))
    before = progress(client, survey)
    assert "130" in before
    add(survey, 1, sex="male", religion="christian")
    newest = EqualityProfile.objects.latest("pk").response
    Attribution.objects.create(activity=activity, response=newest, how="named")
    # An officer naming a response they know under the activity learns nothing from it before a refresh.
    known = Response.objects.filter(equality_profile__religion="christian", attribution=None).first()
    Attribution.objects.create(activity=activity, response=known, how="named")
    assert progress(client, survey) == before

    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    assert "131" in progress(client, survey)  # the exact audience sees the new response at once


def test_a_group_total_the_report_hides_is_hidden_in_the_plan(client, area):
    """The report hides Buddhist (4) and, as its complement, No religion (100), showing Christian (90) and
    the 194 who answered: a plan showing No religion's 100 would give Buddhist = 194 - 90 - 100 = 4."""
    survey = make_survey("lone")
    add(survey, 100, sex="female", religion="no_religion")
    add(survey, 90, sex="male", religion="christian")
    add(survey, 4, sex="female", religion="buddhist")
    TargetGroup.objects.create(survey=survey, characteristic="religion", category="No religion", target=150)
    TargetGroup.objects.create(survey=survey, characteristic="religion", category="Christian", target=150)
    client.force_login(staff_member("officer"))
    religion = {
        r["category"]: r["respondents"] for r in download_rows(client, survey) if r["characteristic"] == "Religion"
    }
    assert religion["No religion"] == "" and religion["Buddhist"] == "" and religion["Christian"] == "90"
    shown = progress(client, survey)
    assert "100" not in shown and "90" in shown

    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    assert "100" in progress(client, survey)
