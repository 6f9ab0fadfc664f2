"""Correcting an outreach activity: its date and reach checked as an officer types them, deleting one added
by mistake, the responses named under it listed and un-named, and the page's words for each kind."""

import pytest

from audit.models import AuditEntry
from plans.models import Activity, Attribution, TargetGroup
from surveys.models import Response
from tests.factories import staff_member
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db


def _keyed(survey, reference: str, channel: str = "paper") -> Response:
    return Response.objects.create(survey=survey, reference=reference, submission_key=reference, channel=channel)


def _post(client, survey, **fields):
    data = {"kind": "event", "title": "Drop-in", "date_0": "6", "date_1": "3", "date_2": "2027"} | fields
    return client.post(f"/officers/surveys/{survey.pk}/plan/activities/new/", data)


def test_the_date_is_needed_for_an_activity_on_a_day_and_the_label_says_so(client, survey):
    client.force_login(staff_member("officer"))
    form = text(client.get(f"/officers/surveys/{survey.pk}/plan/activities/new/"))
    assert "Date (optional)" not in form and "Needed for an event, drop-in" in form
    page = text(_post(client, survey, date_0="", date_1="", date_2=""))
    assert "Enter the date of the event" in page
    assert not Activity.objects.exists()
    response = _post(client, survey, kind="social_media", title="Facebook posts", date_0="", date_1="", date_2="")
    assert response.status_code == 302
    assert Activity.objects.get().date is None
    assert 'Facebook posts</a> <span class="govuk-body-s">(social media)' in text(
        client.get(f"/officers/surveys/{survey.pk}/plan/")
    )


def test_a_date_before_the_consultation_opened_or_after_it_closed_is_refused(client, survey):
    import datetime as dt

    from django.utils import timezone

    survey.opens_at = timezone.make_aware(dt.datetime(2027, 1, 4, 9))
    survey.closes_at = timezone.make_aware(dt.datetime(2027, 4, 30, 17))
    survey.save(update_fields=["opens_at", "closes_at"])
    client.force_login(staff_member("officer"))
    page = text(_post(client, survey, date_0="1", date_1="1", date_2="1900"))
    assert "Date must be on or after 4 January 2027, when the consultation opened" in page
    page = text(_post(client, survey, date_0="1", date_1="5", date_2="2027"))
    assert "Date must be on or before 30 April 2027, when the consultation closes" in page
    assert not Activity.objects.exists()
    assert _post(client, survey, date_0="4", date_1="1", date_2="2027").status_code == 302


def test_a_reach_beyond_any_council_is_refused_in_plain_words(client, survey):
    client.force_login(staff_member("officer"))
    page = text(_post(client, survey, expected_reach="99999999999999999999", actual_reach="-3"))
    assert "Expected reach must be 2,000,000 or fewer" in page and "Actual reach must be 0 or more" in page
    assert "9223372036854775807" not in page
    assert not Activity.objects.exists()


def test_an_activity_added_by_mistake_is_deleted_after_a_warning_and_its_responses_kept(client, survey):
    wrong = Activity.objects.create(survey=survey, kind="event", title="Typo day", date="1900-01-01")
    response = _keyed(survey, "PA000001")
    Attribution.objects.create(response=response, activity=wrong, how="named")
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/{wrong.pk}/"
    assert f'href="{url}delete/"' in text(client.get(url))
    confirm = text(client.get(url + "delete/"))
    assert "Delete “Typo day”?" in confirm
    assert "1 response named under it or sent through its tracked link will no longer be counted" in confirm
    assert Activity.objects.exists()
    done = client.post(url + "delete/")
    assert done["Location"] == f"/officers/surveys/{survey.pk}/plan/#activities"
    assert not Activity.objects.exists() and not Attribution.objects.exists()
    assert Response.objects.filter(pk=response.pk).exists()
    entry = AuditEntry.objects.get(action="plan_changed", detail__deleted=True)
    assert entry.detail["activity"] == "Typo day" and entry.detail["responses_unattributed"] == 1


def test_the_activity_lists_its_named_responses_says_when_one_is_named_again_and_un_names_one(client, survey):
    event = Activity.objects.create(survey=survey, kind="event", title="Library drop-in", date="2027-03-06")
    _keyed(survey, "PA000001")
    _keyed(survey, "PA000002")
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/{event.pk}/"
    assert "No keyed-in responses are named as coming through this activity yet" in text(client.get(url))
    client.post(url + "responses/", {"references": "PA000001\nPA000002"})
    page = text(client.get(url))
    assert "Responses named as coming through this activity" in page
    assert "PA000001" in page and "PA000002" in page and 'Remove<span class="govuk-visually-hidden"> PA000001' in page
    again = text(client.post(url + "responses/", {"references": "pa000001"}, follow=True))
    assert "PA000001 was already named under this activity." in again and "0 responses" not in again
    assert event.attributions.count() == 2
    removed = text(client.post(url + "responses/remove/", {"reference": "PA000001"}, follow=True))
    assert "PA000001 is no longer named as coming through “Library drop-in”." in removed
    assert list(event.attributions.values_list("response__reference", flat=True)) == ["PA000002"]
    assert AuditEntry.objects.filter(action="plan_changed", detail__response_unnamed="PA000001").exists()
    missing = text(client.post(url + "responses/remove/", {"reference": "PA000001"}, follow=True))
    assert "PA000001 is not named under this activity" in missing


def test_attendees_are_counted_only_for_activities_people_attend_and_the_sentence_reads(client, survey):
    posts = Activity.objects.create(survey=survey, kind="social_media", title="Posts")
    panel = Activity.objects.create(survey=survey, kind="panel", title="Panel", date="2027-03-06")
    client.force_login(staff_member("officer"))
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/activities/{posts.pk}/"))
    assert "Attendees against the census" not in page and "attendees" not in page.lower()
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/activities/{panel.pk}/"))
    assert "Attendees against the census" in page
    assert 'you can <a class="govuk-link"' in page and "upload it or type the counts</a> instead." in page
    assert "profile</a>: or upload" not in page


def test_a_characteristics_name_keeps_english_capitalised_on_the_plan(client, survey):
    TargetGroup.objects.create(
        survey=survey, characteristic="english_proficiency", category="Main language is not English", target=20
    )
    client.force_login(staff_member("officer"))
    plan = text(client.get(f"/officers/surveys/{survey.pk}/plan/"))
    assert "(main language and English)" in plan and "and english)" not in plan
