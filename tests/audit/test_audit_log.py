"""The audit log: append-only, one entry per audited action, never an equality answer; read and
downloaded by administrators at /officers/audit/."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from access.roles import Role
from audit.models import AuditAction, AuditEntry
from audit.services import Actor, audit_record
from engagement.staff.services import StaffSettings, staff_create, staff_update, team_create
from surveys.models import Survey
from tests.factories import TeamFactory, staff_member
from tests.representativeness.reports.conftest import AREA

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return audit_record(actor=Actor(user=None, ip_address="10.0.0.1"), action=AuditAction.SURVEY_PUBLISHED)


def test_entries_cannot_be_changed_or_deleted_through_django(entry):
    entry.action = AuditAction.SURVEY_CLOSED
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.update(action=AuditAction.SURVEY_CLOSED)
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.SURVEY_PUBLISHED


def test_the_database_refuses_to_change_an_entry(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET action = 'survey_closed'")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.SURVEY_PUBLISHED


def test_detail_takes_plain_values_only():
    with pytest.raises(TypeError):
        audit_record(actor=Actor(user=None), action=AuditAction.DOWNLOADED, detail={"answers": {"sex": "female"}})


def test_a_census_import_from_the_command_line_is_recorded(tmp_path):
    from tests.representativeness.reports.conftest import SEX_CSV

    path = tmp_path / "sex.csv"
    path.write_text(SEX_CSV)
    before = AuditEntry.objects.count()  # other modules' shared census data may have left entries
    call_command("import_census", str(path), stdout=io.StringIO())
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.actor, entry.via, entry.detail) == (
        None,
        "command",
        {"file": "sex.csv", "table": "TS008", "areas": 1},
    )


def test_downloads_of_reports_and_results_are_recorded(client, survey):
    officer = staff_member("officer")
    client.force_login(officer)
    for name in ("representativeness:report_download", "representativeness:weighting_download"):
        response = client.get(reverse(name, args=[survey.pk, "csv"]) + f"?area={AREA}&characteristics=sex")
        assert response.status_code == 200
    entries = AuditEntry.objects.filter(action=AuditAction.DOWNLOADED).order_by("id")
    assert [e.detail["file"] for e in entries] == [
        f"parks-representativeness-{AREA}.csv",
        f"parks-weighted-results-{AREA}.csv",
    ]
    assert all(e.actor == officer and e.object_id == str(survey.pk) and e.ip_address == "127.0.0.1" for e in entries)


def test_staff_and_team_changes_are_recorded_with_before_and_after():
    administrator = staff_member("admin", role=Role.ADMINISTRATOR, team=None)
    actor = Actor(user=administrator, ip_address="192.0.2.7")
    parks = TeamFactory(name="Parks")
    planning = team_create(name="Planning", actor=actor)
    user = staff_create(
        username="newstarter",
        email="new@example.gov.uk",
        settings=StaffSettings(team=parks, role=Role.VIEWER, equality_data=False),
        actor=actor,
    )
    staff_update(user=user, settings=StaffSettings(team=planning, role=Role.ANALYST, equality_data=True), actor=actor)
    staff_update(
        user=user,
        settings=StaffSettings(team=planning, role=Role.ANALYST, equality_data=True, is_active=False),
        actor=actor,
    )
    entries = list(AuditEntry.objects.filter(actor=administrator).order_by("id"))
    assert [e.action for e in entries] == [
        AuditAction.TEAM_ADDED,
        AuditAction.STAFF_ADDED,
        AuditAction.STAFF_CHANGED,
        AuditAction.STAFF_CHANGED,
    ]
    assert entries[2].detail == {
        "team": "Parks -> Planning",
        "role": "Viewer -> Analyst",
        "equality_data": "False -> True",
    }
    assert entries[3].detail == {"active": "True -> False"}
    assert all(e.actor_name == "admin" and e.ip_address == "192.0.2.7" for e in entries)


def test_administrators_filter_the_log_and_download_it(client):
    administrator = staff_member("admin", role=Role.ADMINISTRATOR, team=None)
    officer = staff_member("officer")
    survey = Survey.objects.create(title="Allotments", slug="allotments", team=TeamFactory(name="Parks"))
    audit_record(actor=Actor(user=officer, ip_address="10.0.0.2"), action=AuditAction.SURVEY_PUBLISHED, target=survey)
    audit_record(actor=Actor(user=officer), action=AuditAction.SURVEY_CLOSED, target=survey)
    audit_record(actor=Actor(user=administrator), action=AuditAction.DOWNLOADED, detail={"file": "x.csv"})
    client.force_login(administrator)

    page = client.get(reverse("engagement:audit_log"), {"person": "officer", "action": "survey_published"})
    assert page.status_code == 200
    # Each person once in the Person filter, however many entries they have.
    people = page.context["form"].fields["person"].choices
    assert people == [("", "Anyone"), ("admin", "admin"), ("officer", "officer")]
    # Times as GOV.UK writes them ("4:53pm"), never "4:53p.m.".
    assert "p.m." not in page.text and "a.m." not in page.text
    assert re.search(r"\d{1,2}(:\d{2})?(am|pm)|midday|midnight", page.text.split("<table")[1])
    assert "Published a survey" in page.text and "Survey: Allotments" in page.text and "10.0.0.2" in page.text
    assert "Closed a survey" not in page.text.split("<table")[1]

    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    future = {"date_from_0": tomorrow.day, "date_from_1": tomorrow.month, "date_from_2": tomorrow.year}
    assert "No entries match." in client.get(reverse("engagement:audit_log"), future).text
    bad = client.get(reverse("engagement:audit_log"), {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2026"})
    assert bad.status_code == 400 and "From must be a real date" in bad.text and "<title>Error:" in bad.text

    download = client.get(reverse("engagement:audit_download"), {"person": "officer"})
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [r["action"] for r in rows] == ["Closed a survey", "Published a survey"]
    assert rows[1]["object"] == "Allotments" and rows[1]["ip_address"] == "10.0.0.2"
    # Downloading the log is itself a download, recorded.
    assert AuditEntry.objects.filter(action=AuditAction.DOWNLOADED, actor=administrator).count() == 2


def test_nobody_can_change_or_delete_entries_in_the_admin(client, entry):
    client.force_login(staff_member("admin", role=Role.ADMINISTRATOR, team=None))
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    assert client.get(change).status_code == 200  # readable
    assert 'name="_save"' not in client.get(change).text
    assert client.post(change, {"action": "survey_closed"}).status_code == 403
    assert client.post(reverse("admin:audit_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.SURVEY_PUBLISHED
