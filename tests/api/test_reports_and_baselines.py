"""The representativeness report and weighted results as JSON, baselines, and the audit log, through the API."""

import io
import json

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from access.roles import Role
from audit.models import AuditAction, AuditEntry
from representativeness.models import Baseline
from tests.api.conftest import errors_by_field
from tests.factories import staff_member
from tests.representativeness.reports.conftest import AREA, SEX_CSV

pytestmark = pytest.mark.django_db


def test_the_report_is_the_commands_json_layout_protected_whoever_asks(survey, staff):
    reply = staff.client("analyst").get(f"/api/v1/surveys/{survey.pk}/report/?area={AREA}")
    assert reply.status_code == 200
    body = reply.json()
    assert body["layout_version"] == 1
    assert body["method"]["audience"] == "protected"
    religion = next(c for c in body["characteristics"] if c["key"] == "religion")
    hindu = next(row for row in religion["categories"] if row["category"] == "Hindu")
    # Six Hindu respondents: fewer than 10, hidden even from someone with the equality-data permission.
    assert hindu["suppressed"] is True and hindu["respondents"] is None
    # The same figures as the command's protected output (generated_at aside).
    out = io.StringIO()
    call_command("representativeness_report", survey.slug, "--area", AREA, stdout=out)
    command = json.loads(out.getvalue())
    assert {k: v for k, v in command.items() if k != "generated_at"} == {
        k: v for k, v in body.items() if k != "generated_at"
    }


def test_filters_need_the_equality_data_permission(survey, staff):
    refused = staff.client("analyst_without").get(f"/api/v1/surveys/{survey.pk}/report/?area={AREA}&channel=paper")
    assert refused.status_code == 403
    assert refused.json()["message"].startswith("Only staff with permission to view equality data can filter")
    allowed = staff.client("analyst").get(f"/api/v1/surveys/{survey.pk}/report/?area={AREA}&channel=online")
    assert allowed.status_code == 200 and allowed.json()["filters"]["channel"] == "online"


def test_a_report_for_an_unknown_area_names_the_field(survey, staff):
    reply = staff.client("officer").get(f"/api/v1/surveys/{survey.pk}/report/?area=E99999999")
    assert reply.status_code == 400
    assert list(errors_by_field(reply.json())) == ["area"]


def test_another_teams_officer_cannot_read_the_report(survey, staff):
    assert staff.client("planning").get(f"/api/v1/surveys/{survey.pk}/report/?area={AREA}").status_code == 403


def test_weighted_results_as_json(survey, staff):
    reply = staff.client("viewer").get(f"/api/v1/surveys/{survey.pk}/weighted-results/?area={AREA}&characteristics=sex")
    assert reply.status_code == 200, reply.json()
    body = reply.json()
    assert body["characteristics"] == ["sex"]
    assert body["area"] == {"code": AREA, "name": "Testborough"}
    assert body["diagnostics"][0].startswith("Responses were weighted")


def test_baselines_are_listed_for_staff(area, staff):
    body = staff.client("viewer").get("/api/v1/baselines/").json()
    assert {(b["area_code"], b["table"], b["total"]) for b in body} >= {(AREA, "TS008", 1000)}
    assert APIClient().get("/api/v1/baselines/").status_code == 401


def test_a_census_file_is_imported_as_the_command_imports_it(staff, db):
    upload = {"files": [_file("sex.csv", SEX_CSV)]}
    reply = staff.client("officer").post("/api/v1/baselines/import/", upload, format="multipart")
    assert reply.status_code == 201, reply.json()
    assert reply.json()[0]["area_codes"] == [AREA]
    assert Baseline.objects.filter(area__code=AREA).count() == 1
    # The officer's entry: the census other tests loaded once per module stays in the append-only log.
    entry = AuditEntry.objects.get(action=AuditAction.CENSUS_IMPORTED, actor_name="officer")
    assert entry.via == "api"


def test_a_bad_census_file_imports_nothing_and_says_where(staff, db):
    bad = SEX_CSV.replace(",600\n", ",six hundred\n")
    upload = {"files": [_file("sex.csv", SEX_CSV), _file("bad.csv", bad)]}
    reply = staff.client("officer").post("/api/v1/baselines/import/", upload, format="multipart")
    assert reply.status_code == 400
    messages = errors_by_field(reply.json())["files"]
    assert any(m.startswith("bad.csv, row 3") for m in messages), messages
    assert not Baseline.objects.exists()
    nothing = staff.client("officer").post("/api/v1/baselines/import/", {}, format="multipart")
    assert errors_by_field(nothing.json()) == {"files": ["Choose at least one census file (CSV) to import."]}


@pytest.mark.parametrize("name", ["analyst", "viewer"])
def test_only_roles_that_import_may_import(staff, name):
    upload = {"files": [_file("sex.csv", SEX_CSV)]}
    reply = staff.client(name).post("/api/v1/baselines/import/", upload, format="multipart")
    assert reply.status_code == 403
    assert not Baseline.objects.exists()


def test_the_audit_log_is_for_administrators(staff, survey):
    staff.client("officer").post(f"/api/v1/surveys/{survey.pk}/close/")
    body = staff.client("admin").get("/api/v1/audit-entries/?action=survey_closed").json()
    assert [(e["actor_name"], e["via"], e["object_label"]) for e in body["results"]] == [("officer", "api", "Parks")]
    reply = staff.client("officer").get("/api/v1/audit-entries/")
    assert reply.status_code == 403
    assert reply.json()["message"] == "Only administrators read the audit log."


def test_a_deactivated_member_of_staffs_token_stops_working(db, staff):
    staff.officer.is_active = False
    staff.officer.save()
    assert staff.client("officer").get("/api/v1/surveys/").status_code == 401


def test_drf_create_token_gives_a_working_token(db):
    staff_member("tokenuser", role=Role.VIEWER, team="Parks")
    out = io.StringIO()
    call_command("drf_create_token", "tokenuser", stdout=out)
    token = out.getvalue().split()[2]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/surveys/").status_code == 200


def _file(name: str, text: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")
