"""An outreach event is the hub's in-person event where there is one: linked, not typed twice, shown both ways."""

import datetime as dt

import pytest
from django.utils import timezone

from engagement.models import Event
from plans.models import Activity
from tests.factories import staff_member
from tests.representativeness.reports.conftest import make_survey
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db


def _event(survey, title="Drop-in at Stretford library"):
    starts = timezone.make_aware(dt.datetime(2027, 3, 6, 10, 0))
    return Event.objects.create(
        survey=survey, title=title, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), place="Stretford library"
    )


def test_an_event_activity_links_the_hubs_event_and_takes_its_title_date_and_place(client, survey):
    event = _event(survey)
    _event(make_survey("roads"), title="Another consultation's event")
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/new/"
    form = text(client.get(url))
    assert "Drop-in at Stretford library" in form and "Another consultation" not in form

    response = client.post(url, {"kind": "event", "hub_event": event.pk, "expected_reach": "40"})
    activity = Activity.objects.get()
    assert response["Location"] == f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/"
    assert activity.hub_event == event
    assert (activity.title, activity.date, activity.place) == (
        "Drop-in at Stretford library",
        dt.date(2027, 3, 6),
        "Stretford library",
    )
    page = text(client.get(response["Location"]))
    assert f'href="/officers/surveys/{survey.pk}/events/"' in page and "On the consultation's page as" in page
    events = text(client.get(f"/officers/surveys/{survey.pk}/events/"))
    assert "Outreach activity:" in events
    assert f'href="/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/"' in events


def test_only_an_event_or_drop_in_links_a_hub_event_and_only_its_own_consultations(client, survey):
    event = _event(survey)
    other = _event(make_survey("roads"))
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/new/"
    page = text(client.post(url, {"kind": "social_media", "title": "Posts", "hub_event": event.pk}))
    assert "Only an event or a drop-in can be the hub&#x27;s event" in page
    page = text(client.post(url, {"kind": "event", "hub_event": other.pk}))
    assert "Select one of this consultation&#x27;s events" in page
    page = text(client.post(url, {"kind": "event"}))
    assert "Enter the activity&#x27;s name" in page and "Enter the date" in page
    assert not Activity.objects.exists()


def test_responses_keyed_in_from_the_hub_event_are_named_as_the_activitys_in_one_go(client, survey):
    from engagement.models import ResponseSource
    from plans.models import Attribution
    from surveys.models import Response

    event = _event(survey)
    activity = Activity.objects.create(survey=survey, kind="event", title="Drop-in", date="2027-03-06", hub_event=event)
    keyed = [
        Response.objects.create(survey=survey, reference=f"P{i:07d}", submission_key=f"p{i}", channel="paper")
        for i in range(3)
    ]
    for response in keyed[:2]:
        ResponseSource.objects.create(response=response, survey=survey, event=event)
    ResponseSource.objects.create(response=keyed[2], survey=survey)  # keyed in, not at the event
    client.force_login(staff_member("officer"))
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/"))
    assert "2 responses keyed in from this event are not yet named as this activity's" in page
    client.post(f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/responses/from-event/")
    assert set(Attribution.objects.values_list("response__reference", "activity")) == {
        ("P0000000", activity.pk),
        ("P0000001", activity.pk),
    }
    page = text(client.get(f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/"))
    assert "not yet named" not in page
