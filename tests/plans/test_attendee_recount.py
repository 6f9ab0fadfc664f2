"""Counting an activity's attendees again replaces the earlier count: the datasets page lists it once."""

import pytest

from audit.models import AuditEntry
from plans.models import Activity
from representativeness.models import GroupDataset
from tests.factories import staff_member
from tests.surveys.journey import text

pytestmark = pytest.mark.django_db


def test_counting_the_attendees_again_replaces_the_earlier_count(client, survey):
    activity = Activity.objects.create(survey=survey, kind="panel", title="Citizens' panel", date="2027-02-01")
    client.force_login(staff_member("officer"))
    url = f"/officers/surveys/{survey.pk}/plan/activities/{activity.pk}/attendees/"
    client.post(url, {"title": "Panel", "team": survey.team_id, "counts": "sex, Female, 12\nsex, Male, 8"})
    first = GroupDataset.objects.get()
    client.post(url, {"title": "Panel", "team": survey.team_id, "counts": "sex, Female, 13\nsex, Male, 8"})
    activity.refresh_from_db()
    assert list(GroupDataset.objects.all()) == [activity.attendees] and activity.attendees.people == 21
    assert text(client.get("/officers/datasets/")).count("Panel") == 1
    assert AuditEntry.objects.filter(action="dataset_deleted", object_id=str(first.pk)).exists()
    assert AuditEntry.objects.filter(detail__replaces=str(first.pk)).exists()
