"""The device an officer hands round shows attendees a resident's page and refuses an empty profile; the
plan says its figures for an officer without the equality-data permission are the published snapshot's."""

import pytest

from plans.models import Activity, AttendeeProfile, Attribution
from surveys.models import Response
from tests.factories import staff_member
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db
EMPTY = "Answer at least one question, or choose Prefer not to say"


@pytest.fixture
def panel(survey):
    return Activity.objects.create(survey=survey, kind="panel", title="Citizens' panel", date="2027-02-01")


def test_the_handed_round_device_shows_no_officer_links_and_refuses_an_empty_profile(client, survey, panel):
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/{panel.pk}/profiles/"
    page = text(client.get(url))
    assert "What is your sex?" in page
    assert "Your consultations" not in page and "Back to the plan" not in page and "Sign out" not in page
    assert 'href="/officers/' not in page
    empty = client.post(url, {"about_you_sex": "", "about_you_religion": ""})
    assert empty.status_code == 400 and EMPTY in text(empty)
    assert not AttendeeProfile.objects.exists()
    client.post(url, {"about_you_sex": "prefer_not_to_say", "about_you_religion": ""})
    saved = text(client.get(url + "?saved=1"))
    assert AttendeeProfile.objects.get().sex == "prefer_not_to_say"
    assert "Please pass the device to the next person" in saved and 'href="/officers/' not in saved


def test_an_empty_profile_through_the_private_link_is_refused_too(client, panel):
    response = client.post(f"/about-you/{panel.attendee_code}/", {})
    assert response.status_code == 400 and EMPTY in text(response)
    assert not AttendeeProfile.objects.exists()


def test_the_plan_says_its_figures_are_the_published_snapshots_for_an_officer_without_the_permission(client, survey):
    activity = Activity.objects.create(survey=survey, kind="paper", title="Leaflets")
    response = Response.objects.filter(survey=survey, equality_profile__isnull=False).first()
    client.force_login(staff_member("officer"))
    client.get(f"/officers/surveys/{survey.pk}/plan/")  # publishes the fixture's 215 responses
    Attribution.objects.create(response=response, activity=activity, how="named")  # after that snapshot
    plan = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "These figures count the 215 responses published on " in plan
    assert "The survey&#x27;s page counts every response as it arrives" in plan
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    plan = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "responses published on" not in plan
