"""An officer's engagement plan in Chromium: accept the report's suggested targets, log an event and its
attendance, count the attendees' profile, enter attendees' own profiles (on the officer's device and
through the private link), see progress; no axe violations on the way."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plans.models import Activity, AttendeeProfile, TargetGroup
from tests.browser.axe_rules import axe_violations, describe
from tests.browser.test_officer_report_browser import reported_survey, sign_in  # noqa: F401

pytestmark = pytest.mark.browser


def assert_accessible(page, where: str) -> None:
    violations = axe_violations(page)
    assert not violations, f"{where}\n{describe(violations)}"


def test_an_officer_plans_outreach_and_sees_progress(live_server, reported_survey, js_page):  # noqa: F811
    page, survey = js_page, reported_survey
    page.set_default_timeout(60_000)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/officers/surveys/{survey.pk}/")
    page.get_by_role("link", name="Closing the gaps: engagement plan and outreach").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Engagement plan")
    assert_accessible(page, "plan with suggestions")

    suggested = page.locator("#suggested ~ table tbody tr").first
    group_name = suggested.locator("th").inner_text().split(" (")[0]
    suggested.get_by_role("button", name=f"Accept {group_name}").click()
    expect(page.get_by_text(f"“{group_name}” has been added to the plan.")).to_be_visible()
    group = TargetGroup.objects.get(survey=survey, category=group_name)
    expect(page.locator(f"#group-{group.pk}")).to_be_visible()
    expect(page.get_by_role("table", name=f"Responses from {group_name} by week")).to_be_visible()

    page.get_by_role("link", name="Add an activity").click()
    page.get_by_label("Kind of activity").select_option("event")
    page.get_by_label("Title").fill("Community centre drop-in")
    today = timezone.localdate()  # within the consultation's life: a date outside it is refused
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label(group_name, exact=False).check()
    page.get_by_label("Expected reach").fill("40")
    page.get_by_label("Actual reach").fill("35")
    page.get_by_role("button", name="Add the activity").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Community centre drop-in")
    assert_accessible(page, "activity page")
    activity = Activity.objects.get(survey=survey)
    assert activity.actual_reach == 35 and list(activity.target_groups.all()) == [group]
    expect(page.get_by_text(f"?via={activity.code}")).to_be_visible()

    page.get_by_role("link", name="upload it or type the counts").click()
    page.get_by_label("Or type the counts").fill("sex, Female, 20\nsex, Male, 15\nethnicity, C, 6\nethnicity, A, 29")
    page.get_by_role("button", name="Count the attendees").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Attendees of Community centre drop-in, compared with the 2021 Census"
    )
    expect(page.get_by_text("35 people, compared with Census 2021")).to_be_visible()
    assert_accessible(page, "attendees against the census")

    # Attendees' own profiles: an officer hands the device round...
    page.goto(f"{live_server.url}/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/")
    page.get_by_role("link", name="enter attendees' profiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("About you")
    assert_accessible(page, "an officer enters attendees' profiles")
    page.get_by_role("group", name="What is your sex?").get_by_label("Female", exact=True).check()
    page.get_by_role("group", name="What is your religion?").get_by_label("Muslim").check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Your answers have been saved. Please pass the device to the next person.")).to_be_visible()
    # The attendee holding the device sees no officer's menu or links.
    expect(page.get_by_role("navigation", name="Staff menu")).to_have_count(0)
    expect(page.get_by_role("link", name="Back to the plan")).to_have_count(0)
    assert_accessible(page, "the device handed to the next attendee")
    page.get_by_role("group", name="What is your sex?").get_by_label("Male", exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    assert AttendeeProfile.objects.filter(activity=activity).count() == 2
    # ...and an attendee opens the private link on their own phone.
    page.goto(f"{live_server.url}/about-you/{activity.attendee_code}/")
    assert_accessible(page, "an attendee's own About you form")
    page.get_by_role("group", name="What is your religion?").get_by_label("Christian").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you")
    profiles = AttendeeProfile.objects.filter(activity=activity).order_by("pk")
    assert [(p.sex, p.religion, p.entered) for p in profiles] == [
        ("female", "muslim", "officer"),
        ("male", "skipped", "officer"),
        ("skipped", "christian", "attendee"),
    ]
    page.goto(f"{live_server.url}/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/")
    page.get_by_role("link", name="Compare the attendees' profiles with the census").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community centre drop-in: attendees compared with the 2021 Census"
    )
    # Three attendees: nothing is published to an officer without the equality-data permission yet.
    expect(page.get_by_text("No figures are published yet")).to_be_visible()
    assert_accessible(page, "attendees' profiles against the census")

    page.goto(f"{live_server.url}/officers/surveys/{survey.pk}/plan/")
    expect(page.get_by_role("link", name="Community centre drop-in")).to_be_visible()
    expect(page.locator(f"section[aria-labelledby='group-{group.pk}'] svg")).to_be_visible()
    assert_accessible(page, "plan with a target group and an activity")
