"""The plan's pages: progress as each audience may see it, activities, and the partner directory."""

import pytest

from audit.models import AuditEntry
from plans.models import Activity, Partner, TargetGroup
from representativeness.models import GroupDataset
from surveys.models import ResidenceArea
from tests.factories import staff_member
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db
CARERS = "unpaid_care:Provides 50 or more hours unpaid care a week"


def test_progress_of_a_small_group_is_hidden_without_the_equality_data_permission(client, survey):
    # The fixture has 4 Muslim respondents: below the threshold of 10.
    group = TargetGroup.objects.create(survey=survey, characteristic="religion", category="Muslim", target=30)
    url = f"/officers/surveys/{survey.pk}/plan/"
    client.force_login(staff_member("officer"))
    page = text(client.get(url))
    assert "the number so far is hidden to protect small numbers" in page
    assert "4 of a target of 30" not in page
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    page = text(client.get(url))
    assert "4 of a target of 30 responses so far" in page
    assert f'id="group-{group.pk}"' in page and "<svg" in page


def test_an_officer_adds_an_activity_aimed_at_a_target_group(client, survey):
    group = TargetGroup.objects.create(survey=survey, characteristic="sex", category="Male", target=100)
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/new/"
    page = text(client.post(url, {"kind": "", "title": "", "date_0": "31", "date_1": "2", "date_2": "2027"}))
    assert "Select the kind of activity" in page and "Enter the activity" in page and "Date must be a real date" in page
    assert not Activity.objects.exists()
    response = client.post(
        url,
        {
            "kind": "event",
            "title": "Men's shed open day",
            "date_0": "6",
            "date_1": "3",
            "date_2": "2027",
            "place": "Stretford library",
            "target_groups": [group.pk],
            "expected_reach": "40",
            "actual_reach": "",
        },
    )
    activity = Activity.objects.get()
    assert response["Location"] == f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/"
    assert list(activity.target_groups.all()) == [group] and activity.expected_reach == 40
    client.post(
        f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/",
        {
            "kind": "event",
            "title": "Men's shed open day",
            "date_0": "6",
            "date_1": "3",
            "date_2": "2027",
            "target_groups": [group.pk],
            "expected_reach": "40",
            "actual_reach": "35",
        },
    )
    activity.refresh_from_db()
    assert activity.actual_reach == 35
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "Men&#x27;s shed open day" in page and "40 / 35" in page and "(aimed at)" in page
    assert AuditEntry.objects.filter(action="plan_changed").count() == 2


def test_partners_are_suggested_for_the_groups_they_work_with(client, survey):
    ResidenceArea.objects.create(code="E05000001", name="Stretford")
    TargetGroup.objects.create(survey=survey, characteristic="religion", category="Muslim", target=30)
    client.force_login(staff_member("officer"))
    page = text(client.post("/officers/partners/new/", {"name": "", "email": "not an email"}))
    assert "Enter the organisation&#x27;s name" in page and "Enter an email address in the correct format" in page
    assert not Partner.objects.exists()
    client.post(
        "/officers/partners/new/",
        {"name": "Stretford Mosque", "email": "info@example.org", "communities": ["religion:Muslim"]},
    )
    client.post("/officers/partners/new/", {"name": "Carers' Centre", "communities": [CARERS]})
    assert Partner.objects.get(name="Stretford Mosque").communities == ["religion:Muslim"]
    directory = text(client.get("/officers/partners/"))
    assert "Stretford Mosque" in directory and "Carers&#x27; Centre" in directory
    plan = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "Partners who work with this group: " in plan and "Stretford Mosque" in plan
    assert "Carers" not in plan
    assert AuditEntry.objects.filter(action="partner_changed").count() == 2


def test_a_partner_that_does_not_exist_is_a_404(client, db):
    client.force_login(staff_member("officer"))
    assert client.get("/officers/partners/999/").status_code == 404


def test_an_officer_counts_an_activitys_attendees_and_sees_them_against_the_census(client, survey):
    activity = Activity.objects.create(survey=survey, kind="panel", title="Citizens' panel", date="2027-02-01")
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/attendees/"
    page = text(client.post(url, {"title": "Panel", "team": survey.team_id, "counts": "sex, Female, 12\nsex, Male, x"}))
    assert "The counts cannot be read, and nothing has been saved" in page
    assert "Line 2, column “Count”: The count “x” is not a whole number" in page
    activity.refresh_from_db()
    assert activity.attendees is None and not GroupDataset.objects.exists()
    huge = {
        "title": "Panel",
        "team": survey.team_id,
        "counts": "sex, Female, 9000000000000000000\nsex, Male, 9000000000000000000",
    }
    page = text(client.post(url, huge))
    assert "Line 1, column “Count”: The count “9000000000000000000” is too large" in page
    assert not GroupDataset.objects.exists()
    assert "Select a CSV or XLSX file, or type the counts" in text(client.post(url, {"title": "Panel", "counts": ""}))
    response = client.post(url, {"title": "Panel", "team": survey.team_id, "counts": "sex, Female, 12\nsex, Male, 8"})
    activity.refresh_from_db()
    dataset = activity.attendees
    assert response["Location"] == f"/officers/datasets/{dataset.pk}/"
    assert dataset.people == 20 and dataset.team_id == survey.team_id
    page = text(client.get(f"/officers/datasets/{dataset.pk}/"))
    assert "20 people, compared with Census 2021 for Testborough" in page
    assert "Compare the attendees with the census" in text(
        client.get(f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/")
    )
