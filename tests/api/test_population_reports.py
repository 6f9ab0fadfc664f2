"""Any population's report through the API, as its page's JSON download gives it: an uploaded dataset's, and
an activity's attendees' own profiles; protected whoever asks, under the pages' access policy."""

import pytest

from plans.models import Activity, AttendeeProfile
from representativeness.models import GroupDataset
from representativeness.populations.datasets import counts_as_json, dataset_counts, table_rows
from tests.representativeness.populations.test_dataset_pages import GOOD
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db


def _strip(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "generated_at"}


def test_a_datasets_report_is_its_json_download_protected_whoever_asks(area, staff):
    import datetime as dt

    header, rows = table_rows(file_name="users.csv", data=GOOD.encode())
    counts = dataset_counts(header, rows, on=dt.date.today(), mappings={})
    dataset = GroupDataset.objects.create(
        team=staff.officer.membership.team,
        title="Day centre users",
        file_name="users.csv",
        minimum_age=16,
        people=54,
        counts=counts_as_json(counts),
    )
    reply = staff.client("analyst").get(f"/api/v1/datasets/{dataset.pk}/report/?area={AREA}")
    assert reply.status_code == 200, reply.json()
    body = reply.json()
    assert body["layout_version"] == 1 and body["method"]["audience"] == "protected"
    muslim = next(r for c in body["characteristics"] for r in c["categories"] if r["category"] == "Muslim")
    assert muslim["suppressed"] and muslim["respondents"] is None
    web = staff.client(None)
    web.force_login(staff.analyst)
    download = web.get(f"/officers/datasets/{dataset.pk}/representativeness.json?area={AREA}")
    assert _strip(body) == _strip(download.json())
    assert staff.client("planning").get(f"/api/v1/datasets/{dataset.pk}/report/?area={AREA}").status_code == 403


def test_an_activitys_attendees_report_counts_whole_batches_as_its_page(survey, staff):
    panel = Activity.objects.create(survey=survey, kind="panel", title="Panel", date="2027-02-01")
    for religion, count in (("christian", 17), ("muslim", 3), ("hindu", 1)):
        for _ in range(count):
            AttendeeProfile.objects.create(activity=panel, entered="attendee", library_version="t", religion=religion)
    path = f"/surveys/{survey.pk}/plan/activities/{panel.pk}/attendees-report/?area={AREA}"
    reply = staff.client("viewer").get("/api/v1" + path)
    assert reply.status_code == 200, reply.json()
    body = reply.json()
    assert body["respondents"] == 20 and body["method"]["audience"] == "protected"
    web = staff.client(None)
    web.force_login(staff.analyst)
    download = web.get(
        f"/officers/surveys/{survey.pk}/plan/activities/{panel.pk}/profiles/representativeness.json?area={AREA}"
    )
    assert _strip(body) == _strip(download.json())
    assert staff.client("planning").get("/api/v1" + path).status_code == 403
