"""Attendees of a panel, forum, focus group or jury give their own profile on the survey's About you
questions (through the activity's private link, or on a device an officer hands round): stored like a
respondent's About you answers (apart, no response, deleted on schedule) and counted in the activity's
report, protected for officers without the equality-data permission."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from plans.models import Activity, AttendeeProfile
from surveys.equality.services import equality_section_add
from surveys.models import EqualityProfile, Response
from tests.factories import staff_member
from tests.representativeness.populations.test_dataset_pages import _json, _sheets
from tests.surveys.journey import text

from .conftest import AREA

pytestmark = pytest.mark.django_db
MUSLIM_3 = '>Muslim</th> <td class="govuk-table__cell govuk-table__cell--numeric">3<'


@pytest.fixture
def panel(survey):
    return Activity.objects.create(survey=survey, kind="panel", title="Citizens' panel", date="2027-02-01")


def _profiles(activity, count, **values):
    for _ in range(count):
        AttendeeProfile.objects.create(activity=activity, entered="attendee", library_version="test", **values)


def test_an_attendee_gives_their_profile_through_the_activitys_private_link(client, panel):
    responses, profiles = Response.objects.count(), EqualityProfile.objects.count()
    url = f"/about-you/{panel.attendee_code}/"
    assert panel.attendee_code != panel.code and len(panel.attendee_code) >= 20
    page = text(client.get(url))
    # The survey's own questions, with their explanations beside them.
    assert "What is your sex?" in page and "What is your religion?" in page
    assert "To check that women and men are both heard in this consultation." in page
    assert "Citizens&#x27; panel" in page
    response = client.post(url, {"about_you_sex": "female", "about_you_religion": "muslim"})
    assert response.status_code == 302
    assert "Thank you" in text(client.get(response["Location"]))
    client.post(url, {"about_you_sex": "", "about_you_religion": "prefer_not_to_say"})
    first, second = AttendeeProfile.objects.filter(activity=panel).order_by("pk")
    assert (first.sex, first.religion, first.entered) == ("female", "muslim", "attendee")
    assert (second.sex, second.religion) == ("skipped", "prefer_not_to_say")
    # Apart from the consultation's responses: nobody's answers added to the survey.
    assert (Response.objects.count(), EqualityProfile.objects.count()) == (responses, profiles)


def test_a_wrong_code_or_an_activity_nobody_attends_has_no_form(client, survey, panel):
    assert client.get("/about-you/not-a-real-code/").status_code == 404
    posts = Activity.objects.create(survey=survey, kind="social_media", title="Posts", date="2027-02-01")
    assert client.get(f"/about-you/{posts.attendee_code}/").status_code == 404
    assert client.post(f"/about-you/{posts.attendee_code}/", {"about_you_sex": "male"}).status_code == 404
    assert not AttendeeProfile.objects.exists()


def test_an_option_that_is_not_offered_is_refused_and_nothing_stored(client, panel):
    page = text(client.post(f"/about-you/{panel.attendee_code}/", {"about_you_sex": "robot"}))
    assert "Error:" in page and "from the options shown" in page
    assert not AttendeeProfile.objects.exists()


def test_questions_for_people_aged_16_and_over_are_not_stored_for_a_younger_attendee(client, survey, panel):
    equality_section_add(survey=survey, keys=["date_of_birth", "sex", "sexual_orientation"])
    today = timezone.localdate()
    client.post(
        f"/about-you/{panel.attendee_code}/",
        {
            "about_you_date_of_birth_day": str(today.day),
            "about_you_date_of_birth_month": str(today.month),
            "about_you_date_of_birth_year": str(today.year - 12),
            "about_you_sex": "male",
            "about_you_sexual_orientation": "bisexual",
        },
    )
    profile = AttendeeProfile.objects.get()
    assert (profile.age, profile.age_status, profile.sex) == (12, "answered", "male")
    assert profile.sexual_orientation is None  # not asked of a 12-year-old, as in the survey


def test_an_officer_enters_attendee_profiles_one_after_another(client, survey, panel):
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/{panel.pk}/profiles/"
    page = text(client.get(url))
    assert "What is your sex?" in page and "To check that women and men are both heard" in page
    assert f"/about-you/{panel.attendee_code}/" in text(
        client.get(f"/officers/surveys/{survey.pk}/plan/activities/{panel.pk}/")
    )
    response = client.post(url, {"about_you_sex": "male", "about_you_religion": "christian"})
    assert response["Location"] == url + "?saved=1"
    assert "Your answers have been saved. Please pass the device to the next person." in text(
        client.get(url + "?saved=1")
    )
    client.post(url, {"about_you_sex": "female", "about_you_religion": "christian"})
    assert AttendeeProfile.objects.filter(activity=panel, entered="officer").count() == 2
    assert AuditEntry.objects.filter(action="plan_changed", detail__activity="Citizens' panel").count() == 2
    viewer = staff_member("viewer", role="Viewer")
    client.force_login(viewer)
    assert client.post(url, {"about_you_sex": "male"}).status_code == 403
    assert AttendeeProfile.objects.count() == 2


def test_the_activitys_report_counts_the_profiles_protected_without_the_permission(client, survey, panel):
    _profiles(panel, 17, sex="female", religion="christian")
    _profiles(panel, 3, sex="male", religion="muslim")
    url = f"/officers/surveys/{survey.pk}/plan/activities/{panel.pk}/profiles/report/?area={AREA}"
    client.force_login(staff_member("officer"))
    page = text(client.get(url))
    assert "Citizens&#x27; panel: attendees compared with the 2021 Census" in page
    assert "20 people, compared with Census 2021 for Testborough" in page
    assert MUSLIM_3 not in page
    # One more attendee changes nothing an officer without the permission sees: whole batches of 10 only.
    _profiles(panel, 1, sex="male", religion="hindu")
    page = text(client.get(url))
    assert "20 people, compared with Census 2021" in page and "updated after every 10 more" in page
    download = client.get(url.replace("report/?", "representativeness.csv?"))
    assert "Muslim" in str(_sheets(client.get(url.replace("report/?", "representativeness.xlsx?")))["Categories"])
    rows = b"".join(download.streaming_content).decode()
    assert download.status_code == 200 and ",Muslim,," in rows  # its count left empty: hidden
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    page = text(client.get(url))
    assert MUSLIM_3 in page and "21 people, compared with Census 2021" in page
    # Attendees, not respondents: the survey report's words are not theirs.
    assert "21 attendees answered" in page and "Sex: attendees against the census" in page
    assert ">Respondents</th>" not in page and "respondents answered" not in page and "respondents&#x27;" not in page


def test_the_activitys_json_download_is_protected_as_the_page_for_an_officer_without_the_permission(
    client, survey, panel
):
    _profiles(panel, 17, sex="female", religion="christian")
    _profiles(panel, 3, sex="male", religion="muslim")
    _profiles(panel, 1, sex="male", religion="hindu")  # the 21st: not in the published batches
    page_url = f"/officers/surveys/{survey.pk}/plan/activities/{panel.pk}/profiles/report/?area={AREA}"
    url = page_url.replace("report/?", "representativeness.json?")
    client.force_login(staff_member("officer"))
    assert f'{url}"' in text(client.get(page_url))
    data = _json(client.get(url))
    assert data["layout_version"] == 1 and data["method"]["audience"] == "protected"
    assert data["respondents"] == 20 and any("updated after every 10 more" in n for n in data["notes"])
    assert data["survey"]["title"] == "Citizens' panel: attendees"
    religion = next(c for c in data["characteristics"] if c["key"] == "religion")
    rows = {r["category"]: r for r in religion["categories"]}
    assert rows["Muslim"]["suppressed"] and rows["Muslim"]["respondents"] is None
    # Not recoverable from what is shown: the answered total less the shown counts spreads over 2+ cells.
    hidden = [r for r in religion["categories"] if r["suppressed"]]
    shown = sum(r["respondents"] for r in religion["categories"] if not r["suppressed"])
    assert len(hidden) >= 2 and religion["counts"]["answered"] - shown > 3
    assert AuditEntry.objects.filter(
        action="downloaded", detail__file=f"activity-{panel.pk}-attendees-representativeness-{AREA}.json"
    ).exists()
    # Whoever downloads: an analyst with the permission gets the same protected file.
    client.force_login(staff_member("analyst", role="Analyst", equality_data=True))
    again = _json(client.get(url))
    assert {k: v for k, v in again.items() if k != "generated_at"} == {
        k: v for k, v in data.items() if k != "generated_at"
    }
    client.force_login(staff_member("planner", team="Planning", role="Viewer"))
    assert client.get(url).status_code == 403


def test_attendee_profiles_are_deleted_on_the_surveys_schedule(survey, panel, capsys):
    _profiles(panel, 2, sex="female")
    survey.closes_at = timezone.now() - dt.timedelta(days=400)
    survey.save()
    call_command("purge_equality_answers", "--days", "365")
    assert "Deleted 2 attendee profile(s)" in capsys.readouterr().out
    assert not AttendeeProfile.objects.exists()


def test_a_young_peoples_group_of_attendees_is_compared_over_its_own_ages(survey, panel):
    from plans.attendees import attendees_report
    from representativeness.disclosure import Audience

    equality_section_add(survey=survey, keys=["date_of_birth", "sex"])
    _profiles(panel, 1, age=12, age_status="answered", sex="female")
    _profiles(panel, 1, age=15, age_status="answered", sex="male")
    report = attendees_report(activity=panel, area_code=AREA, audience=Audience.EXACT)
    # The test area has no age baseline: the note names the ages the group would be compared over.
    assert any("aged 12 to 15" in note for note in report.notes + [n for c in report.characteristics for n in c.notes])
