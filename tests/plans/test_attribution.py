"""Responses attributed to activities: by the tracked link a resident followed, and by the officer naming
the activity of keyed-in paper, phone or event responses (by channel)."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from audit.services import Actor
from plans.models import Activity, Attribution, TargetGroup
from plans.selectors import activity_effects
from plans.services import PlanError, attribution_name
from surveys.models import EqualityProfile, Response
from tests.factories import TeamFactory, staff_member
from tests.surveys.conftest import demo_survey  # noqa: F401
from tests.surveys.journey import WEEKLY_VISITOR_PAGES, Resident, text

pytestmark = pytest.mark.django_db


def _sent(client: Client, survey, start: str) -> Response:
    before = set(Response.objects.filter(survey=survey).values_list("pk", flat=True))
    client.get(start)
    resident = Resident(client, survey)
    resident.answer_all(WEEKLY_VISITOR_PAGES)
    resident.skip_about_you()
    assert resident.send().status_code == 302
    (new,) = Response.objects.filter(survey=survey).exclude(pk__in=before)
    return new


def test_a_response_sent_after_following_a_tracked_link_counts_for_its_activity(demo_survey):  # noqa: F811
    activity = Activity.objects.create(
        survey=demo_survey, kind="social_media", title="Facebook post", date="2027-01-09"
    )
    followed = _sent(Client(), demo_survey, f"/s/{demo_survey.slug}/?via={activity.code}")
    direct = _sent(Client(), demo_survey, f"/s/{demo_survey.slug}/")
    wrong = _sent(Client(), demo_survey, f"/s/{demo_survey.slug}/?via=nosuchcode")
    assert Attribution.objects.get(response=followed).activity == activity
    assert Attribution.objects.get(response=followed).how == "link"
    assert not Attribution.objects.filter(response__in=[direct, wrong]).exists()


def test_a_tracked_link_counts_once_then_is_forgotten(demo_survey):  # noqa: F811
    activity = Activity.objects.create(survey=demo_survey, kind="event", title="Fun day", date="2027-01-09")
    client = Client()
    client.get(f"/s/{demo_survey.slug}/?via=../<script>")  # not a code: ignored
    assert not any(key.startswith("plans:via") for key in client.session.keys())  # noqa: SIM118 (a SessionBase)
    _sent(client, demo_survey, f"/s/{demo_survey.slug}/?via={activity.code}")
    assert activity.attributions.count() == 1
    # Sent: this browser's next response would not count for the activity unless the link is followed again.
    assert not any(key.startswith("plans:via") for key in client.session.keys())  # noqa: SIM118 (a SessionBase)


def _keyed(survey, reference: str, channel: str) -> Response:
    return Response.objects.create(survey=survey, reference=reference, submission_key=reference, channel=channel)


def test_keyed_in_responses_name_their_activity_all_or_nothing(demo_survey):  # noqa: F811
    actor = Actor(user=staff_member("officer"))
    event = Activity.objects.create(survey=demo_survey, kind="event", title="Library drop-in", date="2027-01-09")
    other = Activity.objects.create(survey=demo_survey, kind="paper", title="Leaflets", date="2027-01-10")
    paper, at_event, online = (
        _keyed(demo_survey, "PA000001", "paper"),
        _keyed(demo_survey, "EV000001", "event"),
        _keyed(demo_survey, "ON000001", "online"),
    )
    with pytest.raises(PlanError, match="ON000001 came in online"):
        attribution_name(activity=event, references=["pa000001", "ON000001"], actor=actor)
    with pytest.raises(PlanError, match="NOPE"):
        attribution_name(activity=event, references=["PA000001", "NOPE"], actor=actor)
    assert not Attribution.objects.exists()
    named = attribution_name(activity=event, references=["pa000001 ", "EV000001", "EV000001"], actor=actor)
    assert (named.added, named.already) == (["PA000001", "EV000001"], [])
    assert {a.response for a in event.attributions.all()} == {paper, at_event}
    assert all(a.how == "named" for a in event.attributions.all())
    with pytest.raises(PlanError, match="already came through another activity"):
        attribution_name(activity=other, references=["PA000001"], actor=actor)
    assert not other.attributions.exists() and online.pk


def test_the_activity_page_names_responses_and_shows_errors(client, demo_survey):  # noqa: F811
    demo_survey.team = TeamFactory(name="Parks")
    demo_survey.save(update_fields=["team"])
    client.force_login(staff_member("officer", team="Parks"))
    event = Activity.objects.create(survey=demo_survey, kind="event", title="Library drop-in", date="2027-01-09")
    _keyed(demo_survey, "PA000001", "paper")
    url = f"/officers/surveys/{demo_survey.pk}/plan/activities/{event.pk}/"
    page = text(client.get(url))
    assert f"/s/{demo_survey.slug}/?via={event.code}" in page
    response = client.post(url + "responses/", {"references": "PA000001\nXX"})
    assert response.status_code == 400
    assert "No response to this consultation has the reference XX" in text(response)
    assert not Attribution.objects.exists()
    client.post(url + "responses/", {"references": "PA000001"})
    assert event.attributions.count() == 1


def test_responses_per_activity_and_per_target_group(demo_survey):  # noqa: F811
    group = TargetGroup.objects.create(survey=demo_survey, characteristic="sex", category="Female", target=40)
    event = Activity.objects.create(survey=demo_survey, kind="event", title="Drop-in", date="2027-01-09")
    mailing = Activity.objects.create(survey=demo_survey, kind="partner_mailing", title="Mailing", date="2027-01-10")
    now = timezone.now()
    for i, (sex, activity) in enumerate(
        [("female", event)] * 3 + [("male", event)] * 2 + [("female", mailing)] + [("female", None)] * 4
    ):
        response = _keyed(demo_survey, f"R{i:07d}", "event")
        EqualityProfile.objects.create(
            response=response,
            survey=demo_survey,
            channel="event",
            submitted_at=now - dt.timedelta(days=i),
            library_version="test",
            sex=sex,
        )
        if activity is not None:
            Attribution.objects.create(response=response, activity=activity, how="named")
    effects = {e.activity.title: e for e in activity_effects(survey=demo_survey, groups=[group])}
    assert (effects["Drop-in"].through, effects["Drop-in"].by_group[group.pk]) == (5, 3)
    assert (effects["Mailing"].through, effects["Mailing"].by_group[group.pk]) == (1, 1)
